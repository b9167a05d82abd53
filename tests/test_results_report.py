"""The report PDF: pages, language, and that statements and free texts are in it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from palaute.results.data import synthetic
from palaute.results.report import render_report, write_report

from .results_fixtures import hand_built, seed_template


def page_texts(pdf: bytes | Path) -> list[str]:
    doc = pdfium.PdfDocument(pdf)
    try:
        return [doc[i].get_textpage().get_text_range() for i in range(len(doc))]
    finally:
        doc.close()


def flat(text: str) -> str:
    return " ".join(text.replace("\r", " ").replace("\n", " ").split())


def test_report_on_hand_built_data(tmp_path: Path) -> None:
    out = tmp_path / "raportti.pdf"
    result = write_report(hand_built(), out, created=dt.date(2026, 4, 1))
    assert out.exists() and result.respondents == 8
    pages = page_texts(out)
    assert len(pages) == result.pages >= 3
    title = flat(pages[0])
    assert "Asiakaspalautteen tulokset" in title and "Pieni kysely" in title
    assert "Testikaupungin sosiaalitoimisto" in title
    assert "2.3.2026 – 9.3.2026" in title and "Vastaajia 8" in title
    body = flat(" ".join(pages[1:]))
    assert "Aineisto ja menetelmä" in body
    assert "Skannattuja paperilomakkeita: 8 (2.3.2026 – 9.3.2026)" in body
    assert "tarkistettaviksi epäselvän merkinnän vuoksi: 2" in body
    assert "Niistä käsin tarkistettu: 1" in body
    for statement in ("Aukioloajat ovat riittävät", "Olen saanut asiallista kohtelua"):
        assert statement in body
    assert "Parannusehdotus numero 1" in body and "Parannusehdotus numero 6" in body
    assert "Ei vielä kirjoitettu puhtaaksi" in body  # the crop of respondent 3
    assert "Vastaukset viikoittain" in body
    # Medians and percentages from the tables (statement a: 2 3 1 0 1 of 7).
    assert "29 %" in body and "43 %" in body
    # Breakdown by month: only one month, so none; by language: only Finnish, so none.
    assert "kuukausittain" not in body


def test_crop_images_are_embedded() -> None:
    pdf, _ = render_report(hand_built())
    doc = pdfium.PdfDocument(pdf)
    images = sum(
        1
        for i in range(len(doc))
        for obj in doc[i].get_objects()
        if obj.type == pdfium.raw.FPDF_PAGEOBJ_IMAGE
    )
    doc.close()
    # Four charts (q1, q2, the statements, weeks) and the one crop not yet typed up.
    assert images == 5


def test_report_follows_the_form_language_and_hides_small_groups() -> None:
    sv = seed_template("asiakaspalautekysely_sv")
    fi = seed_template()
    data = synthetic(sv, 40, seed=2, extra_templates=(fi,))
    pdf, _ = render_report(data, min_group=10)
    text = flat(" ".join(page_texts(pdf)))
    assert "Resultat av kundresponsen" in text and "Material och metod" in text
    assert "Socialbyråns öppettider är tillräckliga" in text
    assert "Av samma åsikt efter blankettens språk" in text
    # With 40 respondents over four weeks, the Finnish group (about 1 in 7) is under 10.
    assert "har dolts" in text or "visas inte" in text


def test_comparison_section() -> None:
    t = seed_template()
    now = synthetic(t, 60, seed=1, start=dt.date(2026, 3, 2))
    then = synthetic(t, 50, seed=2, start=dt.date(2025, 3, 3))
    pdf, _ = render_report(now, compare_with=then)
    text = flat(" ".join(page_texts(pdf)))
    assert "Vertailu: 3.3.2025" in text
    assert "Muutos" in text


def test_min_group_must_be_positive() -> None:
    with pytest.raises(ValueError):
        render_report(hand_built(), min_group=0)


def test_many_statements_are_split_over_charts_that_fit_the_page() -> None:
    import dataclasses

    t = seed_template()
    likert_page = t.pages[1]
    extra = tuple(
        dataclasses.replace(f, id=f"{f.id}_b", label=f"{f.label} (jatko)")
        for f in likert_page.fields
    )
    pages = (t.pages[0], dataclasses.replace(likert_page, fields=likert_page.fields + extra))
    big = dataclasses.replace(t, pages=(*pages, *t.pages[2:]))
    pdf, _ = render_report(synthetic(big, 30, seed=1))
    text = flat(" ".join(page_texts(pdf)))
    assert "Olen saanut asiallista kohtelua (jatko)" in text
