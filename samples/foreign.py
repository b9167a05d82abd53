"""Filled and scanned pages the sample generator does not make: other pens, odd marks, other scanners.

An independent stress set for the reader (``benchmarks/bench_foreign.py``, and a few of its cases
in ``tests/test_reader_foreign.py``).  It shares nothing with ``samples/marks.py``,
``samples/strokes.py`` or ``samples/scanner_sim.py``: the printed form is rasterised with
pypdfium2, answers are drawn with OpenCV anti-aliased polylines and composited onto the paper as
ink (multiplied, so a highlighter leaves the print dark), and the scan is simulated here.

A **case** names a pen, a kind of mark and a scanner setting.  ``make_page`` draws one form page
of a case and returns the scanned image (greyscale, as ``scanner.ingest`` hands pages on: colour
scans are converted the way it converts them) with the ground truth of every mark field on it.

Ground truth per field: the value and status a careful reader reports (``expect``), other statuses
that are no mistake (``accept``: a flag for an odd mark, or empty for a line through a whole row),
and whether the mark is a plain clear one that should be read without a flag (``plain``).
"""

from __future__ import annotations

import io
import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from forms.template import Box, Field, Template

MM_PER_INCH = 25.4
OK, EMPTY, CORRECTED = "ok", "empty", "corrected"
FLAGS = ("ambiguous", "multiple", "unreadable")  # a person looks: never a silent error


# -- pens ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Pen:
    name: str
    rgb: tuple[int, int, int]  # colour of the ink where it is laid down fully
    width_mm: tuple[float, float]  # stroke width range
    grain: float = 0.0  # 0..1: share of the stroke's coverage lost to paper grain (pencil)
    skips: float = 0.0  # 0..1: a ballpoint that skips: share of the stroke's length dropped
    opacity: float = 1.0  # how much of the way from paper to ``rgb`` one pass goes


PENS = {
    "ballpoint": Pen("ballpoint", (28, 30, 45), (0.35, 0.5)),
    "blue": Pen("blue", (25, 45, 140), (0.4, 0.55)),
    "pencil": Pen("pencil", (150, 150, 155), (0.25, 0.35), grain=0.55),
    "hard_pencil": Pen("hard_pencil", (178, 178, 182), (0.2, 0.3), grain=0.6),
    "faint_blue": Pen("faint_blue", (135, 155, 225), (0.3, 0.4), skips=0.12),
    "red": Pen("red", (205, 35, 45), (0.4, 0.55)),
    "felt": Pen("felt", (20, 20, 25), (1.2, 1.8)),
    "highlighter_yellow": Pen("highlighter_yellow", (255, 236, 60), (4.0, 5.0), opacity=0.85),
    "highlighter_pink": Pen("highlighter_pink", (255, 110, 185), (4.0, 5.0), opacity=0.8),
}


