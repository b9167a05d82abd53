"""The desk's respondent pages: the list (most missing pages first), one respondent's pages, and
the two fixes of grouping: split a respondent, merge two neighbours.

Built by :func:`routes` from the app's helpers; the store side is
:mod:`palaute.store.respondents_fix`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any, Protocol

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from palaute import i18n
from palaute.errors import StoreError
from palaute.review import auth, csrf
from palaute.store import respondents_fix as fix
from palaute.store.survey import ConflictError, Survey

log = logging.getLogger(__name__)

_TOKEN = re.compile(r"[0-9a-f]{16}")


class Access(Protocol):
    def get(self) -> Survey: ...


def routes(
    access: Access,
    render: Callable[..., Response],
    redirect: Callable[[str], Response],
    int_param: Callable[[object], int],
) -> list[Route]:
    """The routes ``/respondents``, ``/respondents/{id}`` and its ``split`` and ``merge`` posts."""

    def titles() -> dict[str, str]:
        return {v: t.title for v, t in access.get().templates().items()}

    def view_or_404(rid: int) -> fix.RespondentView:
        try:
            return fix.respondent_view(access.get(), rid)
        except StoreError as exc:
            raise HTTPException(status_code=404) from exc

    def token_param(value: object) -> str:
        if not isinstance(value, str) or not _TOKEN.fullmatch(value):
            raise HTTPException(status_code=400, detail="bad token")
        return value

    def refused(request: Request, rid: int, exc: StoreError) -> Response:
        if isinstance(exc, ConflictError):
            request.session["flash"] = "review.respondent_conflict"
        elif i18n.has(exc.key) and exc.key.startswith("review."):
            request.session["flash"] = exc.key
        else:
            raise HTTPException(status_code=400, detail="not stored") from exc
        log.info("respondent fix refused: %s %s", exc.key, exc.params)
        return redirect(f"/respondents/{rid}")

    async def list_respondents(request: Request) -> Response:
        return render(
            request,
            "respondents.html",
            rows=fix.respondents_by_missing(access.get()),
            titles=titles(),
        )

    async def show(request: Request) -> Response:
        view = view_or_404(request.path_params["rid"])
        survey = access.get()
        r = view.respondent
        merges: list[dict[str, Any]] = []
        if r.serial is None:
            for kind, other in (("previous", view.previous), ("next", view.next)):
                if other is not None and other.serial is None:
                    merges.append(
                        {
                            "kind": kind,
                            "other": other,
                            "token": fix.respondents_token(survey, [r.id, other.id]),
                        }
                    )
        return render(
            request,
            "respondent.html",
            view=view,
            title=titles().get(r.version, r.version),
            token=fix.respondents_token(survey, [r.id]),
            merges=merges,
        )

    async def split(request: Request) -> Response:
        rid = request.path_params["rid"]
        form = await csrf.checked_form(request)
        page_id = int_param(form.get("page"))
        token = token_param(form.get("token"))
        view_or_404(rid)
        try:
            fix.split_respondent(access.get(), rid, page_id, auth.current_user(request), token)
        except StoreError as exc:
            return refused(request, rid, exc)
        request.session["flash"] = "review.split_done"
        return redirect(f"/respondents/{rid}")

    async def merge(request: Request) -> Response:
        rid = request.path_params["rid"]
        form = await csrf.checked_form(request)
        other_id = int_param(form.get("with"))
        token = token_param(form.get("token"))
        this, other = view_or_404(rid).respondent, view_or_404(other_id).respondent
        keep, gone = (this, other) if this.ordinal <= other.ordinal else (other, this)
        try:
            fix.merge_respondents(access.get(), keep.id, gone.id, auth.current_user(request), token)
        except StoreError as exc:
            return refused(request, rid, exc)
        request.session["flash"] = "review.merge_done"
        return redirect(f"/respondents/{keep.id}")

    return [
        Route("/respondents", list_respondents, methods=["GET"]),
        Route("/respondents/{rid:int}", show, methods=["GET"]),
        Route("/respondents/{rid:int}/split", split, methods=["POST"]),
        Route("/respondents/{rid:int}/merge", merge, methods=["POST"]),
    ]
