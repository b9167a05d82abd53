"""The word task, sentence completion and rating line end to end, as a clerk runs them:
``palaute print --survey`` → ``palaute samples fill`` → ``palaute scan`` → score against the
generator's truth → ``palaute export`` → ``palaute report``.  Default scanning profile."""

from __future__ import annotations

import csv

import pytest

from palaute.cli import main
from samples.score import EXACT, FLAGGED, WRONG
from samples.truth import FORM

from .conftest import LAYOUTS
from .methods_batch import MethodBatch, run, score
from .pdfs import pdf_text

RESPONDENTS = 8
SEED = 3


@pytest.fixture(scope="module")
def word_task(tmp_path_factory: pytest.TempPathFactory) -> MethodBatch:
    # messy hands: two marks and corrections in a batch this small
    directory = tmp_path_factory.mktemp("word")
    return run(LAYOUTS / "sanatehtava.yaml", directory, RESPONDENTS, SEED, hands="messy")


@pytest.fixture(scope="module")
def sentences(tmp_path_factory: pytest.TempPathFactory) -> MethodBatch:
    directory = tmp_path_factory.mktemp("sentences")
    return run(LAYOUTS / "jatka_lausetta.yaml", directory, RESPONDENTS, SEED)


@pytest.fixture(scope="module")
def rating_line(tmp_path_factory: pytest.TempPathFactory) -> MethodBatch:
    directory = tmp_path_factory.mktemp("line")
    return run(LAYOUTS / "arviointijana.yaml", directory, RESPONDENTS, SEED)


def exported(batch: MethodBatch) -> list[dict[str, str]]:
    out = batch.directory / "answers.csv"
    assert (
        main(
            [
                "--lang",
                "fi",
                "export",
                "--format",
                "csv",
                "-o",
                str(out),
                "--survey",
                str(batch.survey),
            ]
        )
        == 0
    )
    with out.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def reported(batch: MethodBatch) -> str:
    out = batch.directory / "report.pdf"
    assert main(["--lang", "fi", "report", "--survey", str(batch.survey), "-o", str(out)]) == 0
    return pdf_text(out)


def assert_pages_identified(batch: MethodBatch) -> None:
    result = score(batch)
    forms = [p for p in batch.truth.pages if p.kind == FORM]
    assert result.pages[EXACT] == len(batch.truth.pages), result.pages
    assert not result.identity_errors
    assert len(forms) == RESPONDENTS * len({p.form_page for p in forms})


# -- word task ---------------------------------------------------------------------------------
def test_word_task_is_read_with_few_silent_errors(word_task: MethodBatch) -> None:
    assert_pages_identified(word_task)
    fields = score(word_task).fields
    assert fields.total == RESPONDENTS * 21
    assert fields.rate(WRONG) <= 0.02, [(t.field_id, t.style, r.value) for t, r in fields.wrong]
    assert fields.rate(EXACT) >= 0.7
    # two marks in a row are never guessed
    two = fields.by_style.get("two", {})
    assert sum(two.values()) and two.get(WRONG, 0) == 0


def test_word_task_unmarked_rows_are_never_read_as_answers(word_task: MethodBatch) -> None:
    fields = score(word_task).fields
    assert [(t.field_id, r.value) for t, r in fields.wrong if t.style == "none"] == []


def test_word_task_export_and_report(word_task: MethodBatch) -> None:
    rows = exported(word_task)
    assert len(rows) == RESPONDENTS
    assert {f"s{i:02d}" for i in range(1, 22)} <= set(rows[0])
    values = {row["s01"] for row in rows} - {""}
    assert values <= {"understandable", "needs_explaining", "needs_explaining;understandable"}
    text = reported(word_task)
    assert f"Vastaajia {RESPONDENTS}" in text
    for term in ("ehkäisevä sosiaalityö", "perustoimeentulotuki", "sosiaaliturvaetuus"):
        assert term in text
    assert "Ymmärrettävä" in text and "Vaatii selvennystä" in text


# -- sentence completion -----------------------------------------------------------------------
def test_sentence_completion_is_read(sentences: MethodBatch) -> None:
    assert_pages_identified(sentences)
    fields = score(sentences).fields
    assert fields.total == RESPONDENTS * 8
    # Every written sentence reaches the transcription queue: none is lost as blank.  A blank
    # read as "written" (unclear ink, confidence 0.5) only costs a clerk a glance in /texts.
    lost = [t.field_id for t, r in fields.wrong if t.expect == "written"]
    assert lost == []
    assert fields.rate(EXACT) + fields.rate(FLAGGED) >= 0.9


def test_sentence_completion_export_and_report(sentences: MethodBatch) -> None:
    rows = exported(sentences)
    assert len(rows) == RESPONDENTS
    ids = ["kasittely", "sosiaalityo", "auttanut", "ajanvaraus", "asiakkuus", "joskus"]
    assert set(ids) <= set(rows[0])
    assert {row[f"{ids[0]} tila"] for row in rows} <= {"written", "blank"}
    text = reported(sentences)
    assert f"Vastaajia {RESPONDENTS}" in text
    assert "Kun asioitani käsitellään, minä…" in text
    assert "Kirjoitettuja vastauksia" in text


# -- rating line -------------------------------------------------------------------------------
def test_rating_line_is_read_away_from_its_ends(rating_line: MethodBatch) -> None:
    assert_pages_identified(rating_line)
    fields = score(rating_line).fields
    assert fields.total == RESPONDENTS * 2
    inner = [t for t, _ in fields.wrong if t.value is None or t.value < 85]
    assert inner == []
    assert fields.rate(EXACT) >= 0.7


def test_rating_line_marks_at_the_ends_are_read_or_flagged(rating_line: MethodBatch) -> None:
    fields = score(rating_line).fields
    assert [(t.field_id, t.value, r.status) for t, r in fields.wrong] == []


def test_rating_line_export_and_report(rating_line: MethodBatch) -> None:
    rows = exported(rating_line)
    assert len(rows) == RESPONDENTS
    assert {"apu_nyt", "apu_jatkossa"} <= set(rows[0])
    numbers = [float(row["apu_nyt"]) for row in rows if row["apu_nyt"]]
    assert numbers and all(0 <= n <= 100 for n in numbers)
    text = reported(rating_line)
    assert f"Vastaajia {RESPONDENTS}" in text
    answered = sum(1 for row in rows if row["apu_nyt"] and row["apu_nyt tila"] == "ok")
    assert f"Vastanneita {answered}, mediaani" in text
    assert "(asteikko 0–100)" in text
