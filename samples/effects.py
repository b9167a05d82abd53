"""Pixel effects of printing, paper, handling and scanning, one small function each.

Each takes an image (RGB (H, W, 3) or grey (H, W), uint8) and the parameters recorded in the
ground truth, and returns a new image; :mod:`samples.scanner_sim` decides which to apply.
"""

from __future__ import annotations

from typing import Any

import cv2
import numpy as np

from samples.strokes import MM_PER_INCH

Record = dict[str, Any]

# -- printer ----------------------------------------------------------------------------------


def printing(img: np.ndarray, rec: Record, dpi: int) -> np.ndarray:
    """Apply the printer's density and scatter toner specks over the page."""
    levels = np.arange(256, dtype=np.float32) / 255.0
    black = float(rec["black"])
    lut = np.clip(black + (255.0 - black) * levels ** rec["gamma"], 0, 255).astype(np.uint8)
    out = cv2.LUT(img, lut)
    rng = np.random.default_rng(rec["seed"])
    s = dpi / MM_PER_INCH
    h, w = out.shape[:2]
    for _ in range(rec["specks"]):
        centre = (int(rng.integers(0, w)), int(rng.integers(0, h)))
        radius = max(1, round(float(rng.uniform(0.04, 0.18)) * s))
        grey = int(rng.integers(40, 160))
        cv2.circle(out, centre, radius, (grey, grey, grey), -1, cv2.LINE_AA)
    return out


# -- paper ------------------------------------------------------------------------------------


def paper_tone(img: np.ndarray, rgb: list[int]) -> np.ndarray:
    levels = np.arange(256, dtype=np.float32)
    if img.ndim == 2:
        lut = (levels * (float(np.mean(rgb)) / 255.0)).astype(np.uint8)
        return cv2.LUT(img, lut)
    table = np.stack([levels * (c / 255.0) for c in rgb], axis=1).astype(np.uint8)
    return cv2.LUT(img, table.reshape(1, 256, 3))


def fold(img: np.ndarray, y_mm: float, strength: float, dpi: int) -> np.ndarray:
    s = dpi / MM_PER_INCH
    h = img.shape[0]
    rows = np.arange(h, dtype=np.float32)
    centre = y_mm * s
    shade = strength * np.exp(-(((rows - centre) / (1.2 * s)) ** 2))
    light = 0.5 * strength * np.exp(-(((rows - centre - 1.5 * s) / (0.6 * s)) ** 2))
    factor = np.clip(1.0 - shade + light, 0, 1.05)[:, None]
    if img.ndim == 3:
        factor = factor[:, :, None]
    return np.clip(img.astype(np.float32) * factor, 0, 255).astype(np.uint8)


def punch_holes(img: np.ndarray, dark: bool, dpi: int) -> np.ndarray:
    s = dpi / MM_PER_INCH
    h = img.shape[0]
    colour = (35, 35, 35) if dark else (250, 250, 250)
    out = img.copy()
    for dy in (-40.0, 40.0):
        centre = (round(12 * s), round(h / 2 + dy * s))
        cv2.circle(out, centre, round(3 * s), colour, -1, cv2.LINE_AA)
        if not dark:  # a light hole still shows a rim shadow
            cv2.circle(
                out, centre, round(3 * s), (150, 150, 150), max(1, round(0.2 * s)), cv2.LINE_AA
            )
    return out


def staple(img: np.ndarray, corner: str, dpi: int) -> np.ndarray:
    s = dpi / MM_PER_INCH
    w = img.shape[1]
    out = img.copy()
    x = 8 * s if corner == "top_left" else w - 20 * s
    p, q = (round(x), round(14 * s)), (round(x + 12 * s), round(6 * s))
    cv2.line(
        out,
        (p[0] + 3, p[1] + 4),
        (q[0] + 3, q[1] + 4),
        (170, 170, 170),
        max(2, round(1.2 * s)),
        cv2.LINE_AA,
    )
    cv2.line(out, p, q, (60, 60, 65), max(1, round(0.6 * s)), cv2.LINE_AA)
    return out


