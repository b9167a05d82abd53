"""The last silent errors: blank text boxes crossed by a paper fold, and tiny ticks on a digit.

Real pages: the printed seed form rasterised, answers drawn on it, the sample generator's scan
effects (samples/scanner_sim.py: a fold's shadow across the text boxes, skew, blur, noise) and
JPEG; read by the real reader.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from scanner import outcome
from scanner.config import DEFAULT
from scanner.read_page import read_page
from scanner.results import FieldStatus, PageStatus
from scanner.templates import TemplateSet

from . import reader_fixtures as fx

DPI = 200


@pytest.fixture(scope="module")
def templates(seed_pdf: Path) -> TemplateSet:
    return TemplateSet.from_pdf(seed_pdf)


def scanned(img: np.ndarray, folds_mm: list[float], seed: int) -> np.ndarray:
    """``img`` folded across the page at ``folds_mm`` (strong creases), skewed, blurred, noisy."""
    return fx.jpeg(fx.folded(img, folds_mm, DPI, seed), 75)


@pytest.mark.parametrize("offset_mm", [-2.0, 0.0])
def test_fold_across_blank_text_box_is_not_written(
    seed_pdf: Path, templates: TemplateSet, offset_mm: float
) -> None:
    """A fold crossing a text box (and the page beyond it) is no confident written answer; a
    real answer crossed by the same fold is never a confident blank."""
    template = next(iter(templates.values()))
    pages = fx.render_pages(seed_pdf, DPI, 0, 3)
    checked = 0
    for number in (1, 3):
        img = pages[number - 1].copy()
        texts = [f for f in template.page(number).fields if f.kind == "text"]
        written = texts[0]
        answer = fx.Answer(written.id, "text", text="Hyva palvelu kiitos")
        fx.draw(template, img, DPI, [answer], seed=number)
        folds = [f.box[1] + f.box[3] / 2 + offset_mm for f in texts]
        result, _ = read_page(scanned(img, folds, number), float(DPI), templates)
        assert result.status is PageStatus.READ, result
        by_id = {r.field_id: r for r in result.fields}
        # Never confidently blank: written, or sent to a person when the words lie along the
        # fold's line.
        answer_read = by_id[written.id]
        assert answer_read.status is FieldStatus.WRITTEN or answer_read.needs_review, answer_read
        for f in texts[1:]:
            r = by_id[f.id]
            assert r.status is FieldStatus.BLANK or r.needs_review, (f.id, r)
            checked += 1
    assert checked >= 3


def test_tiny_tick_on_a_digit_is_not_a_confident_empty(
    seed_pdf: Path, templates: TemplateSet
) -> None:
    """A small tick (about 2 mm) drawn over a printed digit, mostly on the print: the row is
    read or flagged, never a confident empty."""
    template = next(iter(templates.values()))
    pages = fx.render_pages(seed_pdf, DPI, 0, 3)
    rows = [f for p in template.pages for f in p.fields if f.kind == "likert"]
    misses = []
    for number in sorted(
        {p.number for p in template.pages if any(f.kind == "likert" for f in p.fields)}
    ):
        img = pages[number - 1].copy()
        page_rows = [f for f in template.page(number).fields if f.kind == "likert"]
        pen = fx.Pen(DPI, np.random.default_rng(number), grey=60, width_mm=0.35)
        ticked = page_rows[::3]
        for i, row in enumerate(ticked):
            option = row.options[(i * 2 + 1) % len(row.options)]
            cx, cy = fx.centre(option.box)
            pen.polyline(img, [(cx - 0.8, cy), (cx - 0.2, cy + 0.8), (cx + 1.0, cy - 1.0)])
        result, _ = read_page(fx.jpeg(fx.noisy(img, number, sigma=3.0), 85), float(DPI), templates)
        assert result.status is PageStatus.READ, result
        by_id = {r.field_id: r for r in result.fields}
        misses += [
            (row.id, by_id[row.id].scores)
            for row in ticked
            if by_id[row.id].status is FieldStatus.EMPTY
        ]
    assert rows and not misses, misses


Scan = Callable[[np.ndarray, int], np.ndarray]


def office(img: np.ndarray, seed: int) -> np.ndarray:
    """An office scanner's greyscale JPEG: a little noise, quality 85."""
    return fx.jpeg(fx.noisy(img, seed, sigma=3.0), 85)


def cheap(img: np.ndarray, seed: int) -> np.ndarray:
    """A noisy scanner's greyscale JPEG: noise σ 8, quality 75."""
    return fx.jpeg(fx.noisy(img, seed), 75)


