"""Handwriting from handwriting-style fonts: jittered letters on a wavering, slanted baseline.

Letters are placed one by one with random spacing, size and baseline jitter, the whole line is
sheared (slant) and tilted, thickened for broad pens, and merged into the pen's ink layer.  The
fonts come from Debian packages (see FONT_FILES and scripts/setup.sh); if none
is installed, a plain font stands in and a warning is logged.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from forms.template import Box
from samples import cursive
from samples.strokes import InkLayer

log = logging.getLogger(__name__)

# Handwriting-style fonts with å, ä and ö (fonts-sjfonts, fonts-tomsontalks, fonts-breip,
# fonts-tlwg-purisa-ttf).
FONT_FILES = (
    Path("/usr/share/fonts/truetype/sjfonts/SteveHand.ttf"),
    Path("/usr/share/fonts/truetype/sjfonts/Delphine.ttf"),
    Path("/usr/share/fonts/truetype/tomsontalks/TomsonTalks.ttf"),
    Path("/usr/share/fonts/truetype/breip/Breip.ttf"),
    Path("/usr/share/fonts/truetype/tlwg/Purisa.ttf"),
    Path("/usr/share/fonts/truetype/tlwg/Purisa-Oblique.ttf"),
)
FALLBACK_FONTS = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Oblique.ttf"),
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
)


CURSIVE_SHARE = 0.25  # people whose writing is joined up (synthesised strokes, not a font)


@cache
def available_fonts() -> tuple[Path, ...]:
    found = tuple(p for p in FONT_FILES if p.exists())
    if found:
        return found
    fallback = tuple(p for p in FALLBACK_FONTS if p.exists())
    log.warning(
        "no handwriting font installed (fonts-sjfonts, fonts-tomsontalks); using %s", fallback
    )
    return fallback


@cache
def _font(path: Path, size_px: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    if not path.exists():
        return ImageFont.load_default()
    return ImageFont.truetype(str(path), size_px)


@cache
def cap_ratio(path: Path) -> float:
    """Height of a capital letter as a fraction of the font size (fonts differ a lot)."""
    font = _font(path, 100)
    if not isinstance(font, ImageFont.FreeTypeFont):
        return 0.7
    top = font.getbbox("H", anchor="ls")[1]
    return max(0.3, min(1.0, -top / 100.0))


def size_for(path: Path, height_mm: float, px_per_mm: float) -> int:
    """Font size in pixels whose capitals are ``height_mm`` tall."""
    return max(8, int(height_mm * px_per_mm / cap_ratio(path)))


@dataclass(frozen=True)
class Hand:
    """One person's writing: font, letter height, slant, neatness."""

    font: str
    height_mm: float  # height of a capital letter
    slant: float  # horizontal shear (positive leans right)
    messiness: float  # 0 neat .. 1 untidy
    spacing: float  # letter spacing factor
    cursive: bool = False  # joined-up writing drawn as pen strokes instead of a font

    @classmethod
    def random(cls, rng: np.random.Generator) -> Hand:
        # draw from the full list so that the random stream does not depend on what is installed
        wanted = FONT_FILES[int(rng.integers(len(FONT_FILES)))]
        fonts = available_fonts()
        font = str(wanted if wanted in fonts else (fonts[0] if fonts else ""))
        return cls(
            font=font,
            height_mm=float(rng.uniform(2.8, 5.0)),
            slant=float(rng.normal(0.12, 0.12)),
            messiness=float(rng.uniform(0.0, 1.0)),
            spacing=float(rng.uniform(0.95, 1.2)),
            cursive=bool(rng.random() < CURSIVE_SHARE),
        )


def wrap(
    text: str, font: ImageFont.FreeTypeFont | ImageFont.ImageFont, width_px: float, spacing: float
) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split():
        trial = f"{current} {word}".strip()
        if current and font.getlength(trial) * spacing > width_px:
            lines.append(current)
            current = word
        else:
            current = trial
    if current:
        lines.append(current)
    return lines


