"""Statement posters: the traffic-light vote, plus-minus questions and the "Palvelu on…" poster.

One poster per statement or question.  Respondents stick coloured round stickers (or draw tally
marks) in big zones under the statement; scanner/stickers.py counts them from a phone photo.
Zones are template fields of kind ``zone``: their box is the white area inside the coloured frame,
where stickers go (the coloured header band with the label is outside it, so it is never counted).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from forms import fonts
from forms.geometry import Style
from forms.kinds.common import (
    PAPERS,
    build_layout,
    finish,
    footer,
    header_band,
    read_choice,
    read_entries,
    read_head,
    style_for,
    text_block,
)
from forms.layout import FormLayout, PageLayout, Primitive, Rect
from forms.shapes import ZONE_RGB, Fill, Frame, Polyline
from forms.spec import Checker, MethodSpec
from forms.template import Field
from forms.tiling import plan_tiles
from palaute import i18n
from palaute.errors import InputError

TRAFFIC_LIGHT = "traffic_light"
PLUS_MINUS = "plus_minus"
SERVICE_POSTER = "service_poster"
KIND_NAMES = (TRAFFIC_LIGHT, PLUS_MINUS, SERVICE_POSTER)
POSTER_PAPERS = ("A3", "A4", "A2")

# (value, colour, catalogue key of the label) per zone, left to right.
ZONES: dict[str, tuple[tuple[str, str, str], ...]] = {
    TRAFFIC_LIGHT: (
        ("agree", "green", "methods.agree"),
        ("unsure", "yellow", "methods.unsure"),
        ("disagree", "red", "methods.disagree"),
    ),
    PLUS_MINUS: (
        ("plus", "green", "methods.plus"),
        ("minus", "red", "methods.minus"),
    ),
}
_INSTRUCTION = {
    TRAFFIC_LIGHT: "methods.traffic_light_instruction",
    PLUS_MINUS: "methods.plus_minus_instruction",
    SERVICE_POSTER: "methods.service_poster_instruction",
}
_FOOTER = {
    TRAFFIC_LIGHT: "methods.statement_of",
    PLUS_MINUS: "methods.question_of",
    SERVICE_POSTER: "form.page_of",
}


@dataclass(frozen=True)
class PosterItem:
    id: str
    text: str


@dataclass(frozen=True)
class PosterSpec(MethodSpec):
    instruction: str = ""
    tile_paper: str = "A3"  # A2 posters are printed on sheets of this size
    items: tuple[PosterItem, ...] = ()


@dataclass(frozen=True)
class PosterGeometry:
    """Sizes of a poster, in millimetres and points, for A4; scaled with the paper."""

    statement_pt: float = 24.0
    service_pt: float = 34.0
    instruction_pt: float = 12.0
    title_pt: float = 13.0
    label_pt: float = 16.0
    gap: float = 5.0  # between the statement, instruction and zones
    zone_gap: float = 6.0  # between zones side by side
    band_pad: float = 3.0  # above and below the label in a zone's header band
    frame_pt: float = 5.0  # the zone's coloured frame
    inner_pad: float = 1.5  # between the frame and the zone's field box
    symbol: float = 12.0  # plus and minus signs: arm length
    min_zone_height: float = 60.0

    def scaled(self, paper: str) -> PosterGeometry:
        s = PAPERS[paper][0] / PAPERS["A4"][0]
        return PosterGeometry(**{k: v * s for k, v in self.__dict__.items()})


GEOMETRY = PosterGeometry()


def load(data: Any, path: Path, kind: str) -> PosterSpec:
    check = Checker(path)
    form, base = read_head(check, data, path, kind, {"instruction", "tile_paper"}, POSTER_PAPERS)
    tile_paper = read_choice(check, form, "tile_paper", "form", ("A3", "A4"))
    instruction = check.text(form, "instruction", "form", required=False)
    if not instruction:
        instruction = i18n.t(_INSTRUCTION[kind], base["language"])
    prefix = {TRAFFIC_LIGHT: "v", PLUS_MINUS: "k", SERVICE_POSTER: "p"}[kind]
    entries = read_entries(check, data, kind, set(), prefix)
    finish(check)
    items = tuple(PosterItem(e.id, e.text) for e in entries)
    return PosterSpec(**base, instruction=instruction, tile_paper=tile_paper, items=items)


def layout(spec: MethodSpec) -> FormLayout:
    assert isinstance(spec, PosterSpec)
    style = style_for(spec.paper)
    g = GEOMETRY.scaled(spec.paper)
    pages: list[PageLayout] = []
    count = len(spec.items)
    for number, item in enumerate(spec.items, start=1):
        prims: list[Primitive] = header_band(spec, style, spec.title, g.title_pt)
        prims.append(
            footer(style, i18n.t(_FOOTER[spec.kind], spec.language, page=number, pages=count))
        )
        if spec.kind == SERVICE_POSTER:
            body, fields = _service(spec, style, g, item)
        else:
            body, fields = _zones(spec, style, g, item)
        pages.append(PageLayout(number, tuple(prims + body), tuple(fields)))
    built = build_layout(spec, style, pages)
    if spec.paper == "A2":
        plan = plan_tiles(style.page_width, style.page_height, PAPERS[spec.tile_paper])
        return replace(built, tiles=plan)
    return built


def _statement(
    spec: PosterSpec, style: Style, g: PosterGeometry, text: str, size: float
) -> tuple[list[Primitive], float]:
    """The statement, big and centred, then the instruction; returns the y below them."""
    left, width = style.content_left, style.content_width
    top = style.content_top + g.gap
    prims, height = text_block(spec, text, left, top, width, size, bold=True, align="center")
    y = top + height + g.gap
    more, height = text_block(
        spec, spec.instruction, left, y, width, g.instruction_pt, align="center"
    )
    return prims + more, y + height + g.gap


def _zones(
    spec: PosterSpec, style: Style, g: PosterGeometry, item: PosterItem
) -> tuple[list[Primitive], list[Field]]:
    prims, top = _statement(spec, style, g, item.text, g.statement_pt)
    zones = ZONES[spec.kind]
    n = len(zones)
    width = (style.content_width - (n - 1) * g.zone_gap) / n
    bottom = style.content_bottom
    if bottom - top < g.min_zone_height:
        raise InputError("layout.too_tall", file=spec.source, question=item.id)
    labels = [i18n.t(key, spec.language) for _, _, key in zones]
    label_width = width - 2 * g.band_pad
    wrapped = [text_block(spec, lab, 0, 0, label_width, g.label_pt, bold=True) for lab in labels]
    symbol_h = 2 * g.symbol + 2 * g.band_pad if spec.kind == PLUS_MINUS else 0.0
    band = max(h for _, h in wrapped) + 2 * g.band_pad + symbol_h
    fields: list[Field] = []
    frame_mm = g.frame_pt * fonts.PT
    for i, ((value, colour, _), label) in enumerate(zip(zones, labels, strict=True)):
        x = style.content_left + i * (width + g.zone_gap)
        rgb = ZONE_RGB[colour]
        ink = (0.0, 0.0, 0.0) if colour == "yellow" else (1.0, 1.0, 1.0)
        prims.append(Fill(x, top, width, band, rgb))
        y = top + g.band_pad
        if spec.kind == PLUS_MINUS:
            cx, cy = x + width / 2, y + g.symbol + g.band_pad / 2
            arm = g.symbol
            prims.append(Polyline(((cx - arm, cy), (cx + arm, cy)), g.frame_pt * 2.2, ink))
            if value == "plus":
                prims.append(Polyline(((cx, cy - arm), (cx, cy + arm)), g.frame_pt * 2.2, ink))
            y += symbol_h
        label_prims, _ = text_block(
            spec, label, x + g.band_pad, y, label_width, g.label_pt, True, "center", ink
        )
        prims += label_prims
        prims.append(Frame(x, top, width, bottom - top, rgb, g.frame_pt))
        inset = frame_mm / 2 + g.inner_pad
        box = (
            x + inset,
            top + band + g.inner_pad,
            width - 2 * inset,
            bottom - top - band - inset - g.inner_pad,
        )
        fields.append(
            Field(
                id=f"{item.id}_{value}",
                question=item.id,
                kind="zone",
                label=label,
                box=box,
                colour=colour,
                hint=item.text,
            )
        )
    return prims, fields


def _service(
    spec: PosterSpec, style: Style, g: PosterGeometry, item: PosterItem
) -> tuple[list[Primitive], list[Field]]:
    prims, top = _statement(spec, style, g, item.text, g.service_pt)
    bottom = style.content_bottom
    if bottom - top < g.min_zone_height:
        raise InputError("layout.too_tall", file=spec.source, question=item.id)
    x, width = style.content_left, style.content_width
    prims.append(Rect(x, top, width, bottom - top, g.frame_pt * 0.6, 0.45))
    inset = g.inner_pad + 1.0
    field = Field(
        id=item.id,
        question=item.id,
        kind="text",
        label=item.text,
        box=(x + inset, top + inset, width - 2 * inset, bottom - top - 2 * inset),
    )
    return prims, [field]
