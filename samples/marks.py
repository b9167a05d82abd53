"""The shapes people draw on a form: circles, ticks, crosses, underlines, slashes, scribbles.

Every function returns pen strokes in template millimetres around a target box (the printed digit
or checkbox).  Hand-drawn circles are strokes, not ellipses: a start angle, an angular extent of
300-400 degrees (a gap or an overshoot), a drifting radius and a wobble.
"""

from __future__ import annotations

import math

import numpy as np

from forms.template import Box
from samples.strokes import Stroke, bezier, pen_stroke, resample, smooth_noise

# Mark styles for one choice (a checkbox or a printed digit).
CIRCLE = "circle"
OVAL_WIDE = "oval_wide"  # a big loose oval that touches or overlaps a neighbouring option
TICK = "tick"
TICK_TINY = "tick_tiny"
TICK_OVER = "tick_over_edge"  # a tick that runs well past the box edge
CROSS = "cross"
CROSS_OVER = "cross_over_edge"
UNDERLINE = "underline"
SLASH = "slash"
FILL = "fill"  # the box or digit blacked in

CHOICE_STYLES = (
    CIRCLE,
    OVAL_WIDE,
    TICK,
    TICK_TINY,
    TICK_OVER,
    CROSS,
    CROSS_OVER,
    UNDERLINE,
    SLASH,
    FILL,
)


def centre(box: Box) -> tuple[float, float]:
    x, y, w, h = box
    return x + w / 2, y + h / 2


def _rotate(points: np.ndarray, angle: float, cx: float, cy: float) -> np.ndarray:
    c, s = math.cos(angle), math.sin(angle)
    d = points - (cx, cy)
    return np.stack([d[:, 0] * c - d[:, 1] * s, d[:, 0] * s + d[:, 1] * c], axis=1) + np.array(
        [cx, cy]
    )


def hand_circle(
    rng: np.random.Generator,
    cx: float,
    cy: float,
    rx: float,
    ry: float,
    width: float,
    tilt_sd: float = 0.35,
) -> list[Stroke]:
    """One loop round (cx, cy): open or overshooting, drifting radius, wobble, tilt."""
    start = rng.uniform(0, 2 * math.pi)
    extent = math.radians(rng.uniform(300, 400))
    direction = -1.0 if rng.random() < 0.7 else 1.0  # most people circle anticlockwise
    n = max(24, int(extent * max(rx, ry) / 0.35))
    t = np.linspace(0.0, 1.0, n)
    theta = start + direction * extent * t
    drift = 1.0 + rng.normal(0, 0.08) * t + smooth_noise(rng, n, 0.06)
    pts = np.stack([cx + rx * drift * np.cos(theta), cy + ry * drift * np.sin(theta)], axis=1)
    pts = _rotate(pts, rng.normal(0, tilt_sd), cx, cy)
    pts += rng.normal(0, 0.03, pts.shape)  # tremor
    return [pen_stroke(rng, pts, width)]


def circle_around(
    rng: np.random.Generator, box: Box, width: float, wide: bool = False, pitch: float = 0.0
) -> list[Stroke]:
    """A circle round a printed digit or a box, a little off centre and of varying size.

    ``wide`` draws a long loose oval; with ``pitch`` (distance to the neighbouring option) it
    reaches 55-85 % of the way to the neighbour, so it touches or overlaps the neighbour's digit.
    """
    cx, cy = centre(box)
    _, _, w, h = box
    r = max(w, h) / 2
    cx += rng.normal(0, 0.15 * r)
    cy += rng.normal(0, 0.12 * r)
    if wide:
        rx = pitch * rng.uniform(0.55, 0.85) if pitch else r * rng.uniform(1.9, 2.6)
        ry = r * rng.uniform(0.9, 1.3)
    else:
        rx = r * rng.uniform(0.85, 1.7)
        ry = rx * rng.uniform(0.6, 1.1)
    # a long oval follows the row; a rounder one may lean any way
    return hand_circle(rng, cx, cy, rx, ry, width, tilt_sd=0.06 if wide else 0.35)


