"""Logging in: who may use the desk, and for how long a session lasts when left idle.

Sessions are Starlette's signed cookies (itsdangerous, with a maximum age); on top of that the
middleware here ends a session idle for longer than the configured minutes, and one whose clerk
was removed or disabled.  Every path except the login page and the static files needs a login.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse
from starlette.types import ASGIApp, Receive, Scope, Send

PUBLIC_PATHS = frozenset({"/login", "/lang"})
PUBLIC_PREFIXES = ("/static/",)
USER = "user"
SEEN = "seen"
KEEP_ACROSS_LOGIN = ("lang",)


def is_public(path: str) -> bool:
    return path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES)


def start_session(request: Request, user: str, clock: Callable[[], float] = time.time) -> None:
    """A fresh session for ``user`` (anything from before the login is dropped, language kept)."""
    kept = {k: request.session[k] for k in KEEP_ACROSS_LOGIN if k in request.session}
    request.session.clear()
    request.session.update(kept)
    request.session[USER] = user
    request.session[SEEN] = clock()
    request.session["started"] = clock()
    request.session["done"] = 0
    request.session["sid"] = secrets.token_urlsafe(16)


def session_id(request: Request) -> str:
    """A random id of this login (keys the server-side undo stack)."""
    sid = request.session.get("sid")
    if not isinstance(sid, str):
        sid = secrets.token_urlsafe(16)
        request.session["sid"] = sid
    return sid


def end_session(request: Request, flash: str | None = None) -> None:
    kept = {k: request.session[k] for k in KEEP_ACROSS_LOGIN if k in request.session}
    request.session.clear()
    request.session.update(kept)
    if flash:
        request.session["flash"] = flash


def current_user(request: Request) -> str:
    user = request.session.get(USER)
    return user if isinstance(user, str) else ""


class LoginRequired:
    """ASGI middleware (inside SessionMiddleware): no login, or an idle session, means no entry."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        is_active: Callable[[str], bool],
        idle_seconds: float,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.app = app
        self.is_active = is_active
        self.idle_seconds = idle_seconds
        self.clock = clock

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or is_public(scope["path"]):
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive)
        user = current_user(request)
        seen = request.session.get(SEEN)
        now = self.clock()
        expired = not isinstance(seen, int | float) or now - seen > self.idle_seconds
        if not user or expired or not self.is_active(user):
            if user:  # an anonymous session (the login form's CSRF token) is left as it is
                end_session(request, "review.session_expired" if expired else None)
            response: JSONResponse | RedirectResponse
            if request.method == "GET" and not scope["path"].startswith("/api/"):
                response = RedirectResponse("/login", status_code=303)
            else:
                response = JSONResponse({"error": "login required"}, status_code=401)
            await response(scope, receive, send)
            return
        request.session[SEEN] = now
        await self.app(scope, receive, send)
