"""Free-text fields: written or blank.

Printed ruled lines are already removed with the blank reference; what is left of them after a
small misregistration (long, thin, horizontal residue) is removed here, and so are specks.  A text
field is written when enough ink remains and it spreads over more than a dot.  Written fields are
cropped for transcription; when in doubt a field counts as written, because a person looks at
every written crop anyway, while a field wrongly called blank would lose an answer.
"""

from __future__ import annotations

import cv2
import numpy as np

from forms.template import Box, Field
from scanner import outcome
from scanner.config import ReaderConfig
from scanner.ink import FieldInk
from scanner.results import FieldResult, FieldStatus


def clean_text_ink(mask: np.ndarray, px_per_mm: float, config: ReaderConfig) -> np.ndarray:
    """``mask`` without thin horizontal line residue and without specks."""
    if not mask.any():
        return mask
    length = max(3, round(config.text_line_min_mm * px_per_mm))
    thickness = max(1, round(config.text_line_max_mm * px_per_mm))
    lines = cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((1, length), np.uint8))
    if lines.any():
        thick = cv2.morphologyEx(lines, cv2.MORPH_OPEN, np.ones((thickness + 1, 1), np.uint8))
        mask = np.where((lines > 0) & (thick == 0), np.uint8(0), mask).astype(np.uint8)
    # Specks are judged on a half-resolution copy (pixels OR-ed in pairs): four times cheaper.
    h, w = mask.shape
    half = mask[: h - h % 2, : w - w % 2]
    half = half[0::2, 0::2] | half[1::2, 0::2] | half[0::2, 1::2] | half[1::2, 1::2]
    count, labels, stats, _ = cv2.connectedComponentsWithStats(half, connectivity=8)
    if count <= 1:
        return np.zeros_like(mask)
    speck = config.text_speck_mm * px_per_mm / 2
    keep = (stats[:, cv2.CC_STAT_WIDTH] >= speck) | (stats[:, cv2.CC_STAT_HEIGHT] >= speck)
    keep[0] = False
    if keep[1:].all():
        return mask
    kept = keep[labels].astype(np.uint8)
    full = np.zeros_like(mask)
    full[: h - h % 2, : w - w % 2] = np.repeat(np.repeat(kept, 2, axis=0), 2, axis=1)
    return mask & full


def _disc(radius: int) -> np.ndarray:
    return cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * radius + 1, 2 * radius + 1))


def bilevel_text_ink(ink: FieldInk, config: ReaderConfig) -> np.ndarray:
    """The field's added ink, adjusted for what black-and-white scanners do to handwriting.

    The paper's speckle is measured first: the share of dark pixels on bare paper (clear of the
    print and ``text_speckle_clear_mm`` away from any ink).  On clean paper a dark pixel is ink,
    so the hairlines that added-ink cleaning drops (a fine or light pen thresholded to strokes a
    pixel wide, or broken into speckle) are put back where they continue surviving strokes:
    runs of at least ``text_hairline_min_mm2`` within ``text_hairline_mm`` of them.  On speckled
    paper (dithered or a dark setting: more than ``text_speckle_max``) ink is only where the
    dark pixels are dense (``text_speckle_density`` of a ``text_speckle_window_mm`` window):
    strokes are solid, speckle is not.  Greyscale scans have clean paper and lose nothing."""
    mask = ink.mask
    if not mask.any():
        return mask
    s = ink.px_per_mm
    grow = max(1, round(config.reference_dilate_mm * s)) + 1
    free = cv2.dilate(ink.printed, _disc(grow)) == 0
    away = cv2.dilate(mask, _disc(max(1, round(config.text_speckle_clear_mm * s)))) == 0
    bare = free & away
    if not bare.any():
        return mask
    speckle = float(np.count_nonzero(ink.dark.astype(bool) & bare)) / float(np.count_nonzero(bare))
    if speckle > config.text_speckle_max:
        k = max(3, round(config.text_speckle_window_mm * s) | 1)
        dense = cv2.blur(ink.dark.astype(np.float32), (k, k)) >= config.text_speckle_density
        return (mask & dense).astype(np.uint8)
    near = cv2.dilate(mask, _disc(max(1, round(config.text_hairline_mm * s))))
    extra = (ink.dark & near & free & (mask == 0)).astype(np.uint8)
    if not extra.any():
        return mask
    _, labels, stats, _ = cv2.connectedComponentsWithStats(extra, connectivity=8)
    keep = stats[:, cv2.CC_STAT_AREA] >= config.text_hairline_min_mm2 * s * s
    keep[0] = False
    return (mask | keep[labels]).astype(np.uint8)


