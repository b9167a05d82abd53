"""Results read from a real survey: the bundled sample batch printed, scanned and stored."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image

from palaute.cli import main
from palaute.errors import ExitCode
from palaute.results.from_store import load_survey_data
from palaute.store import Survey
from scanner.results import FieldStatus

from .conftest import ROOT, SEED_FORM

BATCH = ROOT / "samples" / "batch"


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from forms.api import print_form

    folder = tmp_path_factory.mktemp("survey")
    db = folder / "kysely.sqlite"
    printed = print_form(SEED_FORM, folder / "lomake.pdf")
    assert main(["forms", "add", str(printed.pdf), "--survey", str(db)]) == ExitCode.OK
    assert main(["scan", str(BATCH), "--survey", str(db), "-j", "1"]) in (
        ExitCode.OK,
        ExitCode.FINISHED_WITH_REJECTIONS,
    )
    return db


def pdf_text(path: Path) -> tuple[int, str]:
    doc = pdfium.PdfDocument(str(path))
    try:
        text = " ".join(page.get_textpage().get_text_range() for page in doc)
        return len(doc), " ".join(text.split())  # lines wrap where the layout chose
    finally:
        doc.close()


def test_adapter_holds_what_the_store_holds(scanned: Path) -> None:
    truth = json.loads((BATCH / "truth.json").read_text(encoding="utf-8"))
    with Survey.open(scanned, create=False) as survey:
        data = load_survey_data(survey)
        respondents = survey.respondents()
        assert len(data.responses) == len(respondents) == len(truth["respondents"])
        for response, respondent in zip(data.responses, respondents, strict=True):
            stored = survey.respondent_fields(respondent.id)
            assert {k: a.value for k, a in response.answers.items()} == {
                k: f.value for k, f in stored.items()
            }
            for key, answer in response.answers.items():
                assert answer.status == stored[key].status
                if answer.status == FieldStatus.WRITTEN and answer.text is None:
                    # the client's handwriting is shown until a clerk types it in
                    assert answer.crop_png is not None
                    assert Image.open(io.BytesIO(answer.crop_png)).size[0] > 50
    facts = data.method()
    assert facts.sheets == len(truth["respondents"])
    assert facts.first_scan is not None and facts.first_scan == facts.last_scan


def test_report_and_bulletin_from_the_survey(scanned: Path, tmp_path: Path) -> None:
    report = tmp_path / "raportti.pdf"
    assert main(["report", "--survey", str(scanned), "-o", str(report)]) == ExitCode.OK
    pages, text = pdf_text(report)
    assert pages >= 3
    assert "Sosiaalitoimiston aukioloajat ovat riittävät" in text
    respondents = len(json.loads((BATCH / "truth.json").read_text(encoding="utf-8"))["respondents"])
    assert f"{respondents}" in text
    changes = tmp_path / "muutokset.txt"
    changes.write_text("Lisäämme puhelinaikoja.\n", encoding="utf-8")
    bulletin = tmp_path / "tiedote.pdf"
    code = main(
        ["bulletin", "--survey", str(scanned), "-o", str(bulletin), "--changes", str(changes)]
    )
    assert code == ExitCode.OK
    pages, text = pdf_text(bulletin)
    assert pages == 1 and "Lisäämme puhelinaikoja." in text


def test_two_periods_of_one_survey_side_by_side(scanned: Path, tmp_path: Path) -> None:
    import shutil
    import sqlite3

    # The same survey a year later: copy it and date half of the sheets to the year before.
    db = tmp_path / "kaksi.sqlite"
    shutil.copy(scanned, db)
    images = scanned.with_name(f"{scanned.stem}.images")
    shutil.copytree(images, db.with_name(f"{db.stem}.images"))
    with sqlite3.connect(db) as conn:
        first = [r[0] for r in conn.execute("SELECT id FROM respondents ORDER BY id LIMIT 2")]
        conn.execute(
            "UPDATE pages SET read_at = '2025-03-10T10:00:00+00:00' WHERE respondent_id IN (?, ?)",
            first,
        )
    report = tmp_path / "vertailu.pdf"
    argv = ["--lang", "en", "report", "--survey", str(db), "-o", str(report), "--min-group", "1"]
    argv += ["--from", "2026-01-01", "--compare-from", "2025-01-01", "--compare-to", "2025-12-31"]
    assert main(argv) == ExitCode.OK
    _, text = pdf_text(report)
    # the report speaks the form's language (Finnish here)
    assert "Vertailu:" in text and "Muutos" in text
    assert "vastaajia 2 ja 3" in text  # two sheets dated 2025, three in 2026
