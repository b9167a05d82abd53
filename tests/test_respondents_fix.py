"""A clerk splits and merges respondents (photocopied master, grouped by order) on a real survey."""

from __future__ import annotations

from pathlib import Path

import pytest

from palaute.errors import StoreError
from palaute.store import ConflictError, Survey
from palaute.store import respondents_fix as fix
from scanner.results import FieldResult, FieldStatus, PageIdentity, PageResult, PageStatus
from tests.storekit import make_template

TEMPLATE = make_template()  # two pages


@pytest.fixture
def survey(tmp_path: Path) -> Survey:
    s = Survey.open(tmp_path / "kysely.sqlite")
    s.add_template(TEMPLATE)
    return s


def _result(index: int, page: int, serial: int | None = None) -> PageResult:
    fields = tuple(
        FieldResult(f.id, "1", 0.9, FieldStatus.OK, "", f.box, False)
        for f in TEMPLATE.page(page).fields
    )
    identity = PageIdentity(TEMPLATE.version, page, serial, 0, "qr", 0.9)
    return PageResult("scan.pdf", index, PageStatus.READ, "", identity, 0.9, fields)


def scan(
    survey: Survey, numbers: list[int], sha: str = "ab", serial: int | None = None
) -> list[int]:
    """Store a file of pages with these page numbers (in this order) and regroup."""
    file_id = survey.begin_file(f"{sha}.pdf", sha * 32, len(numbers))
    ids = [survey.store_page(file_id, _result(i, n, serial)) for i, n in enumerate(numbers)]
    survey.finish_file(file_id)
    survey.assign_respondents()
    return ids


def groups(survey: Survey) -> list[list[int]]:
    """Each respondent's page ids, in ordinal order."""
    return [[p.id for p in survey.pages(respondent_id=r.id)] for r in survey.respondents()]


def test_split_moves_the_later_pages_to_a_new_respondent(survey: Survey) -> None:
    # Two clients, each answered page 1 only; the second sheet was scanned upside down so that
    # the reader saw its back: 1, 2 — in truth page 2 belongs to someone who lost page 1.
    a1, b2 = scan(survey, [1, 2])
    (only,) = survey.respondents()
    token = fix.respondents_token(survey, [only.id])
    kept, new = fix.split_respondent(survey, only.id, b2, "maija", token)
    assert kept == only.id
    assert groups(survey) == [[a1], [b2]]
    first, second = survey.respondents()
    assert (first.id, first.missing_pages, first.manual) == (only.id, (2,), True)
    assert (second.id, second.missing_pages, second.manual, second.ordinal) == (new, (1,), True, 2)
    log = survey.change_log()
    assert ("maija", "page", b2, "respondent_id", str(only.id), str(new)) in [
        (c.who, c.entity, c.entity_id, c.column, c.old, c.new) for c in log
    ]
    assert {(c.entity, c.entity_id, c.column) for c in log} >= {
        ("respondent", new, "split_from"),
        ("respondent", only.id, "manual"),
        ("respondent", only.id, "missing_pages"),
    }


def test_merge_joins_a_shuffled_respondent(survey: Survey) -> None:
    # One client's sheet came out of the scanner back to front: page 2, then page 1.
    p2, p1 = scan(survey, [2, 1])
    first, second = survey.respondents()
    assert (first.missing_pages, second.missing_pages) == ((1,), (2,))
    token = fix.respondents_token(survey, [second.id, first.id])  # order does not matter
    assert fix.merge_respondents(survey, first.id, second.id, "maija", token) == first.id
    (merged,) = survey.respondents()
    assert (merged.id, merged.missing_pages, merged.manual, merged.ordinal) == (
        first.id,
        (),
        True,
        1,
    )
    assert groups(survey) == [[p2, p1]]
    assert set(survey.respondent_fields(merged.id)) == {"q1", "q2", "q3", "q4"}
    columns = {(c.entity, c.entity_id, c.column) for c in survey.change_log()}
    assert ("respondent", second.id, "merged_into") in columns
    assert ("page", p1, "respondent_id") in columns


def test_a_stale_token_changes_nothing(survey: Survey) -> None:
    a1, b2 = scan(survey, [1, 2])
    (only,) = survey.respondents()
    stale = fix.respondents_token(survey, [only.id])
    fix.split_respondent(survey, only.id, b2, "maija", stale)
    before = (groups(survey), len(survey.change_log()))
    first, second = survey.respondents()
    with pytest.raises(ConflictError) as err:
        fix.merge_respondents(survey, first.id, second.id, "liisa", stale)
    assert err.value.key == "store.respondent_conflict"
    with pytest.raises(ConflictError):
        fix.split_respondent(survey, first.id, a1, "liisa", stale)
    assert (groups(survey), len(survey.change_log())) == before