def tick(rng: np.random.Generator, box: Box, width: float, scale: float = 1.0) -> list[Stroke]:
    """A check mark: a short down stroke and a long up stroke, in one movement."""
    cx, cy = centre(box)
    s = max(box[2], box[3]) * scale * rng.uniform(0.75, 1.25)
    cx += rng.normal(0, 0.08 * s)
    cy += rng.normal(0, 0.08 * s)
    a = np.array([cx - 0.4 * s, cy - 0.05 * s + rng.normal(0, 0.05 * s)])
    b = np.array([cx - 0.1 * s, cy + 0.35 * s])
    c = np.array([cx + 0.45 * s + rng.normal(0, 0.08 * s), cy - 0.6 * s + rng.normal(0, 0.08 * s)])
    first = bezier(a, (a + b) / 2 + rng.normal(0, 0.04 * s, 2), b, 10)
    second = bezier(b, (b + c) / 2 + np.array([-0.08 * s, 0.05 * s]), c, 20)
    pts = resample(np.concatenate([first, second[1:]]))
    pts = _rotate(pts, rng.normal(0, 0.15), cx, cy)
    return [pen_stroke(rng, pts, width)]


def _line(
    rng: np.random.Generator, p: np.ndarray, q: np.ndarray, width: float, bend: float
) -> Stroke:
    mid = (p + q) / 2 + rng.normal(0, bend, 2)
    return pen_stroke(rng, resample(bezier(p, mid, q, 16)), width)


def cross(rng: np.random.Generator, box: Box, width: float, scale: float = 1.0) -> list[Stroke]:
    """Two crossing diagonals over the box."""
    cx, cy = centre(box)
    s = max(box[2], box[3]) * scale * rng.uniform(0.7, 1.15) / 2
    cx += rng.normal(0, 0.1 * s)
    cy += rng.normal(0, 0.1 * s)
    j = lambda: rng.normal(0, 0.12 * s)  # noqa: E731
    one = _line(
        rng,
        np.array([cx - s + j(), cy - s + j()]),
        np.array([cx + s + j(), cy + s + j()]),
        width,
        0.1 * s,
    )
    two = _line(
        rng,
        np.array([cx + s + j(), cy - s + j()]),
        np.array([cx - s + j(), cy + s + j()]),
        width,
        0.1 * s,
    )
    return [one, two]


def underline(rng: np.random.Generator, box: Box, width: float) -> list[Stroke]:
    """A line under the printed digit."""
    x, y, w, h = box
    yy = y + h * rng.uniform(0.85, 1.1)
    left = x + w * rng.uniform(-0.2, 0.15)
    right = x + w * rng.uniform(0.85, 1.2)
    return [
        _line(rng, np.array([left, yy]), np.array([right, yy + rng.normal(0, 0.3)]), width, 0.2)
    ]


def slash(rng: np.random.Generator, box: Box, width: float) -> list[Stroke]:
    """One stroke through the digit, bottom-left to top-right."""
    cx, cy = centre(box)
    s = max(box[2], box[3]) * rng.uniform(0.45, 0.7)
    lean = rng.uniform(0.3, 0.8)
    p = np.array([cx - lean * s, cy + s])
    q = np.array([cx + lean * s, cy - s])
    return [_line(rng, p, q, width, 0.1 * s)]


def scribble(
    rng: np.random.Generator, box: Box, width: float, density: float = 1.0
) -> list[Stroke]:
    """Back-and-forth zigzag covering the box (a fill, or crossing something out)."""
    x, y, w, h = box
    rows = max(3, int(h / max(width * 1.6, 0.4) * density * rng.uniform(0.35, 0.6)))
    ys = np.linspace(y + 0.1 * h, y + 0.9 * h, rows)
    xs = np.where(
        np.arange(rows) % 2 == 0, x + w * rng.uniform(0.0, 0.15), x + w * rng.uniform(0.85, 1.0)
    )
    pts = np.stack([xs + rng.normal(0, 0.05 * w, rows), ys + rng.normal(0, 0.03 * h, rows)], axis=1)
    return [pen_stroke(rng, resample(pts), width * 1.2, skip=0.0)]


def circle_label(rng: np.random.Generator, box: Box, width: float) -> list[Stroke]:
    """A loose oval round a printed word (the answer's label rather than its box)."""
    cx, cy = centre(box)
    rx = box[2] / 2 + rng.uniform(1.0, 3.0)
    ry = box[3] / 2 + rng.uniform(0.5, 2.0)
    return hand_circle(
        rng, cx + rng.normal(0, 0.5), cy + rng.normal(0, 0.3), rx, ry, width, tilt_sd=0.04
    )