class Canvas:
    """A page being drawn on: RGB float paper at ``dpi``, pen strokes composited as ink."""

    def __init__(
        self, page_grey: np.ndarray, dpi: float, rng: np.random.Generator, track: bool = False
    ) -> None:
        self.track = track  # keep each field's stroke coverage (to tell erased marks)
        self.blank = page_grey if track else None
        self.rgb = np.repeat(page_grey[:, :, None].astype(np.float32) / 255.0, 3, axis=2)
        self.dpi = dpi
        self.s = dpi / MM_PER_INCH
        self.rng = rng
        self.marks: dict[str, np.ndarray] = {}  # field id -> coverage of its marks (for "lost")

    def stroke(
        self, pen: Pen, points_mm: list[tuple[float, float]], key: str, width_mm: float = 0.0
    ) -> None:
        """One pen stroke through ``points_mm`` (a polyline), laid onto the paper."""
        width = width_mm or float(self.rng.uniform(*pen.width_mm))
        pts = np.asarray(points_mm, np.float64) * self.s
        x0, y0 = np.floor(pts.min(axis=0) - width * self.s - 4).astype(int)
        x1, y1 = np.ceil(pts.max(axis=0) + width * self.s + 4).astype(int)
        h, w = self.rgb.shape[:2]
        x0, y0, x1, y1 = max(x0, 0), max(y0, 0), min(x1, w), min(y1, h)
        if x1 <= x0 or y1 <= y0:
            return
        cover = np.zeros((y1 - y0, x1 - x0), np.uint8)
        shift = 4
        local = ((pts - (x0, y0)) * (1 << shift)).round().astype(np.int32)
        thickness = max(1, round(width * self.s))
        if pen.skips > 0:  # draw the polyline in pieces, dropping some
            for a, b in itertools.pairwise(local):
                if self.rng.random() >= pen.skips:
                    cv2.line(cover, tuple(a), tuple(b), 255, thickness, cv2.LINE_AA, shift)
        else:
            cv2.polylines(
                cover, [local.reshape(-1, 1, 2)], False, 255, thickness, cv2.LINE_AA, shift
            )
        c: np.ndarray = cover.astype(np.float32) / 255.0 * pen.opacity
        if pen.grain > 0:  # graphite catches on the paper's tooth: blotchy, fine-grained
            tooth: np.ndarray = self.rng.random(c.shape).astype(np.float32)
            tooth = cv2.GaussianBlur(tooth, (0, 0), 0.6)
            tooth = (tooth - tooth.min()) / max(float(np.ptp(tooth)), 1e-6)
            c *= np.clip(1.0 - pen.grain + pen.grain * 1.6 * tooth, 0.0, 1.0)
        ink = np.asarray(pen.rgb, np.float32) / 255.0
        region = self.rgb[y0:y1, x0:x1]
        region *= 1.0 - c[:, :, None] * (1.0 - ink)  # ink filters the light: multiply
        if not self.track:
            return
        mark = self.marks.setdefault(key, np.zeros(self.rgb.shape[:2], np.uint8))
        np.maximum(mark[y0:y1, x0:x1], cover, out=mark[y0:y1, x0:x1])

    def text(
        self, pen: Pen, text: str, x_mm: float, y_mm: float, height_mm: float, key: str
    ) -> None:
        """Handwriting-ish text with its baseline at (x, y): Hershey script strokes, jittered."""
        scale = height_mm * self.s / 22.0
        width = float(self.rng.uniform(*pen.width_mm))
        cover = np.zeros(self.rgb.shape[:2], np.uint8)
        org = (round(x_mm * self.s), round(y_mm * self.s))
        thickness = max(1, round(width * self.s))
        cv2.putText(
            cover, text, org, cv2.FONT_HERSHEY_SCRIPT_SIMPLEX, scale, 255, thickness, cv2.LINE_AA
        )
        c = cover.astype(np.float32) / 255.0 * pen.opacity
        ink = np.asarray(pen.rgb, np.float32) / 255.0
        self.rgb *= 1.0 - c[:, :, None] * (1.0 - ink)
        if not self.track:
            return
        mark = self.marks.setdefault(key, np.zeros(self.rgb.shape[:2], np.uint8))
        np.maximum(mark, cover, out=mark)


# -- marks -------------------------------------------------------------------------------------
def _ellipse(
    rng: np.random.Generator, cx: float, cy: float, rx: float, ry: float, turns: float = 1.08
) -> list[tuple[float, float]]:
    """A hand-drawn loop: starts anywhere, overshoots a little, wobbles, leans."""
    start = float(rng.uniform(0, 2 * math.pi))
    lean = float(rng.uniform(-0.25, 0.25))
    wob = float(rng.uniform(0.02, 0.07))
    phase = float(rng.uniform(0, 2 * math.pi))
    n = 64
    pts = []
    for k in range(n + 1):
        a = start + 2 * math.pi * turns * k / n
        r = 1.0 + wob * math.sin(2 * a + phase) + 0.03 * k / n  # the end drifts outwards
        ex, ey = rx * r * math.cos(a), ry * r * math.sin(a)
        pts.append(
            (
                cx + ex * math.cos(lean) - ey * math.sin(lean),
                cy + ex * math.sin(lean) + ey * math.cos(lean),
            )
        )
    return pts


def _j(rng: np.random.Generator, amount: float) -> float:
    return float(rng.uniform(-amount, amount))


MarkFn = Callable[[Canvas, Pen, float, float, str], None]


def circle(c: Canvas, pen: Pen, x: float, y: float, key: str) -> None:
    r = c.rng
    c.stroke(
        pen, _ellipse(r, x + _j(r, 0.6), y + _j(r, 0.4), 4.2 + _j(r, 0.8), 3.6 + _j(r, 0.6)), key
    )


