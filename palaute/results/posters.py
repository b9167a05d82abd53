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

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from forms.template import Field, Template
from palaute import i18n
from palaute.results.data import Answer, Response
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


@dataclass(frozen=True)
class ZoneCount:
    field_id: str
    role: str  # agree / unsure / disagree / plus / minus, or "" when not known
    label: str  # in the report's language
    colour: str  # for the chart
    votes: int

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


def poster_stats(responses: Sequence[Response], zones: Iterable[Field], lang: str) -> PosterStats:
    """The votes of one statement's zones (all of the same ``question``)."""
    fields = list(zones)
    counts: list[ZoneCount] = []
    unresolved = 0
    pages = 0
    for r in responses:
        if any(f.id in r.answers for f in fields):
            pages += 1
    for f in fields:
        votes = 0
        for r in responses:
            a = r.answers.get(f.id)
            if a is None:
                continue
            if a.unresolved:
                unresolved += 1
            elif isinstance(a.value, int | float):
                votes += int(a.value)
        rl = role(f)
        counts.append(
            ZoneCount(f.id, rl, zone_label(f, lang), ROLE_COLOURS.get(rl, OTHER_COLOUR), votes)
        )
    first = fields[0]
    return PosterStats(
        first.question, first.hint or first.question, tuple(counts), pages, unresolved
    )


def statements(
    templates: Iterable[Template], responses: Sequence[Response], lang: str
) -> list[PosterStats]:
    """Every poster statement of ``templates`` (in form order, each statement once)."""
    by_question: dict[str, list[Field]] = {}
    for template in templates:
        for f in template.fields():
            if f.kind == "zone":
                zones = by_question.setdefault(f.question, [])
                if all(z.id != f.id for z in zones):
                    zones.append(f)
    return [poster_stats(responses, zones, lang) for zones in by_question.values()]


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
    """Header and one row per zone: statement, answer, votes, % of the statement, unresolved."""
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
    rows = [head]
    for p in stats:
        for zone, pct in zip(p.zones, p.percentages, strict=True):
            rows.append([p.statement, zone.label, zone.votes, round(pct, 1), p.unresolved])
    return rows
