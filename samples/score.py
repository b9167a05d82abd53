"""Score a reader's field results against the ground truth.

Every field falls in one of four outcomes:

* ``exact``    the status the truth expects, with the expected value
* ``flagged``  sent to a person (needs review, or a status the truth accepts for a hard mark):
               costs clerk time but is no silent error
* ``wrong``    a confident answer that differs from the truth: a silent error, the one that matters
* ``missing``  the truth has the field but the reader gave no result (its page was not read)

Values compare by the reader's conventions: option values and sorted lists exactly, rating-line
positions within ``LINE_TOLERANCE``, free text by status only (transcription is a person's job).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from samples.truth import FORM, FieldTruth, GroundTruth, PageTruth
from scanner.results import NEEDS_REVIEW_STATUSES, FieldResult, PageResult, PageStatus, Value

LINE_TOLERANCE = 3.0  # rating line: points of 0-100

EXACT, FLAGGED, WRONG, MISSING = "exact", "flagged", "wrong", "missing"


@dataclass
class Score:
    counts: Counter[str] = field(default_factory=Counter)
    by_style: dict[str, Counter[str]] = field(default_factory=dict)
    wrong: list[tuple[FieldTruth, FieldResult]] = field(default_factory=list)

    def add(self, truth: FieldTruth, outcome: str, result: FieldResult | None) -> None:
        self.counts[outcome] += 1
        style = truth.style.split(":")[0]
        self.by_style.setdefault(style, Counter())[outcome] += 1
        if outcome == WRONG and result is not None:
            self.wrong.append((truth, result))

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def rate(self, outcome: str) -> float:
        return self.counts[outcome] / self.total if self.total else 0.0

    def summary(self) -> dict[str, float]:
        return {k: round(self.rate(k), 4) for k in (EXACT, FLAGGED, WRONG, MISSING)} | {
            "fields": float(self.total)
        }


def same_value(kind: str, expected: Value, got: Value) -> bool:
    if kind == "text":
        return True  # the text itself is transcribed by a person
    if kind == "line" and isinstance(expected, float) and isinstance(got, int | float):
        return abs(expected - float(got)) <= LINE_TOLERANCE
    if kind == "multiple" and isinstance(got, list):
        return sorted(got) == (expected or [])
    return expected == got


def outcome(truth: FieldTruth, result: FieldResult | None) -> str:
    if result is None:
        return MISSING
    status = str(result.status)
    if status == truth.expect and same_value(truth.kind, truth.value, result.value):
        return EXACT
    if result.needs_review or result.status in NEEDS_REVIEW_STATUSES:
        return FLAGGED
    if status in truth.accept:
        # an accepted status with a value must still carry the respondent's intended value
        if status in ("ok", "corrected"):
            return FLAGGED if same_value(truth.kind, truth.intended, result.value) else WRONG
        return FLAGGED
    return WRONG


def score_fields(truths: Iterable[FieldTruth], results: Iterable[FieldResult]) -> Score:
    """Score one page's (or a whole respondent's) results; fields are matched by id."""
    by_id = {r.field_id: r for r in results}
    score = Score()
    for truth in truths:
        result = by_id.get(truth.field_id)
        score.add(truth, outcome(truth, result), result)
    return score


def merge(scores: Iterable[Score]) -> Score:
    total = Score()
    for s in scores:
        total.counts.update(s.counts)
        for style, counts in s.by_style.items():
            total.by_style.setdefault(style, Counter()).update(counts)
        total.wrong.extend(s.wrong)
    return total


@dataclass
class BatchScore:
    """A whole batch: page outcomes, page identity mistakes, and the fields of every form page."""

    pages: Counter[str] = field(default_factory=Counter)
    fields: Score = field(default_factory=Score)
    identity_errors: list[tuple[PageTruth, PageResult]] = field(default_factory=list)

    def summary(self) -> dict[str, float]:
        total = sum(self.pages.values()) or 1
        out = {f"pages_{k}": round(v / total, 4) for k, v in sorted(self.pages.items())}
        out["identity_errors"] = float(len(self.identity_errors))
        return out | {f"fields_{k}": v for k, v in self.fields.summary().items()}


def page_outcome(truth: PageTruth, result: PageResult | None) -> str:
    if result is None:
        return MISSING
    status = str(result.status)
    if status == truth.expect:
        return EXACT
    if status in truth.accept or result.status == PageStatus.FLAGGED:
        return FLAGGED
    return WRONG


def identity_ok(truth: PageTruth, result: PageResult) -> bool:
    """A read form page must be identified as the right version, page, serial and rotation."""
    ident = result.identity
    if ident is None:
        return False
    return (ident.version, ident.page, ident.serial, ident.rotation % 360) == (
        truth.version,
        truth.form_page,
        truth.serial,
        truth.rotation,
    )


def score_batch(truth: GroundTruth, results: Iterable[PageResult]) -> BatchScore:
    """Score a reader's page results for a generated batch (matched by file name and page index)."""
    by_key = {(Path(r.source_file).name, r.index): r for r in results}
    respondents = {r.respondent: r for r in truth.respondents}
    score = BatchScore()
    for page in truth.pages:
        result = by_key.get((page.file, page.index))
        score.pages[page_outcome(page, result)] += 1
        if page.kind != FORM or page.respondent is None:
            continue
        read = result is not None and result.status in (PageStatus.READ, PageStatus.FLAGGED)
        if read and result is not None and not identity_ok(page, result):
            score.identity_errors.append((page, result))
        wanted = [f for f in respondents[page.respondent].fields if f.page == page.form_page]
        got = result.fields if result is not None else ()
        score.fields = merge([score.fields, score_fields(wanted, got)])
    return score
