"""What each respondent answers, and how: a persona, then per field a value, a mark style and a truth.

Answers do not depend on the scanning profile, so the same seed yields the same answers under every
profile (reader accuracy can be compared between clean and harsh scans of the same people).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from forms.template import Field, Template
from samples import marks, texts
from samples.handwriting import Hand
from samples.strokes import PENS, Pen
from samples.truth import FieldTruth

# How often each pen is used (a social-services office: ballpoints on a string, some pencils).
PEN_WEIGHTS = {
    "ballpoint-blue": 0.42,
    "ballpoint-black": 0.3,
    "felt-black": 0.08,
    "gel-blue": 0.08,
    "pencil": 0.12,
}

# A person's habitual way of marking a printed digit, and a checkbox.
LIKERT_HABITS = {
    marks.CIRCLE: 0.74,
    marks.TICK: 0.07,
    marks.CROSS: 0.08,
    marks.UNDERLINE: 0.05,
    marks.SLASH: 0.06,
}
BOX_HABITS = {marks.CROSS: 0.48, marks.TICK: 0.44, marks.CIRCLE: 0.08}

# Per-field slips from the habit that a reader should still read (chances, per field with an
# answer, scaled by the persona's untidiness): loose ovals reaching a neighbour, tiny ticks,
# ticks and crosses running over the box edge.
STYLE_SLIPS = {
    marks.OVAL_WIDE: 0.03,
    marks.TICK_TINY: 0.015,
    marks.TICK_OVER: 0.03,
    marks.CROSS_OVER: 0.02,
}
# Single marks that a careful reader may fairly send to a person: they reach a neighbour or are tiny.
HARD_STYLES = (marks.OVAL_WIDE, marks.TICK_TINY, marks.TICK_OVER, marks.CROSS_OVER)


@dataclass(frozen=True)
class Hands:
    """How often respondents leave answers that only a person can settle, or correct one.

    Chances per field with an answer, each scaled by the persona's ``untidy`` (0.3-2.0, mean
    about 1.15)."""

    name: str
    two_marks: float  # two options marked where one is expected
    correction: float  # a crossed-out mark followed by a new one (pencil users may rub it out)
    between: float  # one mark set between two neighbouring Likert options
    fill: float  # an option blacked in (no convention says what it means)


# ``typical``: what paper surveys see.  Self-administered paper questionnaires show multiple
# marks on a rating item in well under 1 % of items, and all truly ambiguous answers (two
# marks, a mark between two options, a blacked-in box) in about 1-1.5 % of fields; visible
# corrections are about as common again.  With the mean untidiness these rates give about 0.6 %
# of choice fields with two marks, 0.35 % each between two digits and blacked in, 1.2 % corrected:
# about 1.2 % of all the seed form's fields must go to a person, as on real batches.
#
# ``messy``: several times those rates (the generator's earlier defaults), to stress the
# reader's handling of the unclear cases; tests and ``--hands messy`` use it.
HANDS = {
    "typical": Hands("typical", two_marks=0.005, correction=0.01, between=0.003, fill=0.003),
    "messy": Hands("messy", two_marks=0.025, correction=0.03, between=0.008, fill=0.01),
}
TYPICAL = HANDS["typical"]
LABEL_HABIT = 0.05  # people who circle the answer's words instead of marking its box
GIVE_UP = 0.04  # people who stop answering part way: later pages come back unanswered


@dataclass(frozen=True)
class MarkOp:
    """One thing to draw for a field."""

    op: str  # "choice", "strike", "erased", "between", "label", "text", "line"
    option: str = ""  # option value (choice, strike, erased, between, label)
    style: str = ""  # mark style (choice)
    text: str = ""  # text to write (text)
    overflow: bool = False
    position: float = 0.0  # rating line value 0-100 (line)
    other: str = ""  # the second option of a mark between two (between)


@dataclass
class FieldPlan:
    truth: FieldTruth
    ops: list[MarkOp] = field(default_factory=list)


@dataclass
class Persona:
    pen: str
    hand: Hand
    mood: float  # preferred Likert position, 1 (fully agree) .. 5 (fully disagree)
    spread: float
    skip: float  # chance of leaving a choice question unanswered
    talkative: float  # chance of writing in an optional text box
    likert_habit: str
    box_habit: str
    untidy: float  # scales the chance of slips, corrections and stray marks
    pen_width: float  # this pen in this hand, mm
    circles_labels: bool = False  # circles "Kyllä" rather than ticking the box beside it
    gives_up: float = 2.0  # fraction of the form after which nothing more is answered (>1: never)
    pressure: float = 1.0  # a light or a heavy hand (scales how much ink reaches the paper)
    shade: float = 0.0  # this particular pen's colour, lighter (+) or darker (-), -1..1

    @classmethod
    def random(cls, rng: np.random.Generator) -> Persona:
        pen = _pick(rng, PEN_WEIGHTS)
        return cls(
            pen=pen,
            hand=Hand.random(rng),
            mood=float(np.clip(rng.normal(2.1, 0.9), 1, 5)),
            spread=float(rng.uniform(0.4, 1.2)),
            skip=float(rng.choice([0.0, 0.02, 0.05, 0.15], p=[0.35, 0.35, 0.2, 0.1])),
            talkative=float(rng.uniform(0.1, 0.7)),
            likert_habit=_pick(rng, LIKERT_HABITS),
            box_habit=_pick(rng, BOX_HABITS),
            untidy=float(rng.uniform(0.3, 2.0)),
            pen_width=float(PENS[pen].width_mm * rng.uniform(0.75, 1.3)),
            circles_labels=bool(rng.random() < LABEL_HABIT),
            gives_up=float(rng.uniform(0.3, 0.9)) if rng.random() < GIVE_UP else 2.0,
            pressure=float(np.clip(rng.normal(0.95, 0.12), 0.7, 1.1)),
            shade=float(rng.uniform(-1.0, 1.0)),
        )

    def ink(self) -> Pen:
        """This person's pen: the model's colour shaded a little, pressed lightly or firmly."""
        base = PENS[self.pen]
        amount = 0.15 * self.shade
        if amount >= 0:  # towards white
            colour = tuple(int(c + (255 - c) * amount) for c in base.color)
        else:  # towards black
            colour = tuple(int(c * (1 + amount)) for c in base.color)
        r, g, b = colour
        return replace(base, color=(r, g, b), pressure=min(1.0, base.pressure * self.pressure))


def _pick(rng: np.random.Generator, weights: dict[str, float]) -> str:
    keys = list(weights)
    p = np.array([weights[k] for k in keys], float)
    return str(keys[int(rng.choice(len(keys), p=p / p.sum()))])


def plan_answers(
    template: Template, persona: Persona, rng: np.random.Generator, hands: Hands = TYPICAL
) -> list[FieldPlan]:
    """A plan for every field of the form, in form order (parents before their follow-ups);
    ``hands`` sets how often answers are unclear or corrected."""
    plans: dict[str, FieldPlan] = {}
    pages = len(template.pages)
    for page in template.pages:
        stopped = (page.number - 1) / pages >= persona.gives_up
        for f in page.fields:
            if stopped:
                plans[f.id] = _unanswered(f, page.number)
                continue
            parent = plans.get(f.parent) if f.parent else None
            plans[f.id] = _plan_field(
                f, page.number, persona, rng, parent, template.language, hands
            )
    return list(plans.values())


def _unanswered(f: Field, page: int) -> FieldPlan:
    expect = "blank" if f.kind == "text" else "empty"
    return FieldPlan(FieldTruth(f.id, page, f.kind, None, expect, style="none"))


def _relevant(f: Field, parent: FieldPlan | None) -> bool:
    """Whether the parent's answer asks for this follow-up (True when it has no parent)."""
    if f.parent is None or parent is None:
        return True
    chosen = parent.truth.intended
    if f.parent_value is None:
        return chosen not in (None, [])
    if isinstance(chosen, list):
        return f.parent_value in chosen
    return chosen == f.parent_value


