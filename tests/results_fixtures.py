"""Hand-built templates and responses for the results tests."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from forms.template import Field, Mark, Option, Page, Template
from palaute.results.data import Answer, Response, SurveyData
from scanner.results import FieldStatus

SCALE = (
    ("1", "Täysin samaa mieltä"),
    ("2", "Osittain samaa mieltä"),
    ("3", "En osaa sanoa"),
    ("4", "Osittain eri mieltä"),
    ("5", "Täysin eri mieltä"),
)
BOX = (0.0, 0.0, 10.0, 10.0)


def _options(pairs: tuple[tuple[str, str], ...]) -> tuple[Option, ...]:
    return tuple(Option(v, label, BOX) for v, label in pairs)


def small_template(form_id: str = "pieni", language: str = "fi") -> Template:
    fields = (
        Field(
            "q1",
            "q1",
            "multiple",
            "Missä asioissa olet asioinut?",
            BOX,
            _options((("a", "Toimeentulotuki"), ("b", "Lapsiperheet"), ("c", "Muu"))),
        ),
        Field(
            "q2",
            "q2",
            "single",
            "Saitko palvelua?",
            BOX,
            _options((("yes", "Kyllä"), ("no", "Ei"))),
        ),
        Field("q2_miksi", "q2", "text", "Perustele", BOX, lines=3, parent="q2"),
        Field("q4_a", "q4", "likert", "Aukioloajat ovat riittävät", BOX, _options(SCALE)),
        Field("q4_b", "q4", "likert", "Olen saanut asiallista kohtelua", BOX, _options(SCALE)),
        Field("q5", "q5", "text", "Mitä parantaisit?", BOX, lines=5),
    )
    page = Page(1, tuple(Mark(i, BOX) for i in range(4)), BOX, BOX, fields)
    return Template(
        form_id,
        "Pieni kysely",
        language,
        "questionnaire",
        210.0,
        297.0,
        (page,),
        meta={"organisation": "Testikaupungin sosiaalitoimisto"},
    ).with_version()


def response(
    i: int, day: dt.date, form_id: str = "pieni", **answers: Answer | str | list[str] | None
) -> Response:
    built: dict[str, Answer] = {}
    for key, a in answers.items():
        if isinstance(a, Answer):
            built[key] = a
        elif a is None:
            built[key] = Answer(None, FieldStatus.EMPTY)
        elif key.startswith("q2_") or key == "q5":
            built[key] = Answer(None, FieldStatus.WRITTEN, reviewed=True, text=str(a))
        else:
            built[key] = Answer(a, FieldStatus.OK)
    return Response(f"R{i:03d}", day, built, form_id=form_id)


def hand_built() -> SurveyData:
    """Eight respondents over two ISO weeks; see the tests for the expected numbers."""
    mon = dt.date(2026, 3, 2)  # ISO week 10
    nxt = dt.date(2026, 3, 9)  # ISO week 11
    a_values = ["1", "1", "2", "2", "2", "3", "5"]  # + one empty
    b_values = ["1", "2", "4", "4"]  # + one flagged unresolved, one reviewed, two empty
    rs = []
    for i in range(8):
        ans: dict[str, Answer | str | list[str] | None] = {}
        ans["q4_a"] = a_values[i] if i < len(a_values) else None
        if i < len(b_values):
            ans["q4_b"] = b_values[i]
        elif i == 4:
            ans["q4_b"] = Answer(None, FieldStatus.MULTIPLE)
        elif i == 5:
            ans["q4_b"] = Answer("5", FieldStatus.MULTIPLE, reviewed=True)
        else:
            ans["q4_b"] = None
        ans["q2"] = "yes" if i < 5 else ("no" if i < 7 else None)
        ans["q1"] = [["a"], ["a", "b"], ["a"], ["b"], ["a", "c"], ["a"], [], ["a"]][i] or None
        if i in (1, 6):
            ans["q5"] = f"Parannusehdotus numero {i}"
        if i == 3:
            ans["q5"] = Answer(None, FieldStatus.WRITTEN, crop_png=tiny_png())
        rs.append(response(i, mon if i < 6 else nxt, **ans))
    return SurveyData((small_template(),), tuple(rs))


def tiny_png() -> bytes:
    from palaute.results.synthetic import crop_image

    return crop_image()


def seed_template(name: str = "asiakaspalautekysely") -> Template:
    from forms.api import build

    root = Path(__file__).resolve().parent.parent
    return build(root / "layouts" / f"{name}.yaml").template.with_version()
