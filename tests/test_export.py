"""Exports read back: CSV (UTF-8 with BOM), XLSX and JSON hold what the store holds."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl
import pytest

from palaute.cli import main
from palaute.results.export import collect, export
from palaute.store import Survey
from scanner.batch import run_batch
from scanner.ingest import scan_files
from scanner.results import FieldStatus
from tests.storekit import fake_read, make_batch, make_template

FIELDS = ["q1", "q2", "q3", "q4"]  # the template's question order


@pytest.fixture
def survey(tmp_path: Path) -> Survey:
    s = Survey.open(tmp_path / "kysely.sqlite")
    s.add_template(make_template())
    make_batch(tmp_path / "scans")
    run_batch(scan_files([tmp_path / "scans"]), s, s.templates(), reader=fake_read)
    s.assign_respondents()
    # A clerk settles one flagged field: the export shows the decision.
    flagged = s.flagged_fields()[0]
    s.update_field(flagged.id, ["muu"], FieldStatus.OK, "virkailija", flagged.revision)
    return s


def _expected(survey: Survey) -> list[dict[str, tuple[object, str]]]:
    out = []
    for resp in survey.respondents():
        fields = survey.respondent_fields(resp.id)
        out.append({fid: (f.value, str(f.status)) for fid, f in fields.items()})
    return out


def test_collect_follows_template_order_and_current_values(survey: Survey) -> None:
    data = collect(survey)
    assert [c.field_id for c in data.columns] == FIELDS
    assert [r.serial for r in data.records] == [1, 2, 3, 4]
    assert data.records[3].missing_pages == (1,)
    assert ["muu"] in [r.values.get("q2") for r in data.records]


def test_csv_round_trip(tmp_path: Path, survey: Survey) -> None:
    path = tmp_path / "vastaukset.csv"
    assert export(survey, "csv", path, lang="fi").respondents == 4
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh, delimiter=";"))
    head = rows[0]
    assert head[:5] == ["vastaaja", "lomake", "versio", "sarjanumero", "puuttuvat sivut"]
    assert head[5:] == [x for f in FIELDS for x in (f, f"{f} tila")]
    expected = _expected(survey)
    for row, want in zip(rows[1:], expected, strict=True):
        for i, fid in enumerate(FIELDS):
            value, status = row[5 + 2 * i], row[6 + 2 * i]
            if fid not in want:
                assert (value, status) == ("", "")
                continue
            stored, stored_status = want[fid]
            if isinstance(stored, list):
                assert value.split(";") == stored
            elif isinstance(stored, float):
                assert float(value) == stored
            else:
                assert value == ("" if stored is None else stored)
            assert status == stored_status
    assert rows[4][4] == "1"  # serial 4 has no page 1


def test_xlsx_round_trip(tmp_path: Path, survey: Survey) -> None:
    path = tmp_path / "vastaukset.xlsx"
    export(survey, "xlsx", path, lang="en")
    wb = openpyxl.load_workbook(path, read_only=True)
    answers, labelled, codebook = wb.worksheets
    rows = list(answers.iter_rows(values_only=True))
    assert rows[0][:2] == ("respondent", "form")
    assert rows[0][5:7] == ("q1", "q1 status")
    expected = _expected(survey)
    for row, want in zip(rows[1:], expected, strict=True):
        for i, fid in enumerate(FIELDS):
            if fid in want:
                stored, status = want[fid]
                cell = row[5 + 2 * i]
                if isinstance(stored, list):
                    assert cell == ";".join(stored)
                elif stored is None:
                    assert cell in (None, "")
                elif isinstance(stored, str) and stored.isdigit():
                    assert cell == int(stored)  # scale answers are numbers in the sheet
                else:
                    assert cell == stored
                assert row[6 + 2 * i] == status
    book = list(codebook.iter_rows(min_row=2, values_only=True))
    assert list(dict.fromkeys(r[0] for r in book)) == FIELDS
    words = {(r[0], str(r[4])): r[5] for r in book if r[4] not in (None, "")}
    for row, plain in zip(list(labelled.iter_rows(values_only=True))[1:], rows[1:], strict=True):
        for i, fid in enumerate(FIELDS):
            value = plain[5 + 2 * i]
            if value in (None, ""):
                continue
            if not any(key[0] == fid for key in words):
                assert row[5 + 2 * i] == value  # no printed options: the value itself
                continue
            parts = str(value).split(";")
            assert row[5 + 2 * i] == ";".join(words.get((fid, p), p) for p in parts)


def test_json_round_trip(tmp_path: Path, survey: Survey) -> None:
    path = tmp_path / "vastaukset.json"
    export(survey, "json", path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["schema"] == "palaute.export/1"
    assert [f["id"] for f in data["fields"]] == FIELDS
    for record, want in zip(data["respondents"], _expected(survey), strict=True):
        for fid in FIELDS:
            if fid in want:
                assert (record["values"][fid], record["statuses"][fid]) == want[fid]
            else:
                assert record["values"][fid] is None and record["statuses"][fid] == ""


def test_cli_export(tmp_path: Path, survey: Survey, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out.json"
    code = main(
        ["--lang", "en", "export", "--format", "json", "--survey", str(survey.path), "-o", str(out)]
    )
    assert code == 0 and "4 respondents" in capsys.readouterr().out
    assert len(json.loads(out.read_text(encoding="utf-8"))["respondents"]) == 4
    code = main(["export", "--survey", str(tmp_path / "none.sqlite")])
    assert code == 5 and "none.sqlite" in capsys.readouterr().err
