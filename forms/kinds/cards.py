"""Feedback cards (palautekortit): a sentence starter and a simple emotion face on each card,
several cards to an A4 sheet with cut marks.

Every card is a little form of its own: four small registration marks in its corners and its own
QR page ID (page number ``100 × sheet + slot``, see forms/pageid.py), so that a card cut out,
filled in and scanned alone is identified and registered like any page.  In the template each
card is one page (numbered so, coordinates still on the sheet) with one ``text`` field.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from forms.geometry import Style
from forms.kinds.common import (
    build_layout,
    finish,
    read_choice,
    read_entries,
    read_head,
    style_for,
    text_block,
    wrap_checked,
)
from forms.kinds.faces import FACES, face
from forms.layout import FormLayout, Line, PageLayout, Primitive, Rect
from forms.pageid import card_page
from forms.shapes import IdPlacement
from forms.spec import Checker, MethodSpec
from forms.template import Box, Field, Mark, Page
from palaute.errors import InputError

CARDS = "cards"
KIND_NAMES = (CARDS,)
GRIDS: dict[str, tuple[int, int]] = {"4": (2, 2), "6": (2, 3), "2": (1, 2)}  # columns, rows
DEFAULT_FACES = ("happy", "thinking", "annoyed", "idea", "wishing", "talking")


@dataclass(frozen=True)
class Card:
    id: str
    text: str
    face: str


@dataclass(frozen=True)
class CardsSpec(MethodSpec):
    per_sheet: int = 6
    cards: tuple[Card, ...] = ()


@dataclass(frozen=True)
class CardGeometry:
    margin: float = 10.0  # sheet edge to the card grid
    gap: float = 8.0  # between cards: room for the cut marks
    cut_mark: float = 3.5  # cut marks' length, outside the card's corners
    mark: float = 7.0  # each card's registration marks
    mark_inset: float = 2.5
    qr_module: float = 0.5  # 29 modules: 14.5 mm
    qr_quiet: float = 2.0
    id_pt: float = 4.5
    face_r: float = 8.5
    starter_pt: float = 15.0
    line_step: float = 9.5
    pad: float = 5.0  # card edge to the writing area


GEOMETRY = CardGeometry()


def load(data: Any, path: Path, kind: str) -> CardsSpec:
    check = Checker(path)
    form, base = read_head(check, data, path, kind, {"per_sheet"})
    per_sheet = int(read_choice(check, form, "per_sheet", "form", ("6", "4", "2")))
    entries = read_entries(check, data, kind, {"face"}, "c", max_count=99 * per_sheet)
    cards = []
    for n, e in enumerate(entries):
        kind_of_face = DEFAULT_FACES[n % len(DEFAULT_FACES)]
        if e.data is not None and "face" in e.data:
            kind_of_face = read_choice(check, e.data, "face", e.id, FACES)
        cards.append(Card(e.id, e.text, kind_of_face))
    finish(check)
    return CardsSpec(**base, per_sheet=per_sheet, cards=tuple(cards))


def layout(spec: MethodSpec) -> FormLayout:
    assert isinstance(spec, CardsSpec)
    style = style_for(spec.paper)
    g = GEOMETRY
    columns, rows = GRIDS[str(spec.per_sheet)]
    width = (style.page_width - 2 * g.margin - (columns - 1) * g.gap) / columns
    height = (style.page_height - 2 * g.margin - (rows - 1) * g.gap) / rows
    pages: list[PageLayout] = []
    template_pages: list[Page] = []
    per_sheet = columns * rows
    for start in range(0, len(spec.cards), per_sheet):
        sheet = start // per_sheet + 1
        prims: list[Primitive] = []
        marks: list[Mark] = []
        ids: list[IdPlacement] = []
        fields: list[Field] = []
        for slot, card in enumerate(spec.cards[start : start + per_sheet], start=1):
            row, col = divmod(slot - 1, columns)
            x = g.margin + col * (width + g.gap)
            y = g.margin + row * (height + g.gap)
            page = _card(spec, style, g, card, card_page(sheet, slot), (x, y, width, height), prims)
            template_pages.append(page)
            marks += page.marks
            ids.append(IdPlacement(page.number, page.qr, page.id_text, g.id_pt))
            fields += page.fields
        pages.append(PageLayout(sheet, tuple(prims), tuple(fields), tuple(marks), tuple(ids)))
    return build_layout(spec, style, pages, template_pages, meta={"per_sheet": str(per_sheet)})


def _card(
    spec: CardsSpec,
    style: Style,
    g: CardGeometry,
    card: Card,
    number: int,
    box: Box,
    prims: list[Primitive],
) -> Page:
    x, y, w, h = box
    prims.append(Rect(x, y, w, h, 0.4, 0.8))  # a faint outline to cut along
    c = g.cut_mark
    for cx, cy, sx, sy in (
        (x, y, -1, -1),
        (x + w, y, 1, -1),
        (x + w, y + h, 1, 1),
        (x, y + h, -1, 1),
    ):
        prims.append(Line(cx + sx * 1.0, cy, cx + sx * (1.0 + c), cy, 0.5))
        prims.append(Line(cx, cy + sy * 1.0, cx, cy + sy * (1.0 + c), 0.5))
    i, m = g.mark_inset, g.mark
    mark_boxes = (
        (x + i, y + i),
        (x + w - i - m, y + i),
        (x + w - i - m, y + h - i - m),
        (x + i, y + h - i - m),
    )
    marks = tuple(Mark(k, (mx, my, m, m)) for k, (mx, my) in enumerate(mark_boxes))
    qr_size = 29 * g.qr_module
    qr = (x + w - i - m - g.qr_quiet - qr_size, y + i, qr_size, qr_size)
    id_text = (qr[0] - 6.0, qr[1] + qr_size + 0.5, qr_size + 6.0, 2.0)
    # The face beside the top-left mark, the starter under it, then the writing lines.
    fx = x + i + m + 3.0 + g.face_r
    fy = y + i + 5.0 + g.face_r
    prims += face(card.face, fx, fy, g.face_r)
    text_top = max(fy + g.face_r + 4.0, id_text[1] + id_text[3] + 1.0)
    text_width = w - 2 * g.pad
    starter, starter_h = text_block(
        spec, card.text, x + g.pad, text_top, text_width, g.starter_pt, bold=True
    )
    wrap_checked(spec, card.text, text_width, g.starter_pt, bold=True)
    prims += starter
    area_top = text_top + starter_h + 1.0
    area_bottom = y + h - i - m - 1.5
    lines = int((area_bottom - area_top) // g.line_step)
    if lines < 2:
        raise InputError("layout.too_tall", file=spec.source, question=card.id)
    area = (x + g.pad, area_top, text_width, lines * g.line_step)
    for k in range(1, lines + 1):
        ly = area_top + k * g.line_step - 1.5
        prims.append(Line(area[0] + 1.0, ly, area[0] + area[2] - 1.0, ly, 0.4, 0.65))
    field = Field(
        id=card.id,
        question=card.id,
        kind="text",
        label=card.text,
        box=area,
        lines=lines,
        hint=card.face,
    )
    return Page(number=number, marks=marks, qr=qr, id_text=id_text, fields=(field,))
