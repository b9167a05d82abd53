"""Answers land where the truth says: ink added inside the intended boxes, not elsewhere."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from forms.template import Box, Field, Template
from samples import answers, marks
from samples.filler import label_box, option_pitch, target_box
from samples.generate import Batch
from samples.source import PdfFormSource, SyntheticFormSource
from samples.truth import FieldTruth

DPI = 150
S = DPI / 25.4
INK = 40  # grey levels darker than the blank form that count as added ink

# Styles whose ink stays around the intended option (loose ovals and over-edge marks may not).
CONTAINED = {
    marks.CIRCLE,
    marks.TICK,
    marks.CROSS,
    marks.UNDERLINE,
    marks.SLASH,
    marks.FILL,
    marks.TICK_TINY,
}
# Marks that may reach into the next row: a neighbour of one of these is not checked for strays.
LEAKY = (
    marks.OVAL_WIDE,
    marks.TICK_OVER,
    marks.CROSS_OVER,
    "correction",
    "circle_label",
    "between",
)


def grow(box: Box, mm: float) -> Box:
    x, y, w, h = box
    return (x - mm, y - mm, w + 2 * mm, h + 2 * mm)


def ink_in(added: np.ndarray, box: Box) -> int:
    x, y, w, h = box
    return int(added[round(y * S) : round((y + h) * S), round(x * S) : round((x + w) * S)].sum())


def added_ink(filled: np.ndarray, blank: np.ndarray) -> np.ndarray:
    gray = filled.mean(axis=2) if filled.ndim == 3 else filled
    base = blank.mean(axis=2)
    return (base - gray) > INK


def field_area(f: Field, value: str) -> Box:
    """Where a mark for ``value`` may put ink: round the checkbox, or the digit's share of the row."""
    x, y, w, h = target_box(f, value)
    if f.kind != "likert":
        return grow((x, y, w, h), 2.0)
    half = option_pitch(f) / 2
    cx = x + w / 2
    return (cx - half, y - 1.5, 2 * half, h + 3.0)


def check_choice(
    f: Field, truth: FieldTruth, added: np.ndarray, leaky_neighbour: bool
) -> list[str]:
    problems: list[str] = []
    ink = {o.value: ink_in(added, field_area(f, o.value)) for o in f.options}
    if truth.style == "none":
        if any(ink.values()) and not leaky_neighbour:
            problems.append(f"{f.id}: ink in an unanswered field {ink}")
        return problems
    if truth.style == "circle_label":  # the ink is round the printed word, not the box
        label = ink_in(added, grow(label_box(f, truth.marked[0]), 3.0))
        return [] if label >= 15 else [f"{f.id}: no ink round the label ({label})"]
    if truth.style.startswith("between:"):  # one mark set between two options
        both = sum(ink[v] for v in truth.marked)
        return [] if both >= 15 else [f"{f.id}: no ink between the options {ink}"]
    style = truth.style.split(":")[-1].split("+")[0]
    least = 3 if style == marks.TICK_TINY else 15  # a tiny pencil tick is a few pixels
    for value in truth.marked:
        if ink[value] < least:
            problems.append(f"{f.id}: no ink on marked option {value} ({truth.style}) {ink}")
    if style in CONTAINED and not leaky_neighbour:
        for value, amount in ink.items():
            if value not in truth.marked and amount > 0.25 * max(ink[v] for v in truth.marked):
                problems.append(f"{f.id}: ink on unmarked option {value} ({truth.style}) {ink}")
    return problems


def check_page(
    template: Template, page_no: int, fields: list[FieldTruth], added: np.ndarray
) -> list[str]:
    problems: list[str] = []
    page = template.page(page_no)
    by_id = {t.field_id: t for t in fields}
    styles = [by_id[f.id].style for f in page.fields]
    for i, f in enumerate(page.fields):
        truth = by_id[f.id]
        near = styles[max(0, i - 1) : i + 2]
        leaky = any(mark in style for style in near for mark in LEAKY)
        if f.kind in ("single", "likert", "multiple"):
            problems += check_choice(f, truth, added, leaky)
        elif f.kind == "text":
            amount = ink_in(added, grow(f.box, 0.5))
            least = 5 if "blank" in truth.accept else 40  # a token "-" or "x" is a few pixels
            if truth.expect == "written" and amount < least:
                problems.append(f"{f.id}: written text left no ink ({amount})")
            if truth.expect == "blank" and amount > 0:
                problems.append(f"{f.id}: ink in a blank text field ({amount})")
    return problems


def run(source: PdfFormSource | SyntheticFormSource, respondents: int, seed: int) -> list[str]:
    batch = Batch(source, respondents, seed, "images", "none", DPI)
    problems: list[str] = []
    checked = 0
    for sample in batch.pages(encode=False):
        t = sample.truth
        assert t.kind == "form" and t.form_page is not None and t.respondent is not None
        blank = source.render((t.respondent - 1) % source.copies, t.form_page, DPI)
        problems += check_page(
            source.template, t.form_page, sample.fields, added_ink(sample.image, blank)
        )
        checked += len(sample.fields)
    assert checked > 0
    return problems


def test_marks_land_in_the_intended_boxes_on_the_printed_form(seed_pdf: Path) -> None:
    problems = run(PdfFormSource(seed_pdf), respondents=6, seed=11)
    assert not problems, "\n".join(problems)


def test_marks_land_in_the_intended_boxes_on_the_synthetic_form() -> None:
    problems = run(SyntheticFormSource(), respondents=6, seed=5)
    assert not problems, "\n".join(problems)


def test_rare_marks_land_where_the_truth_says(
    seed_pdf: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Labels circled instead of boxes, marks between two options, rubbed-out pencil marks."""
    monkeypatch.setattr(answers, "LABEL_HABIT", 0.5)
    monkeypatch.setattr(answers, "PEN_WEIGHTS", {"pencil": 1.0})
    source = PdfFormSource(seed_pdf)
    hands = replace(answers.HANDS["messy"], between=0.3, correction=0.1)
    batch = Batch(source, 6, 2, "images", "none", DPI, hands)
    styles = {f.style.split(":")[0] for r in batch.respondents for f in r.truth.fields}
    assert {"circle_label", "between", "erased"} <= styles
    problems: list[str] = []
    for sample in batch.pages(encode=False):
        t = sample.truth
        assert t.form_page is not None and t.respondent is not None
        blank = source.render((t.respondent - 1) % source.copies, t.form_page, DPI)
        problems += check_page(
            source.template, t.form_page, sample.fields, added_ink(sample.image, blank)
        )
    assert not problems, "\n".join(problems)


def test_rating_line_mark_sits_at_the_value() -> None:
    source = SyntheticFormSource()
    batch = Batch(source, 8, 3, "images", "none", DPI)
    seen = 0
    for sample in batch.pages(encode=False):
        for truth in sample.fields:
            if truth.kind != "line" or truth.value is None:
                continue
            f = source.template.field(truth.field_id)
            t = sample.truth
            assert t.form_page is not None
            added = added_ink(sample.image, source.render(0, t.form_page, DPI))
            x, y, w, h = grow(f.box, 4.0)
            cols = added[round(y * S) : round((y + h) * S), round(x * S) : round((x + w) * S)].sum(
                axis=0
            )
            assert cols.sum() > 0
            centre_mm = x + float(np.average(np.arange(len(cols)), weights=cols)) / S
            expected = f.box[0] + f.box[2] * float(truth.value) / 100
            assert centre_mm == pytest.approx(expected, abs=2.5)
            seen += 1
    assert seen >= 4
