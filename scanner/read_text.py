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


def read_text(field: Field, ink: FieldInk, crop: Box, config: ReaderConfig) -> FieldResult:
    mask = clean_text_ink(bilevel_text_ink(ink, config), ink.px_per_mm, config)
    area = ink.area_mm2(float(mask.sum()))
    spread = 0.0
    if area > 0:
        xs = np.flatnonzero(mask.any(axis=0))
        ys = np.flatnonzero(mask.any(axis=1))
        spread = max(int(xs[-1] - xs[0]), int(ys[-1] - ys[0])) / ink.px_per_mm
    scores = {"ink_mm2": area, "spread_mm": spread}

    def done(status: FieldStatus, conf: float, reason: str) -> FieldResult:
        return outcome.result(field, status, None, conf, reason, crop, scores, config)

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
