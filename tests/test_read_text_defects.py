"""Free-text boxes against what paper and scanners add: crumbs, a streak from the glass, a fold
along a box's border, the shadow of a sheet's edge, a punch hole, writing on the back showing
through; and short answers ("-", "ei", "x") that must still be found.

Real pages: the printed seed form rasterised at 300 dpi, the defect drawn on the grey page, the
sample generator's scanner effects (samples/scanner_sim.py: skew, blur, noise) and its
black-and-white conversions (samples/effects.py), read by the real reader.  A blank box may go
to a person; it must never be a confident written answer.  A written one must never be a
confident blank.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np
import pytest

from forms.template import Field, Page
from samples import effects, handwriting
from samples.effects import Record
from samples.strokes import PENS, InkLayer
from scanner.read_page import read_page
from scanner.results import FieldResult, FieldStatus, PageStatus
from scanner.templates import TemplateSet

from . import reader_fixtures as fx

DPI = 300
S = DPI / 25.4  # pixels per millimetre
# An office scanner's "text" mode at a middling and at its darkest setting, and one global level.
MIDDLE: Record = {
    "name": "bilevel",
    "method": "adaptive",
    "window_mm": 3.0,
    "offset": 25,
    "floor": 110,
}
DARK: Record = {
    "name": "bilevel",
    "method": "adaptive",
    "window_mm": 2.5,
    "offset": 12,
    "floor": 120,
}
OTSU: Record = {"name": "bilevel", "method": "otsu"}

DUST_SHARE = 8.0 / (160.0 * 45.0)  # dust per area of paper: 8 mm² in a five-line box
Defect = Callable[[np.ndarray, list[Field], np.random.Generator], np.ndarray]


@pytest.fixture(scope="module")
def templates(seed_pdf: Path) -> TemplateSet:
    return TemplateSet.from_pdf(seed_pdf)


@pytest.fixture(scope="module")
def blank_pages(seed_pdf: Path, templates: TemplateSet) -> list[np.ndarray]:
    template = next(iter(templates.values()))
    return fx.render_pages(seed_pdf, DPI, 0, len(template.pages))


def _px(mm: float) -> int:
    return round(mm * S)


def crumbs(grey: np.ndarray, boxes: list[Field], rng: np.random.Generator) -> np.ndarray:
    """Toner dust and dirt: dots up to 0.4 mm across, as densely as some 8 mm² of them in a
    five-line box (dust falls per area of paper: a one-line box gets less)."""
    for f in boxes:
        x, y, w, h = f.box
        done = 0.0
        while done < DUST_SHARE * w * h:
            r = float(rng.uniform(0.08, 0.2))
            centre = (
                _px(rng.uniform(x + 1.5, x + w - 1.5)),
                _px(rng.uniform(y + 1.5, y + h - 1.5)),
            )
            cv2.circle(grey, centre, max(1, _px(r)), int(rng.integers(30, 120)), -1, cv2.LINE_AA)
            done += np.pi * r * r
    return grey


def streak(grey: np.ndarray, boxes: list[Field], rng: np.random.Generator) -> np.ndarray:
    """Dirt on the scanner's glass: thin grey lines down the whole page, through every box."""
    for share in (0.31, 0.62):
        x = round(grey.shape[1] * share)
        grey[:, x : x + 2] = np.minimum(grey[:, x : x + 2], 150)
    return grey


def fold_on_border(grey: np.ndarray, boxes: list[Field], rng: np.random.Generator) -> np.ndarray:
    """A strong fold's shadow running along each box's top border."""
    for f in boxes:
        grey = effects.fold(grey, f.box[1], 0.15, DPI)
    return grey


def edge_shadow(grey: np.ndarray, boxes: list[Field], rng: np.random.Generator) -> np.ndarray:
    """The soft shadow of another sheet's edge lying across each box."""
    rows = np.arange(grey.shape[0], dtype=np.float32)
    for f in boxes:
        centre = (f.box[1] + 0.45 * f.box[3]) * S
        shade = 0.35 * np.exp(-(((rows - centre) / (0.5 * S)) ** 2))
        grey = np.clip(grey * (1 - shade)[:, None], 0, 255).astype(np.uint8)
    return grey


def punch_hole(grey: np.ndarray, boxes: list[Field], rng: np.random.Generator) -> np.ndarray:
    """A punch hole's dark disc (the scanner's lid behind it) in each box."""
    for f in boxes:
        centre = (_px(f.box[0] + 0.7 * f.box[2]), _px(f.box[1] + min(f.box[3] / 2, 4.0)))
        cv2.circle(grey, centre, _px(3.0), 40, -1, cv2.LINE_AA)
    return grey


def dash(grey: np.ndarray, boxes: list[Field]) -> np.ndarray:
    """A "-" a few millimetres long in ballpoint in each of ``boxes``: "nothing to add"."""
    for f in boxes:
        x, y = f.box[0] + 8.0, f.box[1] + min(f.box[3] - 2.0, 5.0)
        cv2.line(grey, (_px(x), _px(y)), (_px(x + 4.0), _px(y - 0.3)), 60, _px(0.45), cv2.LINE_AA)
    return grey


