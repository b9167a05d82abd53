"""The in-memory survey model that statistics, charts, the report and the bulletin read.

A ``SurveyData`` holds the form template(s) and one ``Response`` per respondent (one filled
questionnaire), each a mapping from field id to ``Answer``.  It does not know where the answers
came from: the survey store fills it through an adapter, tests build it by hand and
``synthetic()`` makes a plausible one for demonstrations and benchmarks.

Several templates may be present: the same questionnaire in Finnish, Swedish and English shares
its field ids and answer values, so responses to all of them are counted together.  The first
template is the *primary* one: its wording and language are used in the report.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace

from forms.template import Field, Template
from scanner.results import NEEDS_REVIEW_STATUSES, FieldStatus, Value

# Statuses that mean "the respondent gave an answer" once the value can be trusted.
ANSWERED_STATUSES = frozenset({FieldStatus.OK, FieldStatus.CORRECTED, FieldStatus.WRITTEN})


@dataclass(frozen=True)
class Answer:
    """One field of one respondent, as read and (perhaps) reviewed."""

    value: Value  # option value; sorted list for "multiple"; 0-100 for a line; None if none
    status: FieldStatus = FieldStatus.OK
    reviewed: bool = False  # a clerk has looked at it (and set value/text as they saw fit)
    text: str | None = None  # free text transcribed by a clerk
    crop_png: bytes | None = None  # the scanned free-text area, for answers not yet transcribed
    # a poster zone's votes as the reader saw them (stickers per colour, tally strokes); None
    # for every other field, whose scores are the reader's own working
    scores: Mapping[str, float] | None = None

    @property
    def unresolved(self) -> bool:
        """Flagged by the reader and not yet looked at: its value is not used."""
        return self.status in NEEDS_REVIEW_STATUSES and not self.reviewed

    @property
    def usable_value(self) -> Value:
        """The value statistics may count, or None (no answer, or still waiting for review)."""
        if self.unresolved:
            return None
        if isinstance(self.value, list) and not self.value:
            return None
        return self.value

    @property
    def has_text(self) -> bool:
        """A written free-text answer: transcribed, or at least cropped."""
        if self.text is not None and self.text.strip():
            return True
        return self.status == FieldStatus.WRITTEN and self.crop_png is not None


@dataclass(frozen=True)
class Response:
    """One respondent's questionnaire."""

    respondent: str  # stable id within the survey (sheet serial, or store row id)
    scanned: dt.date  # the day the (first) page was scanned
    answers: Mapping[str, Answer]
    form_id: str = ""  # which template it was read with; "" = the primary one
    form_version: str = ""

    def answer(self, field_id: str) -> Answer | None:
        return self.answers.get(field_id)

    def value(self, field_id: str) -> Value:
        a = self.answers.get(field_id)
        return None if a is None else a.usable_value


def settled_answers(
    responses: Iterable[Response], field_id: str
) -> tuple[list[tuple[Response, Answer]], int]:
    """The answers to ``field_id`` that count, each with its response, and how many more still
    wait for the clerk (counted apart, never as an answer)."""
    settled: list[tuple[Response, Answer]] = []
    waiting = 0
    for r in responses:
        a = r.answers.get(field_id)
        if a is None:
            continue
        if a.unresolved:
            waiting += 1
        else:
            settled.append((r, a))
    return settled, waiting


@dataclass(frozen=True)
class MethodFacts:
    """How the data was collected and checked, for the report's method section."""

    sheets: int  # questionnaires scanned
    first_scan: dt.date | None
    last_scan: dt.date | None
    fields_flagged: int  # fields the reader was unsure of (multiple, ambiguous, unreadable)
    fields_reviewed: int  # ...of which a clerk has already decided
    texts_written: int = 0  # free-text answers found
    texts_transcribed: int = 0  # ...of which a clerk has typed in
    pages_rejected: int = 0  # pages that could not be used at all


