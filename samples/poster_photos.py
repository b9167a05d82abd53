"""Synthetic phone photos of statement posters with stickers and tally marks, with ground truth.

The printed poster is rasterised in colour, round stickers (slightly varied in size and colour,
some touching) and pen strokes are painted on it, and the sheet is then photographed: a
perspective warp onto a table, a brightness gradient with a colour cast, a little blur and JPEG.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import pypdfium2 as pdfium

from samples.camera import (
    WARM_CAST,
    clip_to_uint8,
    jpeg_round_trip,
    light_falloff,
    place_on_table,
)

# Sticker colours as printed on typical office sticker sheets, BGR.
STICKER_BGR: dict[str, tuple[int, int, int]] = {
    "green": (70, 165, 20),
    "yellow": (20, 210, 250),
    "red": (45, 35, 215),
    "blue": (200, 100, 25),
    "orange": (10, 130, 250),  # not a counted colour: the reader must flag it
}


@dataclass(frozen=True)
class Sticker:
    x: float  # centre, template millimetres
    y: float
    colour: str
    diameter: float = 19.0


@dataclass(frozen=True)
class Stroke:
    x1: float
    y1: float
    x2: float
    y2: float
    width: float = 1.0  # millimetres


def render_page(pdf: Path, index: int, px_per_mm: float) -> np.ndarray:
    """One page of a printed PDF as a BGR image at ``px_per_mm``."""
    doc = pdfium.PdfDocument(str(pdf))
    try:
        image = doc[index].render(scale=px_per_mm * 25.4 / 72).to_pil().convert("RGB")
    finally:
        doc.close()
    return cv2.cvtColor(np.asarray(image), cv2.COLOR_RGB2BGR)


def paint(
    page: np.ndarray,
    px_per_mm: float,
    stickers: list[Sticker],
    strokes: list[Stroke],
    rng: np.random.Generator,
) -> np.ndarray:
    out = page.copy()
    for stroke in strokes:
        cv2.line(
            out,
            (round(stroke.x1 * px_per_mm), round(stroke.y1 * px_per_mm)),
            (round(stroke.x2 * px_per_mm), round(stroke.y2 * px_per_mm)),
            (40, 30, 30),
            max(1, round(stroke.width * px_per_mm)),
            cv2.LINE_AA,
        )
    for s in stickers:
        base = np.array(STICKER_BGR[s.colour], dtype=np.float64)
        colour = np.clip(base + rng.normal(0, 8, 3), 0, 255)
        radius = s.diameter * px_per_mm / 2 * (1 + rng.uniform(-0.03, 0.03))
        centre = (round(s.x * px_per_mm * 16), round(s.y * px_per_mm * 16))
        cv2.circle(
            out, centre, round(radius * 16), tuple(float(c) for c in colour), -1, cv2.LINE_AA, 4
        )
        # a faint sheen, as glossy stickers have
        cv2.circle(
            out,
            (centre[0] - round(radius * 5), centre[1] - round(radius * 5)),
            round(radius * 4),
            tuple(float(min(255, c + 25)) for c in colour),
            -1,
            cv2.LINE_AA,
            4,
        )
    return out


def photograph(
    sheet: np.ndarray,
    rng: np.random.Generator,
    tilt: float = 0.06,
    gradient: float = 0.35,
    jpeg_quality: int = 80,
    out_width: int = 2400,
) -> np.ndarray:
    """The sheet as a phone would see it: on a table, in perspective, unevenly lit, JPEG'd.

    The reference simulation: numpy's noise and plain float32 arithmetic;
    ``poster_samples.photograph`` is its faster variant for whole batches."""
    photo = place_on_table(sheet, rng, tilt, out_width)
    light = light_falloff(photo.shape[0], photo.shape[1], rng, gradient)
    lit = photo.astype(np.float32) * light[..., None] * np.array(WARM_CAST, dtype=np.float32)
    lit = cv2.GaussianBlur(lit, (3, 3), 0.8)
    lit += rng.normal(0, 2.0, lit.shape).astype(np.float32)
    return jpeg_round_trip(clip_to_uint8(lit), jpeg_quality)


def painted_page(
    pdf: Path,
    page_index: int,
    px_per_mm: float,
    stickers: list[Sticker],
    strokes: list[Stroke],
    rng: np.random.Generator,
) -> np.ndarray:
    """Page ``page_index`` of the printed ``pdf`` with the stickers and strokes on it."""
    return paint(render_page(pdf, page_index, px_per_mm), px_per_mm, stickers, strokes, rng)


def poster_photo(
    pdf: Path,
    page_index: int,
    stickers: list[Sticker],
    strokes: list[Stroke] | None = None,
    seed: int = 0,
    px_per_mm: float = 6.0,
    **photo_options: float,
) -> np.ndarray:
    rng = np.random.default_rng(seed)
    sheet = painted_page(pdf, page_index, px_per_mm, stickers, strokes or [], rng)
    return photograph(sheet, rng, **photo_options)  # type: ignore[arg-type]


def scatter(
    box: tuple[float, float, float, float],
    colours: list[str],
    rng: np.random.Generator,
    diameter: float = 19.0,
    touching_pairs: int = 0,
    margin: float = 3.0,
    touch: tuple[float, float] = (0.97, 0.97),
) -> list[Sticker]:
    """Stickers spread in a zone box without overlapping; ``touching_pairs`` of them are placed
    so that they touch the previous one (as people stick them next to each other), their centres
    ``touch`` diameters apart (below 1: overlapping)."""
    x, y, w, h = box
    r = diameter / 2
    placed: list[Sticker] = []
    pairs_left = touching_pairs
    for colour in colours:
        for _ in range(2000):
            if pairs_left and placed and placed[-1].colour == colour:
                prev = placed[-1]
                a = rng.uniform(0, 2 * math.pi)
                d = diameter * rng.uniform(*touch)
                cx, cy = prev.x + d * math.cos(a), prev.y + d * math.sin(a)
            else:
                cx = rng.uniform(x + r + margin, x + w - r - margin)
                cy = rng.uniform(y + r + margin, y + h - r - margin)
            if not (
                x + r + margin <= cx <= x + w - r - margin
                and y + r + margin <= cy <= y + h - r - margin
            ):
                continue
            touching = [p for p in placed if math.hypot(p.x - cx, p.y - cy) < diameter * 1.25]
            if pairs_left and placed and placed[-1].colour == colour:
                if any(p is not placed[-1] for p in touching):
                    continue
                pairs_left -= 1
            elif touching:
                continue
            placed.append(Sticker(cx, cy, colour, diameter))
            break
    return placed