def strike_out(
    rng: np.random.Generator, box: Box, width: float, heavy: bool = False
) -> list[Stroke]:
    """Cancel an earlier mark: a big X or a scribble over it (``heavy``: always a dense scribble,
    as people cancel a ticked box: an X over a cross would just be a bigger cross)."""
    x, y, w, h = box
    grow = rng.uniform(1.1, 1.4) if heavy else rng.uniform(1.3, 1.8)
    big = (x - w * (grow - 1) / 2, y - h * (grow - 1) / 2, w * grow, h * grow)
    if heavy:
        return scribble(rng, big, width, 2.5)
    if rng.random() < 0.55:
        return cross(rng, big, width, 1.0)
    return scribble(rng, big, width, 1.4)


def choice_mark(
    rng: np.random.Generator, style: str, box: Box, width: float, pitch: float = 0.0
) -> list[Stroke]:
    """Strokes for one mark of ``style`` on one option's target (checkbox or printed digit)."""
    if style == CIRCLE:
        return circle_around(rng, box, width)
    if style == OVAL_WIDE:
        return circle_around(rng, box, width, wide=True, pitch=pitch)
    if style == TICK:
        return tick(rng, box, width)
    if style == TICK_TINY:
        return tick(rng, box, width, scale=0.4)
    if style == TICK_OVER:
        return tick(rng, box, width, scale=1.9)
    if style == CROSS:
        return cross(rng, box, width)
    if style == CROSS_OVER:
        return cross(rng, box, width, scale=1.9)
    if style == UNDERLINE:
        return underline(rng, box, width)
    if style == SLASH:
        return slash(rng, box, width)
    if style == FILL:
        return scribble(rng, box, width, 2.0)
    raise ValueError(f"unknown mark style {style!r}")


def line_mark(rng: np.random.Generator, box: Box, value: float, width: float) -> list[Stroke]:
    """A mark on a rating line at ``value`` (0-100): a short vertical stroke or a small cross."""
    x, y, w, h = box
    cx = x + w * value / 100.0
    cy = y + h / 2
    size = rng.uniform(3.0, 6.0)
    if rng.random() < 0.6:
        p = np.array([cx + rng.normal(0, 0.3), cy - size / 2])
        q = np.array([cx + rng.normal(0, 0.3), cy + size / 2])
        return [_line(rng, p, q, width, 0.2)]
    return cross(rng, (cx - size / 2, cy - size / 2, size, size), width)


def doodle(rng: np.random.Generator, cx: float, cy: float, width: float) -> list[Stroke]:
    """A stray mark: a squiggle, a spiral, a small smiley, a dot or a short line."""
    kind = rng.choice(["squiggle", "spiral", "smiley", "dot", "line"])
    if kind == "squiggle":
        n = 40
        xs = np.linspace(0, rng.uniform(8, 25), n)
        ys = np.sin(xs * rng.uniform(0.6, 1.5)) * rng.uniform(0.8, 2.5)
        return [pen_stroke(rng, np.stack([cx + xs, cy + ys], axis=1), width)]
    if kind == "spiral":
        t = np.linspace(0, rng.uniform(3, 6) * math.pi, 120)
        radius = 0.4 * t
        return [
            pen_stroke(
                rng, np.stack([cx + radius * np.cos(t), cy + radius * np.sin(t)], axis=1), width
            )
        ]
    if kind == "smiley":
        r = float(rng.uniform(3, 6))
        face = hand_circle(rng, cx, cy, r, r, width)
        t = np.linspace(0.2 * math.pi, 0.8 * math.pi, 20)
        mouth = np.stack([cx + 0.55 * r * np.cos(t), cy + 0.55 * r * np.sin(t)], axis=1)
        eyes = [
            Stroke.of(
                np.array([[cx - 0.35 * r, cy - 0.3 * r], [cx - 0.33 * r, cy - 0.2 * r]]), width
            ),
            Stroke.of(
                np.array([[cx + 0.35 * r, cy - 0.3 * r], [cx + 0.33 * r, cy - 0.2 * r]]), width
            ),
        ]
        return [*face, pen_stroke(rng, mouth, width), *eyes]
    if kind == "dot":
        d = rng.uniform(0.2, 0.6)
        return [Stroke.of(np.array([[cx, cy], [cx + d, cy + d * 0.5]]), width * 1.5)]
    length = rng.uniform(3, 15)
    angle = rng.uniform(0, math.pi)
    q = np.array([cx + length * math.cos(angle), cy + length * math.sin(angle)])
    return [_line(rng, np.array([cx, cy]), q, width, 0.5)]
