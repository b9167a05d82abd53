"""Reading a rating line (arviointijana): where along the line the respondent put their mark.

The line runs along the field box's vertical middle from its left edge (0) to its right edge
(100) (forms/kinds/rating_line.py).  Input is the field's added ink (scanner/ink.py: the scan
re-aligned locally against the blank form, dark where the blank is white), collected
``LineConfig.reach_mm`` past both ends, because a mark at an end often overshoots it.

Ink drawn right on the printed line or on an end tick is hidden from the added-ink mask (printed
ink is widened there to absorb misregistration), so it is taken back where the scan is dark and
the blank is not, in pieces thicker than scan blur along a printed edge.  Pieces of added ink
close to each other form one mark: the strokes of an X are cut apart where they cross the line.

The mark's position is the mean x of its ink within a narrow band around the line: the crossing
point of an X, the vertex of a tick, the x of a vertical stroke; a mark that does not reach the
band is placed at its centre.  Marks at or just beyond an end read 0 or 100.  No mark, faint ink
only, more than one mark or a mark well beyond an end is flagged for review, never guessed: a
line is never a confident "empty".  Thresholds are in ``scanner.config.LineConfig``.
"""

from __future__ import annotations

import dataclasses

import cv2
import numpy as np

from forms.template import Box, Field
from scanner import outcome
from scanner.config import ReaderConfig
from scanner.ink import FieldInk, remove_streaks
from scanner.results import FieldResult, FieldStatus

# Reasons (catalogue keys, palaute/locale/*/methods.json).
NO_MARK = "line.no_mark"
FAINT = "line.faint"
SEVERAL = "line.several_marks"
OFF_LINE = "line.off_line"


def reason(key: str) -> str:
    """A reason key; named so that the catalogue test finds the keys used here."""
    return key


REASONS = (
    reason("line.no_mark"),
    reason("line.faint"),
    reason("line.several_marks"),
    reason("line.off_line"),
)


@dataclasses.dataclass(frozen=True)
class LineMark:
    """One mark found near the line: its position (0-100, unclamped) and its ink."""

    position: float
    ink_mm2: float


def line_marks(field: Field, ink: FieldInk, config: ReaderConfig) -> list[LineMark]:
    """Every group of added ink near the line with at least ``faint_mm2`` of ink, left to right."""
    lc = config.line
    s = ink.px_per_mm
    x, y, w, h = field.box
    x0, y0, x1, y1 = ink.pixels((x - lc.reach_mm, y, w + 2 * lc.reach_mm, h))
    if x1 <= x0 or y1 <= y0:
        return []
    mask = ink.mask[y0:y1, x0:x1]
    dark = ink.dark[y0:y1, x0:x1]
    # Ink on printed matter (the line, the end ticks): dark where the blank is not, once the
    # printed ink is grown by this scan's own print gain (measured on the line) and a pixel.
    printed = ink.printed[y0:y1, x0:x1]
    line_y = (y + h / 2) * s - (ink.origin[1] + y0)
    grow = 1 + _print_gain(dark, printed, line_y, lc.band_mm * s)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * grow + 1, 2 * grow + 1))
    on_print = (dark & (cv2.dilate(printed, kernel) == 0)).astype(np.uint8)
    thick = max(2, round(lc.on_print_mm * s))
    on_print = cv2.morphologyEx(on_print, cv2.MORPH_OPEN, np.ones((thick, thick), np.uint8))
    on_print = remove_streaks(on_print, dark, config.streak_fraction)
    added = (mask | on_print).astype(np.uint8)
    if not added.any():
        return []
    # Dust: pieces too small to be part of a stroke.
    _, labels, stats, _ = cv2.connectedComponentsWithStats(added, connectivity=8)
    small = stats[:, cv2.CC_STAT_AREA] < lc.speck_mm2 * s * s
    small[0] = True
    added = np.where(small[labels], np.uint8(0), added).astype(np.uint8)
    if not added.any():
        return []
    size = (max(3, round(lc.join_mm * s) | 1), max(3, round(lc.join_vertical_mm * s) | 1))
    joined = cv2.dilate(added, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, size))
    g, groups = cv2.connectedComponents(joined, connectivity=8)
    ys, xs = np.nonzero(added)
    owner = groups[ys, xs]
    area = np.bincount(owner, minlength=g).astype(np.float64)
    near = np.abs(ys - line_y) <= lc.band_mm * s
    near_count = np.bincount(owner[near], minlength=g).astype(np.float64)
    near_x = np.bincount(owner[near], weights=xs[near], minlength=g)
    all_x = np.bincount(owner, weights=xs, minlength=g)
    marks = []
    for i in range(1, g):
        ink_mm2 = ink.area_mm2(area[i])
        if ink_mm2 < lc.faint_mm2:
            continue
        column = near_x[i] / near_count[i] if near_count[i] else all_x[i] / area[i]
        x_mm = (ink.origin[0] + x0 + column + 0.5) / s
        marks.append(LineMark(float((x_mm - x) / w * 100.0), ink_mm2))
    return sorted(marks, key=lambda m: m.position)


def read_line(field: Field, ink: FieldInk, crop: Box, config: ReaderConfig) -> FieldResult:
    """The position 0-100 of the respondent's mark on a ``line`` field, or a flagged result."""
    lc = config.line
    found = line_marks(field, ink, config)
    marks = [m for m in found if m.ink_mm2 >= lc.mark_mm2]
    scores = {f"mark{i + 1}": m.position for i, m in enumerate(found)}
    scores["ink_mm2"] = sum(m.ink_mm2 for m in found)

    def flagged(status: FieldStatus, value: float | None, why: str) -> FieldResult:
        result = outcome.result(
            field, status, value, lc.flagged_confidence, why, crop, scores, config
        )
        return dataclasses.replace(result, needs_review=True)

    if len(marks) > 1:
        return flagged(FieldStatus.MULTIPLE, None, SEVERAL)
    if not marks:
        if not found:
            return flagged(FieldStatus.EMPTY, None, NO_MARK)
        strongest = max(found, key=lambda m: m.ink_mm2)
        return flagged(FieldStatus.AMBIGUOUS, _clamped(strongest.position), FAINT)
    mark = marks[0]
    beyond = max(-mark.position, mark.position - 100.0) / 100.0 * field.box[2]
    if beyond > lc.overshoot_mm:
        return flagged(FieldStatus.AMBIGUOUS, None, OFF_LINE)
    strength = (mark.ink_mm2 - lc.mark_mm2) / max(1e-6, lc.clear_mm2 - lc.mark_mm2)
    confidence = 0.7 + 0.3 * min(1.0, max(0.0, strength))
    value = _clamped(mark.position)
    return outcome.result(
        field, FieldStatus.OK, value, confidence, outcome.OK, crop, scores, config
    )


def _print_gain(dark: np.ndarray, printed: np.ndarray, line_y: float, band: float) -> int:
    """How many pixels thicker the printed line is in the scan than on the blank form (the
    median over the line's columns: a mark crosses only a few)."""
    top, bottom = max(0, round(line_y - band)), max(0, round(line_y + band) + 1)
    on_line = printed[top:bottom].sum(axis=0)
    columns = on_line > 0
    if not columns.any():
        return 0
    extra = dark[top:bottom].sum(axis=0)[columns].astype(np.int32) - on_line[columns]
    return max(0, int(np.ceil(float(np.median(extra)) / 2)))


def _clamped(position: float) -> float:
    return round(min(100.0, max(0.0, position)), 1)