def write(
    grey: np.ndarray, boxes: list[Field], text: str, pen: str, seed: int, mirror: bool = False
) -> np.ndarray:
    """``text`` written by a generated hand with ``pen`` in each of ``boxes``; with ``mirror``
    where each box lies on the back of the sheet (mirrored left to right)."""
    rgb = np.dstack([grey] * 3)
    rng = np.random.default_rng(seed)
    for f in boxes:
        layer = InkLayer(PENS[pen], rgb.shape[:2], DPI)
        box = f.box
        if mirror:
            box = (grey.shape[1] / S - box[0] - box[2], box[1], box[2], box[3])
        handwriting.write(layer, rng, text, box, max(1, f.lines), handwriting.Hand.random(rng))
        layer.apply(rgb)
    return np.asarray(cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY))


def scanned(grey: np.ndarray, seed: int, conversion: Record | None) -> np.ndarray:
    """``grey`` on the glass a little skewed, blurred and noisy (the sample generator's
    effects), then converted to black and white by ``conversion`` (None: kept grey, saved as a
    JPEG)."""
    out = fx.folded(grey, [], DPI, seed, sigma=4.0)
    if conversion is None:
        return fx.jpeg(out, 75)
    if conversion["method"] == "otsu":
        conversion = conversion | {"level": effects.otsu_level(out)}
    return np.where(effects.bilevel(out, conversion, DPI), 255, 0).astype(np.uint8)


def read_boxes(
    templates: TemplateSet,
    pages: list[np.ndarray],
    change: Callable[[np.ndarray, Page], tuple[np.ndarray, set[str]]],
    conversion: Record | None,
) -> list[tuple[bool, FieldResult]]:
    """(written?, result) of every text box of the pages holding some, each page changed by
    ``change`` (which returns the new page and the ids of the boxes it wrote in)."""
    template = next(iter(templates.values()))
    out = []
    for page in template.pages:
        if not any(f.kind == "text" for f in page.fields):
            continue
        grey, written = change(pages[page.number - 1].copy(), page)
        result, _ = read_page(scanned(grey, page.number, conversion), float(DPI), templates)
        assert result.status is PageStatus.READ, result
        by_id = {r.field_id: r for r in result.fields}
        out += [(f.id in written, by_id[f.id]) for f in page.fields if f.kind == "text"]
    return out


def confident_written(boxes: list[tuple[bool, FieldResult]]) -> list[FieldResult]:
    return [r for written, r in boxes if not written and r.status is FieldStatus.WRITTEN]


def confident_blank(boxes: list[tuple[bool, FieldResult]]) -> list[FieldResult]:
    return [r for written, r in boxes if written and r.status is FieldStatus.BLANK]


def texts(page: Page) -> list[Field]:
    return [f for f in page.fields if f.kind == "text"]


@pytest.mark.parametrize(
    ("defect", "conversion"),
    [
        (crumbs, MIDDLE),
        (crumbs, DARK),
        (streak, MIDDLE),
        (streak, DARK),
        (fold_on_border, MIDDLE),
        (edge_shadow, MIDDLE),
        (punch_hole, OTSU),
    ],
    ids=lambda v: v.__name__ if callable(v) else str(v.get("offset", v["method"])),
)
def test_blank_box_with_a_defect_is_not_confidently_written(
    templates: TemplateSet, blank_pages: list[np.ndarray], defect: Defect, conversion: Record
) -> None:
    rng = np.random.default_rng(5)
    boxes = read_boxes(
        templates, blank_pages, lambda g, p: (defect(g, texts(p), rng), set()), conversion
    )
    assert len(boxes) >= 6
    assert confident_written(boxes) == []


def test_writing_on_the_back_showing_through_is_not_confidently_written(
    templates: TemplateSet, blank_pages: list[np.ndarray]
) -> None:
    """The back of the sheet written on in ballpoint, seen through the paper: pale, soft and
    mirrored on a grey scan.  (A black-and-white scanner set dark enough turns it to black
    strokes that nothing tells from writing.)"""

    def through(grey: np.ndarray, page: Page) -> tuple[np.ndarray, set[str]]:
        paper = np.full_like(grey, 255)
        back = write(paper, texts(page), "Palvelu oli hyvää, kiitos", "ballpoint-black", 1, True)
        return np.minimum(grey, effects.show_through(back, 0.25)), set()

    boxes = read_boxes(templates, blank_pages, through, None)
    assert confident_written(boxes) == []


@pytest.mark.parametrize("text", ["-", "ei", "x", "ok"])
@pytest.mark.parametrize("conversion", [MIDDLE, None], ids=["bilevel", "grey"])
def test_a_short_answer_is_found(
    templates: TemplateSet, blank_pages: list[np.ndarray], text: str, conversion: Record | None
) -> None:
    """A one-word or one-stroke answer in each page's first text box is never a confident
    blank; the other boxes stay unwritten."""

    def answer(grey: np.ndarray, page: Page) -> tuple[np.ndarray, set[str]]:
        first = texts(page)[:1]
        if text == "-":
            return dash(grey, first), {f.id for f in first}
        return write(grey, first, text, "ballpoint-blue", page.number), {f.id for f in first}

    boxes = read_boxes(templates, blank_pages, answer, conversion)
    assert confident_blank(boxes) == []
    assert confident_written(boxes) == []