def _straight_band(
    mask: np.ndarray, printed: np.ndarray, px_per_mm: float, config: ReaderConfig
) -> tuple[float, float] | None:
    """The straight band (offset, slope: y = offset + slope * x, pixels) of ink running across
    the whole field, from side to side, or None.  Every slope up to ``text_fold_slope`` is tried, in steps small enough
    that the band drifts by less than half its height over the field; the ink is projected
    along it into half-band rows, and the pair of rows with ink in most columns wins."""
    ys, xs = np.nonzero(mask)
    if xs.size == 0:
        return None
    w = mask.shape[1]
    band = max(2.0, config.text_fold_band_mm * px_per_mm)
    step = max(1, round(config.text_fold_step_mm * px_per_mm))
    columns = -(-w // step)
    need = config.text_fold_cover * columns
    count = max(1, int(np.ceil(2 * config.text_fold_slope * w / (band / 2))))
    best: tuple[int, float, float] | None = None
    col = xs // step
    py, px = np.nonzero(printed)
    for slope in np.linspace(-config.text_fold_slope, config.text_fold_slope, 2 * count + 1):
        shifted = ys - slope * xs
        low = float(shifted.min())
        rows = ((shifted - low) / (band / 2)).astype(np.int64)
        nrows = int(rows.max()) + 2
        hits = np.zeros((nrows, columns), bool)
        hits[rows, col] = True
        pair = hits[:-1] | hits[1:]
        covered = pair.sum(axis=1)
        r = int(np.argmax(covered))
        if covered[r] < need:
            continue
        on = np.abs(shifted - (low + (r + 1) * band / 2)) <= band / 2
        end = config.text_fold_end_mm * px_per_mm
        first, last = 0, w - 1
        centre = low + (r + 1) * band / 2
        along = np.abs(py - slope * px - centre) <= band / 2
        if np.count_nonzero(along) and np.ptp(px[along]) >= w / 2:
            first, last = int(px[along].min()), int(px[along].max())  # a printed rule's residue
        if xs[on].min() > first + end or xs[on].max() < last - end:
            continue  # handwriting starts and stops inside the box; a fold runs on past it
        if best is None or covered[r] > best[0]:
            best = (int(covered[r]), low + (r + 1) * band / 2, float(slope))
    return None if best is None else (best[1], best[2])


def remove_straight_lines(
    mask: np.ndarray, printed: np.ndarray, px_per_mm: float, config: ReaderConfig
) -> tuple[np.ndarray, int]:
    """``mask`` without long straight lines running across the field: a paper fold's shadow, a
    printed rule's residue, a crease.  They cross the whole box (and the page beyond it), or
    run the length of a printed rule, thin and straight; handwriting is short curved strokes
    that start and stop inside the box.  Pieces of ink lying in the line's band
    are removed; strokes reaching well out of it (letters written across a fold) stay whole.
    Returns the mask and the number of pixels removed."""
    removed = 0
    for _ in range(3):  # a fold and a rule's residue may cross the same box
        found = _straight_band(mask, printed, px_per_mm, config)
        if found is None:
            break
        offset, slope = found
        count, labels = cv2.connectedComponents(mask, connectivity=8)
        ys, xs = np.nonzero(mask)
        # The line itself, fitted to the ink along the band (a blurred shadow's residue is
        # ragged and a page's perspective bends it slightly).
        band = config.text_fold_band_mm * px_per_mm
        along = np.abs(ys - (offset + slope * xs)) <= band
        if np.ptp(xs[along]) > 0:
            slope, offset = (float(v) for v in np.polyfit(xs[along], ys[along], 1))
        residual = np.abs(ys - (offset + slope * xs))
        inside = residual <= band / 2 + config.text_fold_margin_mm * px_per_mm
        own = labels[ys, xs]
        total = np.bincount(own, minlength=count)
        near = np.bincount(own[inside], minlength=count)
        line = near >= config.text_fold_share * np.maximum(total, 1)
        line[0] = False
        if not line.any():
            break
        drop = line[labels]
        removed += int(np.count_nonzero(drop & (mask > 0)))
        mask = np.where(drop, np.uint8(0), mask).astype(np.uint8)
    return mask, removed


def read_text(field: Field, ink: FieldInk, crop: Box, config: ReaderConfig) -> FieldResult:
    mask = clean_text_ink(bilevel_text_ink(ink, config), ink.px_per_mm, config)
    mask, line_px = remove_straight_lines(mask, ink.printed, ink.px_per_mm, config)
    area = ink.area_mm2(float(mask.sum()))
    spread = 0.0
    if area > 0:
        xs = np.flatnonzero(mask.any(axis=0))
        ys = np.flatnonzero(mask.any(axis=1))
        spread = max(int(xs[-1] - xs[0]), int(ys[-1] - ys[0])) / ink.px_per_mm
    scores = {"ink_mm2": area, "spread_mm": spread}
    if line_px:
        scores["line_mm2"] = ink.area_mm2(line_px)

    def done(status: FieldStatus, conf: float, reason: str) -> FieldResult:
        return outcome.result(field, status, None, conf, reason, crop, scores, config)

    if area < config.text_blank_mm2 and area + scores.get("line_mm2", 0.0) >= (
        config.text_written_mm2
    ):
        # Nothing but a long straight line across the box, and enough of it to hide a word
        # written along it: a fold, most likely, but a person looks rather than lose an answer.
        return done(FieldStatus.AMBIGUOUS, 0.4, outcome.BLANK_LINE)
    if area < config.text_blank_mm2:
        return done(
            FieldStatus.BLANK,
            outcome.margin_confidence(config.text_written_mm2, area, config.text_blank_mm2),
            outcome.BLANK,
        )
    if area >= config.text_written_mm2 and spread >= config.text_min_spread_mm:
        conf = outcome.margin_confidence(area, 0.0, config.text_written_mm2)
        return done(FieldStatus.WRITTEN, conf, outcome.WRITTEN)
    return done(FieldStatus.WRITTEN, 0.5, outcome.TEXT_UNCLEAR)
