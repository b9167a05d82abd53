"""Results for the seed's other methods: the word task and the rating line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from forms.api import build
from forms.template import Template
from palaute.results import charts, stats
from palaute.results.data import Answer, Response, SurveyData
from palaute.results.report import write_report

from .conftest import LAYOUTS

DAY = dt.date(2026, 3, 2)


@pytest.fixture(scope="module")
def word_task() -> Template:
    return build(LAYOUTS / "sanatehtava.yaml").template


@pytest.fixture(scope="module")
def rating_line() -> Template:
    return build(LAYOUTS / "arviointijana.yaml").template


def responses(values: list[dict[str, object]]) -> tuple[Response, ...]:
    return tuple(
        Response(str(i), DAY, {k: Answer(v) for k, v in answers.items()})  # type: ignore[arg-type]
        for i, answers in enumerate(values, start=1)
    )


def test_word_task_terms_are_summarised_together(word_task: Template, tmp_path: Path) -> None:
    terms = [f for f in word_task.fields() if f.kind == "single"]
    assert len(terms) == 21
    first, second = terms[0].id, terms[1].id
    answers = []
    for i in range(8):
        row: dict[str, object] = {f.id: "understandable" for f in terms}
        row[first] = "needs_explaining" if i < 6 else "understandable"  # 75 %
        row[second] = "needs_explaining" if i < 2 else None  # 2 of 2 who answered
        answers.append(row)
    data = SurveyData((word_task,), responses(answers))
    summary = stats.summarise(data)
    assert summary.word_task is not None
    assert not summary.choices  # no section per term
    top = summary.word_task.terms
    assert [t.field_id for t in top[:2]] == [second, first]
    assert (top[0].n, top[0].needs_explaining_pct) == (2, 100.0)
    assert (top[1].n, top[1].needs_explaining, top[1].needs_explaining_pct) == (8, 6, 75.0)
    chart = charts.word_task_chart(summary.word_task, "fi")
    patches = chart.figure.axes[0].patches
    assert len(patches) == len(chart.bars) == 21
    assert [round(p.get_width(), 6) for p in patches] == [
        round(t.needs_explaining_pct, 6) for t in top
    ]
    chart.close()
    out = tmp_path / "sanat.pdf"
    write_report(data, out)
    doc = pdfium.PdfDocument(str(out))
    text = " ".join(" ".join(p.get_textpage().get_text_range() for p in doc).split())
    doc.close()
    assert "Sosiaalityön sanojen ymmärrettävyys" in text
    assert terms[0].label in text and "75 %" in text


def test_rating_line_distribution(rating_line: Template, tmp_path: Path) -> None:
    lines = [f for f in rating_line.fields() if f.kind == "line"]
    assert lines
    marks = [3.0, 15.0, 18.0, 55.0, 99.5, 100.0]
    data = SurveyData((rating_line,), responses([{lines[0].id: v} for v in marks]))
    (line,) = [
        sec.line
        for sec in stats.summarise(data).sections
        if sec.line and sec.line.field_id == lines[0].id
    ]
    assert line.bins == (1, 2, 0, 0, 0, 1, 0, 0, 0, 2)
    assert line.n == 6 and line.median == pytest.approx(36.5)
    chart = charts.line_chart(line, "fi")
    heights = [p.get_height() for p in chart.figure.axes[0].patches]
    assert heights == [float(b) for b in line.bins]
    chart.close()
    write_report(data, tmp_path / "jana.pdf")
    assert (tmp_path / "jana.pdf").stat().st_size > 0