def loose_circle(c: Canvas, pen: Pen, x: float, y: float, key: str) -> None:
    """A big careless oval, off centre, whose end reaches over the neighbouring number."""
    r = c.rng
    side = 1.0 if r.random() < 0.5 else -1.0
    c.stroke(
        pen,
        _ellipse(
            r,
            x + side * float(r.uniform(1.5, 3.0)),
            y + _j(r, 0.8),
            float(r.uniform(10.5, 12.5)),
            float(r.uniform(4.5, 6.0)),
        ),
        key,
    )


def small_circle(c: Canvas, pen: Pen, x: float, y: float, key: str) -> None:
    r = c.rng
    c.stroke(
        pen, _ellipse(r, x + _j(r, 0.3), y + _j(r, 0.3), 2.4 + _j(r, 0.2), 2.9 + _j(r, 0.2)), key
    )


def tick(c: Canvas, pen: Pen, x: float, y: float, key: str, size: float = 1.0) -> None:
    r = c.rng
    c.stroke(
        pen,
        [
            (x - 2.2 * size + _j(r, 0.4), y - 0.2 * size + _j(r, 0.4)),
            (x - 0.4 * size + _j(r, 0.3), y + 2.3 * size + _j(r, 0.3)),
            (x + 3.0 * size + _j(r, 0.5), y - 3.4 * size + _j(r, 0.5)),
        ],
        key,
    )


def big_tick(c: Canvas, pen: Pen, x: float, y: float, key: str) -> None:
    tick(c, pen, x, y, key, size=float(c.rng.uniform(2.0, 2.6)))


def cross(c: Canvas, pen: Pen, x: float, y: float, key: str, size: float = 2.4) -> None:
    r = c.rng
    c.stroke(
        pen,
        [
            (x - size + _j(r, 0.4), y - size + _j(r, 0.4)),
            (x + size + _j(r, 0.4), y + size + _j(r, 0.4)),
        ],
        key,
    )
    c.stroke(
        pen,
        [
            (x + size + _j(r, 0.4), y - size + _j(r, 0.4)),
            (x - size + _j(r, 0.4), y + size + _j(r, 0.4)),
        ],
        key,
    )


def big_cross(c: Canvas, pen: Pen, x: float, y: float, key: str) -> None:
    cross(c, pen, x, y, key, size=float(c.rng.uniform(5.0, 6.5)))


def dot(c: Canvas, pen: Pen, x: float, y: float, key: str) -> None:
    """A filled blob: a few tight turns of the pen on the number."""
    r = c.rng
    radius = float(r.uniform(1.2, 1.8))
    cx, cy = x + _j(r, 0.4), y + _j(r, 0.4)
    pts = []
    for k in range(60):
        a = k * 0.7
        rr = radius * (1 - k / 70)
        pts.append((cx + rr * math.cos(a), cy + rr * math.sin(a)))
    c.stroke(pen, pts, key, width_mm=max(0.6, pen.width_mm[1]))


def check_beside(c: Canvas, pen: Pen, x: float, y: float, key: str) -> None:
    """A tick drawn just to the right of the number, not on it."""
    tick(c, pen, x + float(c.rng.uniform(4.5, 5.5)), y, key, size=0.9)


def highlight(c: Canvas, pen: Pen, x: float, y: float, key: str) -> None:
    """A highlighter swiped over the number."""
    r = c.rng
    c.stroke(
        pen, [(x - 4.5 + _j(r, 0.8), y + _j(r, 0.5)), (x + 4.5 + _j(r, 0.8), y + _j(r, 0.5))], key
    )


def scribble(c: Canvas, pen: Pen, x: float, y: float, key: str) -> None:
    """Zigzags over a circled number: the circle is cancelled."""
    r = c.rng
    pts = []
    for k in range(9):
        pts.append((x - 4.0 + k, y + (3.5 if k % 2 else -3.5) + _j(r, 0.5)))
    c.stroke(pen, pts, key)


