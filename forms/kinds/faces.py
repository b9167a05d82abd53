"""Simple emotion faces drawn with circles and strokes: for feedback cards and rating lines.

Plain line drawings that print well in black and white and read at a glance: a round head,
two eyes, a mouth, and for some moods brows or a hand.
"""

from __future__ import annotations

import math

from forms.layout import Primitive
from forms.shapes import RGB, Circle, Polyline

FACES: tuple[str, ...] = (
    "happy",
    "thinking",
    "annoyed",
    "idea",
    "wishing",
    "talking",
    "sad",
    "neutral",
)

_FACE_FILL: RGB = (1.0, 0.93, 0.62)  # a light warm yellow, still plain in grey print
_INK: RGB = (0.1, 0.1, 0.1)


def _arc(
    cx: float, cy: float, r: float, start: float, end: float, steps: int = 16
) -> tuple[tuple[float, float], ...]:
    """Points on a circle arc; angles in degrees, 0 = right, 90 = down (page y grows down)."""
    return tuple(
        (cx + r * math.cos(math.radians(a)), cy + r * math.sin(math.radians(a)))
        for a in (start + (end - start) * i / steps for i in range(steps + 1))
    )


def face(kind: str, cx: float, cy: float, r: float, filled: bool = True) -> list[Primitive]:
    """A face of ``kind`` (FACES) centred at cx, cy with radius r (millimetres)."""
    line = max(1.0, r * 0.22)  # points
    prims: list[Primitive] = [Circle(cx, cy, r, line, _INK, _FACE_FILL if filled else None)]
    eye_r = r * 0.09
    ex, ey = r * 0.35, cy - r * 0.2
    for side in (-1, 1):
        prims.append(Circle(cx + side * ex, ey, eye_r, line * 0.5, _INK, _INK))
    mouth_y = cy + r * 0.35
    if kind == "happy":
        prims.append(Polyline(_arc(cx, cy + r * 0.05, r * 0.5, 25, 155), line, _INK))
    elif kind == "sad":
        prims.append(Polyline(_arc(cx, cy + r * 0.85, r * 0.5, 205, 335), line, _INK))
    elif kind == "annoyed":
        prims.append(Polyline(_arc(cx, cy + r * 0.9, r * 0.45, 220, 320), line, _INK))
        for side in (-1, 1):  # brows slanting down towards the nose
            prims.append(
                Polyline(
                    ((cx + side * r * 0.55, ey - r * 0.3), (cx + side * r * 0.15, ey - r * 0.15)),
                    line,
                    _INK,
                )
            )
    elif kind == "thinking":
        prims.append(
            Polyline(((cx - r * 0.25, mouth_y), (cx + r * 0.3, mouth_y - r * 0.08)), line, _INK)
        )
        prims.append(  # one raised brow
            Polyline(_arc(cx + ex, ey - r * 0.05, r * 0.25, 200, 340, 8), line * 0.8, _INK)
        )
        for i, size in enumerate((0.08, 0.11, 0.15)):  # thought bubbles
            prims.append(
                Circle(
                    cx + r * (1.0 + 0.28 * i),
                    cy - r * (0.9 + 0.3 * i),
                    r * size,
                    line * 0.5,
                    _INK,
                    None,
                )
            )
    elif kind == "idea":
        prims.append(Polyline(_arc(cx, cy + r * 0.1, r * 0.4, 30, 150), line, _INK))
        bx, by = cx + r * 1.05, cy - r * 1.0  # a small light bulb
        prims.append(Circle(bx, by, r * 0.22, line * 0.6, _INK, (1.0, 1.0, 1.0)))
        for a in (-60, -90, -120):
            x1, y1 = (
                bx + r * 0.3 * math.cos(math.radians(a)),
                by + r * 0.3 * math.sin(math.radians(a)),
            )
            x2, y2 = (
                bx + r * 0.45 * math.cos(math.radians(a)),
                by + r * 0.45 * math.sin(math.radians(a)),
            )
            prims.append(Polyline(((x1, y1), (x2, y2)), line * 0.5, _INK))
    elif kind == "wishing":
        prims.append(Polyline(_arc(cx, cy + r * 0.1, r * 0.35, 40, 140), line, _INK))
        sx, sy, s = cx + r * 1.1, cy - r * 0.95, r * 0.22  # a star
        points = tuple(
            (
                sx + (s if i % 2 == 0 else s * 0.45) * math.cos(math.radians(-90 + 36 * i)),
                sy + (s if i % 2 == 0 else s * 0.45) * math.sin(math.radians(-90 + 36 * i)),
            )
            for i in range(11)
        )
        prims.append(Polyline(points, line * 0.5, _INK))
    elif kind == "talking":
        prims.append(Circle(cx, mouth_y, r * 0.15, line * 0.7, _INK, None))
        bx, by = cx + r * 1.05, cy - r * 0.95  # a speech bubble
        prims.append(Circle(bx, by, r * 0.3, line * 0.5, _INK, (1.0, 1.0, 1.0)))
        prims.append(
            Polyline(
                ((bx - r * 0.2, by + r * 0.22), (bx - r * 0.4, by + r * 0.45)), line * 0.5, _INK
            )
        )
    else:  # neutral
        prims.append(Polyline(((cx - r * 0.3, mouth_y), (cx + r * 0.3, mouth_y)), line, _INK))
    return prims
