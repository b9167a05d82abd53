"""The review desk's queries and writes: the flag queue, the free-text queue, transcriptions.

Built on :class:`palaute.store.Survey`; every change is written with its change-log rows in the
same transaction and checked against the field's ``revision`` (optimistic locking).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from palaute.errors import StoreError
from palaute.store.records import FieldRow
from palaute.store.survey import ConflictError, Survey, now
from scanner.results import FieldStatus

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