MARKS: dict[str, MarkFn] = {
    "circle": circle,
    "tick": tick,
    "cross": cross,
    "loose_circle": loose_circle,
    "small_circle": small_circle,
    "big_tick": big_tick,
    "big_cross": big_cross,
    "dot": dot,
    "check_beside": check_beside,
    "highlight": highlight,
}
PLAIN = ("circle", "tick", "cross")
# Odd marks whose value a reader may read, but which it may also send to a person.
ODD_READABLE = (
    "loose_circle",
    "small_circle",
    "big_tick",
    "big_cross",
    "dot",
    "check_beside",
    "highlight",
)
# Row-level oddities (drawn by ``_draw_row``): margin_number, scribbled, na_line, text_touch.
ROW_ODDITIES = ("margin_number", "scribbled", "na_line", "text_touch")


# -- scanners ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Scanner:
    name: str
    dpi: int = 300
    colour: bool = False  # a colour scan (JPEG); else greyscale
    jpeg: int | None = 80  # JPEG quality; None keeps the pixels as they are
    bilevel: int | None = None  # "text mode": black where darker than this fixed level
    white_point: int | None = None  # background removal: this level and lighter become white
    unsharp: float = 0.0  # unsharp-mask amount
    skew_deg: float = 0.4
    scale: float = 1.0  # printer fit-to-page
    autocrop: bool = False  # deskewed and cropped to the paper's edge (a little too far)


SCANNERS = {
    "office300": Scanner("office300"),
    "dpi150": Scanner("dpi150", dpi=150),
    "dpi200": Scanner("dpi200", dpi=200),
    "dpi600": Scanner("dpi600", dpi=600, jpeg=85),
    "unsharp": Scanner("unsharp", dpi=200, unsharp=1.5),
    "bilevel_light": Scanner("bilevel_light", jpeg=None, bilevel=105),
    "bilevel_dark": Scanner("bilevel_dark", jpeg=None, bilevel=215),
    "colour_jpeg30": Scanner("colour_jpeg30", dpi=200, colour=True, jpeg=30),
    "colour_jpeg50": Scanner("colour_jpeg50", colour=True, jpeg=50),
    "bg_removal": Scanner("bg_removal", dpi=200, white_point=175),
    "autocrop": Scanner("autocrop", skew_deg=0.0, autocrop=True),
    "skew3": Scanner("skew3", dpi=200, skew_deg=3.0),
    "fit90": Scanner("fit90", dpi=200, scale=0.9),
}


def _luma(rgb: np.ndarray) -> np.ndarray:
    """Greyscale the way ``scanner.ingest.to_grey`` makes it (Pillow's ``convert('L')``)."""
    im = Image.fromarray(rgb)
    return np.asarray(im.convert("L"), np.uint8)


def scan(rgb01: np.ndarray, render_dpi: float, sc: Scanner, rng: np.random.Generator) -> np.ndarray:
    """The drawn page (RGB floats 0-1 at ``render_dpi``) as the scanner ``sc`` hands it on."""
    rgb = np.clip(rgb01 * 255.0, 0, 255).astype(np.uint8)
    # A grey scan is converted in the scanner; doing it first is the same and three times cheaper.
    img: np.ndarray = (rgb if sc.colour else _luma(rgb)).astype(np.float32)
    h, w = img.shape[:2]
    s = render_dpi / MM_PER_INCH
    # Geometry: the printer's scale about the sheet's centre, a skew, a shift.
    angle = sc.skew_deg * (1 if rng.random() < 0.5 else -1) + _j(rng, 0.15)
    m: np.ndarray = cv2.getRotationMatrix2D((w / 2, h / 2), angle, sc.scale).astype(np.float64)
    m[:, 2] = m[:, 2] + np.array([_j(rng, 1.0) * s, _j(rng, 1.0) * s])
    paper = float(rng.uniform(236, 248))
    img = cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=(255.0, 255.0, 255.0))
    if sc.autocrop:  # deskewed, then cut to the paper's edge, a little too tightly on two sides
        cut = np.array([6.0, 7.4, 3.0, 4.0]) * s  # left, top, right, bottom
        img = img[int(cut[1]) : h - int(cut[3]), int(cut[0]) : w - int(cut[2])]
    # The scanner's optics: paper tone, a gentle light fall-off, blur, sensor noise.
    hh, ww = img.shape[:2]
    fall = 1.0 - 0.04 * np.linspace(0, 1, ww, dtype=np.float32)[None, :] ** 2
    img = img * (paper / 255.0) * (fall[:, :, None] if img.ndim == 3 else fall)
    img = cv2.GaussianBlur(img, (0, 0), 0.45 * render_dpi / 300.0)
    img = img + 2.0 * rng.standard_normal(img.shape, dtype=np.float32)
    # To the scan's resolution.
    if sc.dpi != render_dpi:
        f = sc.dpi / render_dpi
        img = cv2.resize(img, (round(ww * f), round(hh * f)), interpolation=cv2.INTER_AREA)
    if sc.unsharp > 0:
        blur = cv2.GaussianBlur(img, (0, 0), 1.2)
        img = img + sc.unsharp * (img - blur)
    u8 = np.clip(img, 0, 255).astype(np.uint8)
    if sc.colour:
        ok, buf = cv2.imencode(
            ".jpg", cv2.cvtColor(u8, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, sc.jpeg or 50]
        )
        assert ok
        decoded = cv2.imdecode(buf, cv2.IMREAD_COLOR)
        assert decoded is not None
        return _luma(cv2.cvtColor(decoded, cv2.COLOR_BGR2RGB))
    grey = u8
    if sc.white_point is not None:
        grey = np.clip(grey.astype(np.float32) * 255.0 / sc.white_point, 0, 255).astype(np.uint8)
    if sc.bilevel is not None:
        return np.where(grey < sc.bilevel, 0, 255).astype(np.uint8)
    if sc.jpeg is not None:
        pil = Image.fromarray(grey)
        buf2 = io.BytesIO()
        pil.save(buf2, "JPEG", quality=sc.jpeg)
        grey = np.asarray(Image.open(io.BytesIO(buf2.getvalue())).convert("L"), np.uint8)
    return grey


