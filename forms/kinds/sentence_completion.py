"""Sentence completion (jatka lausetta): sentence starters, each followed by ruled lines on which
the respondent writes the end.  Each starter's writing area is a ``text`` field."""

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
    read_int,
    sheet_pages,
    style_for,
    text_block,
)
from forms.layout import FormLayout, Line, Rect
from forms.spec import Checker, MethodSpec
from forms.template import Field
from palaute import i18n

SENTENCE_COMPLETION = "sentence_completion"
KIND_NAMES = (SENTENCE_COMPLETION,)
MAX_LINES = 12


@dataclass(frozen=True)
class Starter:
    id: str
    text: str
    lines: int


@dataclass(frozen=True)
class SentenceSpec(MethodSpec):
    instruction: str = ""
    starters: tuple[Starter, ...] = ()


@dataclass(frozen=True)
class SentenceGeometry:
    title_pt: float = 15.0
    instruction_pt: float = 12.0
    starter_pt: float = 14.0
    line_step: float = 10.0  # ruled lines: room for large handwriting
    after_starter: float = 1.0
    gap: float = 7.0


GEOMETRY = SentenceGeometry()


def load(data: Any, path: Path, kind: str) -> SentenceSpec:
    check = Checker(path)
    form, base = read_head(check, data, path, kind, {"instruction", "lines"})
    instruction = check.text(form, "instruction", "form", required=False) or i18n.t(
        "methods.sentence_instruction", base["language"]
    )
    default_lines = read_int(check, form, "lines", "form", 3, 1, MAX_LINES)
    entries = read_entries(check, data, kind, {"lines"}, "l", max_count=30)
    starters = []
    for e in entries:
        lines = default_lines
        if e.data is not None and "lines" in e.data:
            lines = read_int(check, e.data, "lines", e.id, default_lines, 1, MAX_LINES)
        starters.append(Starter(e.id, e.text, lines))
    finish(check)
    return SentenceSpec(**base, instruction=instruction, starters=tuple(starters))


def layout(spec: MethodSpec) -> FormLayout:
    assert isinstance(spec, SentenceSpec)
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
    rows = [_row(spec, style, g, s) for s in spec.starters]
    flowed = flow(spec, style, rows, style.content_top + intro_h + 5.0)
    pages = sheet_pages(spec, style, g.title_pt, intro, flowed)
    return build_layout(spec, style, pages)


def _row(spec: SentenceSpec, style: Any, g: SentenceGeometry, s: Starter) -> Row:
    prims, y = text_block(
        spec, s.text, style.content_left, 0.0, style.content_width, g.starter_pt, bold=True
    )
    y += g.after_starter
    x, w = style.content_left, style.content_width
    height = s.lines * g.line_step + 2.0
    prims.append(Rect(x, y, w, height, 0.5, 0.6))
    for i in range(1, s.lines + 1):
        ly = y + 1.0 + i * g.line_step - 1.5
        prims.append(Line(x + 3.0, ly, x + w - 3.0, ly, 0.4, 0.65))
    field = Field(
        id=s.id, question=s.id, kind="text", label=s.text, box=(x, y, w, height), lines=s.lines
    )
    return Row(y + height, prims, [field], gap_before=g.gap, label=s.id)