def _plan_field(
    f: Field,
    page: int,
    persona: Persona,
    rng: np.random.Generator,
    parent: FieldPlan | None,
    language: str = "fi",
    hands: Hands = TYPICAL,
) -> FieldPlan:
    relevant = _relevant(f, parent)
    if f.kind in ("single", "likert"):
        answer = rng.random() >= persona.skip * (1 if relevant else 0) and (
            relevant or rng.random() < 0.08
        )
        return _plan_single(f, page, persona, rng, answer, hands)
    if f.kind == "multiple":
        answer = rng.random() >= persona.skip and (relevant or rng.random() < 0.05)
        return _plan_multiple(f, page, persona, rng, answer, hands)
    if f.kind == "text":
        if f.parent is None:
            chance = persona.talkative
        elif parent is not None and parent.truth.kind == "multiple":  # "muu, mikä?" write-in
            chance = 0.85 if relevant else 0.04
        elif f.parent_value is not None:  # "if you answered no, ..."
            chance = 0.55 + 0.4 * persona.talkative if relevant else 0.04
        else:  # "you may explain your answer"
            chance = 0.15 + 0.6 * persona.talkative if relevant else 0.02
        return _plan_text(f, page, persona, rng, rng.random() < chance, language)
    if f.kind == "line":
        return _plan_line(f, page, persona, rng, rng.random() >= persona.skip and relevant)
    # poster zones (stickers, tally marks) are not drawn yet: left untouched
    return FieldPlan(FieldTruth(f.id, page, f.kind, None, "empty", style="none"))