# -- ground truth -----------------------------------------------------------------------------
@dataclass
class Truth:
    field_id: str
    kind: str
    mark: str  # what was drawn ("none" for an untouched field)
    value: str | list[str] | None
    expect: str
    accept: tuple[str, ...] = FLAGS
    plain: bool = False  # a clear mark in a good pen: should be read without a flag
    lost: bool = False  # the scan erased the mark (a bilevel threshold above the pen's grey)


@dataclass(frozen=True)
class Case:
    name: str
    group: str  # pen | mark | scanner
    pen: str = "ballpoint"
    marks: tuple[str, ...] = PLAIN  # marks drawn on the rows, in turn
    scanner: str = "office300"
    empty_rows: int = 3  # rows of the likert page left unmarked


def _rows(template: Template, page: int, kind: str) -> list[Field]:
    return [f for f in template.page(page).fields if f.kind == kind]


def _centre(box: Box) -> tuple[float, float]:
    return box[0] + box[2] / 2, box[1] + box[3] / 2


def _draw_likert(c: Canvas, pen: Pen, f: Field, mark: str, rng: np.random.Generator) -> Truth:
    values = [o.value for o in f.options]
    centres = {o.value: _centre(o.box) for o in f.options}
    pick = values[int(rng.integers(len(values)))]
    x, y = centres[pick]
    plain = mark in PLAIN and pen.name in ("ballpoint", "blue", "red", "felt")
    if mark == "none":
        return Truth(f.id, "likert", mark, None, EMPTY, plain=True)
    if mark in MARKS:
        if mark == "loose_circle":  # the oval must not reach past the row's ends
            pick = values[int(rng.integers(1, len(values) - 1))]
            x, y = centres[pick]
        MARKS[mark](c, pen, x, y, f.id)
        return Truth(f.id, "likert", mark, pick, OK, plain=plain)
    if mark == "margin_number":  # the answer written beside the row instead of circled
        c.text(pen, pick, f.box[0] + f.box[2] + 1.5, y + 2.2, 5.0, f.id)
        return Truth(f.id, "likert", mark, pick, "ambiguous", accept=FLAGS)
    if mark == "scribbled":  # a circle scribbled out, a new circle on another number
        old = values[int(rng.integers(len(values)))]
        new = rng.choice([v for v in values if v != old])
        ox, oy = centres[old]
        circle(c, pen, ox, oy, f.id)
        scribble(c, pen, ox, oy, f.id)
        circle(c, pen, *centres[str(new)], f.id)
        return Truth(f.id, "likert", mark, str(new), CORRECTED)
    if mark == "na_line":  # a line through the whole row: not applicable
        x0 = f.box[0] + float(rng.uniform(1, 4))
        x1 = f.box[0] + f.box[2] - float(rng.uniform(1, 4))
        c.stroke(
            pen,
            [(x0, y + _j(rng, 0.8)), ((x0 + x1) / 2, y + _j(rng, 0.8)), (x1, y + _j(rng, 0.8))],
            f.id,
        )
        return Truth(f.id, "likert", mark, None, "ambiguous", accept=(*FLAGS, EMPTY))
    if mark == "text_touch":  # a comment in the statement column whose tail runs into the row
        ty = f.box[1] + f.box[3] - float(rng.uniform(0.5, 2.0))
        c.text(pen, "ei koske", f.box[0] - 40.0, ty, 4.5, f.id + ":text")
        c.stroke(
            pen,
            [
                (f.box[0] - 12.0, ty),
                (f.box[0] - 4.0, ty - 0.4),
                (f.box[0] + 6.0 + _j(rng, 2.0), ty - 1.2),
            ],
            f.id + ":text",
        )
        pick = values[int(rng.integers(2, len(values)))]
        circle(c, pen, *centres[pick], f.id)
        return Truth(f.id, "likert", mark, pick, OK)
    raise ValueError(mark)


