"""Feedback cards and sticker posters in a survey: ``palaute print --survey`` and
``palaute forms add`` accept them and say how they are read."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from forms.template import Template, card_area
from palaute.cli import main
from palaute.store import Survey
from palaute.store.reading import READ_BY_SCAN, READ_CARDS, READ_STICKERS, how_read

from .conftest import LAYOUTS

DPI = 200
S = DPI / 25.4


@pytest.fixture(scope="module")
def cards(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    directory = tmp_path_factory.mktemp("cards")
    pdf, survey = directory / "cards.pdf", directory / "survey.sqlite"
    argv = ["print", str(LAYOUTS / "palautekortit.yaml"), "-o", str(pdf)]
    assert main([*argv, "--copies", "2", "--serials", "--survey", str(survey)]) == 0
    return pdf, survey


def only_template(survey: Path) -> Template:
    with Survey.open(survey, create=False) as opened:
        (template,) = opened.templates().values()
    return template


def test_how_each_kind_is_read() -> None:
    from forms.api import build

    kinds = {
        "palautekortit.yaml": READ_CARDS,
        "liikennevaloaanestys.yaml": READ_STICKERS,
        "plussat_ja_miinukset.yaml": READ_STICKERS,
        "asiakaspalautekysely.yaml": READ_BY_SCAN,
        "sanatehtava.yaml": READ_BY_SCAN,
        "arviointijana.yaml": READ_BY_SCAN,
    }
    for name, expected in kinds.items():
        assert how_read(build(LAYOUTS / name).template) == expected, name


def test_cards_print_into_a_survey_with_one_blank_per_card(
    cards: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    pdf, survey = cards
    template = only_template(survey)
    assert [p.number for p in template.pages] == [101, 102, 103, 104, 105, 106]
    with Survey.open(survey, create=False) as opened:
        blanks = opened.blank_pages(template.version, DPI)
    assert sorted(blanks) == [101, 102, 103, 104, 105, 106]
    for page in template.pages:
        image = blanks[page.number]
        assert image.shape == (round(297 * S), round(210 * S))
        ys, xs = np.nonzero(image < 160)
        x, y, w, h = card_area(page)
        # every printed pixel lies on this card: the other cards are cut away
        assert len(xs) > 1000
        assert xs.min() >= (x - 0.5) * S and xs.max() <= (x + w + 0.5) * S, page.number
        assert ys.min() >= (y - 0.5) * S and ys.max() <= (y + h + 0.5) * S, page.number
    assert main(["--lang", "en", "forms", "add", str(pdf), "--survey", str(survey)]) == 0
    out = capsys.readouterr().out
    assert "was already in the survey" in out
    assert "Feedback cards: cut the cards apart" in out


def test_a_cut_card_scanned_alone_is_read(cards: tuple[Path, Path], tmp_path: Path) -> None:
    import cv2
    import pypdfium2 as pdfium

    pdf, master = cards
    survey = tmp_path / "survey.sqlite"
    assert main(["forms", "add", str(pdf), "--survey", str(survey)]) == 0
    template = only_template(survey)
    doc = pdfium.PdfDocument(str(pdf))
    try:
        sheet = np.asarray(doc[1].render(scale=DPI / 72).to_pil().convert("L")).copy()  # copy 2
    finally:
        doc.close()
    page = template.page(103)
    x, y, w, h = (round(v * S) for v in card_area(page))
    blank_card = sheet[y : y + h, x : x + w].copy()
    fx, fy, _, _ = page.fields[0].box
    origin = (round((fx + 3) * S), round((fy + 8) * S))
    cv2.putText(sheet, "Hyvaa palvelua", origin, cv2.FONT_HERSHEY_SCRIPT_SIMPLEX, 1.6, 40, 3)
    written_card = sheet[y : y + h, x : x + w]
    # each card laid on the scanner glass alone, wherever it landed
    for name, card, at in (
        ("written.png", written_card, (40, 60)),
        ("blank.png", blank_card, (500, 300)),
    ):
        glass = np.full_like(sheet, 248)
        glass[at[0] : at[0] + card.shape[0], at[1] : at[1] + card.shape[1]] = card
        Image.fromarray(glass).save(tmp_path / name, dpi=(DPI, DPI))
    scans = [str(tmp_path / "written.png"), str(tmp_path / "blank.png")]
    assert main(["scan", *scans, "--survey", str(survey), "--jobs", "1"]) == 0
    with Survey.open(survey, create=False) as opened:
        pages = opened.pages()
        got = [
            (
                p.status,
                p.page_number,
                p.serial,
                [(f.field_id, f.status) for f in opened.page_fields(p.id)],
            )
            for p in pages
        ]
    assert got == [
        ("read", 103, 2, [("arsyttaa", "written")]),
        ("read", 103, 2, [("arsyttaa", "blank")]),
    ]
    assert master.exists()


def test_posters_register_and_point_to_stickers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pdf, survey = tmp_path / "posters.pdf", tmp_path / "survey.sqlite"
    assert main(["print", str(LAYOUTS / "liikennevaloaanestys.yaml"), "-o", str(pdf)]) == 0
    capsys.readouterr()
    assert main(["--lang", "fi", "forms", "add", str(pdf), "--survey", str(survey)]) == 0
    out = capsys.readouterr().out
    assert f"palaute stickers {pdf}" in out and "--survey" in out
    template = only_template(survey)
    assert template.kind == "traffic_light" and len(template.pages) == 7
    with Survey.open(survey, create=False) as opened:
        assert sorted(opened.blank_pages(template.version, 50)) == list(range(1, 8))


def test_a_questionnaire_gets_no_note(seed_pdf: Path, tmp_path: Path, capsys) -> None:
    assert main(["forms", "add", str(seed_pdf), "--survey", str(tmp_path / "s.sqlite")]) == 0
    out = capsys.readouterr().out
    assert "stickers" not in out and "Palautekortit" not in out
    assert len(out.strip().splitlines()) == 1


def test_a_grey_scanned_poster_goes_to_review(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A greyscale scan cannot show sticker colours: its zones wait for the clerk."""
    import pypdfium2 as pdfium

    pdf, survey = tmp_path / "posters.pdf", tmp_path / "survey.sqlite"
    argv = ["print", str(LAYOUTS / "plussat_ja_miinukset.yaml"), "-o", str(pdf)]
    assert main([*argv, "--survey", str(survey)]) == 0
    doc = pdfium.PdfDocument(str(pdf))
    try:
        image = doc[0].render(scale=DPI / 72).to_pil().convert("L")
    finally:
        doc.close()
    image.save(tmp_path / "poster.png", dpi=(DPI, DPI))
    capsys.readouterr()
    scan = ["--lang", "fi", "scan", str(tmp_path / "poster.png"), "--survey", str(survey)]
    assert main([*scan, "--jobs", "1"]) == 0
    out = capsys.readouterr().out
    assert "Julisteita: 1 skannattua sivua" in out
    with Survey.open(survey, create=False) as opened:
        fields = opened.page_fields(opened.pages()[0].id)
    assert [(f.status, f.reason, f.needs_review) for f in fields] == [
        ("unreadable", "stickers.not_colour", True)
    ] * 2
