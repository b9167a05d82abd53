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
    """The sheet as a phone would see it: on a table, in perspective, unevenly lit, JPEG'd."""
    h, w = sheet.shape[:2]
    scale = out_width * 0.8 / w
    out_h = round(h * scale / 0.8)
    cx, cy = out_width / 2, out_h / 2
    hw, hh = w * scale / 2, h * scale / 2
    corners = np.array(
        [[cx - hw, cy - hh], [cx + hw, cy - hh], [cx + hw, cy + hh], [cx - hw, cy + hh]]
    )
    jitter = rng.uniform(-tilt, tilt, (4, 2)) * np.array([hw, hh])
    quad = (corners + jitter).astype(np.float32)
    src = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(src, quad)
    photo = cv2.warpPerspective(
        sheet, matrix, (out_width, out_h), flags=cv2.INTER_AREA, borderValue=(70, 80, 90)
    )
    # light falling off from one side, slightly warm
    angle = rng.uniform(0, 2 * math.pi)
    yy, xx = np.mgrid[0:out_h, 0:out_width].astype(np.float32)
    ramp = (xx / out_width - 0.5) * math.cos(angle) + (yy / out_h - 0.5) * math.sin(angle)
    light = 1.0 - gradient * (ramp + 0.5)
    cast = np.array([0.92, 0.98, 1.04], dtype=np.float32)  # BGR: warm light
    lit = photo.astype(np.float32) * light[..., None] * cast
    lit = cv2.GaussianBlur(lit, (3, 3), 0.8)
    lit += rng.normal(0, 2.0, lit.shape).astype(np.float32)
    image = np.clip(lit, 0, 255).astype(np.uint8)
    ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, jpeg_quality])
    decoded = cv2.imdecode(data, cv2.IMREAD_COLOR) if ok else None
    if decoded is None:
        raise RuntimeError("JPEG round trip failed")
    return np.asarray(decoded)


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
    page = render_page(pdf, page_index, px_per_mm)
    sheet = paint(page, px_per_mm, stickers, strokes or [], rng)
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
