"""Statement posters in the results: votes per zone of each statement, summed over the photos.

A poster's zone field (``kind: zone``) holds, per photographed or scanned poster page, the number
of votes in that zone (stickers of any colour plus tally strokes; ``scanner.poster_results``).
Every page is one ``Response``; a statement's result is the sum over its pages of each zone's
votes, with each zone's share of the statement's votes.  Counts still waiting for the clerk are
left out and counted as unresolved, as flagged answers are for the questionnaire.

Zones are named from the catalogue by their role, so the report speaks the reader's language
whatever the poster's: green "agree" / yellow "can't say" / red "disagree" on a traffic-light
vote, "+" / "−" on a plus-minus poster (``results.zone_<role>``, the role being the end of the
zone's field id as ``forms/kinds/poster.py`` names it).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from forms.template import Field, Template
from palaute import i18n
from palaute.results.data import Answer, Response, settled_answers
from scanner.results import FieldStatus

ROLES = ("agree", "unsure", "disagree", "plus", "minus")
# Bar colours per zone role (the poster's own colours, a little muted for print).
ROLE_COLOURS = {
    "agree": "#3a9a3a",
    "unsure": "#e0b400",
    "disagree": "#c8323c",
    "plus": "#3a9a3a",
    "minus": "#c8323c",
}
OTHER_COLOUR = "#7f7f7f"
# A zone's votes by what they were: the reader's ``scores`` keys (``scanner.poster_results``),
# then the votes a clerk typed that the reader's breakdown does not add up to.
PARTS = ("green", "yellow", "red", "blue", "tally")
CLERK = "clerk"
BREAKDOWN = (*PARTS, CLERK)
# (respondent, field id) -> the reader's breakdown of that zone, as stored in ``scores``
Scores = Mapping[tuple[str, str], Mapping[str, float]]


@dataclass(frozen=True)
class ZoneCount:
    field_id: str
    role: str  # agree / unsure / disagree / plus / minus, or "" when not known
    label: str  # in the report's language
    colour: str  # for the chart
    votes: int
    # votes per BREAKDOWN key (adds up to ``votes``); empty when the breakdown was not asked for
    parts: Mapping[str, int] = dataclasses.field(default_factory=dict)

    def pct(self, total: int) -> float:
        return 100.0 * self.votes / total if total else 0.0


@dataclass(frozen=True)
class PosterStats:
    """One statement (or question) of a poster: its zones' votes over every counted page."""

    question: str  # the statement's id
    statement: str  # its text as printed
    zones: tuple[ZoneCount, ...]
    pages: int  # photos or scans of this statement counted
    unresolved: int  # zone counts waiting for the clerk (left out of the votes)

    @property
    def total(self) -> int:
        return sum(z.votes for z in self.zones)

    @property
    def percentages(self) -> tuple[float, ...]:
        return tuple(z.pct(self.total) for z in self.zones)


def role(field: Field) -> str:
    tail = field.id.rsplit("_", 1)[-1]
    return tail if tail in ROLES else ""


def zone_label(field: Field, lang: str) -> str:
    r = role(field)
    return i18n.t(f"results.zone_{r}", lang) if r else field.label


def breakdown(votes: int, scores: Mapping[str, float] | None) -> dict[str, int]:
    """One counted zone's votes by sticker colour and tally marks.

    A clerk may have typed a count of their own; the reader's breakdown then no longer says what
    the votes were, so the whole count goes under CLERK and the parts still add up to the votes.
    """
    parts = {key: 0 for key in BREAKDOWN}
    seen = {key: round(scores.get(key, 0)) for key in PARTS} if scores else {}
    if seen and sum(seen.values()) == votes:
        parts.update(seen)
    else:
        parts[CLERK] = votes
    return parts


def poster_stats(
    responses: Sequence[Response],
    zones: Iterable[Field],
    lang: str,
    scores: Scores | None = None,
) -> PosterStats:
    """The votes of one statement's zones (all of the same ``question``).

    Each zone's votes are also broken down by colour and tally (``parts``) when the reader's
    breakdown is known: from ``scores`` (exported rows) or from the answers themselves.
    """
    fields = list(zones)
    counts: list[ZoneCount] = []
    unresolved = 0
    pages = 0
    for r in responses:
        if any(f.id in r.answers for f in fields):
            pages += 1
    for f in fields:
        votes = 0
        settled, waiting = settled_answers(responses, f.id)
        unresolved += waiting
        known = scores is not None or any(a.scores is not None for _, a in settled)
        parts = {key: 0 for key in BREAKDOWN} if known else {}
        for r, a in settled:
            if isinstance(a.value, int | float):
                votes += int(a.value)
                if known:
                    seen = scores.get((r.respondent, f.id)) if scores is not None else a.scores
                    for key, n in breakdown(int(a.value), seen).items():
                        parts[key] += n
        rl = role(f)
        colour = ROLE_COLOURS.get(rl, OTHER_COLOUR)
        counts.append(ZoneCount(f.id, rl, zone_label(f, lang), colour, votes, parts))
    first = fields[0]
    return PosterStats(
        first.question, first.hint or first.question, tuple(counts), pages, unresolved
    )


def statements(
    templates: Iterable[Template],
    responses: Sequence[Response],
    lang: str,
    scores: Scores | None = None,
) -> list[PosterStats]:
    """Every poster statement of ``templates`` (in form order, each statement once)."""
    by_question: dict[str, list[Field]] = {}
    for template in templates:
        for f in template.fields():
            if f.kind == "zone":
                zones = by_question.setdefault(f.question, [])
                if all(z.id != f.id for z in zones):
                    zones.append(f)
    return [poster_stats(responses, zones, lang, scores) for zones in by_question.values()]


def posters_counted(polls: Sequence[PosterStats | None]) -> int | None:
    """Posters counted (photos and scans) when every section is a poster statement, else None.

    A poster survey has no respondents, only votes: the report's method and the command's
    message name the posters instead.  Every statement is a poster page of its own
    (``forms/kinds/poster.py``), so the statements' pages add up to the posters.
    """
    if not polls or any(p is None for p in polls):
        return None
    return sum(p.pages for p in polls if p is not None)


def responses_from_values(
    records: Iterable[tuple[str, dict[str, Any], dict[str, str]]],
) -> list[Response]:
    """Responses from exported rows (respondent, values, statuses), for :func:`statements`."""
    today = dt.date.today()
    return [
        Response(
            respondent=name,
            scanned=today,
            answers={
                fid: Answer(values.get(fid), FieldStatus(status))
                for fid, status in statuses.items()
                if status
            },
        )
        for name, values, statuses in records
    ]


def table_rows(stats: Sequence[PosterStats], lang: str) -> list[list[str | int | float]]:
    """Header and one row per zone: statement, answer, votes, % of the statement, unresolved,
    then the votes by colour and tally (BREAKDOWN order; after the others, so that the first
    columns stay where they were)."""
    head: list[str | int | float] = [
        i18n.t(f"results.{key}", lang)
        for key in (
            "table_statement",
            "table_zone",
            "table_votes",
            "table_percent",
            "table_unresolved",
        )
    ]
    head += [i18n.t(f"results.table_part_{key}", lang) for key in BREAKDOWN]
    rows = [head]
    for p in stats:
        for zone, pct in zip(p.zones, p.percentages, strict=True):
            parts = [zone.parts.get(key, 0) for key in BREAKDOWN]
            rows.append([p.statement, zone.label, zone.votes, round(pct, 1), p.unresolved, *parts])
    return rows
