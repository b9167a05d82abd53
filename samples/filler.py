"""Draw one respondent's answers, and their stray marks, on a blank printed page."""

from __future__ import annotations

import numpy as np

from forms.template import Box, Field, Page, Template
from samples import handwriting, header, marks, texts
from samples.answers import FieldPlan, Persona
from samples.strokes import InkLayer, Stroke
from samples.truth import StrayMark

STRAY_CHANCE = 0.1  # per page, scaled by the persona's untidiness
MARGIN_NOTE_CHANCE = 0.05


DIGIT_BOX_MM = (6.0, 6.5)  # the printed Likert digit people circle, centred in its option box


def option_box(f: Field, value: str) -> Box:
    for o in f.options:
        if o.value == value:
            return o.box
    raise KeyError(f"field {f.id} has no option {value!r}")


def target_box(f: Field, value: str) -> Box:
    """What a person aims at: the checkbox itself, or the printed digit inside a Likert cell."""
    x, y, w, h = option_box(f, value)
    if f.kind != "likert":
        return (x, y, w, h)
    tw, th = min(w, DIGIT_BOX_MM[0]), min(h, DIGIT_BOX_MM[1])
    return (x + (w - tw) / 2, y + (h - th) / 2, tw, th)


LABEL_CHAR_MM = 2.0  # rough width of a printed label character
LABEL_GAP_MM = 3.0  # gap between a checkbox and its label


def label_box(f: Field, value: str) -> Box:
    """Where the option's printed label is: right of its checkbox, one line high (estimated)."""
    x, y, w, h = option_box(f, value)
    label = next(o.label for o in f.options if o.value == value)
    return (x + w + LABEL_GAP_MM, y, max(4.0, len(label) * LABEL_CHAR_MM), h)


def ink_area(f: Field, value: str, style: str) -> list[Box]:
    """Where a mark of ``style`` for ``value`` puts its ink: round the checkbox (or its label, if
    circled), or the digit's share of the Likert row."""
    if style == "circle_label":
        x, y, w, h = label_box(f, value)
        return [(x - 3.0, y - 3.0, w + 6.0, h + 6.0)]
    x, y, w, h = target_box(f, value)
    if f.kind != "likert":
        return [(x - 2.0, y - 2.0, w + 4.0, h + 4.0)]
    half = option_pitch(f) / 2
    return [(x + w / 2 - half, y - 1.5, 2 * half, h + 3.0)]


def option_pitch(f: Field) -> float:
    """Distance between neighbouring option centres (how far a loose oval can reach)."""
    if len(f.options) < 2:
        return 0.0
    a, b = f.options[0].box, f.options[1].box
    return float(np.hypot(b[0] - a[0], b[1] - a[1]))


def fill_page(
    base: np.ndarray,
    template: Template,
    page: Page,
    plans: dict[str, FieldPlan],
    persona: Persona,
    rng: np.random.Generator,
    dpi: int,
    strays: bool = True,
) -> tuple[np.ndarray, list[StrayMark]]:
    """The page with ink added; ``plans`` truths are updated with what was actually written."""
    pen = persona.ink()
    layer = InkLayer(pen, base.shape[:2], dpi)
    width = persona.pen_width
    for f in page.fields:
        plan = plans.get(f.id)
        if plan is None:
            continue
        for op in plan.ops:
            if op.op == "choice":
                target = target_box(f, op.option)
                for stroke in marks.choice_mark(rng, op.style, target, width, option_pitch(f)):
                    layer.draw(stroke, rng)
            elif op.op == "erased":
                ghost = rng.uniform(0.08, 0.25)  # what is left after rubbing out
                for stroke in marks.choice_mark(
                    rng, op.style, target_box(f, op.option), width, option_pitch(f)
                ):
                    stroke.intensity = stroke.intensity * ghost
                    layer.draw(stroke, rng)
            elif op.op == "between":
                a, b = target_box(f, op.option), target_box(f, op.other)
                mid = ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2, a[2], a[3])
                for stroke in marks.choice_mark(rng, op.style, mid, width):
                    layer.draw(stroke, rng)
            elif op.op == "label":
                for stroke in marks.circle_label(rng, label_box(f, op.option), width):
                    layer.draw(stroke, rng)
            elif op.op == "strike":
                heavy = f.kind != "likert"  # a cancelled box is blacked out
                for stroke in marks.strike_out(rng, target_box(f, op.option), width, heavy):
                    layer.draw(stroke, rng)
            elif op.op == "line":
                for stroke in marks.line_mark(rng, f.box, op.position, width):
                    layer.draw(stroke, rng)
            elif op.op == "text":
                written = handwriting.write(
                    layer, rng, op.text, f.box, f.lines, persona.hand, op.overflow
                )
                plan.truth.value = written or None
                plan.truth.intended = op.text
                plan.truth.expect = "written" if written else "blank"
    added: list[StrayMark] = []
    if strays:
        added = _header_notes(layer, base, page, persona, rng, dpi)
        added += _strays(layer, template, page, persona, rng)
    out = base.copy()
    layer.apply(out)
    return out, added


