"""The rating line (arviointijana): a horizontal line from "erittäin tyytymätön" to "erittäin
tyytyväinen"; the respondent draws a cross where their answer lies.

Each question is a ``line`` field.  Its box is centred on the printed line: the line runs along
the box's vertical middle from the box's left edge (0) to its right edge (100), so a reader maps
the mark's x straight to 0-100 (scanner/read_line.py).  A sad and a happy face at the ends help
those who read little.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

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
from forms.kinds.faces import face
from forms.layout import FormLayout, Line
from forms.spec import Checker, MethodSpec
from forms.template import Field
from palaute import i18n

RATING_LINE = "rating_line"
KIND_NAMES = (RATING_LINE,)


@dataclass(frozen=True)
class RatingQuestion:
    id: str
    text: str


@dataclass(frozen=True)
class RatingLineSpec(MethodSpec):
    instruction: str = ""
    low: str = ""  # the left end's label
    high: str = ""  # the right end's label
    questions: tuple[RatingQuestion, ...] = ()


@dataclass(frozen=True)
class RatingLineGeometry:
    title_pt: float = 15.0
    instruction_pt: float = 12.0
    question_pt: float = 14.0
    end_pt: float = 12.0
    face_r: float = 6.5  # the end faces' radius
    face_gap: float = 4.0  # between a face and the line's end
    line_pt: float = 2.0
    tick: float = 5.0  # end ticks' height
    half_height: float = 9.0  # the field box reaches this far above and below the line
    after_question: float = 4.0
    question_gap: float = 22.0


GEOMETRY = RatingLineGeometry()


def load(data: Any, path: Path, kind: str) -> RatingLineSpec:
    check = Checker(path)
    form, base = read_head(check, data, path, kind, {"instruction", "low", "high"})
    lang = base["language"]
    instruction = check.text(form, "instruction", "form", required=False) or i18n.t(
        "methods.rating_line_instruction", lang
    )
    low = check.text(form, "low", "form", required=False) or i18n.t(
        "methods.very_dissatisfied", lang
    )
    high = check.text(form, "high", "form", required=False) or i18n.t(
        "methods.very_satisfied", lang
    )
    entries = read_entries(check, data, kind, set(), "j", max_count=12)
    finish(check)
    questions = tuple(RatingQuestion(e.id, e.text) for e in entries)
    return RatingLineSpec(**base, instruction=instruction, low=low, high=high, questions=questions)


def layout(spec: MethodSpec) -> FormLayout:
    assert isinstance(spec, RatingLineSpec)
    style = style_for(spec.paper)
    g = GEOMETRY
    intro, intro_h = text_block(
        spec,
        spec.instruction,
        style.content_left,
        style.content_top,
        style.content_width,
        g.instruction_pt,
    )
    rows = [_row(spec, style, g, q) for q in spec.questions]
    flowed = flow(spec, style, rows, style.content_top + intro_h + 6.0)
    pages = sheet_pages(spec, style, g.title_pt, intro, flowed)
    return build_layout(spec, style, pages, meta={"low": spec.low, "high": spec.high})


def _row(spec: RatingLineSpec, style: Any, g: RatingLineGeometry, q: RatingQuestion) -> Row:
    prims, y = text_block(
        spec, q.text, style.content_left, 0.0, style.content_width, g.question_pt, bold=True
    )
    y += g.after_question + g.half_height
    x0 = style.content_left + 2 * g.face_r + g.face_gap
    x1 = style.content_right - 2 * g.face_r - g.face_gap
    prims += face("sad", style.content_left + g.face_r, y, g.face_r)
    prims += face("happy", style.content_right - g.face_r, y, g.face_r)
    prims.append(Line(x0, y, x1, y, g.line_pt))
    for x in (x0, x1):
        prims.append(Line(x, y - g.tick / 2, x, y + g.tick / 2, g.line_pt))
    labels_top = y + g.half_height + 1.0
    low, low_h = text_block(spec, spec.low, x0, labels_top, (x1 - x0) / 2 - 2, g.end_pt)
    high, high_h = text_block(
        spec,
        spec.high,
        x0 + (x1 - x0) / 2 + 2,
        labels_top,
        (x1 - x0) / 2 - 2,
        g.end_pt,
        align="right",
    )
    prims += low + high
    field = Field(
        id=q.id,
        question=q.id,
        kind="line",
        label=q.text,
        box=(x0, y - g.half_height, x1 - x0, 2 * g.half_height),
    )
    height = labels_top + max(low_h, high_h)
    return Row(height, prims, [field], gap_before=g.question_gap, label=q.id)