def _draw_box_field(c: Canvas, pen: Pen, f: Field, mark: str, rng: np.random.Generator) -> Truth:
    """Check boxes (single, multiple): the row's odd mark translated to a box."""
    values = [o.value for o in f.options]
    if f.kind == "multiple":
        values = [v for v in values if v != "muu"]  # a write-in option needs its text
    pick = values[int(rng.integers(len(values)))]
    box = next(o.box for o in f.options if o.value == pick)
    x, y = _centre(box)
    value: str | list[str] = [pick] if f.kind == "multiple" else pick
    plain = mark in PLAIN and pen.name in ("ballpoint", "blue", "red", "felt")
    if mark == "none":
        return Truth(f.id, f.kind, mark, [] if f.kind == "multiple" else None, EMPTY, plain=True)
    if mark in ("tick", "cross", "big_tick", "big_cross", "dot", "highlight"):
        MARKS[mark](c, pen, x, y, f.id)
        return Truth(f.id, f.kind, mark, value, OK, plain=plain)
    if mark == "circle":  # a box circled rather than ticked
        c.stroke(pen, _ellipse(rng, x, y, 5.0 + _j(rng, 0.5), 4.6 + _j(rng, 0.5)), f.id)
        return Truth(f.id, f.kind, mark, value, OK)
    if mark == "small_circle":
        small_circle(c, pen, x, y, f.id)
        return Truth(f.id, f.kind, mark, value, OK)
    if mark == "loose_circle":  # round the box and its label
        c.stroke(pen, _ellipse(rng, x + 12.0, y, 17.0, 5.0), f.id)
        return Truth(f.id, f.kind, mark, value, OK)
    if mark == "check_beside":  # ticked just left of the box
        tick(c, pen, x - 6.5, y, f.id, size=0.9)
        return Truth(f.id, f.kind, mark, value, OK)
    # Row oddities have no box form: a plain tick.
    tick(c, pen, x, y, f.id)
    return Truth(f.id, f.kind, "tick", value, OK, plain=plain)


@dataclass
class Blank:
    """The printed form rasterised once per resolution."""

    pdf: Path
    pages: dict[tuple[int, int], np.ndarray] = field(default_factory=dict)

    def page(self, number: int, dpi: int) -> np.ndarray:
        key = (number, dpi)
        if key not in self.pages:
            import pypdfium2 as pdfium

            doc = pdfium.PdfDocument(str(self.pdf))
            try:
                bitmap = doc[number - 1].render(scale=dpi / 72.0, grayscale=True)
                self.pages[key] = np.array(bitmap.to_numpy(), np.uint8)
            finally:
                doc.close()
        return self.pages[key]


