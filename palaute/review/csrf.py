"""Cross-site request forgery protection: one random token per session, on every POST.

The token is put into every form (a hidden ``csrf`` field) and sent by the page's scripts as the
``X-CSRF-Token`` header; a POST without the session's token is refused with 403.
"""

from __future__ import annotations

import hmac
import secrets

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request

FIELD = "csrf"
HEADER = "X-CSRF-Token"
MAX_FIELDS = 50  # no form of the desk has more
MAX_PART = 64 * 1024


def token(request: Request) -> str:
    """The session's token, created on first use."""
    value = request.session.get(FIELD)
    if not isinstance(value, str) or len(value) < 32:
        value = secrets.token_urlsafe(32)
        request.session[FIELD] = value
    return value


def rotate(request: Request) -> str:
    request.session.pop(FIELD, None)
    return token(request)


async def checked_form(request: Request) -> FormData:
    """The POSTed form, after checking its CSRF token (403 when missing or wrong)."""
    form = await request.form(max_files=0, max_fields=MAX_FIELDS, max_part_size=MAX_PART)
    sent = request.headers.get(HEADER) or form.get(FIELD)
    expected = request.session.get(FIELD)
    if (
        not isinstance(sent, str)
        or not isinstance(expected, str)
        or not hmac.compare_digest(sent.encode("utf-8"), expected.encode("utf-8"))
    ):
        raise HTTPException(status_code=403, detail="csrf")
    return form