def _render_line(
    text: str,
    font: ImageFont.FreeTypeFont | ImageFont.ImageFont,
    hand: Hand,
    size_px: int,
    rng: np.random.Generator,
) -> tuple[np.ndarray, int]:
    """Coverage patch of one written line and the baseline's row in it."""
    width = int(font.getlength(text) * hand.spacing * 1.15 + size_px * 2)
    height = size_px * 3
    baseline = int(size_px * 1.8)
    img = Image.new("L", (width, height), 0)
    draw = ImageDraw.Draw(img)
    x = size_px * 0.5
    drift = 0.0
    jitter = 0.04 + 0.1 * hand.messiness
    for ch in text:
        drift += rng.normal(0, jitter * size_px * 0.3)
        drift *= 0.85
        if ch != " ":
            draw.text(
                (x, baseline + drift + rng.normal(0, jitter * size_px * 0.3)),
                ch,
                fill=255,
                font=font,
                anchor="ls",
            )
        x += font.getlength(ch) * hand.spacing * rng.uniform(1 - jitter, 1 + jitter)
    arr = np.asarray(img)[:, : int(x + size_px)].copy()
    h, w = arr.shape
    tilt = np.radians(float(np.clip(rng.normal(0, 0.4 + 0.8 * hand.messiness), -2.0, 2.0)))
    # shear about the baseline, then a small rotation about the line start
    m = np.array([[1.0, -hand.slant, hand.slant * baseline + size_px * 0.4], [0.0, 1.0, 0.0]])
    c, s = np.cos(tilt), np.sin(tilt)
    r = np.array([[c, -s, 0.0], [s, c, 0.0]])
    r[:, 2] = (np.eye(2) - r[:, :2]) @ np.array([0.0, baseline])
    combined = r @ np.vstack([m, [0, 0, 1]])
    out = cv2.warpAffine(arr, combined, (w + size_px, h), flags=cv2.INTER_LINEAR)
    # pen pressure wanders along the line: some letters lighter than others
    cells = (max(2, out.shape[1] // max(size_px // 2, 1)), 2)
    coarse = rng.uniform(0.65, 1.0, (cells[1], cells[0])).astype(np.float32)
    pressure = cv2.resize(coarse, (out.shape[1], out.shape[0]), interpolation=cv2.INTER_LINEAR)
    return (out * pressure).astype(np.uint8), baseline


def write(
    layer: InkLayer,
    rng: np.random.Generator,
    text: str,
    box: Box,
    lines: int,
    hand: Hand,
    overflow: bool = False,
) -> str:
    """Write ``text`` in ``box`` on its ruled lines; return what was actually written.

    With ``overflow`` the writer ignores the right edge (words run past the box) and may add a
    line below it.  Text that does not fit the lines (and is not overflowing) is cut off at a word
    boundary, as a person would stop or squeeze; the returned text is what is on the paper.
    """
    s = layer.px_per_mm
    x, y, w, h = box
    rows = max(lines, 1)
    pitch = h / rows
    height_mm = min(hand.height_mm, pitch * 0.75) if lines else hand.height_mm
    if hand.cursive:
        return _write_cursive(layer, rng, text, box, lines, hand, height_mm, overflow)
    size_px = size_for(Path(hand.font), height_mm, s)
    font = _font(Path(hand.font), size_px)
    margin = rng.uniform(1.0, 4.0)
    page_right = layer.shape[1] / s - 6.0  # running past the box, but not off the paper
    avail = min((w - margin - 1.0) * (1.6 if overflow else 1.0), page_right - x - margin) * s
    wrapped = wrap(text, font, avail, hand.spacing * 1.05)
    max_rows = rows + (1 if overflow else 0)
    wrapped = wrapped[:max_rows]
    for i, line in enumerate(wrapped):
        patch, baseline = _render_line(line, font, hand, size_px, rng)
        if layer.pen.width_mm > 0.6:
            patch = cv2.dilate(patch, np.ones((2, 2), np.uint8))
        base_mm = y + (i + 1) * pitch - rng.uniform(0.4, 1.2) if lines else y + h * 0.6
        px0 = int((x + margin + rng.normal(0, 0.5)) * s)
        py0 = int(base_mm * s) - baseline
        if layer.pen.grain > 0:
            keep = 1.0 - layer.pen.grain * rng.random(patch.shape, dtype=np.float32)
            patch = (patch * keep).astype(np.uint8)
        layer.merge(patch, px0, py0)
    return " ".join(wrapped)


def _write_cursive(
    layer: InkLayer,
    rng: np.random.Generator,
    text: str,
    box: Box,
    lines: int,
    hand: Hand,
    height_mm: float,
    overflow: bool,
) -> str:
    x, y, w, h = box
    rows = max(lines, 1)
    pitch = h / rows
    xh = float(np.clip(height_mm * rng.uniform(0.6, 0.8), 2.0, 4.0))
    margin = rng.uniform(1.0, 4.0)
    page_right = layer.shape[1] / layer.px_per_mm - 6.0
    avail = min((w - margin - 2.0) * (1.6 if overflow else 1.0), page_right - x - margin)
    wrapped: list[str] = []
    current = ""
    for word in text.split():
        trial = f"{current} {word}".strip()
        if current and cursive.word_width(trial, xh) * 1.1 > avail:
            wrapped.append(current)
            current = word
        else:
            current = trial
    if current:
        wrapped.append(current)
    wrapped = wrapped[: rows + (1 if overflow else 0)]
    width = layer.pen.width_mm * (0.9 if layer.pen.width_mm > 0.6 else 1.0)
    for i, line in enumerate(wrapped):
        base = y + (i + 1) * pitch - rng.uniform(0.4, 1.2) if lines else y + h * 0.6
        strokes, _ = cursive.write_line(rng, line, x + margin, base, xh, hand.slant, width)
        for stroke in strokes:
            layer.draw(stroke, rng)
    return " ".join(wrapped)


def note_patch(
    layer: InkLayer,
    rng: np.random.Generator,
    text: str,
    x_mm: float,
    baseline_mm: float,
    hand: Hand,
) -> tuple[np.ndarray, int, int, tuple[float, float, float, float]]:
    """One line of writing starting at (x, baseline), not yet on the page.

    Returns the coverage patch, its pixel position, and the inked extent as x, y, w, h in mm.
    """
    s = layer.px_per_mm
    size_px = size_for(Path(hand.font), hand.height_mm, s)
    font = _font(Path(hand.font), size_px)
    patch, baseline = _render_line(text, font, hand, size_px, rng)
    px0 = int(x_mm * s)
    py0 = int(baseline_mm * s) - baseline
    ys, xs = np.nonzero(patch)
    if len(xs) == 0:
        return patch, px0, py0, (x_mm, baseline_mm, 0.0, 0.0)
    box = (
        (px0 + xs.min()) / s,
        (py0 + ys.min()) / s,
        (xs.max() - xs.min() + 1) / s,
        (ys.max() - ys.min() + 1) / s,
    )
    return patch, px0, py0, box
