"""Grouping a batch's pages into respondents: by serial, by order, duplicates, blanks, gaps."""

from __future__ import annotations

from scanner.respondents import PageRef, group_respondents
from scanner.results import PageStatus

V, W = "AAAAAAAA", "BBBBBBBB"
READ, BLANK = PageStatus.READ, PageStatus.BLANK


def refs(*pages: tuple[str | None, int | None, int | None] | PageStatus) -> list[PageRef]:
    out = []
    for key, item in enumerate(pages):
        if isinstance(item, PageStatus):
            out.append(PageRef(key, item))
        else:
            version, page, serial = item
            out.append(PageRef(key, READ, version, page, serial))
    return out


def test_by_order_page_one_starts_a_respondent() -> None:
    g = group_respondents(refs((V, 1, None), (V, 2, None), (V, 1, None), (V, 2, None)), {V: 2})
    assert [r.pages for r in g.respondents] == [{1: 0, 2: 1}, {1: 2, 2: 3}]
    assert g.missing_pages == 0


def test_by_order_non_increasing_page_starts_a_respondent() -> None:
    # Respondent 2's page 1 was lost: its page 2 follows respondent 1's page 3.
    g = group_respondents(
        refs((V, 1, None), (V, 2, None), (V, 3, None), (V, 2, None), (V, 3, None)), {V: 3}
    )
    assert [r.pages for r in g.respondents] == [{1: 0, 2: 1, 3: 2}, {2: 3, 3: 4}]
    assert g.respondents[1].missing == (1,)


def test_by_order_a_new_version_starts_a_respondent() -> None:
    g = group_respondents(refs((V, 1, None), (W, 2, None)), {V: 2, W: 2})
    assert [(r.version, r.missing) for r in g.respondents] == [(V, (2,)), (W, (1,))]


def test_blank_backs_belong_to_nobody() -> None:
    g = group_respondents(refs((V, 1, None), BLANK, (V, 2, None), BLANK), {V: 2})
    assert [r.pages for r in g.respondents] == [{1: 0, 2: 2}]
    assert g.blanks == [1, 3]


def test_unidentified_pages_are_left_for_the_clerk_without_splitting() -> None:
    g = group_respondents(refs((V, 1, None), PageStatus.UNIDENTIFIED, (V, 3, None)), {V: 3})
    assert [r.pages for r in g.respondents] == [{1: 0, 3: 2}]
    assert g.respondents[0].missing == (2,)
    assert g.unplaced == [1]


def test_by_serial_pages_are_gathered_wherever_they_are() -> None:
    g = group_respondents(
        refs((V, 1, 7), (V, 1, 8), (V, 2, 8), BLANK, (V, 2, 7), (V, 1, 9)), {V: 2}
    )
    assert [(r.serial, r.pages) for r in g.respondents] == [
        (7, {1: 0, 2: 4}),
        (8, {1: 1, 2: 2}),
        (9, {1: 5}),
    ]
    assert g.respondents[2].missing == (2,)


def test_same_serial_and_page_twice_is_a_duplicate() -> None:
    g = group_respondents(refs((V, 1, 7), (V, 2, 7), (V, 1, 7)), {V: 2})
    assert len(g.respondents) == 1
    (dup,) = g.duplicates
    assert (dup.key, dup.first, dup.serial, dup.page) == (2, 0, 7, 1)


def test_same_serial_in_two_versions_are_two_respondents() -> None:
    g = group_respondents(refs((V, 1, 7), (W, 1, 7)), {})
    assert len(g.respondents) == 2 and not g.duplicates
    assert g.respondents[0].missing == ()  # no page count known: no gap check


def test_rejected_pages_belong_to_nobody() -> None:
    g = group_respondents(refs(PageStatus.REJECTED, (V, 1, None)), {V: 1})
    assert g.rejected == [0] and g.unplaced == [] and len(g.respondents) == 1
