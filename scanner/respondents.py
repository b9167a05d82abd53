"""Group a batch's pages into respondents (one filled copy of a form each).

A pure function over the pages' identities in scan order:

* Copies printed with serials are grouped by (form version, serial), wherever their pages are.
* Copies without a serial (a photocopied master) are grouped by order: a page 1 starts a new
  respondent, so does a page whose number does not increase, or a page of another form version.
  A page with a serial between them ends the respondent too: a photocopied copy's pages lie
  together in the stack, so pages on either side of another copy's page are not known to be one
  person's.  This matters for a serialised copy's page whose QR could not be read (identified
  by its layout, without the serial): it stays apart, flagged for the clerk to give it its
  serial, rather than joining the next such page, which may be anyone's.
* A second page with the same version, serial and page number is a duplicate (the sheet was
  scanned twice); the first one counts.  The same *file* twice is caught earlier by its hash.
* Blank pages (blank backs, empty sheets) and rejected pages belong to nobody.  Unidentified
  pages are left for the clerk; they do not break an order-grouped respondent in two.
* A respondent lacking some of the form's pages has them listed as missing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from scanner.results import PageStatus

_READ_STATUSES = frozenset({PageStatus.READ, PageStatus.FLAGGED})


@dataclass(frozen=True)
class PageRef:
    """One page of the batch, as far as grouping cares.  ``key`` is the caller's id for it."""

    key: int
    status: PageStatus
    version: str | None = None
    page: int | None = None
    serial: int | None = None


@dataclass
class RespondentGroup:
    version: str
    serial: int | None  # None when grouped by order
    pages: dict[int, int] = field(default_factory=dict)  # page number → page key
    missing: tuple[int, ...] = ()

    @property
    def first_key(self) -> int:
        """The key of the earliest page in scan order that belongs to this respondent."""
        return min(self.pages.values())


@dataclass(frozen=True)
class Duplicate:
    key: int  # the page scanned again
    first: int  # the page it repeats
    version: str
    serial: int | None
    page: int


@dataclass
class Grouping:
    respondents: list[RespondentGroup] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    blanks: list[int] = field(default_factory=list)
    unplaced: list[int] = field(default_factory=list)  # unidentified: the clerk places them
    rejected: list[int] = field(default_factory=list)  # not usable at all

    @property
    def missing_pages(self) -> int:
        return sum(len(r.missing) for r in self.respondents)

    def respondent_of(self) -> dict[int, int]:
        """Page key → index into ``respondents``."""
        return {key: i for i, r in enumerate(self.respondents) for key in r.pages.values()}


def group_respondents(pages: Sequence[PageRef], page_counts: Mapping[str, int]) -> Grouping:
    """Group ``pages`` (in scan order) into respondents.

    ``page_counts`` maps a form version to its number of pages, to list missing pages; a version
    not in it gets no missing-page check.
    """
    out = Grouping()
    by_serial: dict[tuple[str, int], RespondentGroup] = {}
    current: RespondentGroup | None = None  # the order-grouped respondent being filled
    last_page = 0
    for ref in pages:
        if ref.status == PageStatus.BLANK:
            out.blanks.append(ref.key)
            continue
        if ref.status == PageStatus.REJECTED:
            out.rejected.append(ref.key)
            continue
        if ref.status not in _READ_STATUSES or ref.version is None or ref.page is None:
            out.unplaced.append(ref.key)
            continue
        if ref.serial is not None:
            group = by_serial.get((ref.version, ref.serial))
            if group is None:
                group = RespondentGroup(ref.version, ref.serial)
                by_serial[(ref.version, ref.serial)] = group
                out.respondents.append(group)
            if ref.page in group.pages:
                out.duplicates.append(
                    Duplicate(ref.key, group.pages[ref.page], ref.version, ref.serial, ref.page)
                )
            else:
                group.pages[ref.page] = ref.key
            current = None
            continue
        starts_new = (
            current is None
            or ref.version != current.version
            or ref.page == 1
            or ref.page <= last_page
        )
        if starts_new or current is None:
            current = RespondentGroup(ref.version, None)
            out.respondents.append(current)
        current.pages[ref.page] = ref.key
        last_page = ref.page
    for group in out.respondents:
        count = page_counts.get(group.version)
        if count is not None:
            group.missing = tuple(n for n in range(1, count + 1) if n not in group.pages)
    return out