def test_impossible_requests_are_refused(survey: Survey, tmp_path: Path) -> None:
    a1, a2, b1, b2 = scan(survey, [1, 2, 1, 2])
    first, second = survey.respondents()
    t1 = fix.respondents_token(survey, [first.id])
    t12 = fix.respondents_token(survey, [first.id, second.id])

    def refused(call: object, *args: object) -> str:
        with pytest.raises(StoreError) as err:
            call(survey, *args)  # type: ignore[operator]
        return err.value.key

    assert refused(fix.split_respondent, first.id, a1, "m", t1) == "review.split_first_page"
    assert refused(fix.split_respondent, first.id, b2, "m", t1) == "review.page_not_in_respondent"
    assert refused(fix.split_respondent, 999, a2, "m", t1) == "store.no_such_respondent"
    assert refused(fix.merge_respondents, first.id, first.id, "m", t1) == (
        "review.merge_same_respondent"
    )
    assert refused(fix.merge_respondents, first.id, second.id, "m", t12) == "review.merge_same_page"
    other = make_template("Toinen lomake", "toinen")
    survey.add_template(other)
    file_id = survey.begin_file("c.pdf", "cd" * 32, 1)
    identity = PageIdentity(other.version, 1, None, 0, "qr", 0.9)
    survey.store_page(file_id, PageResult("c.pdf", 0, PageStatus.READ, "", identity, 0.9))
    survey.assign_respondents()
    third = survey.respondents(version=other.version)[0]
    t13 = fix.respondents_token(survey, [first.id, third.id])
    assert refused(fix.merge_respondents, first.id, third.id, "m", t13) == "review.merge_other_form"
    assert [p.id for p in survey.pages(respondent_id=first.id)] == [a1, a2]
    assert [p.id for p in survey.pages(respondent_id=second.id)] == [b1, b2]
    assert survey.change_log() == []


def test_numbered_copies_are_not_split_or_merged(survey: Survey) -> None:
    _, p2 = scan(survey, [1, 2], serial=7)
    (copy,) = survey.respondents()
    token = fix.respondents_token(survey, [copy.id])
    with pytest.raises(StoreError) as err:
        fix.split_respondent(survey, copy.id, p2, "m", token)
    assert err.value.key == "review.respondent_has_serial"


def test_a_rescan_keeps_the_clerks_decisions(survey: Survey) -> None:
    a1, b2 = scan(survey, [1, 2])
    (only,) = survey.respondents()
    fix.split_respondent(survey, only.id, b2, "m", fix.respondents_token(survey, [only.id]))
    c2, c1 = scan(survey, [2, 1], sha="cd")  # another file: a shuffled sheet
    assert groups(survey) == [[a1], [b2], [c2], [c1]]
    third, fourth = survey.respondents()[2:]
    fix.merge_respondents(
        survey, third.id, fourth.id, "m", fix.respondents_token(survey, [third.id, fourth.id])
    )
    before = survey.respondents()
    logged = len(survey.change_log())
    # Another scan: a lone page 2 follows.  Without the clerk's merge c2 and c1 would fall apart
    # again, and the lone page 2 would join c1 (page 1, then page 2).
    (d2,) = scan(survey, [2], sha="ef")
    assert groups(survey) == [[a1], [b2], [c2, c1], [d2]]
    assert survey.respondents()[:3] == before
    assert len(survey.change_log()) == logged  # regrouping moved no page
    survey.assign_respondents()
    assert groups(survey) == [[a1], [b2], [c2, c1], [d2]]


def test_a_page_that_no_longer_fits_leaves_the_clerks_respondent(survey: Survey) -> None:
    p2, p1 = scan(survey, [2, 1])
    first, second = survey.respondents()
    fix.merge_respondents(
        survey, first.id, second.id, "m", fix.respondents_token(survey, [first.id, second.id])
    )
    survey.update_page_identity(p1, version=TEMPLATE.version, page_number=2, serial=None, who="m")
    survey.assign_respondents()
    # Two page 2s cannot be one person's: the later one is regrouped automatically.
    assert groups(survey) == [[p2], [p1]]
    assert [r.manual for r in survey.respondents()] == [True, False]
    assert survey.respondents()[0].missing_pages == (1,)


def test_the_list_puts_most_missing_first(survey: Survey) -> None:
    scan(survey, [1, 2, 2, 1, 2])
    listed = [(r.missing_pages, n) for r, n in fix.respondents_by_missing(survey)]
    assert listed == [((1,), 1), ((), 2), ((), 2)]
    view = fix.respondent_view(survey, survey.respondents()[1].id)
    assert view.previous == survey.respondents()[0] and view.next == survey.respondents()[2]
    assert view.page_count == 2 and [p.page_number for p in view.pages] == [2]
