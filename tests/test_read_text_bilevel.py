"""Free-text boxes on black-and-white scans: folds, a fine pen's hairlines, dithered paper.

Real pages: the printed seed form rasterised at 300 dpi, an answer written in the first text box
of each page, the sample generator's paper and scanner effects (samples/scanner_sim.py) and its
black-and-white conversions (samples/effects.py); read by the real reader.  The other text boxes
stay blank.  A written box must never be a confident blank, a blank one never a confident
written answer.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from samples.effects import Record, bilevel
from scanner.read_page import read_page
from scanner.results import FieldResult, FieldStatus, PageStatus
from scanner.templates import TemplateSet

from . import reader_fixtures as fx

DPI = 300
# An office scanner's "text" mode (samples/scanner_sim.py plan_bilevel draws these settings).
ADAPTIVE: Record = {
    "name": "bilevel",
    "method": "adaptive",
    "window_mm": 2.5,
    "offset": 20,
    "floor": 110,
}


@pytest.fixture(scope="module")
def templates(seed_pdf: Path) -> TemplateSet:
    return TemplateSet.from_pdf(seed_pdf)


def read_text_boxes(
    seed_pdf: Path,
    templates: TemplateSet,
    conversion: Record,
    pen: fx.Pen,
    folds: bool = False,
    sigma: float = 8.0,
) -> list[tuple[bool, FieldResult]]:
    """(written?, result) of every text box on the pages holding text boxes, an answer written
    with ``pen`` in each page's first, scanned and converted to black and white by
    ``conversion`` (with a fold's shadow across every text box when ``folds``)."""
    template = next(iter(templates.values()))
    pages = fx.render_pages(seed_pdf, DPI, 0, len(template.pages))
    out = []
    for page in template.pages:
        texts = [f for f in page.fields if f.kind == "text"]
        if not texts:
            continue
        img = pages[page.number - 1].copy()
        fx.write(pen, img, texts[0].box, "Hyva palvelu kiitos")
        folds_mm = [f.box[1] + f.box[3] / 2 for f in texts] if folds else []
        grey = fx.folded(img, folds_mm, DPI, seed=page.number, sigma=sigma)
        scan = np.where(bilevel(grey, conversion, DPI), 255, 0).astype(np.uint8)
        result, _ = read_page(scan, float(DPI), templates)
        assert result.status is PageStatus.READ, result
        by_id = {r.field_id: r for r in result.fields}
        out += [(i == 0, by_id[f.id]) for i, f in enumerate(texts)]
    return out


def wrong(boxes: list[tuple[bool, FieldResult]]) -> list[FieldResult]:
    """Confident answers that are wrong: a written box blank, a blank one written."""
    return [
        r
        for written, r in boxes
        if not r.needs_review
        and r.status is (FieldStatus.BLANK if written else FieldStatus.WRITTEN)
    ]


@pytest.mark.parametrize("sigma", [4.0, 8.0])
def test_fold_across_text_boxes_of_a_black_and_white_scan(
    seed_pdf: Path, templates: TemplateSet, sigma: float
) -> None:
    """A fold's shadow thresholded to a black line across every text box is no answer; the
    answer written across it still is one.  On noisier paper the line comes out broken and
    crumbs stay beside it once it is removed: a few square millimetres along the whole box,
    which go to a person rather than pass as unclear writing."""
    pen = fx.Pen(DPI, np.random.default_rng(1), grey=40)
    boxes = read_text_boxes(seed_pdf, templates, ADAPTIVE, pen, folds=True, sigma=sigma)
    assert len(boxes) >= 4
    assert wrong(boxes) == []


@pytest.mark.parametrize("grey", [90, 110])
def test_fine_pen_on_a_black_and_white_scan_is_written(
    seed_pdf: Path, templates: TemplateSet, grey: int
) -> None:
    """A fine, light pen comes out of thresholding in strokes a pixel or two wide: still an
    answer, and the blank boxes beside it stay blank."""
    pen = fx.Pen(DPI, np.random.default_rng(2), grey=grey, width_mm=0.2)
    boxes = read_text_boxes(seed_pdf, templates, {"name": "bilevel", "method": "otsu"}, pen)
    assert [r.status for written, r in boxes if written] == [FieldStatus.WRITTEN] * sum(
        written for written, _ in boxes
    )
    assert wrong(boxes) == []


def test_dithered_scan_text_boxes(seed_pdf: Path, templates: TemplateSet) -> None:
    """Error-diffusion dithering ("photo" mode) scatters dark pixels over grey paper: the blank
    boxes' speckle is no answer, the written box's solid strokes are."""
    pen = fx.Pen(DPI, np.random.default_rng(3), grey=40)
    boxes = read_text_boxes(seed_pdf, templates, {"name": "bilevel", "method": "dither"}, pen)
    assert len(boxes) >= 4
    assert wrong(boxes) == []
    assert all(r.status is FieldStatus.WRITTEN for written, r in boxes if written), boxes
