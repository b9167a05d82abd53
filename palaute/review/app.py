"""The review desk: a small local web application for the clerk (Starlette, server-rendered).

``create_app(survey_path)`` builds it; ``palaute review`` serves it on 127.0.0.1.  Pages:

- ``/flags``  flagged fields, worst first: choose the answer, accept the reader's guess, skip
- ``/texts``  written free-text fields waiting for their transcription
- ``/pages/{id}``  the whole page with the field framed
- ``/respondents``, ``/respondents/{id}``  who answered which pages: split and merge respondents
- ``/api/queue/next``  the next item as JSON
"""

from __future__ import annotations

import json
import logging
import secrets
import threading
import time
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import jinja2
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from forms.template import Field, Template
from palaute import i18n
from palaute.errors import StoreError
from palaute.review import auth, csrf, memory, queue, respondents
from palaute.store import accounts, images, review
from palaute.store.records import FieldRow, PageRow
from palaute.store.survey import ConflictError, Survey
from scanner.results import FieldStatus, PageStatus, Value

log = logging.getLogger(__name__)

HERE = Path(__file__).parent
SKIP_LIMIT = 200
SESSION_COOKIE = "palaute_review"
# Crops never change (page images are written once): let the browser keep them a while.
IMAGE_CACHE = {"Cache-Control": "private, max-age=600"}