# Scans of the likert page: 200 dpi greyscale JPEG, upright, sideways and upside down, skewed,
# and 300 dpi bilevel (what a G4 scan holds).
SCANS: dict[str, tuple[int, Scan]] = {
    "jpeg": (200, office),
    "jpeg_rot90": (200, lambda img, seed: fx.rotate90(office(img, seed), 1)),
    "jpeg_rot180": (200, lambda img, seed: fx.rotate90(office(img, seed), 2)),
    "noisy60": (200, lambda img, seed: fx.jpeg(fx.noisy(img, seed), 60)),
    "noisy_rot90": (200, lambda img, seed: fx.rotate90(cheap(img, seed), 1)),
    "noisy_rot180": (200, lambda img, seed: fx.rotate90(cheap(img, seed), 2)),
    "noisy_rot270": (200, lambda img, seed: fx.rotate90(cheap(img, seed), 3)),
    "noisy_skew": (200, lambda img, seed: cheap(fx.skew(img, 1.5, (9, -6)), seed)),
    "g4": (300, lambda img, seed: fx.bilevel(fx.noisy(img, seed, sigma=4))),
    "g4_rot180": (300, lambda img, seed: fx.rotate90(fx.bilevel(fx.noisy(img, seed, sigma=4)), 2)),
}

_likert_pages: dict[int, list[tuple[int, np.ndarray]]] = {}


def likert_pages(seed_pdf: Path, templates: TemplateSet, dpi: int) -> list[tuple[int, np.ndarray]]:
    """(page number, blank image) of every page with likert rows, both printed copies."""
    if dpi not in _likert_pages:
        template = next(iter(templates.values()))
        count = len(template.pages)
        pages = fx.render_pages(seed_pdf, dpi, 0, 2 * count)
        _likert_pages[dpi] = [
            (p.number, pages[copy * count + p.number - 1])
            for copy in (0, 1)
            for p in template.pages
            if any(f.kind == "likert" for f in p.fields)
        ]
    return _likert_pages[dpi]


@pytest.mark.parametrize("scan", ["jpeg", "jpeg_rot90", "jpeg_rot180"])
def test_tiny_tick_inside_a_digit_in_its_colour_is_flagged(
    seed_pdf: Path, templates: TemplateSet, scan: str
) -> None:
    """A tick about 2 mm across drawn inside a printed digit (some 2.5 by 3.4 mm), in the
    print's own black, with a fine pen: it hardly adds a dark pixel the blank form does not
    have (the dark-pixel measures read such rows as empty, as the reader with the grey-level
    rule switched off shows), but it darkens the paper between the digit's strokes.  Never a
    confident empty row, never a confident other number.  (A tick lying wholly on the print,
    black on black, is not in the scan at all; one along a 2's diagonal shows only a little, and
    under a noisy scanner's noise, σ 8, may stay below the flag.)"""
    dpi, effect = SCANS[scan]
    template = next(iter(templates.values()))
    missed, wrong, empty_without_rule = [], [], 0
    without_rule = replace(DEFAULT, likert_grey_mark_mm2=float("inf"))
    for i, (number, blank) in enumerate(likert_pages(seed_pdf, templates, dpi)):
        img = blank.copy()
        rows = [f for f in template.page(number).fields if f.kind == "likert"]
        pen = fx.Pen(dpi, np.random.default_rng(i), grey=20, width_mm=0.25)
        ticked = {}
        for j, row in enumerate(rows[i % 2 :: 2]):
            option = row.options[(j * 3 + i) % len(row.options)]
            cx, cy = fx.centre(option.box)
            cx, cy = cx + pen.jitter(0.2), cy + pen.jitter(0.2)
            pen.polyline(img, [(cx - 0.9, cy), (cx - 0.3, cy + 0.8), (cx + 1.0, cy - 1.2)])
            ticked[row.id] = option.value
        scanned_page = effect(img, i)
        result, _ = read_page(scanned_page, float(dpi), templates)
        assert result.status in (PageStatus.READ, PageStatus.FLAGGED), result
        by_id = {r.field_id: r for r in result.fields}
        for row_id, value in ticked.items():
            r = by_id[row_id]
            if r.status is FieldStatus.EMPTY:
                missed.append((row_id, value, r.scores))
            elif not r.needs_review and r.value != value:
                wrong.append((row_id, value, r.status, r.value))
        plain, _ = read_page(scanned_page, float(dpi), templates, without_rule)
        empty_without_rule += sum(
            1 for r in plain.fields if r.field_id in ticked and r.status is FieldStatus.EMPTY
        )
    assert ticked and not missed and not wrong, (missed, wrong)
    assert empty_without_rule > 0  # the ticks are as small as the case needs


@pytest.mark.parametrize("scan", sorted(SCANS))
def test_clean_rows_are_not_flagged_for_a_darker_digit(
    seed_pdf: Path, templates: TemplateSet, scan: str
) -> None:
    """Unmarked rows on blank printed pages, scanned every way: the grey-level comparison of
    the digits flags none of them (print gain, blur, noise, JPEG, thresholding and the
    resampling of a turned or skewed page touch every digit of a row alike)."""
    dpi, effect = SCANS[scan]
    flagged = []
    rows = 0
    for i, (_, blank) in enumerate(likert_pages(seed_pdf, templates, dpi)):
        result, _ = read_page(effect(blank.copy(), 20 + i), float(dpi), templates)
        assert result.status is PageStatus.READ, result
        likert = [r for r in result.fields if r.field_id.startswith("q4_")]
        rows += len(likert)
        flagged += [(r.field_id, r.status) for r in likert if r.reason == outcome.DARK_DIGIT]
        assert all(r.status is FieldStatus.EMPTY for r in likert), likert
    assert rows >= 16 and not flagged, flagged
