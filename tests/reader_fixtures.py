"""Filled-in pages for the reader's tests: the real printed PDF rasterised, hand-like marks drawn
on it with OpenCV, then scanner effects (rotation, scaling, skew, noise, blur, bilevel, JPEG).

Each drawn answer carries its expected outcome, so a test can tell a correct reading from a
flagged one and from a silent error.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from forms.template import Box, Template
from scanner.results import FieldStatus

MM_PER_INCH = 25.4


@dataclass(frozen=True)
class Expect:
    status: FieldStatus
    value: object = None


@dataclass(frozen=True)
class Answer:
    field_id: str
    mark: str  # tick, cross, fill, circle, underline, slash, two_circles, correction, text
    values: tuple[str, ...] = ()
    text: str = ""
    expect: Expect | None = None  # None: the obvious outcome for the mark


class Pen:
    def __init__(self, dpi: float, rng: np.random.Generator, grey: int = 40, width_mm: float = 0.5):
        self.s = dpi / MM_PER_INCH
        self.rng = rng
        self.grey = grey
        self.width = max(1, round(width_mm * self.s))

    def px(self, x: float, y: float) -> tuple[float, float]:
        return x * self.s, y * self.s

    def polyline(self, img: np.ndarray, points_mm: list[tuple[float, float]]) -> None:
        pts = np.array([self.px(x, y) for x, y in points_mm], np.float64) * 16
        cv2.polylines(
            img,
            [pts.astype(np.int32).reshape(-1, 1, 2)],
            False,
            self.grey,
            self.width,
            cv2.LINE_AA,
            4,
        )

    def jitter(self, amount: float = 0.3) -> float:
        return float(self.rng.uniform(-amount, amount))


def centre(box: Box) -> tuple[float, float]:
    x, y, w, h = box
    return x + w / 2, y + h / 2


def tick(pen: Pen, img: np.ndarray, box: Box) -> None:
    cx, cy = centre(box)
    j = pen.jitter
    pen.polyline(
        img,
        [
            (cx - 2.6 + j(), cy + j()),
            (cx - 0.6 + j(), cy + 2.4 + j()),
            (cx + 3.4 + j(), cy - 3.6 + j()),
        ],
    )


def cross(pen: Pen, img: np.ndarray, box: Box, size: float = 2.6) -> None:
    cx, cy = centre(box)
    j = pen.jitter
    pen.polyline(img, [(cx - size + j(), cy - size + j()), (cx + size + j(), cy + size + j())])
    pen.polyline(img, [(cx + size + j(), cy - size + j()), (cx - size + j(), cy + size + j())])


def fill(pen: Pen, img: np.ndarray, box: Box) -> None:
    x, y, w, h = box
    for i in range(14):
        t = i / 13
        pen.polyline(
            img,
            [
                (x + 0.5, y + 0.5 + t * (h - 1)),
                (x + w - 0.5, y + 0.5 + t * (h - 1) + pen.jitter(0.4)),
            ],
        )


def circle(pen: Pen, img: np.ndarray, box: Box, rx: float = 5.0, ry: float = 4.0) -> None:
    cx, cy = centre(box)
    cx += pen.jitter(0.6)
    cy += pen.jitter(0.4)
    start = float(pen.rng.uniform(0, 2 * math.pi))
    sweep = float(pen.rng.uniform(1.85, 2.1)) * math.pi  # a small gap or overlap
    tilt = float(pen.rng.uniform(-0.3, 0.3))
    pts = []
    for k in range(48):
        a = start + sweep * k / 47
        r = 1.0 + 0.06 * math.sin(3 * a + start)
        ex, ey = rx * r * math.cos(a), ry * r * math.sin(a)
        pts.append(
            (
                cx + ex * math.cos(tilt) - ey * math.sin(tilt),
                cy + ex * math.sin(tilt) + ey * math.cos(tilt),
            )
        )
    pen.polyline(img, pts)


def underline(pen: Pen, img: np.ndarray, box: Box) -> None:
    cx, cy = centre(box)
    pen.polyline(img, [(cx - 4, cy + 3.4 + pen.jitter()), (cx + 4, cy + 3.2 + pen.jitter())])


def slash(pen: Pen, img: np.ndarray, box: Box) -> None:
    cx, cy = centre(box)
    pen.polyline(img, [(cx - 2.5, cy + 3.5), (cx + 2.5 + pen.jitter(), cy - 3.5)])


def hatch(pen: Pen, img: np.ndarray, box: Box) -> None:
    """Cross-hatching over a digit: how people cancel a circled answer."""
    cx, cy = centre(box)
    for k in range(-2, 3):
        pen.polyline(img, [(cx - 4 + k, cy + 4), (cx + 4 + k, cy - 4)])
    cross(pen, img, box, size=3.5)


def write(pen: Pen, img: np.ndarray, box: Box, text: str) -> None:
    x, y, _w, h = box
    scale = 1.2 * pen.s / 8.0
    baseline = y + min(h - 2.0, 7.5)
    ox, oy = pen.px(x + 4.0, baseline)
    cv2.putText(
        img,
        text,
        (round(ox), round(oy)),
        cv2.FONT_HERSHEY_SCRIPT_SIMPLEX,
        scale,
        pen.grey,
        max(1, pen.width - 1),
        cv2.LINE_AA,
    )


def option_box(template: Template, field_id: str, value: str) -> Box:
    field = template.field(field_id)
    for option in field.options:
        if option.value == value:
            return option.box
    raise KeyError(value)


def draw(
    template: Template,
    img: np.ndarray,
    dpi: float,
    answers: list[Answer],
    seed: int,
    grey: int = 40,
) -> None:
    rng = np.random.default_rng(seed)
    pen = Pen(dpi, rng, grey=grey)
    strokes: dict[str, Callable[[Pen, np.ndarray, Box], None]] = {
        "tick": tick,
        "cross": cross,
        "fill": fill,
        "circle": circle,
        "underline": underline,
        "slash": slash,
    }
    for a in answers:
        if a.mark in strokes:
            for v in a.values:
                strokes[a.mark](pen, img, option_box(template, a.field_id, v))
        elif a.mark == "two_circles":
            for v in a.values:
                circle(pen, img, option_box(template, a.field_id, v))
        elif a.mark == "correction":
            old, new = a.values
            circle(pen, img, option_box(template, a.field_id, old))
            hatch(pen, img, option_box(template, a.field_id, old))
            circle(pen, img, option_box(template, a.field_id, new))
        elif a.mark == "text":
            write(pen, img, template.field(a.field_id).box, a.text)
        else:
            raise ValueError(a.mark)


def expected(answer: Answer, kind: str) -> Expect:
    if answer.expect is not None:
        return answer.expect
    if answer.mark == "text":
        return Expect(FieldStatus.WRITTEN)
    if answer.mark == "fill":
        return Expect(FieldStatus.AMBIGUOUS)
    if answer.mark == "two_circles":
        return Expect(FieldStatus.MULTIPLE, sorted(answer.values))
    if answer.mark == "correction":
        return Expect(FieldStatus.CORRECTED, answer.values[1])
    if kind == "multiple":
        return Expect(FieldStatus.OK, sorted(answer.values))
    if len(answer.values) > 1:
        return Expect(FieldStatus.MULTIPLE, sorted(answer.values))
    return Expect(FieldStatus.OK, answer.values[0])


# -- scanner effects ---------------------------------------------------------------------------


def rotate90(img: np.ndarray, quarter_turns: int) -> np.ndarray:
    """Rotate clockwise by 90° × quarter_turns, as a sheet fed sideways or upside down."""
    return np.ascontiguousarray(np.rot90(img, -quarter_turns))


def shrink(img: np.ndarray, factor: float) -> np.ndarray:
    """A page printed with "fit to page" scaling: smaller, centred on white."""
    h, w = img.shape
    small = cv2.resize(img, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
    out = np.full_like(img, 255)
    y0, x0 = (h - small.shape[0]) // 2, (w - small.shape[1]) // 2
    out[y0 : y0 + small.shape[0], x0 : x0 + small.shape[1]] = small
    return out


def skew(img: np.ndarray, degrees: float, shift: tuple[float, float] = (0, 0)) -> np.ndarray:
    h, w = img.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    m[:, 2] += shift
    return cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)


def noisy(img: np.ndarray, seed: int, sigma: float = 8.0, blur: bool = True) -> np.ndarray:
    rng = np.random.default_rng(seed)
    out = img.astype(np.float32) * 0.92 + 8  # grey paper, softer black
    if blur:
        out = cv2.GaussianBlur(out, (3, 3), 0.8)
    out += rng.normal(0, sigma, out.shape).astype(np.float32)
    return np.clip(out, 0, 255).astype(np.uint8)


def streak(img: np.ndarray, x_frac: float, grey: int = 120) -> np.ndarray:
    """A feeder-glass streak: a thin vertical line the length of the scan."""
    out = img.copy()
    x = round(img.shape[1] * x_frac)
    out[:, x : x + 2] = np.minimum(out[:, x : x + 2], grey)
    return out


def folded(
    img: np.ndarray, folds_mm: list[float], dpi: float, seed: int, sigma: float = 8.0
) -> np.ndarray:
    """Grey ``img`` folded across the page at ``folds_mm`` (strong creases), placed on the glass
    a little skewed and shifted, blurred, with noise of ``sigma`` grey levels: the sample
    generator's own effects."""
    from samples.scanner_sim import ScanPlan, apply

    plan = ScanPlan(
        paper=[{"name": "fold", "y_mm": y, "strength": 0.15} for y in folds_mm],
        geometry={
            "name": "geometry",
            "print_scale": 1.0,
            "skew_deg": 0.5,
            "shift_mm": [1.0, -1.0],
            "margin_mm": 2.0,
            "background": "light",
        },
        optics=[
            {"name": "blur", "sigma_px": 1.0},
            {"name": "noise", "sigma": sigma, "seed": seed},
        ],
    )
    out = apply(np.dstack([img] * 3) if img.ndim == 2 else img, plan, round(dpi))
    return out if out.ndim == 2 else out[:, :, 0]


def bilevel(img: np.ndarray) -> np.ndarray:
    _, out = cv2.threshold(img, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return out


def jpeg(img: np.ndarray, quality: int = 60) -> np.ndarray:
    ok, data = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, quality])
    assert ok
    return cv2.imdecode(data, cv2.IMREAD_GRAYSCALE)


def render_pages(pdf: Path, dpi: float, first: int, count: int) -> list[np.ndarray]:
    import pypdfium2

    document = pypdfium2.PdfDocument(str(pdf))
    try:
        pages = []
        for i in range(first, first + count):
            bitmap = document[i].render(scale=dpi / 72.0, grayscale=True)
            pages.append(np.array(bitmap.to_numpy()).reshape(bitmap.height, bitmap.width))
        return pages
    finally:
        document.close()
