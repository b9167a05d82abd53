"""The review desk's queries and writes: the flag queue, the free-text queue, transcriptions.

Built on :class:`palaute.store.Survey`; every change is written with its change-log rows in the
same transaction and checked against the field's ``revision`` (optimistic locking).
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from palaute.errors import StoreError
from palaute.store import images
from palaute.store.records import FieldRow, PageRow
from palaute.store.survey import ConflictError, Survey, now
from scanner.page_images import PAGE_SUFFIX, write_image
from scanner.results import FieldStatus, PageStatus

MAX_TEXT = 10_000  # characters a transcription may hold
# Statuses a clerk may leave a free-text field in.
TEXT_STATUSES = frozenset({FieldStatus.WRITTEN, FieldStatus.BLANK, FieldStatus.UNREADABLE})

_FLAG_ORDER = " ORDER BY f.confidence, p.file_id, p.page_index, f.id"
_TEXT_ORDER = " ORDER BY p.file_id, p.page_index, f.id"


@dataclass(frozen=True)
class Transcription:
    field: FieldRow
    text: str | None
    finished: bool


def _exclude(exclude: Collection[int]) -> tuple[str, list[Any]]:
    ids = [int(i) for i in exclude]
    if not ids:
        return "", []
    return f" AND f.id NOT IN ({', '.join('?' * len(ids))})", ids


def next_flagged(survey: Survey, exclude: Collection[int] = ()) -> FieldRow | None:
    """The least confident field waiting for a person, leaving out ``exclude`` (skipped ones)."""
    extra, args = _exclude(exclude)
    row = survey.conn.execute(
        "SELECT f.* FROM fields f JOIN pages p ON p.id = f.page_id WHERE f.needs_review = 1"
        + extra
        + _FLAG_ORDER
        + " LIMIT 1",
        args,
    ).fetchone()
    return FieldRow.from_row(row) if row is not None else None


def flagged_count(survey: Survey) -> int:
    return int(
        survey.conn.execute("SELECT count(*) FROM fields WHERE needs_review = 1").fetchone()[0]
    )


def next_written(survey: Survey, exclude: Collection[int] = ()) -> FieldRow | None:
    """The next free-text field with writing on it and no finished transcription, in scan order."""
    extra, args = _exclude(exclude)
    row = survey.conn.execute(
        "SELECT f.* FROM fields f JOIN pages p ON p.id = f.page_id"
        " WHERE f.status = 'written' AND f.transcribed = 0" + extra + _TEXT_ORDER + " LIMIT 1",
        args,
    ).fetchone()
    return FieldRow.from_row(row) if row is not None else None


def written_count(survey: Survey) -> int:
    return int(
        survey.conn.execute(
            "SELECT count(*) FROM fields WHERE status = 'written' AND transcribed = 0"
        ).fetchone()[0]
    )


def transcription(survey: Survey, field_pk: int) -> Transcription:
    row = survey.conn.execute("SELECT * FROM fields WHERE id = ?", (field_pk,)).fetchone()
    if row is None:
        raise StoreError("store.no_such_field", field=field_pk)
    return Transcription(FieldRow.from_row(row), row["text"], bool(row["transcribed"]))


def finished_transcriptions(survey: Survey) -> dict[int, str]:
    """Field row id → the clerk's finished transcription, for every written field that has one."""
    rows = survey.conn.execute(
        "SELECT id, text FROM fields WHERE transcribed = 1 AND status = 'written'"
    )
    return {int(row["id"]): str(row["text"]) for row in rows if row["text"] is not None}


def save_transcription(
    survey: Survey,
    field_pk: int,
    text: str | None,
    who: str,
    expected_revision: int,
    *,
    status: FieldStatus = FieldStatus.WRITTEN,
    finished: bool = False,
) -> Transcription:
    """Store a clerk's transcription (a draft while typing, or ``finished``); every change logged.

    ``status`` BLANK or UNREADABLE records that there is nothing to transcribe (the text is then
    cleared).  Raises :class:`ConflictError` when the field changed since ``expected_revision``.
    """
    if status not in TEXT_STATUSES:
        raise ValueError(f"a transcription cannot set status {status}")
    if text is not None and len(text) > MAX_TEXT:
        raise ValueError("transcription too long")
    if status is not FieldStatus.WRITTEN:
        text = None
    new: dict[str, Any] = {
        "text": text,
        "status": str(status),
        "transcribed": int(finished),
        "needs_review": 0 if finished else None,
    }
    with survey.transaction() as c:
        row = c.execute("SELECT * FROM fields WHERE id = ?", (field_pk,)).fetchone()
        if row is None:
            raise StoreError("store.no_such_field", field=field_pk)
        if row["revision"] != expected_revision:
            raise ConflictError("store.conflict", field=row["field_id"], revision=row["revision"])
        if new["needs_review"] is None:
            new["needs_review"] = row["needs_review"]
        _update_logged(c, row, new, who)
    return transcription(survey, field_pk)


