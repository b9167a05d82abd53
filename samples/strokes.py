"""Pens, pen strokes and the ink they leave on a page.

A stroke is a path in template millimetres with a width and an ink intensity at every point.
Strokes are drawn anti-aliased into one ink layer per pen (0-255 coverage), each stroke in its own
patch merged with ``max`` so that overlapping strokes do not leave seams.  The layers are then laid
over the page multiplicatively, like ink soaking into paper: dark pens darken, a blue pen darkens
red and green more than blue, pencil is light and grainy.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

MM_PER_INCH = 25.4


@dataclass(frozen=True)
class Pen:
    name: str  # "ballpoint-black", "ballpoint-blue", "felt-black", "pencil", ...
    color: tuple[int, int, int]  # RGB of full ink
    width_mm: float  # nominal line width
    pressure: float = 1.0  # how much of the colour reaches the paper, 0..1
    grain: float = 0.0  # pencil graininess, 0 (smooth ink) .. 1


PENS: dict[str, Pen] = {
    "ballpoint-black": Pen("ballpoint-black", (25, 25, 30), 0.45, 0.92),
    "ballpoint-blue": Pen("ballpoint-blue", (50, 75, 185), 0.45, 0.9),
    "felt-black": Pen("felt-black", (10, 10, 10), 0.8, 1.0),
    "gel-blue": Pen("gel-blue", (35, 70, 205), 0.6, 0.95),
    "pencil": Pen("pencil", (60, 60, 66), 0.45, 0.9, grain=0.4),
}


@dataclass
class Stroke:
    """A pen path: points (n, 2) in mm, and per point width (mm) and ink intensity (0..1)."""

    points: np.ndarray
    widths: np.ndarray
    intensity: np.ndarray

    @classmethod
    def of(cls, points: np.ndarray, width: float, intensity: float = 1.0) -> Stroke:
        n = len(points)
        return cls(np.asarray(points, float), np.full(n, width), np.full(n, intensity))

    def bounds(self) -> tuple[float, float, float, float]:
        """x0, y0, x1, y1 in mm, including the pen width."""
        pad = float(self.widths.max()) if len(self.widths) else 0.0
        x0, y0 = self.points.min(axis=0) - pad
        x1, y1 = self.points.max(axis=0) + pad
        return float(x0), float(y0), float(x1), float(y1)


@dataclass
class InkLayer:
    """Coverage (0-255) of one pen over a page of ``shape`` pixels at ``dpi``."""

    pen: Pen
    shape: tuple[int, int]
    dpi: float
    alpha: np.ndarray = field(init=False)
    _bbox: list[int] = field(init=False)

    def __post_init__(self) -> None:
        self.alpha = np.zeros(self.shape, np.uint8)
        self._bbox = [self.shape[1], self.shape[0], 0, 0]

    @property
    def px_per_mm(self) -> float:
        return self.dpi / MM_PER_INCH

    def draw(self, stroke: Stroke, rng: np.random.Generator) -> None:
        s = self.px_per_mm
        h, w = self.shape
        x0, y0, x1, y1 = stroke.bounds()
        px0, py0 = max(int(x0 * s) - 3, 0), max(int(y0 * s) - 3, 0)
        px1, py1 = min(int(x1 * s) + 4, w), min(int(y1 * s) + 4, h)
        if px1 <= px0 or py1 <= py0:
            return
        patch = np.zeros((py1 - py0, px1 - px0), np.uint8)
        shift = 3  # sub-pixel precision: coordinates in 1/8 px
        pts = np.round((stroke.points * s - (px0, py0)) * (1 << shift)).astype(np.int32)
        thick = np.maximum(np.round(stroke.widths * s), 1).astype(int).tolist()
        values = (np.clip(stroke.intensity * self.pen.pressure, 0, 1) * 255).astype(int).tolist()
        coords = pts.tolist()
        for i in range(len(coords) - 1):
            value = values[i]
            if value <= 0:
                continue
            thickness = thick[i]
            p, q = coords[i], coords[i + 1]
            cv2.line(
                patch,
                (int(p[0]), int(p[1])),
                (int(q[0]), int(q[1])),
                value,
                thickness,
                cv2.LINE_AA,
                shift,
            )
        if self.pen.grain > 0:
            self._grain(patch, rng)
        self.merge(patch, px0, py0)

    def merge(self, patch: np.ndarray, px0: int, py0: int) -> None:
        """Lay a coverage patch (uint8) onto the layer at pixel (px0, py0), clipped to the page."""
        h, w = self.shape
        ph, pw = patch.shape
        x0, y0 = max(px0, 0), max(py0, 0)
        x1, y1 = min(px0 + pw, w), min(py0 + ph, h)
        if x1 <= x0 or y1 <= y0:
            return
        sub = patch[y0 - py0 : y1 - py0, x0 - px0 : x1 - px0]
        region = self.alpha[y0:y1, x0:x1]
        np.maximum(region, sub, out=region)
        b = self._bbox
        self._bbox = [min(b[0], x0), min(b[1], y0), max(b[2], x1), max(b[3], y1)]

    def _grain(self, patch: np.ndarray, rng: np.random.Generator) -> None:
        noise = rng.random(patch.shape, dtype=np.float32)
        keep = 1.0 - self.pen.grain * noise
        patch[:] = (patch * keep).astype(np.uint8)

    def apply(self, page: np.ndarray) -> None:
        """Darken ``page`` (H, W, 3 uint8, modified in place) with this layer's ink."""
        x0, y0, x1, y1 = self._bbox
        if x1 <= x0 or y1 <= y0:
            return
        a = self.alpha[y0:y1, x0:x1]
        # what each channel lets through: 255 where there is no ink, the pen colour under full ink
        through = [cv2.addWeighted(a, -(255 - c) / 255.0, a, 0.0, 255.0) for c in self.pen.color]
        region = page[y0:y1, x0:x1]
        page[y0:y1, x0:x1] = cv2.multiply(region, cv2.merge(through), scale=1 / 255.0)


