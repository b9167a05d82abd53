"""Wide loops round a rating digit: a thick felt pen's flat oval and an oval drawn in two strokes
that do not meet are read as the digit they go round; a cross over one digit beside a small tick
on another is never read as a loop.  Real rendered pages of the seed form, drawn on, scanned."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from scanner.read_page import read_page
from scanner.results import FieldStatus, PageStatus
from scanner.templates import TemplateSet

from . import reader_fixtures as fx

DPI = 200


@pytest.fixture(scope="module")
def templates(seed_pdf: Path) -> TemplateSet:
    return TemplateSet.from_pdf(seed_pdf)


def _arc(
    pen: fx.Pen,
    img: np.ndarray,
    centre: tuple[float, float],
    rx: float,
    ry: float,
    a0: float,
    a1: float,
) -> None:
    cx, cy = centre
    steps = 40
    pts = [
        (
            cx + rx * math.cos(a0 + (a1 - a0) * k / steps),
            cy + ry * math.sin(a0 + (a1 - a0) * k / steps),
        )
        for k in range(steps + 1)
    ]
    pen.polyline(img, pts)


def _read_rows(
    seed_pdf: Path,
    templates: TemplateSet,
    draw: callable,
    seed: int,  # type: ignore[valid-type]
) -> tuple[dict[str, str], dict[str, object]]:
    template = next(iter(templates.values()))
    img = fx.render_pages(seed_pdf, DPI, 1, 1)[0].copy()
    rows = [f for f in template.page(2).fields if f.kind == "likert"]
    rng = np.random.default_rng(seed)
    expected: dict[str, str] = {}
    for i, row in enumerate(rows):
        value = row.options[i % len(row.options)].value
        draw(img, row, value, rng)
        expected[row.id] = value
    result, _ = read_page(fx.jpeg(fx.noisy(img, seed, sigma=3.0), 85), float(DPI), templates)
    assert result.status is PageStatus.READ, result
    return expected, {r.field_id: r for r in result.fields}


def test_a_thick_pens_flat_oval_is_read_as_its_digit(
    seed_pdf: Path, templates: TemplateSet
) -> None:
    def oval(img: np.ndarray, row, value: str, rng: np.random.Generator) -> None:  # type: ignore[no-untyped-def]
        box = next(o.box for o in row.options if o.value == value)
        pen = fx.Pen(DPI, rng, grey=30, width_mm=1.4)  # a felt pen
        _arc(pen, img, fx.centre(box), 12.5, 3.8, 0.3, 0.3 + 1.95 * math.pi)

    expected, read = _read_rows(seed_pdf, templates, oval, seed=3)
    for field_id, value in expected.items():
        r = read[field_id]
        assert r.status is FieldStatus.OK and r.value == value, (field_id, r)


def test_an_oval_in_two_strokes_is_read_as_its_digit(
    seed_pdf: Path, templates: TemplateSet
) -> None:
    def halves(img: np.ndarray, row, value: str, rng: np.random.Generator) -> None:  # type: ignore[no-untyped-def]
        box = next(o.box for o in row.options if o.value == value)
        pen = fx.Pen(DPI, rng, grey=50, width_mm=0.5)
        # two arcs whose ends stay 1.5-2 mm apart: a loop the pen lifted off twice
        _arc(pen, img, fx.centre(box), 12.0, 4.0, 0.25, math.pi - 0.25)
        _arc(pen, img, fx.centre(box), 12.0, 4.0, math.pi + 0.25, 2 * math.pi - 0.25)

    expected, read = _read_rows(seed_pdf, templates, halves, seed=4)
    wrong = [(f, read[f]) for f, v in expected.items() if read[f].value not in (v, None)]
    assert not wrong
    ok = [f for f, v in expected.items() if read[f].status is FieldStatus.OK]
    assert len(ok) >= len(expected) - 2, [read[f] for f in expected if f not in ok]


def test_a_cross_beside_a_tick_is_never_one_confident_answer(
    seed_pdf: Path, templates: TemplateSet
) -> None:
    def cross_and_tick(img: np.ndarray, row, value: str, rng: np.random.Generator) -> None:  # type: ignore[no-untyped-def]
        values = [o.value for o in row.options]
        other = values[(values.index(value) + 1) % len(values)]
        pen = fx.Pen(DPI, rng, grey=40, width_mm=0.9)
        fx.cross(pen, img, next(o.box for o in row.options if o.value == value), size=3.2)
        cx, cy = fx.centre(next(o.box for o in row.options if o.value == other))
        pen.polyline(img, [(cx - 0.9, cy + 0.2), (cx - 0.3, cy + 1.0), (cx + 1.1, cy - 1.0)])

    expected, read = _read_rows(seed_pdf, templates, cross_and_tick, seed=5)
    sure = [read[f] for f in expected if not read[f].needs_review]
    assert not sure, sure
