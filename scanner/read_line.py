"""Reading a rating line (arviointijana): where along the line the respondent put their mark.

Input is a registered, normalised page (greyscale, template coordinates at ``px_per_mm``) and the
blank form rendered the same way.  Only ink the respondent added counts: dark on the page where
the blank is white (printed ink, grown a little, is ignored).  The field is first re-aligned by a
few pixels against the blank.  Added-ink strokes close to each other form one mark (the two
strokes of an X are cut apart where they cross the printed line).

The mark's position is the mean x of its ink within a narrow band around the line: the crossing
point of an X, the vertex of a tick, the x of a vertical stroke.  A mark that does not reach the
band is placed at its centre.  The line runs along the field box's vertical middle from its left
edge (0) to its right edge (100) (forms/kinds/rating_line.py).  No mark, or more than one, is
flagged for review, never guessed.  Thresholds are in ``LineConfig``.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from forms.template import Field
from scanner.results import FieldResult, FieldStatus


@dataclass(frozen=True)
class LineConfig:
    """Every threshold of rating-line reading.  Lengths in millimetres; grey levels 0-255."""

    ink_contrast: int = 45  # a page pixel this much darker than the blank is added ink (pencil too)
    paper_threshold: int = 200  # a blank pixel lighter than this is paper
    printed_grow_mm: float = 0.35  # printed ink is grown by this before being ignored
    realign_mm: float = 1.5  # local re-alignment: search this far each way
    speck_mm2: float = 0.8  # added-ink blobs smaller than this are dirt
    join_mm: float = 1.6  # strokes closer than this side by side belong to one mark...
    join_vertical_mm: float = 6.5  # ...and this one above the other (bridging the printed line
    # and its end ticks, which cut a mark crossing them into pieces)
    min_mark_mm2: float = 1.5  # a mark has at least this much ink
    band_mm: float = 2.5  # ink within this of the line decides the position
    overshoot_mm: float = 4.0  # a mark further than this beyond an end is off the line
    flagged_confidence: float = 0.3


DEFAULT_CONFIG = LineConfig()


def reason(key: str) -> str:
    """A reason key (palaute/locale/*/methods.json); named so the catalogue test finds it."""
    return key


def _realign(
    page: np.ndarray, blank: np.ndarray, box_px: tuple[int, int, int, int], shift: int
) -> tuple[int, int]:
    """The (dx, dy) that best lays the page's field over the blank's."""
    x0, y0, x1, y1 = box_px
    h, w = page.shape
    if x0 - shift < 0 or y0 - shift < 0 or x1 + shift > w or y1 + shift > h or shift == 0:
        return 0, 0
    reference = blank[y0:y1, x0:x1]
    if float(reference.std()) < 1.0:
        return 0, 0
    search = page[y0 - shift : y1 + shift, x0 - shift : x1 + shift]
    scores = cv2.matchTemplate(search, reference, cv2.TM_CCOEFF_NORMED)
    _, _, _, best = cv2.minMaxLoc(scores)
    return best[0] - shift, best[1] - shift


def read_line(
    page: np.ndarray,
    blank: np.ndarray,
    field: Field,
    px_per_mm: float,
    config: LineConfig = DEFAULT_CONFIG,
) -> FieldResult:
    """The position 0-100 of the respondent's mark on a ``line`` field."""
    if field.kind != "line":
        raise ValueError(f"field {field.id} is a {field.kind} field, not a line")
    s = px_per_mm
    bx, by, bw, bh = field.box
    box_px = (round(bx * s), round(by * s), round((bx + bw) * s), round((by + bh) * s))
    dx, dy = _realign(page, blank, box_px, round(config.realign_mm * s))
    # The field with a margin for marks that overshoot the ends; page shifted onto the blank.
    margin = round(config.overshoot_mm * 2 * s)
    x0, y0, x1, y1 = box_px
    left, right = max(0, x0 - margin), min(page.shape[1], x1 + margin)
    top, bottom = max(0, y0), min(page.shape[0], y1)
    window = _window(page, top + dy, left + dx, bottom - top, right - left).astype(np.int16)
    reference = blank[top:bottom, left:right]
    ink = window < reference.astype(np.int16) - config.ink_contrast
    printed = reference < config.paper_threshold
    grow = max(1, round(config.printed_grow_mm * s)) * 2 + 1
    printed = cv2.dilate(printed.astype(np.uint8), np.ones((grow, grow), np.uint8)) > 0
    added = (ink & ~printed).astype(np.uint8)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(added, connectivity=8)
    keep = np.zeros_like(added)
    for i in range(1, n):
        if stats[i][cv2.CC_STAT_AREA] >= config.speck_mm2 * s * s:
            keep[labels == i] = 1
    join = (max(3, round(config.join_mm * s) | 1), max(3, round(config.join_vertical_mm * s) | 1))
    groups_mask = cv2.dilate(keep, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, join))
    g, group_labels = cv2.connectedComponents(groups_mask, connectivity=8)
    line_y = (by + bh / 2) * s - top
    crop = (field.box[0], field.box[1], field.box[2], field.box[3])
    marks: list[float] = []
    for i in range(1, g):
        ys, xs = np.nonzero((group_labels == i) & (keep > 0))
        if len(xs) < config.min_mark_mm2 * s * s:
            continue
        near = np.abs(ys - line_y) <= config.band_mm * s
        x = float(xs[near].mean() if near.any() else xs.mean())
        marks.append((x + left) / s)
    if not marks:
        return FieldResult(
            field.id,
            None,
            config.flagged_confidence,
            FieldStatus.EMPTY,
            reason("line.no_mark"),
            crop,
            needs_review=True,
        )
    if len(marks) > 1:
        scores = {
            f"mark{i + 1}": round(_position(x, field), 1) for i, x in enumerate(sorted(marks))
        }
        return FieldResult(
            field.id,
            None,
            config.flagged_confidence,
            FieldStatus.MULTIPLE,
            reason("line.several_marks"),
            crop,
            needs_review=True,
            scores=scores,
        )
    x = marks[0]
    if x < bx - config.overshoot_mm or x > bx + bw + config.overshoot_mm:
        return FieldResult(
            field.id,
            None,
            config.flagged_confidence,
            FieldStatus.AMBIGUOUS,
            reason("line.off_line"),
            crop,
            needs_review=True,
        )
    value = round(min(100.0, max(0.0, _position(x, field))), 1)
    return FieldResult(field.id, value, 1.0, FieldStatus.OK, "", crop)


def _window(image: np.ndarray, top: int, left: int, height: int, width: int) -> np.ndarray:
    """image[top:top+height, left:left+width], white where it falls off the image."""
    out = np.full((height, width), 255, dtype=image.dtype)
    y0, x0 = max(0, top), max(0, left)
    y1, x1 = min(image.shape[0], top + height), min(image.shape[1], left + width)
    if y1 > y0 and x1 > x0:
        out[y0 - top : y1 - top, x0 - left : x1 - left] = image[y0:y1, x0:x1]
    return out


def _position(x_mm: float, field: Field) -> float:
    return (x_mm - field.box[0]) / field.box[2] * 100.0
