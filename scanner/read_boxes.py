"""Check-box fields (single and multiple choice, yes/no).

Evidence per option is the added ink inside its box plus, with less weight, just around it
(ticks and crosses overshoot).  The decision is made within the field, relative to the other
options: a clear winner is the answer, two clear marks in a single-choice field are "multiple",
a box filled solid or scribbled over goes to review (no "a filled box means cancelled" rule).
Ink is collected well around the field so that a neighbouring field's mark reaching in (a word
task's rows are 10 mm apart) is seen whole: a piece centred in another field's box is that
field's, and is left out when it only grazes this one.  Beside a clear mark, a box darker only
along its printed outline by a small share of the mark's evidence is print gain, not a faint mark.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from forms.template import Box, Field
from scanner import outcome
from scanner.config import ReaderConfig
from scanner.ink import FieldInk, joined_pieces
from scanner.results import FieldResult, FieldStatus, Value


@dataclass(frozen=True)
class BoxEvidence:
    value: str
    evidence_mm2: float  # inside + weighted overshoot + outline + weighted label
    fill: float  # share of the box's inside covered by added ink
    added_mm2: float = 0.0  # of the evidence, ink added in and around the box and its label


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
        added = ink.area_mm2(
            inside_px + config.box_outside_weight * around_px + config.box_label_weight * label_px
        )
        fill = inside_px / inside.size if inside.size else 0.0
        out.append(BoxEvidence(option.value, added + outline, fill, added))
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


def foreign_marks(
    field: Field, ink: FieldInk, obstacles: tuple[Box, ...], config: ReaderConfig
) -> np.ndarray | None:
    """A copy of ``ink.mask`` without marks that belong to another field: pieces of ink (strokes
    closer than ``box_join_mm`` joined) with less than ``box_own_share`` of their ink inside this
    field's box and their middle inside another field's box (a neighbouring row's circle or a
    cross running over its edge); None when there are none."""
    if not obstacles or not ink.mask.any():
        return None
    s = ink.px_per_mm
    top, left, mask, count, labels = joined_pieces(ink.mask, max(1, round(config.box_join_mm * s)))
    inked = mask > 0
    x0, y0, x1, y1 = ink.pixels(field.box)
    own = np.zeros_like(inked)
    own[max(0, y0 - top) : max(0, y1 - top), max(0, x0 - left) : max(0, x1 - left)] = True
    total = np.bincount(labels[inked], minlength=count)
    inside = np.bincount(labels[inked & own], minlength=count)
    ys, xs = np.nonzero(inked)
    lab = labels[ys, xs]
    ys, xs = ys + top, xs + left
    sum_x = np.bincount(lab, weights=xs, minlength=count)
    sum_y = np.bincount(lab, weights=ys, minlength=count)
    foreign = np.zeros(count, bool)
    for label in range(1, count):
        if total[label] == 0 or inside[label] >= config.box_own_share * total[label]:
            continue
        mx = (sum_x[label] / total[label] + ink.origin[0]) / s
        my = (sum_y[label] / total[label] + ink.origin[1]) / s
        foreign[label] = any(
            ox <= mx <= ox + ow and oy <= my <= oy + oh for ox, oy, ow, oh in obstacles
        )
    if not foreign.any():
        return None
    out = ink.mask.astype(np.uint8)  # a copy
    window = out[top : top + mask.shape[0], left : left + mask.shape[1]]
    window[foreign[labels]] = 0
    return out


def beside_mm2(field: Field, ink: FieldInk, config: ReaderConfig) -> float:
    """Added ink left of the option boxes (beyond the overshoot that counts as the box's own),
    level with them, up to ``box_beside_mm`` out: the most beside any one box."""
    out = 0.0
    for option in field.options:
        x, y, _, h = option.box
        near = config.box_overshoot_mm
        zone: Box = (x - config.box_beside_mm, y - near, config.box_beside_mm - near, h + 2 * near)
        out = max(out, ink.area_mm2(float(ink.region(zone).sum())))
    return out


def read_boxes(
    field: Field,
    ink: FieldInk,
    crop: Box,
    config: ReaderConfig,
    obstacles: tuple[Box, ...] = (),
    outline_baseline: float = 0.0,
) -> FieldResult:
    """The field's answer; a neighbouring field's mark reaching into this one's area is taken
    away first (``foreign_marks``).  The field must read the same with and without it, unless
    the neighbour's mark barely reaches into this field (then it is only spill)."""
    result = decide(field, ink, crop, config, obstacles, outline_baseline)
    if result.status is FieldStatus.EMPTY and beside_mm2(field, ink, config) >= (
        config.box_mark_mm2
    ):
        # No box marked, but a mark's worth of ink just left of one: a tick beside the box.
        return outcome.result(
            field, FieldStatus.AMBIGUOUS, None, 0.4, outcome.UNCLEAR, crop, result.scores, config
        )
    cleaned_mask = foreign_marks(field, ink, obstacles, config)
    if cleaned_mask is None:
        return result
    cleaned = replace(ink, mask=cleaned_mask)
    alone = decide(field, cleaned, crop, config, obstacles, outline_baseline)
    if (alone.status, alone.value) == (result.status, result.value):
        return result
    removed = ink.mask & (1 - cleaned_mask)
    in_boxes = sum(
        ink.area_mm2(float(removed[slice(*rows), slice(*cols)].sum()))
        for rows, cols in (
            ((y0, y1), (x0, x1))
            for x0, y0, x1, y1 in (ink.pixels(option.box) for option in field.options)
        )
    )
    fx0, fy0, fx1, fy1 = ink.pixels(field.box)
    in_field = ink.area_mm2(float(removed[fy0:fy1, fx0:fx1].sum()))
    if (
        in_boxes < config.box_faint_mm2
        and in_field < config.box_mark_mm2
        and alone.status in (FieldStatus.OK, FieldStatus.EMPTY)
    ):
        # The neighbour's mark only grazes this field (less than a mark's worth of ink in it,
        # none in its boxes): this field's own answer is what remains.  Else (say this row's
        # mark joined to a neighbour's) a person decides.
        return alone
    return outcome.result(
        field, FieldStatus.AMBIGUOUS, None, 0.4, outcome.UNCLEAR, crop, result.scores, config
    )


def decide(
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
        # darkness only along the printed outline is never an answer on its own: uneven toner
        # or a scanner's light fall-off thickens one box's outline more than another's; a
        # circle traced on the outline goes to a person (as doubtful, below)
        and e.added_mm2 >= config.box_faint_mm2
    ]
    doubtful = [
        e
        for e in evidence
        if e not in marked
        and e.evidence_mm2 >= config.box_faint_mm2
        # beside a clear mark, a box darkened only along its printed outline, by a small share
        # of the mark's evidence, is print gain or misregistration, not a faint mark
        and not (
            marked
            and e.added_mm2 < config.box_faint_mm2
            and e.evidence_mm2 < config.box_outline_only_share * best
        )
    ]
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
