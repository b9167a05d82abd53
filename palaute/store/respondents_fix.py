"""A clerk's fixes to how pages were grouped into respondents: split one, merge two.

Only respondents grouped by order (copies of a photocopied master, no serial) can be split or
merged: a serial is printed on every page, so a serial-grouped respondent is fixed by correcting a
page's copy number on ``/fix``.  Both fixes are written in one transaction with their change-log
rows, checked against a token of the respondents' page lists (optimistic locking), and mark the
respondents ``manual``: a later :meth:`Survey.assign_respondents` keeps their pages together
(:mod:`palaute.store.regroup`).

A merge that would give one person the same page twice is refused (``review.merge_same_page``):
one of the two sheets belongs to someone else, and the clerk decides which by splitting or by
correcting the page's identity first.  Nothing is marked a duplicate behind the clerk's back.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

from palaute.errors import StoreError
from palaute.store.records import PageRow, RespondentRow
from palaute.store.regroup import missing
from palaute.store.survey import ConflictError, Survey, now

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RespondentView:
    """A respondent with its pages in scan order and its neighbours within the form version."""

    respondent: RespondentRow
    pages: list[PageRow]
    page_count: int | None
    previous: RespondentRow | None
    next: RespondentRow | None


def respondent(survey: Survey, respondent_id: int) -> RespondentRow:
    row = survey.conn.execute("SELECT * FROM respondents WHERE id = ?", (respondent_id,)).fetchone()
    if row is None:
        raise StoreError("store.no_such_respondent", respondent=respondent_id)
    return RespondentRow.from_row(row)


def respondent_view(survey: Survey, respondent_id: int) -> RespondentView:
    r = respondent(survey, respondent_id)
    c = survey.conn
    count = c.execute("SELECT page_count FROM templates WHERE version = ?", (r.version,)).fetchone()
    neighbour = (
        "SELECT * FROM respondents WHERE version = ? AND ordinal {op} ? ORDER BY ordinal {order}"
        " LIMIT 1"
    )
    before = c.execute(neighbour.format(op="<", order="DESC"), (r.version, r.ordinal)).fetchone()
    after = c.execute(neighbour.format(op=">", order="ASC"), (r.version, r.ordinal)).fetchone()
    return RespondentView(
        r,
        survey.pages(respondent_id=respondent_id),
        int(count["page_count"]) if count else None,
        RespondentRow.from_row(before) if before else None,
        RespondentRow.from_row(after) if after else None,
    )


def respondents_by_missing(survey: Survey) -> list[tuple[RespondentRow, int]]:
    """Every respondent with its number of pages, most missing pages first, then scan order."""
    rows = survey.conn.execute(
        "SELECT r.*, (SELECT count(*) FROM pages p WHERE p.respondent_id = r.id) AS page_total"
        " FROM respondents r"
        " ORDER BY json_array_length(r.missing_pages) DESC, r.version, r.ordinal"
    )
    return [(RespondentRow.from_row(r), int(r["page_total"])) for r in rows]


def respondents_token(survey: Survey | sqlite3.Connection, ids: Iterable[int]) -> str:
    """A short token of the respondents' current page lists (optimistic check for the fixes)."""
    c = survey.conn if isinstance(survey, Survey) else survey
    parts = []
    for rid in sorted(set(ids)):
        pages = c.execute(
            "SELECT id, page_number FROM pages WHERE respondent_id = ?"
            " ORDER BY file_id, page_index",
            (rid,),
        ).fetchall()
        parts.append((rid, [(p["id"], p["page_number"]) for p in pages]))
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:16]


def split_respondent(
    survey: Survey, respondent_id: int, first_page_id: int, who: str, expected_token: str
) -> tuple[int, int]:
    """Pages of ``respondent_id`` from ``first_page_id`` on (scan order) are another person.

    Returns (the respondent kept, the new respondent).  Raises :class:`ConflictError` when the
    respondent's pages changed since ``expected_token``; ``StoreError`` for a split at the first
    page, a page of someone else, or a serial-grouped respondent.
    """
    with survey.transaction() as c:
        row = _order_grouped(c, respondent_id)
        _check_token(c, [respondent_id], expected_token)
        pages = _pages(c, respondent_id)
        ids = [p["id"] for p in pages]
        if first_page_id not in ids:
            raise StoreError(
                "review.page_not_in_respondent", page=first_page_id, respondent=respondent_id
            )
        cut = ids.index(first_page_id)
        if cut == 0 or first_page_id == row["anchor_page"]:
            raise StoreError("review.split_first_page", page=first_page_id)
        count = _page_count(c, row["version"])
        kept, moved = pages[:cut], pages[cut:]
        stamp = now()
        new_id = int(
            c.execute(
                "INSERT INTO respondents (version, serial, anchor_page, ordinal, missing_pages,"
                " manual) VALUES (?, NULL, ?, ?, ?, 1)",
                (
                    row["version"],
                    first_page_id,
                    row["ordinal"],
                    _missing_json(moved, count),
                ),
            ).lastrowid
            or 0
        )
        Survey._log(c, stamp, who, "respondent", new_id, "split_from", None, respondent_id)
        for page in moved:
            c.execute("UPDATE pages SET respondent_id = ? WHERE id = ?", (new_id, page["id"]))
            Survey._log(c, stamp, who, "page", page["id"], "respondent_id", respondent_id, new_id)
        _set(c, stamp, who, row, {"manual": 1, "missing_pages": _missing_json(kept, count)})
        _renumber(c, row["version"])
    log.info(
        "respondent %d split at page %d into %d by %s", respondent_id, first_page_id, new_id, who
    )
    return respondent_id, new_id


