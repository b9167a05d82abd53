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


def measure_boxes(field: Field, ink: FieldInk, config: ReaderConfig) -> list[BoxEvidence]:
    out = []
    for option in field.options:
        inside = ink.region(option.box)
        inside_px = float(inside.sum())
        around_px = float(ink.region(_grow(option.box, config.box_overshoot_mm)).sum()) - inside_px
        evidence = ink.area_mm2(inside_px + config.box_outside_weight * around_px)
        fill = inside_px / inside.size if inside.size else 0.0
        out.append(BoxEvidence(option.value, evidence, fill))
    return out


def read_boxes(field: Field, ink: FieldInk, crop: Box, config: ReaderConfig) -> FieldResult:
    evidence = measure_boxes(field, ink, config)
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
