"""Feedback cards end to end: ``palaute samples fill`` writes on cards, cuts them apart and scans
them one by one (samples.card_samples); ``palaute scan`` reads each card as a free-text field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from palaute.cli import main
from palaute.store import Survey
from samples.card_samples import TRUTH_FILE as CARD_TRUTH
from samples.poster_samples import TRUTH_FILE as POSTER_TRUTH

from .conftest import LAYOUTS


def test_cut_cards_are_read_as_written_or_blank(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pdf, survey, out = tmp_path / "cards.pdf", tmp_path / "survey.sqlite", tmp_path / "scans"
    argv = ["print", str(LAYOUTS / "palautekortit.yaml"), "-o", str(pdf), "--copies", "2"]
    assert main([*argv, "--serials", "--survey", str(survey)]) == 0
    capsys.readouterr()
    assert main(["--lang", "en", "samples", "fill", str(pdf), "-o", str(out), "-s", "4"]) == 0
    assert "Made 12 scanned cards" in capsys.readouterr().out
    truth = json.loads((out / CARD_TRUTH).read_text("utf-8"))["cards"]
    assert {c["written"] for c in truth} == {True, False}
    assert len({(c["serial"], c["page"]) for c in truth}) == 12  # each card its own ID
    assert main(["scan", str(out), "--survey", str(survey), "--jobs", "2"]) == 0
    with Survey.open(survey, create=False) as opened:
        got = {}
        for page in opened.pages():
            (field,) = opened.page_fields(page.id)
            got[(page.serial, page.page_number)] = (field.field_id, str(field.status))
    expected = {
        (c["serial"], c["page"]): (c["field_id"], "written" if c["written"] else "blank")
        for c in truth
    }
    assert got == expected


def test_an_uncut_sheet_of_cards_is_rejected_with_what_to_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from samples.card_samples import write_cards

    pdf, survey, out = tmp_path / "cards.pdf", tmp_path / "survey.sqlite", tmp_path / "sheets"
    argv = ["print", str(LAYOUTS / "palautekortit.yaml"), "-o", str(pdf), "--copies", "1"]
    assert main([*argv, "--serials", "--survey", str(survey)]) == 0
    write_cards(pdf, out, seed=2, mode="sheets")
    capsys.readouterr()
    assert main(["--lang", "en", "scan", str(out), "--survey", str(survey)]) == 4
    err = capsys.readouterr().err
    assert "cut the cards apart and scan them one by one" in err
    assert "sheet-001.jpg, page 1" in err
    with Survey.open(survey, create=False) as opened:
        pages = opened.pages()
    assert [(p.status, p.reason) for p in pages] == [("rejected", "scanner.page.card_sheet")]


def test_samples_fill_makes_poster_photos_with_truth(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pdf, out = tmp_path / "poster.pdf", tmp_path / "photos"
    assert main(["print", str(LAYOUTS / "plussat_ja_miinukset.yaml"), "-o", str(pdf)]) == 0
    capsys.readouterr()
    argv = ["samples", "fill", str(pdf), "-o", str(out), "-n", "2", "--format", "images"]
    assert main(["--lang", "fi", *argv]) == 0
    assert "2 täytettyä julistetta (4 aluetta)" in capsys.readouterr().out
    truth = json.loads((out / POSTER_TRUTH).read_text("utf-8"))
    assert [p["file"] for p in truth["posters"]] == ["photo-001.jpg", "photo-002.jpg"]
    assert all((out / p["file"]).stat().st_size > 50_000 for p in truth["posters"])
    zone = truth["posters"][0]["zones"][0]
    assert set(zone) >= {"field_id", "stickers", "tally", "clear"}
