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


def read_text(field: Field, ink: FieldInk, crop: Box, config: ReaderConfig) -> FieldResult:
    mask = clean_text_ink(ink.mask, ink.px_per_mm, config)
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