def smooth_noise(rng: np.random.Generator, n: int, amplitude: float, waves: int = 3) -> np.ndarray:
    """Low-frequency wobble along a path of n points: a sum of a few random sine waves."""
    t = np.linspace(0.0, 1.0, n)
    out = np.zeros(n)
    for k in range(1, waves + 1):
        phase = rng.uniform(0, 2 * np.pi)
        out += rng.normal(0, amplitude / k) * np.sin(
            2 * np.pi * k * t * rng.uniform(0.6, 1.4) + phase
        )
    return out


def pressure_profile(rng: np.random.Generator, n: int, skip_chance: float = 0.0) -> np.ndarray:
    """Ink intensity along a stroke: a light start and end, a little variation, rare skips."""
    t = np.linspace(0.0, 1.0, n)
    ramp = np.minimum(1.0, np.minimum(t, 1.0 - t) * rng.uniform(6, 14) + rng.uniform(0.35, 0.7))
    wobble = 1.0 + smooth_noise(rng, n, 0.08)
    out = np.clip(ramp * wobble, 0.15, 1.0)
    if skip_chance and rng.random() < skip_chance:
        start = rng.integers(0, max(1, n - 3))
        out[start : start + rng.integers(1, 4)] *= rng.uniform(0.0, 0.3)
    return out


def width_profile(rng: np.random.Generator, n: int, width: float) -> np.ndarray:
    """Pen width along a stroke: tapered ends and gentle pressure variation."""
    t = np.linspace(0.0, 1.0, n)
    taper = 0.65 + 0.35 * np.minimum(1.0, np.minimum(t, 1.0 - t) * 8)
    return np.clip(width * taper * (1.0 + smooth_noise(rng, n, 0.12)), width * 0.4, width * 1.6)


def pen_stroke(
    rng: np.random.Generator, points: np.ndarray, width: float, skip: float = 0.02
) -> Stroke:
    """A stroke along ``points`` with a natural width and pressure profile."""
    n = len(points)
    return Stroke(
        np.asarray(points, float), width_profile(rng, n, width), pressure_profile(rng, n, skip)
    )


def resample(points: np.ndarray, step_mm: float = 0.35) -> np.ndarray:
    """Points spaced about ``step_mm`` apart along a polyline (so curves draw smoothly)."""
    pts = np.asarray(points, float)
    seg = np.linalg.norm(np.diff(pts, axis=0), axis=1)
    total = float(seg.sum())
    if total <= 0:
        return pts
    n = max(2, int(total / step_mm) + 1)
    dist = np.concatenate([[0.0], np.cumsum(seg)])
    d = np.linspace(0.0, total, n)
    return np.stack([np.interp(d, dist, pts[:, 0]), np.interp(d, dist, pts[:, 1])], axis=1)


def bezier(p0: np.ndarray, p1: np.ndarray, p2: np.ndarray, n: int = 24) -> np.ndarray:
    """Quadratic Bézier from p0 to p2 bent towards p1."""
    t = np.linspace(0.0, 1.0, n)[:, None]
    return (1 - t) ** 2 * p0 + 2 * (1 - t) * t * p1 + t**2 * p2
