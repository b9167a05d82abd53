"""Check-box fields (single and multiple choice, yes/no).

Evidence per option is the added ink inside its box plus, with less weight, just around it
(ticks and crosses overshoot).  The decision is made within the field, relative to the other
options: a clear winner is the answer, two clear marks in a single-choice field are "multiple",
a box filled solid or scribbled over goes to review (no "a filled box means cancelled" rule).
"""

from __future__ import annotations

from dataclasses import dataclass

from forms.template import Box, Field
from scanner import outcome
from scanner.config import ReaderConfig
from scanner.ink import FieldInk
from scanner.results import FieldResult, FieldStatus, Value


@dataclass(frozen=True)
class BoxEvidence:
    value: str
    evidence_mm2: float  # inside + weighted overshoot
    fill: float  # share of the box's inside covered by added ink


def _grow(box: Box, d: float) -> Box:
    x, y, w, h = box
    return (x - d, y - d, w + 2 * d, h + 2 * d)


def outline_excess_mm2(ink: FieldInk, box: Box, config: ReaderConfig) -> float:
    """Dark area around and on the box's printed outline beyond what the blank form has there
    and beyond the added ink already seen: a circle drawn tight along the outline."""
    grown = _grow(box, config.box_outline_mm)
    added = ink.area_mm2(float(ink.region(grown).sum()))
    return ink.net_dark_mm2(grown) - added


def measure_boxes(
    field: Field,
    ink: FieldInk,
    config: ReaderConfig,
    obstacles: tuple[Box, ...] = (),
    outline_baseline: float = 0.0,
) -> list[BoxEvidence]:
    """Evidence per option: ink in the box, around it, on its outline, and around its label.

    ``outline_baseline`` is the page's typical ``outline_excess_mm2`` of an unmarked box (print
    gain); ``obstacles`` are other fields' boxes that a label's area must not reach into."""
    out = []
    for option in field.options:
        inside = ink.region(option.box)
        inside_px = float(inside.sum())
        around_px = float(ink.region(_grow(option.box, config.box_overshoot_mm)).sum()) - inside_px
        outline = max(0.0, outline_excess_mm2(ink, option.box, config) - outline_baseline)
        label_px = float(ink.region(label_area(field, option.box, obstacles, config)).sum())
        evidence = (
            ink.area_mm2(inside_px + config.box_outside_weight * around_px)
            + outline
            + config.box_label_weight * ink.area_mm2(label_px)
        )
        fill = inside_px / inside.size if inside.size else 0.0
        out.append(BoxEvidence(option.value, evidence, fill))
    return out


def label_area(field: Field, box: Box, obstacles: tuple[Box, ...], config: ReaderConfig) -> Box:
    """Where the option's label is printed: right of the box, up to the next box on the row,
    the field's edge or another field."""
    x, y, w, h = box
    pad = config.box_label_pad_mm
    left = x + w + config.box_overshoot_mm
    top, bottom = y - pad, y + h + pad
    right = field.box[0] + field.box[2] + pad
    for other in field.options:
        ox, oy, _, oh = other.box
        if ox > x and oy < bottom and oy + oh > top:
            right = min(right, ox - config.box_overshoot_mm)
    for ox, oy, _, oh in obstacles:
        if ox > x and oy < bottom and oy + oh > top:
            right = min(right, ox)
    return (left, top, max(0.0, right - left), bottom - top)


def read_boxes(
    field: Field,
    ink: FieldInk,
    crop: Box,
    config: ReaderConfig,
    obstacles: tuple[Box, ...] = (),
    outline_baseline: float = 0.0,
) -> FieldResult:
    evidence = measure_boxes(field, ink, config, obstacles, outline_baseline)
    scores = {e.value: e.evidence_mm2 for e in evidence}
    ranked = sorted(evidence, key=lambda e: e.evidence_mm2, reverse=True)
    best = ranked[0].evidence_mm2 if ranked else 0.0
    marked = [
        e
        for e in evidence
        if e.evidence_mm2 >= config.box_mark_mm2
        and (
            e.evidence_mm2 >= config.box_relative * best
            or e.evidence_mm2 >= 2 * config.box_mark_mm2
        )
    ]
    doubtful = [e for e in evidence if e not in marked and e.evidence_mm2 >= config.box_faint_mm2]
    weakest_mark = min((e.evidence_mm2 for e in marked), default=0.0)
    strongest_other = max((e.evidence_mm2 for e in evidence if e not in marked), default=0.0)
    confidence = outcome.margin_confidence(
        weakest_mark if marked else config.box_mark_mm2 * 2, strongest_other, config.box_mark_mm2
    )

    def done(status: FieldStatus, value: Value, conf: float, reason: str) -> FieldResult:
        return outcome.result(field, status, value, conf, reason, crop, scores, config)

    if any(e.fill >= config.box_heavy_fill for e in marked):
        return done(FieldStatus.AMBIGUOUS, sorted(e.value for e in marked), 0.3, outcome.HEAVY)
    if len(marked) > 1:
        strengths = sorted((e.evidence_mm2 for e in marked), reverse=True)
        if strengths[0] >= config.box_scribble_mm2 and strengths[0] >= (
            config.box_scribble_ratio * strengths[1]
        ):
            # One mark far heavier than the others: a scribble cancelling it, or just emphasis?
            return done(FieldStatus.AMBIGUOUS, sorted(e.value for e in marked), 0.3, outcome.HEAVY)
    if field.kind == "single":
        if len(marked) > 1:
            return done(
                FieldStatus.MULTIPLE, sorted(e.value for e in marked), 0.9, outcome.MULTIPLE
            )
        if doubtful:
            value = marked[0].value if marked else None
            return done(FieldStatus.AMBIGUOUS, value, 0.4, outcome.FAINT)
        if not marked:
            return done(FieldStatus.EMPTY, None, confidence, outcome.EMPTY)
        return done(FieldStatus.OK, marked[0].value, confidence, outcome.OK)
    # multiple choice: every box on its own, but judged against the others' marks
    values = sorted(e.value for e in marked)
    if doubtful:
        return done(FieldStatus.AMBIGUOUS, values or None, 0.4, outcome.FAINT)
    if not marked:
        return done(FieldStatus.EMPTY, None, confidence, outcome.EMPTY)
    return done(FieldStatus.OK, values, confidence, outcome.OK)