HEADER_CHANCE = 0.55  # people who fill in the month and year lines above the questions


def _header_notes(
    layer: InkLayer,
    base: np.ndarray,
    page: Page,
    persona: Persona,
    rng: np.random.Generator,
    dpi: int,
) -> list[StrayMark]:
    lines = header.blank_lines(base, page, dpi)
    if not lines or rng.random() >= HEADER_CHANCE:
        return []
    out: list[StrayMark] = []
    for i, (x, y, _, _) in enumerate(lines[:2]):
        text = header.header_text(i, rng)
        patch, px0, py0, box = handwriting.note_patch(
            layer, rng, text, x + rng.uniform(1.0, 5.0), y - rng.uniform(0.5, 1.2), persona.hand
        )
        layer.merge(patch, px0, py0)
        bx, by, bw, bh = (round(v, 1) for v in box)
        out.append(StrayMark("header_note", (bx, by, bw, bh), text))
    return out


def _occupied(page: Page) -> list[Box]:
    boxes: list[Box] = [m.box for m in page.marks] + [page.qr, page.id_text]
    for f in page.fields:
        boxes.append(f.box)
        boxes.extend(o.box for o in f.options)
    return boxes


def _overlaps(a: Box, b: Box, pad: float) -> bool:
    return not (
        a[0] + a[2] + pad < b[0]
        or b[0] + b[2] + pad < a[0]
        or a[1] + a[3] + pad < b[1]
        or b[1] + b[3] + pad < a[1]
    )


def _free_spot(
    template: Template, taken: list[Box], w: float, h: float, rng: np.random.Generator
) -> tuple[float, float] | None:
    for _ in range(40):
        x = float(rng.uniform(12, template.page_width - 12 - w))
        y = float(rng.uniform(22, template.page_height - 22 - h))
        if not any(_overlaps((x, y, w, h), b, 3.0) for b in taken):
            return x, y
    return None


def _strays(
    layer: InkLayer, template: Template, page: Page, persona: Persona, rng: np.random.Generator
) -> list[StrayMark]:
    taken = _occupied(page)
    out: list[StrayMark] = []
    if rng.random() < STRAY_CHANCE * persona.untidy:
        for _ in range(int(rng.integers(1, 3))):
            placed = _place_doodle(template, taken, persona, rng)
            if placed is None:
                break
            strokes, box = placed
            for stroke in strokes:
                layer.draw(stroke, rng)
            x, y, w, h = (round(v, 1) for v in box)
            out.append(StrayMark("doodle", (x, y, w, h)))
            taken.append(box)
    if rng.random() < MARGIN_NOTE_CHANCE * persona.untidy:
        note = str(rng.choice(texts.MARGIN_NOTES))
        hand = persona.hand
        for _ in range(12):
            spot = _free_spot(
                template, taken, len(note) * hand.height_mm * 0.8 + 4, hand.height_mm * 2, rng
            )
            if spot is None:
                break
            patch, px0, py0, box = handwriting.note_patch(
                layer, rng, note, spot[0], spot[1] + hand.height_mm * 1.4, hand
            )
            inside = box[0] > 8 and box[0] + box[2] < template.page_width - 8
            if inside and not any(_overlaps(box, b, 2.0) for b in taken):
                layer.merge(patch, px0, py0)
                x, y, w, h = (round(v, 1) for v in box)
                out.append(StrayMark("margin_note", (x, y, w, h), note))
                break
    return out


def _place_doodle(
    template: Template, taken: list[Box], persona: Persona, rng: np.random.Generator
) -> tuple[list[Stroke], Box] | None:
    """A doodle whose actual strokes keep clear of every field, mark and the QR code."""
    for _ in range(12):
        spot = _free_spot(template, taken, 26, 14, rng)
        if spot is None:
            return None
        strokes = marks.doodle(rng, spot[0] + 6, spot[1] + 6, persona.pen_width)
        x0, y0, x1, y1 = _union([s.bounds() for s in strokes])
        box = (x0, y0, x1 - x0, y1 - y0)
        inside = (
            x0 > 8 and x1 < template.page_width - 8 and y0 > 8 and y1 < template.page_height - 8
        )
        if inside and not any(_overlaps(box, b, 2.0) for b in taken):
            return strokes, box
    return None


def _union(bounds: list[tuple[float, float, float, float]]) -> tuple[float, float, float, float]:
    return (
        min(b[0] for b in bounds),
        min(b[1] for b in bounds),
        max(b[2] for b in bounds),
        max(b[3] for b in bounds),
    )