@dataclass(frozen=True)
class SurveyData:
    templates: tuple[Template, ...]
    responses: tuple[Response, ...]
    facts: MethodFacts | None = None  # from the store; derived from the responses when None
    organisation: str = ""  # shown on the title page; defaults to the template's

    def __post_init__(self) -> None:
        if not self.templates:
            raise ValueError("SurveyData needs at least one template")

    # -- the form ---------------------------------------------------------------------------
    @property
    def template(self) -> Template:
        """The primary template: its wording and language are used for the report."""
        return self.templates[0]

    @property
    def language(self) -> str:
        return self.template.language

    @property
    def organisation_name(self) -> str:
        return self.organisation or self.template.meta.get("organisation", "")

    def fields(self) -> Iterator[Field]:
        return self.template.fields()

    def template_of(self, response: Response) -> Template:
        for t in self.templates:
            if response.form_id in ("", t.form_id) and (
                not response.form_version or response.form_version == t.version
            ):
                return t
        for t in self.templates:
            if t.form_id == response.form_id:
                return t
        return self.template

    def language_of(self, response: Response) -> str:
        return self.template_of(response).language

    # -- method -----------------------------------------------------------------------------
    def method(self) -> MethodFacts:
        """The stored facts, or facts derived from the responses themselves."""
        if self.facts is not None:
            return self.facts
        dates = [r.scanned for r in self.responses]
        flagged = reviewed = written = transcribed = 0
        for r in self.responses:
            for a in r.answers.values():
                if a.status in NEEDS_REVIEW_STATUSES:
                    flagged += 1
                    reviewed += a.reviewed
                elif a.status == FieldStatus.WRITTEN:
                    written += 1
                    transcribed += bool(a.text and a.text.strip())
        return MethodFacts(
            sheets=len(self.responses),
            first_scan=min(dates, default=None),
            last_scan=max(dates, default=None),
            fields_flagged=flagged,
            fields_reviewed=reviewed,
            texts_written=written,
            texts_transcribed=transcribed,
        )

    def period(self) -> tuple[dt.date, dt.date] | None:
        dates = [r.scanned for r in self.responses]
        return (min(dates), max(dates)) if dates else None

    # -- filters ----------------------------------------------------------------------------
    def with_responses(self, responses: Iterable[Response]) -> SurveyData:
        """The same survey with other responses; stored method facts no longer apply."""
        return replace(self, responses=tuple(responses), facts=None)

    def between(self, start: dt.date | None = None, end: dt.date | None = None) -> SurveyData:
        """Responses scanned on ``start`` .. ``end`` (both inclusive; None = open)."""
        if start is None and end is None:
            return self
        return self.with_responses(
            r
            for r in self.responses
            if (start is None or r.scanned >= start) and (end is None or r.scanned <= end)
        )

    def for_form(self, form_id: str | None) -> SurveyData:
        """Only responses read with form ``form_id``; that form's template becomes primary."""
        if not form_id:
            return self
        chosen = [t for t in self.templates if t.form_id == form_id]
        if not chosen:
            raise KeyError(form_id)
        others = [t for t in self.templates if t.form_id != form_id]
        primary = self.template
        kept = [r for r in self.responses if (r.form_id or primary.form_id) == form_id]
        return replace(self, templates=(*chosen, *others), responses=tuple(kept), facts=None)


def synthetic(
    template: Template,
    n: int,
    seed: int = 0,
    start: dt.date | None = None,
    weeks: int = 4,
    extra_templates: tuple[Template, ...] = (),
) -> SurveyData:
    """A plausible, deterministic survey of ``n`` respondents (see ``palaute.results.synthetic``)."""
    from palaute.results.synthetic import build

    return build(template, n, seed, start=start, weeks=weeks, extra_templates=extra_templates)


def field_answers(data: SurveyData, field_id: str) -> list[tuple[Response, Answer]]:
    """Every response's answer to ``field_id`` (responses without one are left out)."""
    out = []
    for r in data.responses:
        a = r.answers.get(field_id)
        if a is not None:
            out.append((r, a))
    return out


__all__ = [
    "ANSWERED_STATUSES",
    "Answer",
    "MethodFacts",
    "Response",
    "SurveyData",
    "field_answers",
    "synthetic",
]