def merge_respondents(
    survey: Survey, keep_id: int, other_id: int, who: str, expected_token: str
) -> int:
    """The pages of ``other_id`` belong to ``keep_id`` too: move them, remove ``other_id``.

    Returns ``keep_id``.  ``expected_token`` is :func:`respondents_token` of both.  Refused
    (``StoreError``): the same respondent twice, different form versions, a serial-grouped
    respondent, or a page number both have (``review.merge_same_page``).
    """
    if keep_id == other_id:
        raise StoreError("review.merge_same_respondent", respondent=keep_id)
    with survey.transaction() as c:
        keep = _order_grouped(c, keep_id)
        other = _order_grouped(c, other_id)
        _check_token(c, [keep_id, other_id], expected_token)
        if keep["version"] != other["version"]:
            raise StoreError("review.merge_other_form", respondent=keep_id, other=other_id)
        keep_pages, other_pages = _pages(c, keep_id), _pages(c, other_id)
        both = {p["page_number"] for p in keep_pages} & {p["page_number"] for p in other_pages}
        if both:
            raise StoreError(
                "review.merge_same_page", pages=", ".join(str(n) for n in sorted(both))
            )
        stamp = now()
        for page in other_pages:
            c.execute("UPDATE pages SET respondent_id = ? WHERE id = ?", (keep_id, page["id"]))
            Survey._log(c, stamp, who, "page", page["id"], "respondent_id", other_id, keep_id)
        c.execute("DELETE FROM respondents WHERE id = ?", (other_id,))
        Survey._log(c, stamp, who, "respondent", other_id, "merged_into", None, keep_id)
        pages = _pages(c, keep_id)
        new = {
            "manual": 1,
            "anchor_page": pages[0]["id"],
            "missing_pages": _missing_json(pages, _page_count(c, keep["version"])),
        }
        _set(c, stamp, who, keep, new)
        _renumber(c, keep["version"])
    log.info("respondent %d merged into %d by %s", other_id, keep_id, who)
    return keep_id


# -- internals ----------------------------------------------------------------------------------
def _order_grouped(c: sqlite3.Connection, respondent_id: int) -> sqlite3.Row:
    row = c.execute("SELECT * FROM respondents WHERE id = ?", (respondent_id,)).fetchone()
    if row is None:
        raise StoreError("store.no_such_respondent", respondent=respondent_id)
    if row["serial"] is not None:
        raise StoreError("review.respondent_has_serial", respondent=respondent_id)
    return row


def _check_token(c: sqlite3.Connection, ids: list[int], expected: str) -> None:
    if respondents_token(c, ids) != expected:
        raise ConflictError("store.respondent_conflict", respondent=min(ids))


def _pages(c: sqlite3.Connection, respondent_id: int) -> list[sqlite3.Row]:
    return c.execute(
        "SELECT id, page_number FROM pages WHERE respondent_id = ? ORDER BY file_id, page_index",
        (respondent_id,),
    ).fetchall()


def _page_count(c: sqlite3.Connection, version: str) -> int | None:
    row = c.execute("SELECT page_count FROM templates WHERE version = ?", (version,)).fetchone()
    return int(row["page_count"]) if row else None


def _missing_json(pages: list[sqlite3.Row], count: int | None) -> str:
    return json.dumps(list(missing({p["page_number"] for p in pages}, count)))


def _set(
    c: sqlite3.Connection, stamp: str, who: str, row: sqlite3.Row, new: dict[str, object]
) -> None:
    changed = {k: v for k, v in new.items() if row[k] != v}
    for column, value in changed.items():
        Survey._log(c, stamp, who, "respondent", row["id"], column, row[column], value)
    if changed:
        assignments = ", ".join(f"{column} = ?" for column in changed)
        c.execute(
            f"UPDATE respondents SET {assignments} WHERE id = ?", (*changed.values(), row["id"])
        )


def _renumber(c: sqlite3.Connection, version: str) -> None:
    """Ordinals 1, 2, ... of the version's respondents in the scan order of their first page."""
    rows = c.execute(
        "SELECT r.id FROM respondents r JOIN pages p ON p.respondent_id = r.id"
        " WHERE r.version = ? GROUP BY r.id ORDER BY min(p.file_id * 1000000 + p.page_index)",
        (version,),
    ).fetchall()
    c.executemany(
        "UPDATE respondents SET ordinal = ? WHERE id = ?",
        [(n, r["id"]) for n, r in enumerate(rows, start=1)],
    )