def _choose_value(f: Field, persona: Persona, rng: np.random.Generator) -> str:
    values = [o.value for o in f.options]
    if f.kind == "likert" and len(values) > 1:
        pos = np.clip(rng.normal(persona.mood, persona.spread), 1, len(values))
        return values[round(float(pos)) - 1]
    if len(values) == 2:  # yes/no: mostly yes
        return values[0] if rng.random() < 0.72 else values[1]
    weights = np.linspace(1.0, 0.4, len(values))
    return values[int(rng.choice(len(values), p=weights / weights.sum()))]


def _style(
    habit: str,
    persona: Persona,
    rng: np.random.Generator,
    hands: Hands = TYPICAL,
    allow_fill: bool = True,
) -> str:
    slips = {**STYLE_SLIPS, marks.FILL: hands.fill} if allow_fill else STYLE_SLIPS
    for style, chance in slips.items():
        if rng.random() < chance * persona.untidy:
            return style
    if rng.random() < 0.08:  # not every mark is drawn the habitual way
        return _pick(rng, LIKERT_HABITS if habit in LIKERT_HABITS else BOX_HABITS)
    return habit


def _plan_single(
    f: Field,
    page: int,
    persona: Persona,
    rng: np.random.Generator,
    answer: bool,
    hands: Hands = TYPICAL,
) -> FieldPlan:
    truth = FieldTruth(field_id=f.id, page=page, kind=f.kind, value=None, expect="empty")
    if not answer or not f.options:
        truth.style = "none"
        return FieldPlan(truth)
    habit = persona.likert_habit if f.kind == "likert" else persona.box_habit
    value = _choose_value(f, persona, rng)
    values = [o.value for o in f.options]
    others = [v for v in values if v != value]
    roll = rng.random()
    if others and roll < hands.two_marks * persona.untidy:
        # two options marked: adjacent ones most often
        i = values.index(value)
        near = [
            v
            for v in (
                values[i - 1] if i > 0 else None,
                values[i + 1] if i + 1 < len(values) else None,
            )
            if v
        ]
        second = str(rng.choice(near)) if near and rng.random() < 0.75 else str(rng.choice(others))
        style = _style(habit, persona, rng, hands, allow_fill=False)
        truth.expect, truth.value, truth.intended = "multiple", None, sorted([value, second])
        truth.style = f"two:{style}+{style}"
        truth.marked = sorted([value, second])
        truth.accept = ["ambiguous"]
        return FieldPlan(truth, [MarkOp("choice", value, style), MarkOp("choice", second, style)])
    if others and roll < (hands.two_marks + hands.correction) * persona.untidy:
        first = str(rng.choice(others))
        style = _style(habit, persona, rng, hands, allow_fill=False)
        truth.intended = value
        if persona.pen == "pencil" and rng.random() < 0.6:
            # rubbed out: a faint ghost of the first mark stays; the new mark is the answer
            truth.expect, truth.value, truth.style = "ok", value, f"erased:{style}"
            truth.marked, truth.accept = [value], ["corrected", "ambiguous"]
            return FieldPlan(
                truth, [MarkOp("erased", first, style), MarkOp("choice", value, style)]
            )
        truth.style = f"correction:{style}"
        truth.marked = sorted([first, value])
        truth.cancelled = [first]
        if f.kind == "likert":  # a circle struck through: plain to anyone
            truth.expect, truth.value, truth.accept = "corrected", value, ["ambiguous"]
        else:  # a blacked-out box: no convention says it cancels, so a person decides
            truth.expect, truth.value, truth.accept = "ambiguous", None, ["corrected"]
        ops = [
            MarkOp("choice", first, style),
            MarkOp("strike", first),
            MarkOp("choice", value, style),
        ]
        return FieldPlan(truth, ops)
    i = values.index(value)
    between = f.kind == "likert" and i + 1 < len(values)  # neighbouring digits, not far boxes
    if between and roll < (hands.two_marks + hands.correction + hands.between) * persona.untidy:
        # one mark set between two options: the person's choice cannot be known
        style = _style(habit, persona, rng, hands, allow_fill=False)
        if style not in (marks.CIRCLE, marks.TICK, marks.CROSS):
            style = marks.CIRCLE
        second = values[i + 1]
        truth.expect, truth.value, truth.intended = "ambiguous", None, None
        truth.style, truth.marked, truth.accept = f"between:{style}", [value, second], ["multiple"]
        return FieldPlan(truth, [MarkOp("between", value, style, other=second)])
    if f.kind != "likert" and persona.circles_labels:
        truth.expect, truth.value, truth.intended = "ok", value, value
        truth.style, truth.marked, truth.accept = "circle_label", [value], ["ambiguous"]
        return FieldPlan(truth, [MarkOp("label", value)])
    style = _style(habit, persona, rng, hands)
    truth.style = style
    truth.intended = value
    truth.marked = [value]
    if style == marks.FILL:
        # a blacked-in option: no convention says what it means, so it goes to a person
        truth.expect, truth.value, truth.accept = "ambiguous", None, ["ok"]
    else:
        truth.expect, truth.value = "ok", value
        if style in HARD_STYLES:
            truth.accept = ["ambiguous"]
    return FieldPlan(truth, [MarkOp("choice", value, style)])


