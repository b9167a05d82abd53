"""Likert rows: one printed number in the row is circled, ticked, crossed or underlined.

Each option owns the area around its digit (``likert_core_mm`` either side of its centre).  Ink in
the digit's *interior* comes from ticks, crosses and slashes; ink *around* it from circles and
underlines.  A large circle may spill into a neighbour's area, so options are compared within the
row (best against second) and the centre of all the row's ink must sit near the chosen digit.
A crossed-out circle next to a clean one is a correction; anything else unusual goes to review.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from forms.template import Box, Field
from scanner import outcome
from scanner.config import ReaderConfig
from scanner.ink import FieldInk
from scanner.results import FieldResult, FieldStatus, Value


@dataclass(frozen=True)
class OptionInk:
    value: str
    centre_x: float  # mm
    total_mm2: float  # added ink in the option's area
    interior_mm2: float  # ...of which on the digit itself
    fill: float  # share of the option's area covered

    @property
    def ring_mm2(self) -> float:
        return self.total_mm2 - self.interior_mm2


def measure_options(field: Field, ink: FieldInk, config: ReaderConfig) -> list[OptionInk]:
    out = []
    for option in field.options:
        x, y, w, h = option.box
        cx, cy = x + w / 2, y + h / 2
        core = config.likert_core_mm
        area: Box = (cx - core, y, 2 * core, h)
        iw, ih = config.likert_inner_w_mm, config.likert_inner_h_mm
        interior: Box = (cx - iw, cy - ih, 2 * iw, 2 * ih)
        region = ink.region(area)
        total = float(region.sum())
        inner = float(ink.region(interior).sum())
        out.append(
            OptionInk(
                value=option.value,
                centre_x=cx,
                total_mm2=ink.area_mm2(total),
                interior_mm2=ink.area_mm2(inner),
                fill=total / region.size if region.size else 0.0,
            )
        )
    return out


def ink_centre_x(field: Field, ink: FieldInk) -> float | None:
    """Horizontal centre of mass (mm) of the added ink across the options."""
    first, last = field.options[0].box, field.options[-1].box
    span: Box = (first[0], first[1], last[0] + last[2] - first[0], first[3])
    x0, _, _, _ = ink.pixels(span)
    region = ink.region(span)
    columns = region.sum(axis=0, dtype=np.float64)
    weight = float(columns.sum())
    if weight <= 0:
        return None
    centre_px = float((columns * np.arange(columns.size)).sum()) / weight
    return (centre_px + x0 + ink.origin[0]) / ink.px_per_mm


def _crossed_circle(o: OptionInk, config: ReaderConfig) -> bool:
    return (
        o.ring_mm2 >= config.likert_circle_ring_mm2
        and o.interior_mm2 >= config.likert_crossed_interior_mm2
    )


def read_likert(field: Field, ink: FieldInk, crop: Box, config: ReaderConfig) -> FieldResult:
    options = measure_options(field, ink, config)
    scores = {o.value: o.total_mm2 for o in options}

    def done(status: FieldStatus, value: Value, conf: float, reason: str) -> FieldResult:
        return outcome.result(field, status, value, conf, reason, crop, scores, config)

    if not options:
        return done(FieldStatus.UNREADABLE, None, 0.0, outcome.UNSUPPORTED)
    ranked = sorted(options, key=lambda o: o.total_mm2, reverse=True)
    best = ranked[0]
    second = ranked[1].total_mm2 if len(ranked) > 1 else 0.0
    marked = [
        o
        for o in options
        if o.total_mm2 >= config.likert_mark_mm2
        and (
            o.total_mm2 >= config.likert_relative * best.total_mm2
            or o.total_mm2 >= 2 * config.likert_mark_mm2
        )
    ]
    doubtful = [o for o in options if o not in marked and o.total_mm2 >= config.likert_faint_mm2]

    if not marked:
        if doubtful:
            return done(FieldStatus.AMBIGUOUS, None, 0.4, outcome.FAINT)
        conf = outcome.margin_confidence(
            2 * config.likert_mark_mm2, best.total_mm2, config.likert_mark_mm2
        )
        return done(FieldStatus.EMPTY, None, conf, outcome.EMPTY)

    if any(o.fill >= config.likert_heavy_fill for o in marked):
        return done(FieldStatus.AMBIGUOUS, sorted(o.value for o in marked), 0.3, outcome.HEAVY)

    if len(marked) == 1:
        mark = marked[0]
        if _crossed_circle(mark, config):
            # A circle crossed out and nothing else: cancelled, or emphasised? A person decides.
            return done(FieldStatus.AMBIGUOUS, mark.value, 0.4, outcome.UNCLEAR)
        spacing = _spacing(field)
        centre = ink_centre_x(field, ink)
        if (
            centre is not None
            and abs(centre - mark.centre_x) > config.likert_centre_tolerance * spacing
        ):
            return done(FieldStatus.AMBIGUOUS, mark.value, 0.4, outcome.BETWEEN)
        ratio = mark.total_mm2 / max(second, 1e-6)
        if ratio < config.likert_clear_ratio:
            return done(FieldStatus.AMBIGUOUS, mark.value, 0.45, outcome.UNCLEAR)
        strength = outcome.margin_confidence(mark.total_mm2, second, config.likert_mark_mm2)
        clarity = min(1.0, ratio / (2 * config.likert_clear_ratio))
        return done(FieldStatus.OK, mark.value, min(strength, 0.5 + 0.5 * clarity), outcome.OK)

    if len(marked) == 2:
        a, b = marked
        for crossed, new in ((a, b), (b, a)):
            if (
                _crossed_circle(crossed, config)
                and not _crossed_circle(new, config)
                and crossed.total_mm2 >= config.likert_crossed_ratio * new.total_mm2
            ):
                clean = (
                    new.interior_mm2 <= config.likert_clean_interior_mm2
                    and new.ring_mm2 >= config.likert_circle_ring_mm2
                )
                if clean:
                    return done(FieldStatus.CORRECTED, new.value, 0.85, outcome.CORRECTED)
                return done(FieldStatus.CORRECTED, new.value, 0.6, outcome.CORRECTED_UNSURE)
    return done(FieldStatus.MULTIPLE, sorted(o.value for o in marked), 0.9, outcome.MULTIPLE)


def _spacing(field: Field) -> float:
    if len(field.options) < 2:
        return field.box[2]
    first, second = field.options[0].box, field.options[1].box
    return abs(second[0] - first[0])
