"""Regrouping pages into respondents while keeping what a clerk decided (split and merge).

``scanner.respondents.group_respondents`` groups pages automatically.  A respondent a clerk split
or merged is *manual* (``respondents.manual = 1``): its pages are *pinned* to it and left out of
the automatic grouping, and a pinned page also ends an automatic order-grouped respondent (pages
on either side of a clerk's respondent are never joined across it).  A pinned page is released
back to the automatic grouping when it no longer fits its respondent: it is no longer a read page,
names another form version or a serial, or repeats a page number the respondent already has.
"""

from __future__ import annotations

import sqlite3
from bisect import bisect_left
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

from scanner.respondents import PageRef, RespondentGroup
from scanner.results import PageStatus

_READ_STATUSES = frozenset({PageStatus.READ, PageStatus.FLAGGED})


@dataclass(frozen=True)
class Slot:
    """One page of the survey in scan order, with the respondent it belongs to now."""

    ref: PageRef
    respondent: int | None
    manual: bool  # the respondent is manual
    respondent_version: str | None

    @property
    def key(self) -> int:
        return self.ref.key


def load_slots(c: sqlite3.Connection) -> list[Slot]:
    """Every page, in scan order."""
    rows = c.execute(
        "SELECT p.id, p.status, p.version, p.page_number, p.serial, p.respondent_id,"
        " COALESCE(r.manual, 0) AS manual, r.version AS respondent_version"
        " FROM pages p LEFT JOIN respondents r ON r.id = p.respondent_id"
        " ORDER BY p.file_id, p.page_index"
    )
    return [
        Slot(
            PageRef(
                key=r["id"],
                status=PageStatus(r["status"]),
                version=r["version"],
                page=r["page_number"],
                serial=r["serial"],
            ),
            r["respondent_id"],
            bool(r["manual"]),
            r["respondent_version"],
        )
        for r in rows
    ]


def pinned_pages(slots: Iterable[Slot]) -> dict[int, int]:
    """Page key → manual respondent id, for the pages that still fit their manual respondent."""
    out: dict[int, int] = {}
    seen: set[tuple[int, int]] = set()
    for s in slots:
        ref = s.ref
        if not s.manual or s.respondent is None or ref.page is None:
            continue
        if ref.status not in _READ_STATUSES or ref.serial is not None:
            continue
        if ref.version != s.respondent_version or (s.respondent, ref.page) in seen:
            continue
        seen.add((s.respondent, ref.page))
        out[ref.key] = s.respondent
    return out


def missing(pages: Collection[int], count: int | None) -> tuple[int, ...]:
    """The page numbers 1..count not in ``pages`` (none when the page count is unknown)."""
    if count is None:
        return ()
    return tuple(n for n in range(1, count + 1) if n not in pages)


def split_at_pins(
    groups: Sequence[RespondentGroup],
    position: Mapping[int, int],
    pins: Sequence[int],
    page_counts: Mapping[str, int],
) -> list[RespondentGroup]:
    """Cut every order-grouped respondent where a pinned page (scan ``position``, sorted ``pins``)
    lies between two of its pages; serial-grouped ones are left as they are."""
    out: list[RespondentGroup] = []
    for group in groups:
        if group.serial is not None:
            out.append(group)
            continue
        pieces: list[RespondentGroup] = []
        last: int | None = None
        for number, key in sorted(group.pages.items(), key=lambda item: position[item[1]]):
            here = bisect_left(pins, position[key])
            if last is None or here != last:
                pieces.append(RespondentGroup(group.version, None))
            pieces[-1].pages[number] = key
            last = here
        if len(pieces) == 1:
            out.append(group)
            continue
        for piece in pieces:
            piece.missing = missing(piece.pages, page_counts.get(piece.version))
        out.extend(pieces)
    return out


def manual_groups(
    slots: Sequence[Slot], pinned: Mapping[int, int], page_counts: Mapping[str, int]
) -> dict[int, RespondentGroup]:
    """Manual respondent id → its pinned pages (as a group), in order of their first page."""
    out: dict[int, RespondentGroup] = {}
    for s in slots:
        rid = pinned.get(s.key)
        if rid is None or s.ref.version is None or s.ref.page is None:
            continue
        group = out.setdefault(rid, RespondentGroup(s.ref.version, None))
        group.pages[s.ref.page] = s.key
    for group in out.values():
        group.missing = missing(group.pages, page_counts.get(group.version))
    return out