def _update_logged(c: sqlite3.Connection, row: sqlite3.Row, new: dict[str, Any], who: str) -> None:
    """Write the changed columns of a field row, one change-log row each, and bump its revision."""
    stamp = now()
    changed = {k: v for k, v in new.items() if row[k] != v}
    for column, value in changed.items():
        Survey._log(c, stamp, who, "field", row["id"], column, row[column], value)
    assignments = "".join(f"{column} = ?, " for column in changed)
    c.execute(
        f"UPDATE fields SET {assignments}revision = revision + 1, reviewed_by = ?, reviewed_at = ?"
        " WHERE id = ? AND revision = ?",
        (*changed.values(), who, stamp, row["id"], row["revision"]),
    )


# -- pages a clerk must look at ---------------------------------------------------------------
_PAGE_QUEUE = (
    "SELECT * FROM pages WHERE (status = 'unidentified'"
    " OR (status = 'flagged' AND COALESCE(identity_source, '') <> 'clerk'))"
)


def page_state(page: PageRow) -> str:
    """A short token of what a clerk can change on a page (optimistic check for page fixes)."""
    parts = (
        page.status,
        page.version,
        page.page_number,
        page.serial,
        page.identity_source,
        page.rotation,
        page.image_path,
    )
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:16]


def next_page_to_fix(survey: Survey, exclude: Collection[int] = ()) -> PageRow | None:
    """The next unidentified page, or flagged page not yet looked at, in scan order."""
    ids = [int(i) for i in exclude]
    extra = f" AND id NOT IN ({', '.join('?' * len(ids))})" if ids else ""
    row = survey.conn.execute(
        _PAGE_QUEUE + extra + " ORDER BY file_id, page_index LIMIT 1", ids
    ).fetchone()
    return PageRow.from_row(row) if row is not None else None


def pages_to_fix_count(survey: Survey) -> int:
    return int(survey.conn.execute(f"SELECT count(*) FROM ({_PAGE_QUEUE})").fetchone()[0])


def set_page_status(
    survey: Survey,
    page_id: int,
    status: PageStatus,
    reason: str,
    who: str,
    expected_state: str,
) -> PageRow:
    """Accept a flagged page as read, or reject one (not a form); logged, optimistically checked."""
    with survey.transaction() as c:
        row = c.execute("SELECT * FROM pages WHERE id = ?", (page_id,)).fetchone()
        if row is None:
            raise StoreError("store.no_such_page", page=page_id)
        if page_state(PageRow.from_row(row)) != expected_state:
            raise ConflictError("store.conflict", field=f"page {page_id}", revision=0)
        survey._set_logged(
            c, "page", "pages", page_id, row, {"status": str(status), "reason": reason}, who
        )
    return survey.page(page_id)


def assign_page(
    survey: Survey,
    page_id: int,
    *,
    version: str,
    page_number: int,
    serial: int | None,
    who: str,
    expected_state: str,
) -> PageRow:
    """Say which form page this is (logged; checked against ``expected_state``)."""
    page = survey.page(page_id)
    if page_state(page) != expected_state:
        raise ConflictError("store.conflict", field=f"page {page_id}", revision=0)
    return survey.update_page_identity(
        page_id, version=version, page_number=page_number, serial=serial, who=who
    )


def rotate_page(
    survey: Survey, page_id: int, degrees: int, who: str, expected_state: str
) -> PageRow:
    """Turn an unidentified page's image clockwise by 90, 180 or 270 degrees (logged).

    The turned image is written beside the original (which is kept); the page's ``image_path``
    and ``rotation`` change.  Only pages without fields: a read page's crops would no longer fit.
    """
    if degrees not in (90, 180, 270):
        raise ValueError(f"cannot rotate by {degrees}")
    page = survey.page(page_id)
    if page_state(page) != expected_state:
        raise ConflictError("store.conflict", field=f"page {page_id}", revision=0)
    if survey.page_fields(page_id):
        raise StoreError("review.rotate_read_page", page=page_id)
    root = survey.images_dir.resolve()
    source = (root / (page.image_path or "")).resolve()
    if not page.image_path or not source.is_relative_to(root) or not source.is_file():
        raise StoreError("store.no_such_page", page=page_id)
    total = ((page.rotation or 0) + degrees) % 360
    original = Path(page.image_path or "")
    stem = original.stem.split(".r")[0]
    target_rel = original.with_name(f"{stem}.r{total}{PAGE_SUFFIX}").as_posix()
    try:
        shown = images.load(source, page.warp)
    except images.ImageMissing as exc:
        raise StoreError("store.no_such_page", page=page_id) from exc
    turned = shown.rotate(-degrees, expand=True)  # PIL turns counter-clockwise
    write_image(survey.images_dir / target_rel, np.asarray(turned.convert("L")))
    with survey.transaction() as c:
        row = c.execute("SELECT * FROM pages WHERE id = ?", (page_id,)).fetchone()
        if page_state(PageRow.from_row(row)) != expected_state:
            raise ConflictError("store.conflict", field=f"page {page_id}", revision=0)
        survey._set_logged(
            c,
            "page",
            "pages",
            page_id,
            row,
            {"image_path": target_rel, "rotation": total, "warp": None},
            who,
        )
    return survey.page(page_id)
