"""What the desk shows for one flagged field, and how a clerk's answer becomes a value.

Pure functions over store rows and the template: no web, no database.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from forms.template import Field
from palaute import i18n
from palaute.store.records import FieldRow, PageRow
from scanner.results import FieldStatus, Value

YES_VALUES = frozenset({"yes", "kylla", "kyllä", "ja"})
NO_VALUES = frozenset({"no", "ei", "nej"})
ACTIONS = frozenset({"choose", "accept", "empty"})
MAX_ZONE_COUNT = 999  # a clerk's count of stickers and tally marks in one poster zone


class BadDecision(ValueError):
    """The submitted answer does not fit the field (unknown option, out of range, ...)."""


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    keys: tuple[str, ...]  # keyboard keys that pick it
    guessed: bool  # part of the reader's guess


@dataclass(frozen=True)
class FlagItem:
    field: FieldRow
    page: PageRow
    template_field: Field | None
    kind: str  # the template's field kind, "" when the form version is unknown
    choices: tuple[Choice, ...]
    guess: str  # the reader's value, as a clerk reads it
    reason: str  # the reader's reason, translated (the key itself when not catalogued)


def option_keys(field: Field) -> list[tuple[str, ...]]:
    """Keys per option: its digit value (likert 1-5) or position (1-9), and y / n for yes-no."""
    values = [o.value for o in field.options]
    by_value = all(v.isdigit() and 1 <= int(v) <= 9 for v in values)
    keys: list[tuple[str, ...]] = []
    for position, value in enumerate(values, start=1):
        k: list[str] = []
        if by_value:
            k.append(value)
        elif position <= 9:
            k.append(str(position))
        if value.lower() in YES_VALUES:
            k.append("y")
        elif value.lower() in NO_VALUES:
            k.append("n")
        keys.append(tuple(k))
    return keys


def reason_text(reason: str, lang: str) -> str:
    if not reason:
        return ""
    return i18n.t(reason, lang) if i18n.has(reason) else reason


def describe(value: Value, field: Field | None, lang: str) -> str:
    """A value as the clerk sees it: option labels, a number, or "empty"."""
    if value is None or value == []:
        return i18n.t("review.value_empty", lang)
    labels = {o.value: o.label for o in field.options} if field is not None else {}
    if isinstance(value, list):
        return ", ".join(labels.get(v, v) for v in value)
    if isinstance(value, float | int):
        return f"{value:g}"
    label = labels.get(value)
    return f"{value} – {label}" if label and label != value else value


def build_item(field: FieldRow, page: PageRow, template_field: Field | None, lang: str) -> FlagItem:
    guessed = set(field.value if isinstance(field.value, list) else [field.value])
    choices: tuple[Choice, ...] = ()
    if template_field is not None:
        choices = tuple(
            Choice(o.value, o.label, keys, o.value in guessed)
            for o, keys in zip(template_field.options, option_keys(template_field), strict=True)
        )
    kind = template_field.kind if template_field is not None else ""
    return FlagItem(
        field=field,
        page=page,
        template_field=template_field,
        kind=kind,
        choices=choices,
        guess=zone_guess(field, lang)
        if kind == "zone"
        else describe(field.value, template_field, lang),
        reason=reason_text(field.reason, lang),
    )


def accepted(field: FieldRow, template_field: Field | None) -> tuple[Value, FieldStatus]:
    """The reader's guess taken as it is, with the status that value deserves."""
    value = field.value
    kind = template_field.kind if template_field is not None else ""
    if value is None or value == []:
        return None, FieldStatus.BLANK if kind == "text" else FieldStatus.EMPTY
    if isinstance(value, list) and kind != "multiple":
        return value, FieldStatus.MULTIPLE
    if kind == "text":
        return value, FieldStatus.WRITTEN
    return value, FieldStatus.OK


def decide(
    action: str,
    values: Sequence[str],
    field: FieldRow,
    template_field: Field | None,
) -> tuple[Value, FieldStatus]:
    """The value and status a clerk's action gives the field; BadDecision when it does not fit."""
    if action not in ACTIONS:
        raise BadDecision(action)
    kind = template_field.kind if template_field is not None else ""
    if action == "accept":
        return accepted(field, template_field)
    if action == "empty":
        if kind == "zone":
            return 0, FieldStatus.EMPTY  # no stickers and no tally marks: a count of nought
        return None, FieldStatus.BLANK if kind == "text" else FieldStatus.EMPTY
    if template_field is None:
        raise BadDecision("unknown form version")
    if kind == "text":
        if list(values) != ["written"]:
            raise BadDecision("text fields are written or blank")
        return None, FieldStatus.WRITTEN
    if kind == "zone":
        return zone_count(values)
    if kind == "line":
        if len(values) != 1:
            raise BadDecision("one number expected")
        try:
            number = float(values[0].replace(",", "."))
        except ValueError as exc:
            raise BadDecision(values[0]) from exc
        if not math.isfinite(number) or not 0 <= number <= 100:
            raise BadDecision(values[0])
        return number, FieldStatus.OK
    allowed = [o.value for o in template_field.options]
    if any(v not in allowed for v in values):
        raise BadDecision("unknown option")
    if kind == "multiple":
        chosen = [v for v in allowed if v in set(values)]
        return (chosen, FieldStatus.OK) if chosen else (None, FieldStatus.EMPTY)
    if len(values) != 1:
        raise BadDecision("one option expected")
    return values[0], FieldStatus.OK


def zone_count(values: Sequence[str]) -> tuple[Value, FieldStatus]:
    """A poster zone's votes as a clerk typed them: a whole number 0..MAX_ZONE_COUNT."""
    if len(values) != 1 or not values[0].strip().isdigit():
        raise BadDecision("one whole number expected")
    count = int(values[0].strip())
    if count > MAX_ZONE_COUNT:
        raise BadDecision(values[0])
    return count, FieldStatus.OK if count else FieldStatus.EMPTY


ZONE_PARTS = ("green", "yellow", "red", "blue", "tally")


def zone_guess(field: FieldRow, lang: str) -> str:
    """A poster zone's count with what the reader saw: "5 (green 3, tally marks 2)"."""
    if field.value is None:
        return i18n.t("review.value_empty", lang)
    parts = [
        f"{i18n.t(f'review.zone_part_{part}', lang)} {field.scores[part]:g}"
        for part in ZONE_PARTS
        if field.scores.get(part)
    ]
    value = f"{field.value:g}" if isinstance(field.value, int | float) else str(field.value)
    return f"{value} ({', '.join(parts)})" if parts else value
