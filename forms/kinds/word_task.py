"""The word task (sanatehtävä): is each social-work term understandable or does it need explaining?

One row per term with two tick boxes under the column headings "ymmärrettävä" and "vaatii
selvennystä".  Each row is a ``single`` field, so the ordinary checkbox reader reads it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from forms.geometry import Style
from forms.kinds.common import (
    Row,
    build_layout,
    finish,
    flow,
    read_entries,
    read_head,
    sheet_pages,
    style_for,
    text_block,
)
from forms.layout import FormLayout, Line, Primitive, Rect
from forms.shapes import Fill
from forms.spec import Checker, MethodSpec
from forms.template import Field, Option
from palaute import i18n

WORD_TASK = "word_task"
KIND_NAMES = (WORD_TASK,)
VALUES = (
    ("understandable", "methods.understandable"),
    ("needs_explaining", "methods.needs_explaining"),
)


@dataclass(frozen=True)
class Term:
    id: str
    text: str


@dataclass(frozen=True)
class WordTaskSpec(MethodSpec):
    instruction: str = ""
    terms: tuple[Term, ...] = ()


@dataclass(frozen=True)
class WordTaskGeometry:
    title_pt: float = 15.0
    instruction_pt: float = 12.0
    term_pt: float = 13.0
    heading_pt: float = 11.0
    row: float = 10.0  # row height
    box: float = 6.5  # tick box
    column: float = 38.0  # width of each answer column
    stripe: float = 0.93  # grey of every other row's background


GEOMETRY = WordTaskGeometry()


def load(data: Any, path: Path, kind: str) -> WordTaskSpec:
    check = Checker(path)
    form, base = read_head(check, data, path, kind, {"instruction"})
    instruction = check.text(form, "instruction", "form", required=False) or i18n.t(
        "methods.word_task_instruction", base["language"]
    )
    entries = read_entries(check, data, kind, set(), "s", max_count=80)
    finish(check)
    return WordTaskSpec(
        **base, instruction=instruction, terms=tuple(Term(e.id, e.text) for e in entries)
    )


def layout(spec: MethodSpec) -> FormLayout:
    assert isinstance(spec, WordTaskSpec)
    style = style_for(spec.paper)
    g = GEOMETRY
    labels = [i18n.t(key, spec.language) for _, key in VALUES]
    columns = [style.content_right - (len(VALUES) - i - 0.5) * g.column for i in range(len(VALUES))]
    term_width = columns[0] - g.column / 2 - style.content_left - 2.0
    intro, intro_h = text_block(
        spec,
        spec.instruction,
        style.content_left,
        style.content_top,
        style.content_width,
        g.instruction_pt,
    )
    header = _header(spec, style, g, labels, columns)
    rows = [
        _row(spec, style, g, term, i, labels, columns, term_width)
        for i, term in enumerate(spec.terms)
    ]
    flowed = flow(spec, style, rows, style.content_top + intro_h + 4.0, repeat=header)
    pages = sheet_pages(spec, style, g.title_pt, intro, flowed)
    return build_layout(spec, style, pages)


def _header(
    spec: WordTaskSpec, style: Style, g: WordTaskGeometry, labels: list[str], columns: list[float]
) -> Row:
    prims: list[Primitive] = []
    depth = 0.0
    for label, centre in zip(labels, columns, strict=True):
        p, h = text_block(
            spec, label, centre - g.column / 2 + 1, 0.0, g.column - 2, g.heading_pt, True, "center"
        )
        prims += p
        depth = max(depth, h)
    prims.append(Line(style.content_left, depth + 1.5, style.content_right, depth + 1.5, 0.8, 0.3))
    return Row(depth + 2.0, prims, [], label="header")


def _row(
    spec: WordTaskSpec,
    style: Style,
    g: WordTaskGeometry,
    term: Term,
    index: int,
    labels: list[str],
    columns: list[float],
    term_width: float,
) -> Row:
    text_prims, text_h = text_block(
        spec, term.text, style.content_left + 2.0, 0.0, term_width, g.term_pt, bold=True
    )
    height = max(g.row, text_h + 3.0)
    dy = (height - text_h) / 2
    prims: list[Primitive] = []
    if index % 2 == 1:
        prims.append(Fill(style.content_left, 0.0, style.content_width, height, (g.stripe,) * 3))
    prims += [p.moved(dy) for p in text_prims]
    options = []
    by = (height - g.box) / 2
    for (value, _), label, centre in zip(VALUES, labels, columns, strict=True):
        bx = centre - g.box / 2
        prims.append(Fill(bx, by, g.box, g.box, (1.0, 1.0, 1.0)))
        prims.append(Rect(bx, by, g.box, g.box, 1.2))
        options.append(Option(value, label, (bx, by, g.box, g.box)))
    left = columns[0] - g.column / 2
    field = Field(
        id=term.id,
        question=term.id,
        kind="single",
        label=term.text,
        box=(left, 0.0, style.content_right - left, height),
        options=tuple(options),
    )
    return Row(height, prims, [field], label=term.id)