def make_page(
    blank: Blank, template: Template, case: Case, number: int, seed: int
) -> tuple[np.ndarray, int, list[Truth]]:
    """Page ``number`` of ``case`` filled in and scanned: (grey image, its dpi, truths)."""
    rng = np.random.default_rng(seed)
    sc = SCANNERS[case.scanner]
    render_dpi = max(300, sc.dpi)
    canvas = Canvas(blank.page(number, render_dpi), render_dpi, rng, track=sc.bilevel is not None)
    pen = PENS[case.pen]
    truths: list[Truth] = []
    likert = _rows(template, number, "likert")
    if likert:
        empty = set(
            rng.choice(len(likert), size=min(case.empty_rows, len(likert)), replace=False).tolist()
        )
        for i, f in enumerate(likert):
            mark = "none" if i in empty else case.marks[i % len(case.marks)]
            truths.append(_draw_likert(canvas, pen, f, mark, rng))
    boxes = [f for f in template.page(number).fields if f.kind in ("single", "multiple")]
    for i, f in enumerate(boxes):
        mark = case.marks[(i + seed) % len(case.marks)]
        if i == len(boxes) - 1 and number == 1:
            mark = "none"
        truths.append(_draw_box_field(canvas, pen, f, mark, rng))
    image = scan(canvas.rgb, render_dpi, sc, rng)
    if sc.bilevel is not None:
        truths = [_lost(t, canvas, sc.bilevel) for t in truths]
    return image, sc.dpi, truths


def judge(t: Truth, status: str, value: object, review: bool) -> str:
    """exact; accepted (a confident outcome the truth allows: empty for a line through a row);
    flagged (a person looks); or silent (a confident answer that is not what was drawn)."""
    if review or status in FLAGS:
        return "flagged"
    if isinstance(value, list):
        value = sorted(value)
    if status == t.expect and value == t.value:
        return "exact"
    if status in t.accept and status not in (OK, CORRECTED):
        return "accepted"
    return "silent"


def _lost(t: Truth, canvas: Canvas, level: int) -> Truth:
    """A mark a bilevel threshold erased: under a twentieth of its stroke survives."""
    mask = canvas.marks.get(t.field_id)
    if mask is None or t.expect == EMPTY:
        return t
    grey = _luma(np.clip(canvas.rgb * 255, 0, 255).astype(np.uint8))
    inked = mask > 128
    if canvas.blank is not None:  # strokes over printed matter survive as the print does
        inked &= canvas.blank > level
    if not inked.any():
        return t
    surviving = float(np.mean(grey[inked] < level * 0.97))  # paper tone darkens a little
    if surviving >= 0.05:
        return t
    empty: str | list[str] | None = [] if t.kind == "multiple" else None
    return replace(t, value=empty, expect=EMPTY, accept=(*FLAGS, EMPTY), plain=False, lost=True)


# -- the stress set -------------------------------------------------------------------------------
def cases() -> list[Case]:
    """Every condition of the foreign set: pens, marks and scanners, each varied alone."""
    out = [Case("plain", "baseline")]
    for pen in ("pencil", "hard_pencil", "faint_blue", "red", "felt"):
        out.append(Case(f"pen:{pen}", "pen", pen=pen))
    for pen in ("highlighter_yellow", "highlighter_pink"):
        out.append(Case(f"pen:{pen}", "pen", pen=pen, marks=("highlight",)))
    for mark in (*ODD_READABLE[:-1], *ROW_ODDITIES):
        out.append(
            Case(
                f"mark:{mark}", "mark", marks=(mark, "circle") if mark in ROW_ODDITIES else (mark,)
            )
        )
    out.append(Case("mark:dot+felt", "mark", pen="felt", marks=("dot",)))
    for name in SCANNERS:
        if name != "office300":
            out.append(Case(f"scan:{name}", "scanner", pen="blue", scanner=name))
    out.append(Case("scan:bilevel_light+pencil", "scanner", pen="pencil", scanner="bilevel_light"))
    out.append(Case("scan:bilevel_dark+felt", "scanner", pen="felt", scanner="bilevel_dark"))
    out.append(Case("scan:bg_removal+pencil", "scanner", pen="pencil", scanner="bg_removal"))
    out.append(Case("scan:colour+red", "scanner", pen="red", scanner="colour_jpeg30"))
    out.append(
        Case(
            "scan:colour+highlighter",
            "scanner",
            pen="highlighter_pink",
            marks=("highlight",),
            scanner="colour_jpeg50",
        )
    )
    out.append(Case("scan:dpi150+pencil", "scanner", pen="pencil", scanner="dpi150"))
    out.append(Case("scan:autocrop+felt", "scanner", pen="felt", scanner="autocrop"))
    return out
