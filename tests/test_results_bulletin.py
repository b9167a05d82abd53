"""The bulletin: one page, plain findings, the staff's own text about changes."""

from __future__ import annotations

import pypdfium2 as pdfium

from palaute.results.bulletin import findings, render_bulletin
from palaute.results.data import synthetic

from .results_fixtures import hand_built, seed_template

CHANGES = """Lisäämme puhelinaikoja iltapäivisin.

- Odotustilaan tulee lisää tuoleja.
- Tulostin vaihdetaan uuteen.
"""


def pages(pdf: bytes) -> list[str]:
    doc = pdfium.PdfDocument(pdf)
    try:
        return [" ".join(doc[i].get_textpage().get_text_range().split()) for i in range(len(doc))]
    finally:
        doc.close()


def test_one_page_with_findings_and_changes() -> None:
    data = synthetic(seed_template(), 150, seed=4)
    content = findings(data)
    assert len(content.strengths) == 3 and len(content.improvements) == 3
    assert {f.statement for f in content.strengths}.isdisjoint(
        f.statement for f in content.improvements
    )
    best = [f.percent for f in content.strengths]
    assert best == sorted(best, reverse=True)
    (text,) = pages(render_bulletin(data, CHANGES))
    assert "Kiitos palautteestasi!" in text
    assert "150 asiakasta vastasi kyselyyn" in text
    assert "Tämä toimii hyvin" in text and "Tätä pitää parantaa" in text
    assert "Mitä muutamme" in text
    assert "Lisäämme puhelinaikoja iltapäivisin." in text
    assert "Odotustilaan tulee lisää tuoleja." in text
    for f in (*content.strengths, *content.improvements):
        assert f.statement in text
    assert f"Noin {content.strengths[0].share_tenths}/10 vastaajista oli samaa mieltä" in text


def test_hand_built_findings() -> None:
    content = findings(hand_built(), min_group=5)
    # Statement a: 5 of 7 agree; statement b: 2 of 5 agree, 3 disagree.
    assert [f.statement for f in content.strengths] == [
        "Aukioloajat ovat riittävät",
        "Olen saanut asiallista kohtelua",
    ]
    assert content.strengths[0].share_tenths == 7
    assert content.improvements == ()


def test_long_text_still_one_page() -> None:
    data = synthetic(seed_template(), 80, seed=4)
    long_text = "\n".join(
        f"- Muutos numero {i}: asia, jonka korjaamme tänä vuonna." for i in range(30)
    )
    doc = pages(render_bulletin(data, long_text))
    assert len(doc) == 1
    assert "Muutos numero 0" in doc[0]


def test_no_changes_given_and_english() -> None:
    data = synthetic(seed_template("asiakaspalautekysely_en"), 40, seed=1)
    (text,) = pages(render_bulletin(data))
    assert "Thank you for your feedback!" in text
    assert "What we will change" in text and "We will go through the feedback" in text


def test_too_few_respondents_publish_no_results() -> None:
    data = synthetic(seed_template(), 3, seed=1)
    (text,) = pages(render_bulletin(data, CHANGES, min_group=5))
    assert "emme julkaise tuloksia" in text
    assert "Tämä toimii hyvin" not in text
    assert "Mitä muutamme" in text
