"""Joined-up handwriting synthesised as pen strokes (no font): fast, loopy, often barely legible.

Each letter becomes a few control points by its shape class: small letters a hump or a loop up to
the x-height, ascenders (b d f h k l t) a tall loop, descenders (g j p q y) a loop below the
baseline, capitals a tall first stroke.  Words are one continuous stroke, smoothed and slanted;
umlaut dots and the ring of å are added after the word, as people do; spaces lift the pen.
"""

from __future__ import annotations

import math

import numpy as np

from samples.strokes import Stroke, pen_stroke, resample

ASCENDERS = set("bdfhklt")
DESCENDERS = set("gjpqy")
ROUND = set("aoedcgqåäö")
WIDE = set("mwMW")
DOTTED = {"ä": 2, "ö": 2, "Ä": 2, "Ö": 2, "i": 1, "j": 1}
RINGED = set("åÅ")


def letter_width(ch: str, xh: float) -> float:
    if ch == " ":
        return 1.0 * xh
    if ch in WIDE:
        return 1.8 * xh
    if ch in "il.,!'":
        return 0.55 * xh
    return 1.15 * xh


def word_width(word: str, xh: float) -> float:
    return sum(letter_width(c, xh) for c in word)


def _letter_points(
    ch: str, x: float, base: float, xh: float, w: float, rng: np.random.Generator
) -> list[tuple[float, float]]:
    j = lambda s: float(rng.normal(0, s * xh))  # noqa: E731
    top = base - xh * rng.uniform(0.85, 1.1)
    if ch.isupper():
        tall = base - xh * rng.uniform(1.9, 2.3)
        return [
            (x + 0.1 * w, base + j(0.05)),
            (x + 0.2 * w, tall),
            (x + 0.5 * w, base - xh * 0.3),
            (x + w, base + j(0.05)),
        ]
    if ch in ASCENDERS:
        tall = base - xh * rng.uniform(2.0, 2.5)
        return [
            (x + 0.35 * w, top),
            (x + 0.55 * w, tall),
            (x + 0.35 * w, tall + 0.3 * xh),
            (x + 0.4 * w, base),
            (x + w, base - 0.25 * xh + j(0.05)),
        ]
    if ch in DESCENDERS:
        low = base + xh * rng.uniform(0.9, 1.3)
        return [
            (x + 0.6 * w, top),
            (x + 0.2 * w, base - 0.4 * xh),
            (x + 0.6 * w, top + j(0.05)),
            (x + 0.55 * w, low),
            (x + 0.2 * w, low - 0.3 * xh),
            (x + w, base - 0.3 * xh),
        ]
    if ch in ROUND:
        return [
            (x + 0.7 * w, top + j(0.08)),
            (x + 0.1 * w, base - 0.45 * xh),
            (x + 0.45 * w, base + j(0.04)),
            (x + 0.75 * w, top + j(0.05)),
            (x + w, base + j(0.04)),
        ]
    if ch in ".,!?:;-'\"()0123456789":
        return [(x + 0.5 * w, base - 0.2 * xh), (x + w, base)]
    if ch in WIDE:
        return [
            (x, base),
            (x + 0.15 * w, top),
            (x + 0.35 * w, base),
            (x + 0.55 * w, top),
            (x + 0.75 * w, base),
            (x + w, top + 0.3 * xh),
        ]
    # n, u, r, s, v, i and the rest: a hump
    return [
        (x + 0.1 * w, top + j(0.06)),
        (x + 0.5 * w, base + j(0.04)),
        (x + 0.85 * w, top + j(0.06)),
        (x + w, base + j(0.04)),
    ]


def _smooth(points: np.ndarray, sigma_mm: float) -> np.ndarray:
    """Round the corners of a control polygon, as a moving hand does (Gaussian, ``sigma_mm``)."""
    step = 0.1
    dense = resample(points, step)
    half = max(2, int(3 * sigma_mm / step))
    if len(dense) < 2 * half + 1:
        return dense
    kernel = np.exp(-0.5 * (np.arange(-half, half + 1) * step / sigma_mm) ** 2)
    kernel /= kernel.sum()
    pad = np.pad(dense, ((half, half), (0, 0)), mode="edge")
    return np.stack([np.convolve(pad[:, k], kernel, mode="valid") for k in range(2)], axis=1)


def write_line(
    rng: np.random.Generator,
    text: str,
    x0: float,
    base: float,
    xh: float,
    slant: float,
    width: float,
) -> tuple[list[Stroke], float]:
    """Strokes of one line of joined-up writing, and the x where it ends (mm)."""
    strokes: list[Stroke] = []
    x = x0
    for word in text.split(" "):
        if not word:
            x += letter_width(" ", xh)
            continue
        pts: list[tuple[float, float]] = [(x, base)]
        extras: list[Stroke] = []
        drift = 0.0
        for ch in word:
            w = letter_width(ch, xh) * rng.uniform(0.85, 1.15)
            drift = 0.7 * drift + rng.normal(0, 0.08 * xh)
            pts.extend(_letter_points(ch, x, base + drift, xh, w, rng))
            cx = x + 0.5 * w
            for k in range(DOTTED.get(ch, 0)):
                dx = (k - 0.5) * 0.35 * w if DOTTED[ch] == 2 else 0.0
                dy = base - xh * rng.uniform(1.4, 1.7)
                d = np.array([[cx + dx, dy], [cx + dx + 0.15 * xh, dy - 0.1 * xh]])
                extras.append(Stroke.of(d, width * 1.1))
            if ch in RINGED:
                t = np.linspace(0, 2 * math.pi, 16)
                ring = np.stack(
                    [cx + 0.2 * xh * np.cos(t), base - 1.6 * xh + 0.2 * xh * np.sin(t)], axis=1
                )
                extras.append(pen_stroke(rng, ring, width))
            x += w
        path = _smooth(np.array(pts, float), xh * rng.uniform(0.12, 0.22))
        path[:, 0] -= slant * (path[:, 1] - base)  # lean: higher points further right
        path += rng.normal(0, 0.02 * xh, path.shape)
        strokes.append(pen_stroke(rng, path, width, skip=0.05))
        for e in extras:
            e.points[:, 0] -= slant * (e.points[:, 1] - base)
        strokes.extend(extras)
        x += letter_width(" ", xh) * rng.uniform(0.8, 1.3)
    return strokes, x