def _plan_multiple(
    f: Field,
    page: int,
    persona: Persona,
    rng: np.random.Generator,
    answer: bool,
    hands: Hands = TYPICAL,
) -> FieldPlan:
    truth = FieldTruth(
        field_id=f.id, page=page, kind=f.kind, value=None, expect="empty", style="none"
    )
    if not answer or not f.options:
        return FieldPlan(truth)
    values = [o.value for o in f.options]
    count = int(min(len(values), rng.choice([1, 2, 3], p=[0.7, 0.24, 0.06])))
    chosen = sorted(str(v) for v in rng.choice(values, size=count, replace=False))
    style = _style(persona.box_habit, persona, rng, hands, allow_fill=False)
    ops = [MarkOp("choice", v, style) for v in chosen]
    truth.expect, truth.value, truth.intended, truth.style = "ok", chosen, chosen, style
    truth.marked = list(chosen)
    rest = [v for v in values if v not in chosen]
    if rest and rng.random() < hands.correction * persona.untidy:
        wrong = str(rng.choice(rest))
        ops = [MarkOp("choice", wrong, style), MarkOp("strike", wrong), *ops]
        truth.style = f"correction:{style}"
        truth.marked = sorted([*chosen, wrong])
        truth.cancelled = [wrong]
        # a blacked-out box: no convention says it cancels, so a person decides
        truth.expect, truth.value, truth.accept = "ambiguous", None, ["corrected"]
    if style in HARD_STYLES:
        truth.accept = sorted({*truth.accept, "ambiguous"})
    return FieldPlan(truth, ops)


def _plan_text(
    f: Field,
    page: int,
    persona: Persona,
    rng: np.random.Generator,
    written: bool,
    language: str = "fi",
) -> FieldPlan:
    truth = FieldTruth(
        field_id=f.id, page=page, kind=f.kind, value=None, expect="blank", style="none"
    )
    if not written:
        return FieldPlan(truth)
    one_line = f.lines <= 1
    short = rng.random() < 0.06  # "-", "ei", "ok": a reader may well take it for empty
    text = (
        str(rng.choice(texts.SHORT))
        if short
        else texts.comment_for(f.label, rng, one_line, language)
    )
    overflow = bool(not short and rng.random() < 0.08 * persona.untidy)
    truth.expect, truth.value, truth.intended = "written", text, text
    truth.style, truth.overflow = "handwriting", overflow
    if short:
        truth.accept = ["blank"]
    return FieldPlan(truth, [MarkOp("text", text=text, overflow=overflow)])


def _plan_line(
    f: Field, page: int, persona: Persona, rng: np.random.Generator, answer: bool
) -> FieldPlan:
    truth = FieldTruth(
        field_id=f.id, page=page, kind=f.kind, value=None, expect="empty", style="none"
    )
    if not answer:
        return FieldPlan(truth)
    pos = float(np.clip(rng.normal(100 - (persona.mood - 1) * 25, 15), 0, 100))
    pos = round(pos, 1)
    truth.expect, truth.value, truth.intended, truth.style = "ok", pos, pos, "line_mark"
    return FieldPlan(truth, [MarkOp("line", position=pos)])