def stain(img: np.ndarray, rec: Record, dpi: int) -> np.ndarray:
    """A coffee ring (a dark rim round a faint disc) or a damp patch, brownish in colour."""
    s = dpi / MM_PER_INCH
    h, w = img.shape[:2]
    r = rec["r_mm"] * s
    cx, cy = rec["x_mm"] * s, rec["y_mm"] * s
    x0, y0 = max(0, int(cx - r * 1.3)), max(0, int(cy - r * 1.3))
    x1, y1 = min(w, int(cx + r * 1.3)), min(h, int(cy + r * 1.3))
    if x1 <= x0 or y1 <= y0:
        return img
    yy, xx = np.mgrid[y0:y1, x0:x1].astype(np.float32)
    d = np.hypot(xx - cx, yy - cy) / r
    rng = np.random.default_rng(rec["seed"])
    theta = np.arctan2(yy - cy, xx - cx)
    wobble = 1.0 + sum(
        a * np.sin(k * theta + rng.uniform(0, 2 * np.pi))
        for k, a in ((2, 0.04), (3, 0.025), (7, 0.01))
    )
    d = d * wobble
    disc = np.clip((1.0 - d) * 6.0, 0, 1) * 0.35
    uneven = 0.6 + 0.4 * np.sin(theta + rng.uniform(0, 2 * np.pi)) ** 2
    rim = np.exp(-(((d - 1.0) / 0.035) ** 2)) * uneven if rec["ring"] else 0.0
    amount = rec["strength"] * (disc + rim)
    out = img.copy()
    region = out[y0:y1, x0:x1].astype(np.float32)
    brown = np.array([0.55, 0.42, 0.25], np.float32)
    if img.ndim == 3:
        region *= 1.0 - amount[:, :, None] * (1.0 - brown)
    else:
        region *= 1.0 - amount * (1.0 - float(brown.mean()))
    out[y0:y1, x0:x1] = np.clip(region, 0, 255).astype(np.uint8)
    return out


def show_through(front: np.ndarray, strength: float) -> np.ndarray:
    """The back of a printed sheet: the front mirrored, faint and soft."""
    mirrored = cv2.GaussianBlur(front[:, ::-1], (0, 0), 2.0).astype(np.float32)
    return np.clip(255.0 - (255.0 - mirrored) * strength, 0, 255).astype(np.uint8)


# -- scanner ----------------------------------------------------------------------------------


def geometry_matrices(
    shape: tuple[int, ...], rec: Record, dpi: int
) -> tuple[np.ndarray, np.ndarray, tuple[int, int]]:
    """The print-scaling and placement warps (2x3, pixels) of a geometry record, and the output size."""
    s = dpi / MM_PER_INCH
    h, w = shape[:2]
    cx, cy = w / 2, h / 2
    printed = cv2.getRotationMatrix2D((cx, cy), 0, rec["print_scale"])
    m = round(rec.get("margin_mm", 0.0) * s)
    placed = cv2.getRotationMatrix2D((cx, cy), rec["skew_deg"], 1.0)
    placed[:, 2] += (rec["shift_mm"][0] * s + m, rec["shift_mm"][1] * s + m)
    return printed, placed, (w + 2 * m, h + 2 * m)


def geometry(img: np.ndarray, rec: Record, dpi: int) -> np.ndarray:
    """Print scaling about the page centre, then the sheet skewed and shifted on the glass.

    The scan area is ``margin_mm`` larger than the sheet on every side, so the image is that much
    bigger than the page and the scanner's background shows round it.
    """
    h, w = img.shape[:2]
    printed, placed, size = geometry_matrices(img.shape, rec, dpi)
    corner = img[2, 2]
    paper = tuple(int(v) for v in np.atleast_1d(corner)) * (3 if img.ndim == 2 else 1)
    content = cv2.warpAffine(img, printed, (w, h), flags=cv2.INTER_LINEAR, borderValue=paper)
    background = (28, 28, 30) if rec["background"] == "dark" else (238, 238, 236)
    return cv2.warpAffine(content, placed, size, flags=cv2.INTER_LINEAR, borderValue=background)


def blur(img: np.ndarray, sigma: float) -> np.ndarray:
    return cv2.GaussianBlur(img, (0, 0), sigma)