class SurveyAccess:
    """One SQLite connection per thread (the event loop's and the thread pool's), and templates."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self._templates: dict[str, Template] = {}
        self._lock = threading.Lock()

    def get(self) -> Survey:
        survey: Survey | None = getattr(self._local, "survey", None)
        if survey is None:
            survey = Survey.open(self.path, create=False)
            self._local.survey = survey
        return survey

    def template_field(self, version: str | None, field_id: str) -> Field | None:
        if version is None:
            return None
        with self._lock:
            if version not in self._templates:
                self._templates = self.get().templates()
            template = self._templates.get(version)
        if template is None:
            return None
        try:
            return template.field(field_id)
        except KeyError:
            return None


class SecurityHeaders:
    """Strict headers on every response: own scripts and images only, no framing, no caching."""

    HEADERS = (
        (
            b"content-security-policy",
            b"default-src 'self'; img-src 'self'; script-src 'self'; style-src 'self'; "
            b"frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
        ),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"no-referrer"),
        (b"x-frame-options", b"DENY"),
        (b"cache-control", b"no-store"),
    )

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in self.HEADERS if k not in names]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def create_app(
    survey_path: Path | str,
    secret: str | None = None,
    session_minutes: float = 30,
    *,
    clock: Callable[[], float] = time.time,
    allowed_hosts: Sequence[str] | None = None,
) -> Starlette:
    """The desk for the survey at ``survey_path`` (which must exist).

    ``secret`` signs the session cookies (a random one per start when None: sessions then end when
    the desk restarts).  Sessions idle for ``session_minutes`` end.  ``allowed_hosts`` limits the
    Host header (against DNS rebinding); ``clock`` is for tests.
    """
    access = SurveyAccess(Path(survey_path))
    access.get()  # fail early (StoreError) when the survey is missing or unreadable
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
    )
    templates = Jinja2Templates(env=env)
    undo_stacks = memory.UndoStacks()
    throttle = memory.LoginThrottle(clock)
    claims = memory.Claims(clock)  # flag and text items on screen, kept from other clerks

    # -- helpers ---------------------------------------------------------------------------
    def lang_of(request: Request) -> str:
        lang = request.session.get("lang")
        if isinstance(lang, str) and lang in i18n.LANGUAGES:
            return lang
        for part in request.headers.get("accept-language", "").split(","):
            code = part.split(";")[0].strip()[:2].lower()
            if code in i18n.LANGUAGES:
                return code
        return i18n.DEFAULT_LANGUAGE

    def progress(request: Request) -> dict[str, Any]:
        survey = access.get()
        done = int(request.session.get("done", 0) or 0)
        started = float(request.session.get("started", clock()) or clock())
        hours = max((clock() - started) / 3600, 1 / 60)
        return {
            "flagged": review.flagged_count(survey),
            "texts": review.written_count(survey),
            "pages": review.pages_to_fix_count(survey),
            "done": done,
            "rate": round(done / hours),
        }

    def render(request: Request, template: str, status: int = 200, **context: Any) -> Response:
        lang = lang_of(request)
        user = auth.current_user(request)
        flash = request.session.pop("flash", None)
        context.update(
            lang=lang,
            languages=i18n.LANGUAGES,
            t=_translator(lang),
            csrf_token=csrf.token(request),
            user=user,
            flash=i18n.t(flash, lang) if isinstance(flash, str) and i18n.has(flash) else None,
            progress=progress(request) if user else None,
            path=request.url.path,
        )
        return templates.TemplateResponse(request, template, context, status_code=status)

    def redirect(url: str) -> RedirectResponse:
        return RedirectResponse(url, status_code=303)

    def field_or_404(pk: int) -> tuple[FieldRow, PageRow]:
        survey = access.get()
        try:
            field = survey.field(pk)
            return field, survey.page(field.page_id)
        except StoreError as exc:
            raise HTTPException(status_code=404) from exc

    def int_param(value: object) -> int:
        if not isinstance(value, str) or not value.isdigit() or len(value) > 12:
            raise HTTPException(status_code=400, detail="bad number")
        return int(value)

    def session_list(request: Request, key: str) -> list[int]:
        value = request.session.get(key, [])
        return [int(v) for v in value if isinstance(v, int)] if isinstance(value, list) else []

    def push_undo(request: Request, entry: tuple[Any, ...]) -> None:
        undo_stacks.push(auth.session_id(request), entry)
        request.session["done"] = int(request.session.get("done", 0) or 0) + 1

    # -- login, logout, language -------------------------------------------------------------
    async def login_page(request: Request) -> Response:
        if auth.current_user(request):
            return redirect("/flags")
        return render(request, "login.html")

    async def login(request: Request) -> Response:
        form = await csrf.checked_form(request)
        name = str(form.get("name", ""))[:64].strip()
        password = str(form.get("password", ""))
        if throttle.blocked(name):
            log.warning("login for %r refused: too many failures", name)
            return render(request, "login.html", status=429, error="throttled", name=name)
        ok = bool(name and password) and await run_in_threadpool(
            lambda: accounts.verify(access.get(), name, password)
        )
        if not ok:
            throttle.failed(name)
            log.warning("failed login for %r", name)
            return render(request, "login.html", status=401, error="failed", name=name)
        throttle.succeeded(name)
        auth.start_session(request, name, clock)
        csrf.rotate(request)
        log.info("%s logged in", name)
        return redirect("/flags")

    async def logout(request: Request) -> Response:
        await csrf.checked_form(request)
        undo_stacks.drop(auth.session_id(request))
        auth.end_session(request)
        return redirect("/login")

    async def set_language(request: Request) -> Response:
        form = await csrf.checked_form(request)
        lang = form.get("lang")
        if lang not in i18n.LANGUAGES:
            raise HTTPException(status_code=400)
        request.session["lang"] = lang
        back = form.get("next")
        if not isinstance(back, str) or not back.startswith("/") or back.startswith("//"):
            back = "/flags"
        return redirect(back)

    # -- the flag queue -------------------------------------------------------------------------
    async def home(request: Request) -> Response:
        return redirect("/flags")

    def flag_response(request: Request, field: FieldRow, page: PageRow) -> Response:
        tfield = access.template_field(page.version, field.field_id)
        item = queue.build_item(field, page, tfield, lang_of(request))
        sid = auth.session_id(request)
        claims.claim(sid, field.id)
        busy = [*session_list(request, "skip"), *claims.held_by_others(sid), field.id]
        after = review.next_flagged(access.get(), busy)
        return render(request, "flag.html", item=item, prefetch=after.id if after else None)

    async def next_flag(request: Request) -> Response:
        skipped = session_list(request, "skip")
        others = claims.held_by_others(auth.session_id(request))
        field = review.next_flagged(access.get(), [*skipped, *others])
        if field is None:
            return render(request, "done.html", queue_name="flags", skipped=len(skipped))
        return flag_response(request, field, access.get().page(field.page_id))

    async def show_flag(request: Request) -> Response:
        field, page = field_or_404(request.path_params["pk"])
        return flag_response(request, field, page)

    async def decide_flag(request: Request) -> Response:
        pk = request.path_params["pk"]
        form = await csrf.checked_form(request)
        action = str(form.get("action") or "choose")
        if action == "skip":
            request.session["skip"] = [*session_list(request, "skip"), pk][-SKIP_LIMIT:]
            return redirect("/flags")
        revision = int_param(form.get("revision"))
        field, page = field_or_404(pk)
        tfield = access.template_field(page.version, field.field_id)
        values = [v for v in form.getlist("value") if isinstance(v, str)]
        try:
            value, status = queue.decide(action, values, field, tfield)
        except queue.BadDecision as exc:
            if tfield is not None and tfield.kind in ("line", "zone") and action == "choose":
                # a mistyped position or count: show the field again with a word, not an error
                request.session["flash"] = (
                    "review.line_bad_value" if tfield.kind == "line" else "review.zone_bad_value"
                )
                return redirect(f"/flags/{pk}")
            raise HTTPException(status_code=400, detail="bad decision") from exc
        user = auth.current_user(request)
        try:
            new = access.get().update_field(pk, value, status, user, revision, needs_review=False)
        except ConflictError:
            request.session["flash"] = "review.conflict"
            return redirect(f"/flags/{pk}")
        push_undo(
            request,
            ("flag", pk, new.revision, _dump(field.value), str(field.status), field.needs_review),
        )
        return redirect("/flags")

    async def reset_skipped(request: Request) -> Response:
        form = await csrf.checked_form(request)
        target = {"texts": ("skip_text", "/texts"), "pages": ("skip_pages", "/fix")}
        key, url = target.get(str(form.get("queue")), ("skip", "/flags"))
        request.session[key] = []
        return redirect(url)

    async def undo(request: Request) -> Response:
        await csrf.checked_form(request)
        entry = undo_stacks.pop(auth.session_id(request))
        if entry is None:
            request.session["flash"] = "review.nothing_to_undo"
            return redirect("/flags")
        request.session["done"] = max(0, int(request.session.get("done", 0) or 0) - 1)
        user = auth.current_user(request)
        survey = access.get()
        try:
            if entry[0] == "flag":
                _, pk, revision, old_value, old_status, old_review = entry
                survey.update_field(
                    pk,
                    json.loads(old_value),
                    FieldStatus(old_status),
                    user,
                    revision,
                    needs_review=bool(old_review),
                )
                return redirect(f"/flags/{pk}")
            _, pk, revision, old_text, old_status, old_finished = entry
            review.save_transcription(
                survey,
                pk,
                old_text,
                user,
                revision,
                status=FieldStatus(old_status),
                finished=bool(old_finished),
            )
            return redirect(f"/texts/{pk}")
        except ConflictError:
            request.session["flash"] = "review.conflict_undo"
            return redirect("/flags")

    # -- the free-text queue ---------------------------------------------------------------------
    def text_response(request: Request, pk: int) -> Response:
        try:
            item = review.transcription(access.get(), pk)
        except StoreError as exc:
            raise HTTPException(status_code=404) from exc
        page = access.get().page(item.field.page_id)
        tfield = access.template_field(page.version, item.field.field_id)
        claims.claim(auth.session_id(request), pk)
        return render(request, "text.html", item=item, page=page, template_field=tfield)

    async def next_text(request: Request) -> Response:
        skipped = session_list(request, "skip_text")
        others = claims.held_by_others(auth.session_id(request))
        field = review.next_written(access.get(), [*skipped, *others])
        if field is None:
            return render(request, "done.html", queue_name="texts", skipped=len(skipped))
        return text_response(request, field.id)

    async def show_text(request: Request) -> Response:
        return text_response(request, request.path_params["pk"])

    def clean_text(value: object) -> str:
        if not isinstance(value, str) or len(value) > review.MAX_TEXT:
            raise HTTPException(status_code=400, detail="bad text")
        text = unicodedata.normalize("NFC", value.replace("\r\n", "\n"))
        return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc")

    async def save_draft(request: Request) -> Response:
        pk = request.path_params["pk"]
        form = await csrf.checked_form(request)
        revision = int_param(form.get("revision"))
        text = clean_text(form.get("text", ""))
        field_or_404(pk)
        try:
            item = review.save_transcription(
                access.get(), pk, text, auth.current_user(request), revision
            )
        except ConflictError:
            return JSONResponse(
                {"error": "conflict", "message": i18n.t("review.conflict", lang_of(request))},
                status_code=409,
            )
        return JSONResponse({"revision": item.field.revision})

    async def finish_text(request: Request) -> Response:
        pk = request.path_params["pk"]
        form = await csrf.checked_form(request)
        action = str(form.get("action", "save"))
        if action == "skip":
            request.session["skip_text"] = [*session_list(request, "skip_text"), pk][-SKIP_LIMIT:]
            return redirect("/texts")
        statuses = {
            "save": FieldStatus.WRITTEN,
            "blank": FieldStatus.BLANK,
            "unreadable": FieldStatus.UNREADABLE,
        }
        if action not in statuses:
            raise HTTPException(status_code=400, detail="bad action")
        revision = int_param(form.get("revision"))
        text = clean_text(form.get("text", "")).strip()
        if action == "save" and not text:
            request.session["flash"] = "review.text_missing"
            return redirect(f"/texts/{pk}")
        field_or_404(pk)
        survey = access.get()
        before = review.transcription(survey, pk)
        try:
            item = review.save_transcription(
                survey,
                pk,
                text,
                auth.current_user(request),
                revision,
                status=statuses[action],
                finished=True,
            )
        except ConflictError:
            request.session["flash"] = "review.conflict"
            return redirect(f"/texts/{pk}")
        push_undo(
            request,
            ("text", pk, item.field.revision, before.text, str(before.field.status), False),
        )
        return redirect("/texts")

    # -- pages a clerk must identify, accept or reject -----------------------------------------
    def fix_response(request: Request, page: PageRow, status: int = 200) -> Response:
        forms = [
            {"version": v, "title": tpl.title, "language": tpl.language, "pages": len(tpl.pages)}
            for v, tpl in access.get().templates().items()
        ]
        return render(
            request,
            "fix.html",
            status=status,
            page=page,
            state=review.page_state(page),
            forms=forms,
            reason=queue.reason_text(page.reason, lang_of(request)),
        )

    async def next_fix(request: Request) -> Response:
        skipped = session_list(request, "skip_pages")
        page = review.next_page_to_fix(access.get(), skipped)
        if page is None:
            return render(request, "done.html", queue_name="pages", skipped=len(skipped))
        return fix_response(request, page)

    def page_or_404(page_id: int) -> PageRow:
        try:
            return access.get().page(page_id)
        except StoreError as exc:
            raise HTTPException(status_code=404) from exc

    async def show_fix(request: Request) -> Response:
        return fix_response(request, page_or_404(request.path_params["page_id"]))

    async def fix_page(request: Request) -> Response:
        page_id = request.path_params["page_id"]
        form = await csrf.checked_form(request)
        action = str(form.get("action", ""))
        if action == "skip":
            skipped = [*session_list(request, "skip_pages"), page_id][-SKIP_LIMIT:]
            request.session["skip_pages"] = skipped
            return redirect("/fix")
        page_or_404(page_id)
        state = form.get("state")
        if not isinstance(state, str) or len(state) != 16:
            raise HTTPException(status_code=400, detail="bad state")
        user = auth.current_user(request)
        survey = access.get()
        try:
            if action == "assign":
                templates_ = survey.templates()
                version = form.get("version")
                if not isinstance(version, str) or version not in templates_:
                    raise HTTPException(status_code=400, detail="bad form version")
                number = int_param(form.get("page_number"))
                if not 1 <= number <= len(templates_[version].pages):
                    raise HTTPException(status_code=400, detail="bad page number")
                serial_text = form.get("serial") or ""
                serial = int_param(serial_text) if serial_text else None
                review.assign_page(
                    survey,
                    page_id,
                    version=version,
                    page_number=number,
                    serial=serial,
                    who=user,
                    expected_state=state,
                )
                survey.assign_respondents(who=user)
            elif action == "rotate":
                degrees = int_param(form.get("degrees"))
                if degrees not in (90, 180, 270):
                    raise HTTPException(status_code=400, detail="bad rotation")
                await run_in_threadpool(
                    lambda: review.rotate_page(access.get(), page_id, degrees, user, state)
                )
                return redirect(f"/pages/{page_id}/fix")
            elif action == "accept":
                review.set_page_status(survey, page_id, PageStatus.READ, "", user, state)
            elif action == "reject":
                review.set_page_status(
                    survey, page_id, PageStatus.REJECTED, "review.not_a_form", user, state
                )
            else:
                raise HTTPException(status_code=400, detail="bad action")
        except ConflictError:
            request.session["flash"] = "review.conflict"
            return redirect(f"/pages/{page_id}/fix")
        except StoreError as exc:
            raise HTTPException(status_code=400, detail="not stored") from exc
        request.session["done"] = int(request.session.get("done", 0) or 0) + 1
        return redirect("/fix")

    # -- pages and images ------------------------------------------------------------------------
    async def show_page(request: Request) -> Response:
        survey = access.get()
        try:
            page = survey.page(request.path_params["page_id"])
        except StoreError as exc:
            raise HTTPException(status_code=404) from exc
        field_pk = request.query_params.get("field")
        field = None
        if field_pk is not None:
            field, _ = field_or_404(int_param(field_pk))
            if field.page_id != page.id:
                raise HTTPException(status_code=404)
        back = "/flags"
        if field is not None:
            back = (
                f"/texts/{field.id}"
                if field.status == FieldStatus.WRITTEN
                else f"/flags/{field.id}"
            )
        return render(request, "page.html", page=page, field=field, back=back)

    async def field_image(request: Request) -> Response:
        field, page = field_or_404(request.path_params["pk"])
        try:
            path = images.resolve(access.get().images_dir, page.image_path)
            data = await run_in_threadpool(
                images.field_crop, path, page.dpi, field.crop, warp=page.warp
            )
        except images.ImageMissing as exc:
            raise HTTPException(status_code=404) from exc
        return Response(data, media_type="image/png", headers=IMAGE_CACHE)

    async def page_image(request: Request) -> Response:
        survey = access.get()
        try:
            page = survey.page(request.path_params["page_id"])
        except StoreError as exc:
            raise HTTPException(status_code=404) from exc
        highlight = None
        if "field" in request.query_params:
            field, _ = field_or_404(int_param(request.query_params["field"]))
            if field.page_id != page.id:
                raise HTTPException(status_code=404)
            highlight = field.crop
        try:
            path = images.resolve(survey.images_dir, page.image_path)
            data = await run_in_threadpool(
                images.page_view, path, page.dpi, highlight, warp=page.warp
            )
        except images.ImageMissing as exc:
            raise HTTPException(status_code=404) from exc
        return Response(data, media_type="image/png", headers=IMAGE_CACHE)

    # -- JSON ---------------------------------------------------------------------------------
    async def api_next(request: Request) -> Response:
        survey = access.get()
        kind = request.query_params.get("queue", "flags")
        if kind not in ("flags", "texts"):
            raise HTTPException(status_code=400)
        field = review.next_flagged(survey) if kind == "flags" else review.next_written(survey)
        item: dict[str, Any] | None = None
        if field is not None:
            page = survey.page(field.page_id)
            tfield = access.template_field(page.version, field.field_id)
            item = {
                "id": field.id,
                "field_id": field.field_id,
                "page_id": field.page_id,
                "form_version": page.version,
                "page_number": page.page_number,
                "kind": tfield.kind if tfield else None,
                "value": field.value,
                "status": str(field.status),
                "confidence": field.confidence,
                "reason": field.reason,
                "revision": field.revision,
                "crop_mm": list(field.crop),
                "options": [
                    {"value": o.value, "label": o.label} for o in (tfield.options if tfield else ())
                ],
                "image_url": f"/image/field/{field.id}",
                "page_url": f"/pages/{page.id}?field={field.id}",
                "html_url": f"/{kind}/{field.id}",
            }
        return JSONResponse(
            {
                "queue": kind,
                "remaining": {
                    "flags": review.flagged_count(survey),
                    "texts": review.written_count(survey),
                },
                "next": item,
            }
        )

    async def http_error(request: Request, exc: Exception) -> Response:
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        if request.url.path.startswith("/api/") or request.headers.get("x-requested-with"):
            return JSONResponse({"error": status}, status_code=status)
        return render(request, "error.html", status=status, status_code=status)

    routes = [
        Route("/", home),
        Route("/login", login_page, methods=["GET"]),
        Route("/login", login, methods=["POST"]),
        Route("/logout", logout, methods=["POST"]),
        Route("/lang", set_language, methods=["POST"]),
        Route("/flags", next_flag, methods=["GET"]),
        Route("/flags/skipped", reset_skipped, methods=["POST"]),
        Route("/flags/{pk:int}", show_flag, methods=["GET"]),
        Route("/flags/{pk:int}", decide_flag, methods=["POST"]),
        Route("/undo", undo, methods=["POST"]),
        Route("/texts", next_text, methods=["GET"]),
        Route("/texts/{pk:int}", show_text, methods=["GET"]),
        Route("/texts/{pk:int}", finish_text, methods=["POST"]),
        Route("/texts/{pk:int}/draft", save_draft, methods=["POST"]),
        Route("/pages/{page_id:int}", show_page, methods=["GET"]),
        Route("/fix", next_fix, methods=["GET"]),
        Route("/pages/{page_id:int}/fix", show_fix, methods=["GET"]),
        Route("/pages/{page_id:int}/fix", fix_page, methods=["POST"]),
        Route("/image/field/{pk:int}", field_image, methods=["GET"]),
        Route("/image/page/{page_id:int}", page_image, methods=["GET"]),
        Route("/api/queue/next", api_next, methods=["GET"]),
        *respondents.routes(access, render, redirect, int_param),
        Mount("/static", app=StaticFiles(directory=HERE / "static"), name="static"),
    ]
    middleware = [Middleware(SecurityHeaders)]
    if allowed_hosts:
        middleware.append(Middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts)))
    middleware += [
        Middleware(
            SessionMiddleware,
            secret_key=secret or secrets.token_urlsafe(32),
            session_cookie=SESSION_COOKIE,
            max_age=int(session_minutes * 60),
            same_site="strict",
            https_only=False,
        ),
        Middleware(
            auth.LoginRequired,
            is_active=lambda name: accounts.is_active(access.get(), name),
            idle_seconds=session_minutes * 60,
            clock=clock,
        ),
    ]
    app = Starlette(
        routes=routes,
        middleware=middleware,
        exception_handlers={HTTPException: http_error},
    )
    app.state.survey = access
    return app


def _translator(lang: str) -> Callable[..., str]:
    def translate(key: str, **params: Any) -> str:
        return i18n.t(key, lang, **params)

    return translate


def _dump(value: Value) -> str:
    return json.dumps(value, ensure_ascii=False)
