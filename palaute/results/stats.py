"""Counting answers: Likert statements, yes/no and choice questions, free texts, weeks, groups.

Only usable values are counted (see ``Answer.usable_value``): an answer the reader flagged and
nobody has reviewed yet is left out and counted as *unresolved*, so the report can say so.

Anonymity: a breakdown into groups (form language, month, week, ...) never shows a group with fewer
than ``min_group`` respondents, nor lets one be worked out by subtracting the shown groups from the
total; the hidden groups are named in ``Breakdown.hidden`` so the report can say that something
was left out, and why.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from forms.template import Field, Option
from palaute.results.data import Response, SurveyData, settled_answers
from palaute.results.posters import PosterStats, poster_stats
from scanner.results import NEEDS_REVIEW_STATUSES, Value

DEFAULT_MIN_GROUP = 5

# Words that mark the disagreeing end of a scale, to tell which way a scale is printed.
_DISAGREE_WORDS = ("eri mieltä", "annan åsikt", "disagree", "inte alls", "ei lainkaan")


def agree_first(options: Iterable[Option]) -> bool:
    """True when the scale is printed from agreement to disagreement (as in the seed form)."""
    labels = [o.label.lower() for o in options]
    if not labels:
        return True
    first = any(w in labels[0] for w in _DISAGREE_WORDS)
    last = any(w in labels[-1] for w in _DISAGREE_WORDS)
    return not (first and not last)


def _pct(count: int, n: int) -> float:
    return 100.0 * count / n if n else 0.0


def _numeric(options: tuple[Option, ...]) -> list[float]:
    """Scale values as numbers: the printed values when numeric, else positions 1..k."""
    try:
        return [float(o.value) for o in options]
    except ValueError:
        return [float(i + 1) for i in range(len(options))]


@dataclass(frozen=True)
class LikertStats:
    field_id: str
    question: str
    statement: str
    values: tuple[str, ...]  # scale values in printed order
    labels: tuple[str, ...]
    counts: tuple[int, ...]  # per scale point, printed order
    n: int  # respondents with a usable answer
    unresolved: int  # flagged and not yet reviewed: not counted
    median: float | None  # in the scale's own numbers (1 = first printed point in the seed)
    agree_first: bool = True

    @property
    def percentages(self) -> tuple[float, ...]:
        return tuple(_pct(c, self.n) for c in self.counts)

    @property
    def side(self) -> int:
        """How many points are on each side of the middle."""
        return len(self.counts) // 2

    @property
    def has_neutral(self) -> bool:
        return len(self.counts) % 2 == 1

    @property
    def agree(self) -> int:
        part = self.counts[: self.side] if self.agree_first else self.counts[-self.side :]
        return sum(part) if self.side else 0

    @property
    def disagree(self) -> int:
        part = self.counts[-self.side :] if self.agree_first else self.counts[: self.side]
        return sum(part) if self.side else 0

    @property
    def neutral(self) -> int:
        return self.counts[self.side] if self.has_neutral else 0

    @property
    def agree_pct(self) -> float:
        return _pct(self.agree, self.n)

    @property
    def disagree_pct(self) -> float:
        return _pct(self.disagree, self.n)

    @property
    def neutral_pct(self) -> float:
        return _pct(self.neutral, self.n)

    def median_label(self) -> str:
        """The scale label at the median ("" when the median falls between two points)."""
        if self.median is None:
            return ""
        numbers = [float(v) if _is_number(v) else i + 1.0 for i, v in enumerate(self.values)]
        for number, label in zip(numbers, self.labels, strict=True):
            if number == self.median:
                return label
        return ""


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class ChoiceStats:
    """A yes/no or choice question: counts per option, percentages of those who answered."""

    field_id: str
    question: str
    label: str
    kind: str  # "single" or "multiple"
    values: tuple[str, ...]
    labels: tuple[str, ...]
    counts: tuple[int, ...]
    n: int  # respondents with a usable answer
    unresolved: int

    @property
    def percentages(self) -> tuple[float, ...]:
        """Share of respondents choosing each option (for "multiple" these may sum over 100)."""
        return tuple(_pct(c, self.n) for c in self.counts)


@dataclass(frozen=True)
class LineStats:
    """A rating line, 0-100."""

    field_id: str
    question: str
    label: str
    n: int
    median: float | None
    mean: float | None
    unresolved: int
    bins: tuple[int, ...] = ()  # marks per tenth of the line: 0-10, 10-20, ... 90-100


LINE_BINS = 10


@dataclass(frozen=True)
class WordTerm:
    """One term of a word task: how many found it understandable, how many need it explained."""

    field_id: str
    label: str
    understandable: int
    needs_explaining: int

    @property
    def n(self) -> int:
        return self.understandable + self.needs_explaining

    @property
    def needs_explaining_pct(self) -> float:
        return _pct(self.needs_explaining, self.n)


@dataclass(frozen=True)
class WordTask:
    """A word task sheet (sanatehtävä), terms ordered by how often they need explaining."""

    terms: tuple[WordTerm, ...]
    unresolved: int


# The two answers of a word-task term (forms/kinds/word_task.py).
UNDERSTANDABLE, NEEDS_EXPLAINING = "understandable", "needs_explaining"


@dataclass(frozen=True)
class TextAnswer:
    respondent: str
    text: str | None  # transcribed
    crop_png: bytes | None  # shown where not transcribed yet


@dataclass(frozen=True)
class TextStats:
    field_id: str
    question: str
    label: str
    parent: str | None
    answers: tuple[TextAnswer, ...]

    @property
    def transcribed(self) -> int:
        return sum(1 for a in self.answers if a.text)


@dataclass(frozen=True)
class Section:
    """One question as printed: its Likert rows, or its choice, plus its free-text fields."""

    question: str
    likert: tuple[LikertStats, ...] = ()
    choice: ChoiceStats | None = None
    line: LineStats | None = None
    texts: tuple[TextStats, ...] = ()
    poster: PosterStats | None = None  # a poster statement's votes per zone


@dataclass(frozen=True)
class WeekCount:
    year: int
    week: int
    count: int

    @property
    def label(self) -> str:
        return f"{self.week}/{self.year}"


@dataclass(frozen=True)
class Summary:
    respondents: int
    sections: tuple[Section, ...]
    weeks: tuple[WeekCount, ...]
    word_task: WordTask | None = None  # a word-task sheet's terms, summarised together

    @property
    def likert(self) -> tuple[LikertStats, ...]:
        return tuple(s for sec in self.sections for s in sec.likert)

    @property
    def choices(self) -> tuple[ChoiceStats, ...]:
        return tuple(sec.choice for sec in self.sections if sec.choice is not None)

    @property
    def texts(self) -> tuple[TextStats, ...]:
        return tuple(t for sec in self.sections for t in sec.texts)


# -- per field ---------------------------------------------------------------------------------
def likert_stats(responses: Iterable[Response], f: Field) -> LikertStats:
    values = tuple(o.value for o in f.options)
    counter: Counter[Value] = Counter()
    unresolved = 0
    fid = f.id
    flagged = NEEDS_REVIEW_STATUSES
    for r in responses:  # the hot loop of a large survey: kept plain
        a = r.answers.get(fid)
        if a is None:
            continue
        if a.status in flagged and not a.reviewed:
            unresolved += 1
        else:
            counter[a.value] += 1
    counts = tuple(counter[v] for v in values)
    numbers = _numeric(f.options)
    sample = [num for num, c in zip(numbers, counts, strict=True) for _ in range(c)]
    return LikertStats(
        field_id=f.id,
        question=f.question,
        statement=f.label,
        values=values,
        labels=tuple(o.label for o in f.options),
        counts=counts,
        n=sum(counts),
        unresolved=unresolved,
        median=float(statistics.median(sample)) if sample else None,
        agree_first=agree_first(f.options),
    )


def choice_stats(responses: Iterable[Response], f: Field) -> ChoiceStats:
    values = tuple(o.value for o in f.options)
    counter: Counter[str] = Counter()
    n = 0
    settled, unresolved = settled_answers(responses, f.id)
    for _, a in settled:
        v = a.usable_value
        chosen = [v] if isinstance(v, str) else v if isinstance(v, list) else []
        chosen = [c for c in chosen if c in values]
        if chosen:
            n += 1
            counter.update(set(chosen))
    return ChoiceStats(
        field_id=f.id,
        question=f.question,
        label=f.label,
        kind=f.kind,
        values=values,
        labels=tuple(o.label for o in f.options),
        counts=tuple(counter[v] for v in values),
        n=n,
        unresolved=unresolved,
    )


def line_stats(responses: Iterable[Response], f: Field) -> LineStats:
    settled, unresolved = settled_answers(responses, f.id)
    sample = [float(a.usable_value) for _, a in settled if isinstance(a.usable_value, int | float)]
    return LineStats(
        field_id=f.id,
        question=f.question,
        label=f.label,
        n=len(sample),
        median=float(statistics.median(sample)) if sample else None,
        mean=float(statistics.fmean(sample)) if sample else None,
        unresolved=unresolved,
        bins=line_bins(sample),
    )


def line_bins(sample: Iterable[float]) -> tuple[int, ...]:
    counts = [0] * LINE_BINS
    for v in sample:
        counts[min(LINE_BINS - 1, max(0, int(v // (100 / LINE_BINS))))] += 1
    return tuple(counts)


def word_task(responses: Sequence[Response], fields: Iterable[Field]) -> WordTask:
    terms = []
    unresolved = 0
    for f in fields:
        settled, waiting = settled_answers(responses, f.id)
        unresolved += waiting
        counter = Counter(a.usable_value for _, a in settled if isinstance(a.usable_value, str))
        terms.append(WordTerm(f.id, f.label, counter[UNDERSTANDABLE], counter[NEEDS_EXPLAINING]))
    terms.sort(key=lambda term: (-term.needs_explaining_pct, term.label))
    return WordTask(tuple(terms), unresolved)


def text_stats(responses: Iterable[Response], f: Field) -> TextStats:
    found = []
    for r in responses:
        a = r.answers.get(f.id)
        if a is None or not a.has_text:
            continue
        text = a.text.strip() if a.text and a.text.strip() else None
        found.append(TextAnswer(r.respondent, text, None if text else a.crop_png))
    return TextStats(f.id, f.question, f.label, f.parent, tuple(found))


# -- whole survey ------------------------------------------------------------------------------
def responses_per_week(responses: Iterable[Response]) -> tuple[WeekCount, ...]:
    """Responses per ISO week, including empty weeks between the first and the last."""
    counter: Counter[tuple[int, int]] = Counter()
    for r in responses:
        iso = r.scanned.isocalendar()
        counter[(iso.year, iso.week)] += 1
    if not counter:
        return ()
    first, last = min(counter), max(counter)
    monday = dt.date.fromisocalendar(first[0], first[1], 1)
    out = []
    while True:
        iso = monday.isocalendar()
        key = (iso.year, iso.week)
        out.append(WeekCount(key[0], key[1], counter[key]))
        if key >= last:
            break
        monday += dt.timedelta(days=7)
    return tuple(out)


def summarise(data: SurveyData) -> Summary:
    """Every question of the primary template, in form order."""
    responses = data.responses
    order: list[str] = []
    parts: dict[str, dict[str, list]] = {}
    words = None
    if data.template.kind == "word_task":
        terms = [f for f in data.fields() if f.kind == "single"]
        words = word_task(responses, terms)
    for f in data.fields():
        if words is not None and f.kind == "single":
            continue  # word-task terms are summarised together
        if f.question not in parts:
            order.append(f.question)
            parts[f.question] = {"likert": [], "choice": [], "line": [], "texts": [], "zone": []}
        part = parts[f.question]
        if f.kind == "zone":
            part["zone"].append(f)  # a poster statement's zones are summarised together
        elif f.kind == "likert":
            part["likert"].append(likert_stats(responses, f))
        elif f.kind in ("single", "multiple"):
            part["choice"].append(choice_stats(responses, f))
        elif f.kind == "line":
            part["line"].append(line_stats(responses, f))
        else:
            part["texts"].append(text_stats(responses, f))
    sections = []
    for q in order:
        part = parts[q]
        sections.append(
            Section(
                question=q,
                likert=tuple(part["likert"]),
                choice=part["choice"][0] if part["choice"] else None,
                line=part["line"][0] if part["line"] else None,
                texts=tuple(part["texts"]),
                poster=(
                    poster_stats(responses, part["zone"], data.language) if part["zone"] else None
                ),
            )
        )
    return Summary(len(responses), tuple(sections), responses_per_week(responses), words)


# -- breakdowns (with anonymity) ---------------------------------------------------------------
@dataclass(frozen=True)
class Group:
    key: str
    n: int
    likert: tuple[LikertStats, ...]


@dataclass(frozen=True)
class Breakdown:
    by: str  # "language", "month", "week" or a caller's name
    min_group: int
    groups: tuple[Group, ...]  # shown: at least min_group respondents each
    hidden: tuple[str, ...] = field(default=())  # keys of groups too small to show

    @property
    def any_hidden(self) -> bool:
        return bool(self.hidden)


def _key_language(data: SurveyData) -> Callable[[Response], str]:
    return data.language_of


def _key_month(_: SurveyData) -> Callable[[Response], str]:
    return lambda r: f"{r.scanned.year}-{r.scanned.month:02d}"


def _key_week(_: SurveyData) -> Callable[[Response], str]:
    def key(r: Response) -> str:
        iso = r.scanned.isocalendar()
        return f"{iso.year}-W{iso.week:02d}"

    return key


BREAKDOWNS: dict[str, Callable[[SurveyData], Callable[[Response], str]]] = {
    "language": _key_language,
    "month": _key_month,
    "week": _key_week,
}


def breakdown(
    data: SurveyData,
    by: str | Callable[[Response], str],
    min_group: int = DEFAULT_MIN_GROUP,
    name: str | None = None,
) -> Breakdown:
    """Likert results per group; groups under ``min_group`` respondents are hidden."""
    if min_group < 1:
        raise ValueError("min_group must be at least 1")
    key = BREAKDOWNS[by](data) if isinstance(by, str) else by
    grouped: dict[str, list[Response]] = {}
    for r in data.responses:
        grouped.setdefault(key(r), []).append(r)
    likert_fields = [f for f in data.fields() if f.kind == "likert"]
    small = {k for k, members in grouped.items() if len(members) < min_group}
    # The report also shows the totals, so the hidden groups together must not be smaller than
    # min_group either: otherwise "total minus the shown groups" would give them away.  Hide the
    # next smallest group until the hidden ones add up to enough people (or nothing is left).
    by_size = sorted((k for k in grouped if k not in small), key=lambda k: (len(grouped[k]), k))
    while small and sum(len(grouped[k]) for k in small) < min_group and by_size:
        small.add(by_size.pop(0))
    shown = [
        Group(k, len(grouped[k]), tuple(likert_stats(grouped[k], f) for f in likert_fields))
        for k in sorted(grouped)
        if k not in small
    ]
    label = name or (by if isinstance(by, str) else "group")
    return Breakdown(label, min_group, tuple(shown), tuple(sorted(small)))


# -- comparing two periods ---------------------------------------------------------------------
@dataclass(frozen=True)
class ComparisonRow:
    field_id: str
    statement: str
    n_a: int
    n_b: int
    agree_a: float | None  # % agree; None when too few answered to show
    agree_b: float | None

    @property
    def change(self) -> float | None:
        """Percentage points from period A to period B."""
        if self.agree_a is None or self.agree_b is None:
            return None
        return self.agree_b - self.agree_a


@dataclass(frozen=True)
class Comparison:
    label_a: str
    label_b: str
    respondents_a: int
    respondents_b: int
    min_group: int
    rows: tuple[ComparisonRow, ...]

    @property
    def any_hidden(self) -> bool:
        return any(r.agree_a is None or r.agree_b is None for r in self.rows)


def period_label(data: SurveyData) -> str:
    period = data.period()
    if period is None:
        return "–"
    a, b = period
    if a.year == b.year and a.month == 1 and b.month == 12:
        return str(a.year)
    if a == b:
        return a.isoformat()
    return f"{a.isoformat()} – {b.isoformat()}"


def compare(
    data_a: SurveyData,
    data_b: SurveyData,
    min_group: int = DEFAULT_MIN_GROUP,
    label_a: str | None = None,
    label_b: str | None = None,
) -> Comparison:
    """% agree per statement in period A (earlier) and B (later), and the change.

    Statements are matched by field id; the wording is taken from B's primary template.  A
    period where fewer than ``min_group`` respondents answered a statement shows no percentage.
    """
    fields_a = {f.id: f for f in data_a.fields() if f.kind == "likert"}
    rows = []
    for f in data_b.fields():
        if f.kind != "likert" or f.id not in fields_a:
            continue
        a = likert_stats(data_a.responses, fields_a[f.id])
        b = likert_stats(data_b.responses, f)
        rows.append(
            ComparisonRow(
                field_id=f.id,
                statement=f.label,
                n_a=a.n,
                n_b=b.n,
                agree_a=a.agree_pct if a.n >= min_group else None,
                agree_b=b.agree_pct if b.n >= min_group else None,
            )
        )
    return Comparison(
        label_a=label_a or period_label(data_a),
        label_b=label_b or period_label(data_b),
        respondents_a=len(data_a.responses),
        respondents_b=len(data_b.responses),
        min_group=min_group,
        rows=tuple(rows),
    )