def streaks(img: np.ndarray, count: int, seed: int) -> np.ndarray:
    """Vertical lines along the feed direction: dust on the glass, a dirty drum."""
    rng = np.random.default_rng(seed)
    out = img.astype(np.int16)
    w = img.shape[1]
    for _ in range(count):
        x = int(rng.integers(0, w - 4))
        width = int(rng.integers(1, 4))
        delta = int(rng.choice([-1, 1]) * rng.integers(12, 60))
        out[:, x : x + width] += delta
    return np.clip(out, 0, 255).astype(np.uint8)


def noise(img: np.ndarray, sigma: float, seed: int) -> np.ndarray:
    """Sensor noise, one plane shared by the colour channels (it is mostly luminance).

    Drawn at half resolution and enlarged: grain of about two pixels, and four times fewer draws.
    """
    cv2.setRNGSeed(seed)
    h, w = img.shape[:2]
    small: np.ndarray = np.empty(((h + 1) // 2, (w + 1) // 2), np.int16)
    cv2.randn(small, np.array([0.0]), np.array([sigma]))
    plane = cv2.resize(small, (w, h), interpolation=cv2.INTER_NEAREST)
    if img.ndim == 3:
        plane = cv2.merge([plane, plane, plane])
    return np.asarray(cv2.add(img, plane, dtype=cv2.CV_8U))


def levels(img: np.ndarray, black: int, white: int) -> np.ndarray:
    """Stretch ``black``..``white`` to 0..255: paper and its noise go white, light ink gets lighter."""
    lut = np.clip((np.arange(256, dtype=np.float32) - black) * 255.0 / (white - black), 0, 255)
    return cv2.LUT(img, lut.astype(np.uint8))


def rotate_fed(img: np.ndarray, rotation: int) -> np.ndarray:
    """The image of a sheet fed turned: ``rotation`` is what a reader applies (clockwise) to undo it."""
    return np.ascontiguousarray(np.rot90(img, k=rotation // 90))


# -- colour mode ------------------------------------------------------------------------------


def to_gray(img: np.ndarray, method: str = "luma") -> np.ndarray:
    if img.ndim == 2:
        return img
    if method == "green":  # some scanners build grey from the green channel only
        return np.ascontiguousarray(img[:, :, 1])
    return cv2.cvtColor(img, cv2.COLOR_RGB2GRAY)


def otsu_level(gray: np.ndarray) -> int:
    """Otsu's threshold of a grey image."""
    level, _ = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    return int(level)


def to_bilevel(gray: np.ndarray, method: str, seed: int = 0) -> np.ndarray:
    """A bool image, True = white: Otsu's threshold, a fixed one, or error-diffusion dithering."""
    if method == "dither":
        from PIL import Image

        return np.asarray(Image.fromarray(gray).convert("1"), dtype=bool)
    if method.startswith("fixed"):
        level = int(method.split(":")[1]) if ":" in method else 160
        return gray > level
    _, out = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    return out > 0


def bilevel(gray: np.ndarray, record: Record, dpi: int) -> np.ndarray:
    """A scanner's black-and-white mode as ``record`` (samples.scanner_sim.plan_bilevel) sets it;
    a bool image, True = white.

    ``adaptive`` is what office scanners' "text" mode does: a pixel is black where it is darker
    than the paper around it (a Gaussian-weighted mean over ``window_mm``) by more than
    ``offset`` grey levels (the darkness setting: lower is darker), or darker than ``floor``
    anyway (solid print stays solid).  A faint pencil stroke whose darkness hovers around the
    cut comes out as speckle, and so does paper texture on the darkest settings.  ``fixed``
    thresholds at ``level``, ``otsu`` at Otsu's level of the page (or ``level`` when given, to
    convert a second image the same way), ``dither`` is error diffusion ("photo" mode)."""
    method = str(record["method"])
    if method == "adaptive":
        sigma = float(record["window_mm"]) * dpi / 25.4 / 2
        local = cv2.GaussianBlur(gray.astype(np.float32), (0, 0), sigma)
        black = (gray.astype(np.float32) < local - float(record["offset"])) | (
            gray < int(record["floor"])
        )
        return ~black
    if method in ("fixed", "otsu") and "level" in record:
        return gray > int(record["level"])
    return to_bilevel(gray, method)
