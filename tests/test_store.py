"""The survey store on a real SQLite file: schema, idempotence, change log, optimistic locking."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pikepdf
import pytest

from palaute.errors import InputError, StoreError
from palaute.store import ConflictError, Survey
from palaute.store.migrations import STEPS
from scanner.results import FieldResult, FieldStatus, PageIdentity, PageResult, PageStatus
from tests.scanfiles import vector_pdf
from tests.storekit import make_template, write_template_json


@pytest.fixture
def survey(tmp_path: Path) -> Survey:
    s = Survey.open(tmp_path / "kysely.sqlite")
    s.add_template(make_template())
    return s


def _result(index: int, page: int = 1, serial: int | None = 1) -> PageResult:
    template = make_template()
    fields = tuple(
        FieldResult(f.id, None, 0.5, FieldStatus.AMBIGUOUS, "scanner.unsure", f.box, True)
        for f in template.page(page).fields
    )
    identity = PageIdentity(template.version, page, serial, 180, "qr", 0.9)
    return PageResult("scan.pdf", index, PageStatus.READ, "", identity, 0.2, fields)


def test_open_creates_schema_with_wal_and_foreign_keys(tmp_path: Path) -> None:
    path = tmp_path / "kysely.sqlite"
    with Survey.open(path) as s:
        assert s.schema_version() == len(STEPS)
        assert s.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert s.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        versions = [r[0] for r in s.conn.execute("SELECT version FROM schema_version")]
        assert versions == list(range(1, len(STEPS) + 1))
    with Survey.open(path) as s:  # reopening does not migrate twice
        assert s.schema_version() == len(STEPS)


def test_open_refuses_missing_or_newer_database(tmp_path: Path) -> None:
    with pytest.raises(StoreError) as err:
        Survey.open(tmp_path / "none.sqlite", create=False)
    assert err.value.key == "store.not_found"
    path = tmp_path / "future.sqlite"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {len(STEPS) + 1}")
    conn.close()
    with pytest.raises(StoreError) as err:
        Survey.open(path)
    assert err.value.key == "store.too_new"


def test_templates_round_trip_and_are_stored_once(survey: Survey) -> None:
    template = make_template()
    assert survey.add_template(template) is False
    assert survey.templates() == {template.version: template}


def test_register_template_json_and_pdf_attachment(tmp_path: Path) -> None:
    template = make_template(title="Toinen lomake", form_id="toinen")
    pdf_path = vector_pdf(tmp_path / "lomake.pdf", pages=4)  # two copies of a 2-page form
    with pikepdf.open(pdf_path, allow_overwriting_input=True) as pdf:
        spec = pikepdf.AttachedFileSpec(pdf, template.to_json().encode())
        pdf.attachments["template.json"] = spec
        pdf.save(pdf_path)
    with Survey.open(tmp_path / "s.sqlite") as s:
        assert s.register_pdf(pdf_path) == template
        other = make_template()
        assert s.register_json(write_template_json(tmp_path / "t.json", other)) == other
        assert set(s.templates()) == {template.version, other.version}
        # The printed form's blank pages are kept for the reader; a bare JSON has none.
        blanks = s.blank_pages(template.version, 100)
        assert sorted(blanks) == [1, 2]
        assert blanks[1].shape == pytest.approx((1169, 827), abs=2)  # A4 at 100 dpi
        assert blanks[1].dtype == np.uint8 and int(blanks[1].min()) < 100
        assert s.blank_pages(other.version, 100) == {}
        assert s.register_pdf(pdf_path) == template  # again: nothing changes


def test_register_refuses_a_pdf_shorter_than_its_form(tmp_path: Path) -> None:
    pdf_path = vector_pdf(tmp_path / "lomake.pdf", pages=1)
    with pikepdf.open(pdf_path, allow_overwriting_input=True) as pdf:
        spec = pikepdf.AttachedFileSpec(pdf, make_template().to_json().encode())
        pdf.attachments["template.json"] = spec
        pdf.save(pdf_path)
    with Survey.open(tmp_path / "s.sqlite") as s:
        with pytest.raises(InputError) as err:
            s.register_pdf(pdf_path)
        assert err.value.key == "store.pdf_too_short"
        assert s.templates() == {}


def test_register_refuses_bad_templates(tmp_path: Path) -> None:
    bare = tmp_path / "bare.pdf"
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.save(bare)
    edited = make_template().to_dict()
    edited["title"] = "Muokattu käsin"
    tampered = tmp_path / "tampered.json"
    tampered.write_text(__import__("json").dumps(edited), encoding="utf-8")
    with Survey.open(tmp_path / "s.sqlite") as s:
        with pytest.raises(InputError) as err:
            s.register_pdf(bare)
        assert err.value.key == "template.not_attached"
        with pytest.raises(InputError) as err:
            s.register_json(tampered)
        assert err.value.key == "store.template_version_mismatch"
        assert s.templates() == {}


def test_store_page_writes_fields_and_image_once(survey: Survey) -> None:
    file_id = survey.begin_file("scan.pdf", "ab" * 32, 2)
    image = np.full((300, 200), 255, np.uint8)
    page_id = survey.store_page(file_id, _result(0), image, dpi=300, ingest_method="embedded:jpeg")
    again = survey.store_page(file_id, _result(0), image)
    assert again == page_id
    page = survey.page(page_id)
    assert page.rotation == 180 and page.dpi == 300 and page.ingest_method == "embedded:jpeg"
    assert page.image_path is not None
    assert (survey.images_dir / page.image_path).is_file()
    assert survey.images_dir == survey.path.with_name("kysely.images")
    assert [f.field_id for f in survey.page_fields(page_id)] == ["q1", "q2"]
    assert survey.stored_pages(file_id) == {0}
    assert survey.counts().fields == 2


def test_store_page_refuses_unknown_version(survey: Survey) -> None:
    file_id = survey.begin_file("scan.pdf", "cd" * 32, 1)
    result = _result(0)
    assert result.identity is not None
    bad = PageResult(
        "scan.pdf",
        0,
        PageStatus.READ,
        "",
        PageIdentity("DEADBEEF", 1, None, 0, "qr", 1.0),
    )
    with pytest.raises(StoreError) as err:
        survey.store_page(file_id, bad)
    assert err.value.key == "store.unknown_version"
    assert survey.stored_pages(file_id) == frozenset()
    # A page the reader refused, naming a form this survey lacks, is kept with its reason.
    foreign = PageResult(
        "scan.pdf",
        0,
        PageStatus.REJECTED,
        "scanner.unknown_form",
        PageIdentity("DEADBEEF", 1, None, 0, "qr", 1.0),
    )
    page = survey.page(survey.store_page(file_id, foreign))
    assert (page.status, page.reason, page.version) == ("rejected", "scanner.unknown_form", None)


def test_file_is_done_only_when_finished(survey: Survey) -> None:
    sha = "ef" * 32
    file_id = survey.begin_file("a.pdf", sha, 3)
    assert not survey.file_done(sha)
    assert survey.begin_file("moved/a.pdf", sha, 3) == file_id
    survey.finish_file(file_id)
    assert survey.file_done(sha)
    with pytest.raises(sqlite3.IntegrityError):
        survey.conn.execute(
            "INSERT INTO scan_files (path, sha256, status, added_at) VALUES ('b', ?, 'done', '')",
            (sha,),
        )


def test_update_field_logs_and_locks_optimistically(survey: Survey) -> None:
    file_id = survey.begin_file("scan.pdf", "12" * 32, 1)
    page_id = survey.store_page(file_id, _result(0))
    q2 = next(f for f in survey.page_fields(page_id) if f.field_id == "q2")
    assert q2.needs_review and q2.revision == 0
    assert survey.flagged_fields()[0].needs_review

    changed = survey.update_field(q2.id, ["neuvonta"], FieldStatus.OK, "virkailija", 0)
    assert changed.value == ["neuvonta"] and changed.status == FieldStatus.OK
    assert changed.revision == 1 and changed.reviewed_by == "virkailija"
    assert not changed.needs_review
    log = survey.change_log("field", q2.id)
    assert {(c.column, c.old, c.new) for c in log} == {
        ("value", None, '["neuvonta"]'),
        ("status", "ambiguous", "ok"),
        ("needs_review", "1", "0"),
    }
    assert all(c.who == "virkailija" for c in log)

    # A second clerk still holding revision 0 is refused, and nothing is written.
    with pytest.raises(ConflictError) as err:
        survey.update_field(q2.id, ["muu"], FieldStatus.OK, "toinen", 0)
    assert err.value.key == "store.conflict" and "q2" in err.value.message("en")
    assert survey.field(q2.id).value == ["neuvonta"]
    assert len(survey.change_log("field", q2.id)) == 3


def test_change_log_is_append_only(survey: Survey) -> None:
    file_id = survey.begin_file("scan.pdf", "34" * 32, 1)
    page_id = survey.store_page(file_id, _result(0))
    field = survey.page_fields(page_id)[0]
    survey.update_field(field.id, "3", FieldStatus.OK, "virkailija", field.revision)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        survey.conn.execute("UPDATE change_log SET who = 'joku muu'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        survey.conn.execute("DELETE FROM change_log")
    assert len(survey.change_log()) == 3


def test_assigning_a_page_identity_is_logged(survey: Survey) -> None:
    file_id = survey.begin_file("scan.pdf", "56" * 32, 1)
    lost = PageResult("scan.pdf", 0, PageStatus.UNIDENTIFIED, "scanner.no_page_id")
    page_id = survey.store_page(file_id, lost)
    version = make_template().version
    page = survey.update_page_identity(
        page_id, version=version, page_number=2, serial=None, who="virkailija"
    )
    assert (page.version, page.page_number, page.status) == (version, 2, PageStatus.FLAGGED)
    assert {c.column for c in survey.change_log("page", page_id)} == {
        "version",
        "page_number",
        "status",
        "identity_source",
    }


def test_respondents_are_stable_across_regrouping(survey: Survey) -> None:
    file_id = survey.begin_file("scan.pdf", "78" * 32, 4)
    for index, (page, serial) in enumerate([(1, 5), (2, 5), (1, 6), (1, 5)]):
        survey.store_page(file_id, _result(index, page, serial))
    report = survey.assign_respondents()
    assert (report.respondents, report.duplicates, report.missing_pages) == (2, 1, 1)
    first = survey.respondents()
    assert [(r.serial, r.ordinal, r.missing_pages) for r in first] == [(5, 1, ()), (6, 2, (2,))]
    survey.assign_respondents()
    assert survey.respondents() == first
    pages = survey.pages()
    assert pages[3].duplicate_of == pages[0].id and pages[3].respondent_id is None
    assert set(survey.respondent_fields(first[0].id)) == {"q1", "q2", "q3", "q4"}
    assert survey.change_log("page") == []  # first grouping is not a change


def test_register_a_form_printed_by_palaute(tmp_path: Path) -> None:
    api = pytest.importorskip("forms.api")
    layout = Path(__file__).parents[1] / "layouts" / "asiakaspalautekysely.yaml"
    if not layout.exists():
        pytest.skip("the seed questionnaire layout is not in this tree")
    printed = api.print_form(layout, tmp_path / "kysely.pdf", copies=2, serials=True)
    with Survey.open(tmp_path / "kysely.sqlite") as s:
        assert s.register_pdf(printed.pdf) == printed.template
        assert s.register_json(printed.template_json) == printed.template
        assert list(s.templates()) == [printed.template.version]
