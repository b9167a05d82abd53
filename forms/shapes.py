"""Drawing primitives beyond text, outlines and rules: colour fills, circles, polylines, markers.

The statement posters, feedback cards and flyer need colour zones, simple faces and registration
marks placed anywhere on the sheet.  Like the primitives in forms/layout.py these are plain
geometry in millimetres from the page's top-left; the renderer draws them, tests measure them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from forms.template import Box

# Red, green, blue in 0..1.
RGB = tuple[float, float, float]

# The printed colours of zones and their labels: saturated enough to tell apart on a phone
# photo and in grey print, and named like the sticker colours the reader counts.
ZONE_RGB: dict[str, RGB] = {
    "green": (0.13, 0.62, 0.25),
    "yellow": (0.98, 0.80, 0.08),
    "red": (0.85, 0.13, 0.13),
    "blue": (0.13, 0.38, 0.80),
}


@dataclass(frozen=True)
class Fill:
    """A filled rectangle (optionally with rounded corners)."""

    x: float
    y: float
    w: float
    h: float
    colour: RGB
    radius: float = 0.0

    def box(self) -> Box:
        return (self.x, self.y, self.w, self.h)

    def moved(self, dy: float) -> Fill:
        return replace(self, y=self.y + dy)


@dataclass(frozen=True)
class Frame:
    """A rectangle outline in colour, with rounded corners."""

    x: float
    y: float
    w: float
    h: float
    colour: RGB
    line_pt: float = 3.0
    radius: float = 0.0

    def box(self) -> Box:
        return (self.x, self.y, self.w, self.h)

    def moved(self, dy: float) -> Frame:
        return replace(self, y=self.y + dy)


@dataclass(frozen=True)
class Circle:
    cx: float
    cy: float
    r: float
    line_pt: float = 1.0
    stroke: RGB | None = (0.0, 0.0, 0.0)
    fill: RGB | None = None

    def box(self) -> Box:
        return (self.cx - self.r, self.cy - self.r, 2 * self.r, 2 * self.r)

    def moved(self, dy: float) -> Circle:
        return replace(self, cy=self.cy + dy)


@dataclass(frozen=True)
class Polyline:
    """Connected straight segments through ``points`` (used for mouths, brows, plus and minus)."""

    points: tuple[tuple[float, float], ...]
    line_pt: float = 1.0
    colour: RGB = (0.0, 0.0, 0.0)

    def box(self) -> Box:
        xs = [p[0] for p in self.points]
        ys = [p[1] for p in self.points]
        return (min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))

    def moved(self, dy: float) -> Polyline:
        return replace(self, points=tuple((x, y + dy) for x, y in self.points))


@dataclass(frozen=True)
class Marker:
    """An ArUco registration marker (template.ARUCO_DICTIONARY) placed anywhere on the sheet."""

    id: int
    x: float
    y: float
    size: float

    def box(self) -> Box:
        return (self.x, self.y, self.size, self.size)

    def moved(self, dy: float) -> Marker:
        return replace(self, y=self.y + dy)


@dataclass(frozen=True)
class IdPlacement:
    """Where one page ID (QR and its human-readable text) is printed on a sheet.

    A sheet normally carries one, at the style's QR box; a sheet of feedback cards carries one
    per card, each with the page number of its card (see forms/pageid.py).
    """

    page: int
    qr: Box
    text: Box
    text_pt: float = 6.0
