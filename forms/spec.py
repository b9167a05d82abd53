"""The form spec: what a questionnaire asks, read from YAML and validated with clear errors.

The format is documented in docs/spec.md.  Validation collects every problem it finds, each as one
line naming the file, the line and what to fix, and raises them together as a SpecError.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from forms import fonts
from forms.yamlsource import LineDict, load_yaml
from palaute import i18n
from palaute.errors import InputError

ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,30}$")
VALUE_PATTERN = re.compile(r"^[A-Za-z0-9_]{1,30}$")
LANGUAGES = ("fi", "sv", "en")


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class FollowUp:
    """A free-text box after a question, optionally only for one of its answers."""

    id: str
    label: str
    lines: int
    when: str | None = None  # the parent's answer that makes it relevant


@dataclass(frozen=True)
class Heading:
    text: str


@dataclass(frozen=True)
class Instruction:
    text: str


@dataclass(frozen=True)
class PageBreak:
    pass


@dataclass(frozen=True)
class ChoiceQuestion:
    id: str
    text: str
    options: tuple[Choice, ...]
    multiple: bool = False
    other: Choice | None = None  # an "other, what?" option with a write-in line
    hint: str | None = None
    followup: FollowUp | None = None
    layout: str = "vertical"  # or "horizontal" (yes/no)


@dataclass(frozen=True)
class Statement:
    id: str
    text: str


@dataclass(frozen=True)
class LikertQuestion:
    id: str
    text: str
    scale: tuple[Choice, ...]
    statements: tuple[Statement, ...]
    hint: str | None = None


@dataclass(frozen=True)
class TextQuestion:
    id: str
    text: str
    lines: int
    hint: str | None = None


Item = Heading | Instruction | PageBreak | ChoiceQuestion | LikertQuestion | TextQuestion
Question = ChoiceQuestion | LikertQuestion | TextQuestion


@dataclass(frozen=True)
class FormSpec:
    id: str
    title: str
    language: str
    organisation: str
    items: tuple[Item, ...]
    header: tuple[tuple[str, str], ...] = ()  # (label, value); empty value = a line to write on
    intro: str = ""
    thanks: str = ""
    numbering: bool = True
    source: str = ""  # file it came from, for messages

    def questions(self) -> list[Question]:
        return [
            i for i in self.items if isinstance(i, ChoiceQuestion | LikertQuestion | TextQuestion)
        ]


@dataclass(frozen=True)
class MethodSpec:
    """The common part of a spec for one of the seed's other paper methods (``form.kind`` other
    than questionnaire).  Each kind in forms/kinds/ extends it with what it prints."""

    kind: str
    id: str
    title: str
    language: str
    organisation: str
    paper: str  # A4, A3 or A2
    source: str  # file it came from, for messages


QUESTIONNAIRE = "questionnaire"


class SpecError(InputError):
    """One or more problems in a spec file, each a line of its own."""

    def __init__(self, problems: list[InputError]) -> None:
        super().__init__("spec.invalid", count=len(problems))
        self.problems = problems

    def message(self, lang: str | None = None) -> str:
        return "\n".join(p.message(lang) for p in self.problems)


# ---------------------------------------------------------------------------------------------


_FORM_KEYS = {
    "kind",
    "id",
    "title",
    "language",
    "organisation",
    "header",
    "intro",
    "thanks",
    "numbering",
}
_ITEM_KEYS: dict[str, set[str]] = {
    "heading": {"heading"},
    "instruction": {"instruction"},
    "page_break": {"page_break"},
    "choice": {"id", "type", "question", "options", "multiple", "other", "hint", "followup"},
    "yesno": {"id", "type", "question", "hint", "followup"},
    "likert": {"id", "type", "question", "scale", "statements", "hint"},
    "text": {"id", "type", "question", "lines", "hint"},
}
_QUESTION_TYPES = ("choice", "yesno", "likert", "text")
MAX_TEXT_LINES = 25


class _Checker:
    def __init__(self, path: Path) -> None:
        self.file = str(path)
        self.problems: list[InputError] = []
        self.ids: dict[str, int] = {}
        self.language = "fi"  # the form's language, for built-in labels such as yes/no

    def fail(self, message_key: str, line: int, /, **params: Any) -> None:
        self.problems.append(InputError(message_key, file=self.file, line=line, **params))

    def keys(self, data: LineDict, allowed: set[str], where: str) -> None:
        for key in data:
            if key not in allowed:
                self.fail(
                    "spec.unknown_key",
                    data.line_of(key),
                    key=key,
                    where=where,
                    allowed=", ".join(sorted(allowed)),
                )

    def text(self, data: LineDict, key: str, where: str, required: bool = True) -> str:
        value = data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.fail("spec.missing", data.line_of(key), key=key, where=where)
            return ""
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            self.fail("spec.not_text", data.line_of(key), key=key, where=where)
            return ""
        text = " ".join(str(value).split())
        missing = fonts.missing_glyphs(text)
        if missing:
            self.fail("spec.missing_glyph", data.line_of(key), chars=" ".join(sorted(missing)))
        return text

    def mapping(self, value: Any, line: int, where: str) -> LineDict | None:
        if not isinstance(value, LineDict):
            self.fail("spec.not_mapping", line, where=where)
            return None
        return value

    def new_id(self, value: Any, line: int, where: str) -> str:
        if not isinstance(value, str) or not ID_PATTERN.match(value):
            self.fail("spec.bad_id", line, id=str(value), where=where)
            return str(value)
        if value in self.ids:
            self.fail("spec.duplicate_id", line, id=value, first=self.ids[value])
        else:
            self.ids[value] = line
        return value


# The checker is shared with the other document kinds (forms/kinds/).
Checker = _Checker


def load_spec(path: Path) -> FormSpec:
    """Read and validate a questionnaire spec; raise SpecError listing every problem found."""
    return questionnaire_from(load_yaml(path), path)


def questionnaire_from(data: Any, path: Path) -> FormSpec:
    """Validate parsed YAML as a questionnaire spec."""
    check = _Checker(path)
    if not isinstance(data, LineDict):
        raise SpecError([InputError("spec.not_mapping", file=str(path), line=1, where="spec")])
    check.keys(data, {"form", "items"}, "spec")
    form = check.mapping(data.get("form"), data.line_of("form"), "form")
    raw_items = data.get("items")
    if form is None:
        raise SpecError(check.problems)
    check.keys(form, _FORM_KEYS, "form")
    kind = form.get("kind", QUESTIONNAIRE)
    if kind != QUESTIONNAIRE:
        from forms.kinds import KINDS

        if kind in KINDS:  # a valid spec of another kind, read where a questionnaire is needed
            check.fail("spec.not_questionnaire", form.line_of("kind"), kind=str(kind))
        else:
            check.fail(
                "spec.bad_kind", form.line_of("kind"), value=str(kind), allowed=", ".join(KINDS)
            )
    form_id = check.new_id(form.get("id"), form.line_of("id"), "form")
    title = check.text(form, "title", "form")
    language = check.text(form, "language", "form")
    if language and language not in LANGUAGES:
        check.fail(
            "spec.bad_language",
            form.line_of("language"),
            value=language,
            allowed=", ".join(LANGUAGES),
        )
    if language in LANGUAGES:
        check.language = language
    header: list[tuple[str, str]] = []
    raw_header = form.get("header")
    if raw_header is not None:
        head = check.mapping(raw_header, form.line_of("header"), "form.header")
        if head is not None:
            for label, value in head.items():
                header.append((label, "" if value is None else str(value)))
    numbering = form.get("numbering", True)
    if not isinstance(numbering, bool):
        check.fail("spec.not_bool", form.line_of("numbering"), key="numbering", where="form")
        numbering = True

    items: list[Item] = []
    if not isinstance(raw_items, list) or not raw_items:
        check.fail("spec.no_items", data.line_of("items"))
    else:
        for index, raw in enumerate(raw_items, start=1):
            line = getattr(raw, "line", data.line_of("items"))
            item = _item(check, raw, line, index)
            if item is not None:
                items.append(item)
        has_question = any(
            isinstance(i, ChoiceQuestion | LikertQuestion | TextQuestion) for i in items
        )
        if not has_question and not check.problems:
            check.fail("spec.no_questions", data.line_of("items"))
    spec = FormSpec(
        id=form_id,
        title=title,
        language=language if language in LANGUAGES else "fi",
        organisation=check.text(form, "organisation", "form", required=False),
        items=tuple(items),
        header=tuple(header),
        intro=check.text(form, "intro", "form", required=False),
        thanks=check.text(form, "thanks", "form", required=False),
        numbering=numbering,
        source=str(path),
    )
    if check.problems:
        raise SpecError(check.problems)
    return spec


def _item(check: _Checker, raw: Any, line: int, index: int) -> Item | None:
    if raw == "page_break":
        return PageBreak()
    item = check.mapping(raw, line, f"items[{index}]")
    if item is None:
        return None
    if "heading" in item:
        check.keys(item, _ITEM_KEYS["heading"], "heading")
        return Heading(check.text(item, "heading", "heading"))
    if "instruction" in item:
        check.keys(item, _ITEM_KEYS["instruction"], "instruction")
        return Instruction(check.text(item, "instruction", "instruction"))
    if "page_break" in item:
        check.keys(item, _ITEM_KEYS["page_break"], "page_break")
        return PageBreak()
    kind = item.get("type")
    if kind not in _QUESTION_TYPES:
        check.fail(
            "spec.bad_type",
            item.line_of("type"),
            value=str(kind),
            allowed=", ".join(_QUESTION_TYPES),
        )
        return None
    where = f"{kind} {item.get('id', '')}".strip()
    check.keys(item, _ITEM_KEYS[kind], where)
    qid = check.new_id(item.get("id"), item.line_of("id"), where)
    text = check.text(item, "question", where)
    hint = check.text(item, "hint", where, required=False) or None
    if kind == "text":
        return TextQuestion(qid, text, _lines(check, item, where, default=4), hint)
    if kind == "likert":
        return _likert(check, item, qid, text, hint, where)
    if kind == "yesno":
        lang = check.language
        options = (
            Choice("yes", i18n.t("form.yes", lang)),
            Choice("no", i18n.t("form.no", lang)),
        )
        followup = _followup(check, item, qid, options, where)
        return ChoiceQuestion(qid, text, options, False, None, hint, followup, layout="horizontal")
    return _choice(check, item, qid, text, hint, where)


def _lines(check: _Checker, item: LineDict, where: str, default: int) -> int:
    lines = item.get("lines", default)
    if not isinstance(lines, int) or isinstance(lines, bool) or not 1 <= lines <= MAX_TEXT_LINES:
        check.fail("spec.bad_lines", item.line_of("lines"), where=where, max=MAX_TEXT_LINES)
        return default
    return lines


def _choices(check: _Checker, raw: Any, line: int, where: str, what: str) -> tuple[Choice, ...]:
    if not isinstance(raw, list) or not raw:
        check.fail("spec.empty_list", line, key=what, where=where)
        return ()
    out: list[Choice] = []
    seen: set[str] = set()
    for entry in raw:
        entry_line = getattr(entry, "line", line)
        opt = check.mapping(entry, entry_line, f"{where} {what}")
        if opt is None:
            continue
        check.keys(opt, {"value", "label"}, f"{where} {what}")
        value = opt.get("value")
        value_text = str(value) if value is not None else ""
        if not VALUE_PATTERN.match(value_text):
            check.fail("spec.bad_value", opt.line_of("value"), value=value_text, where=where)
        elif value_text in seen:
            check.fail("spec.duplicate_value", opt.line_of("value"), value=value_text, where=where)
        seen.add(value_text)
        label = check.text(opt, "label", f"{where} {what}")
        out.append(Choice(value_text, label))
    return tuple(out)


def _choice(
    check: _Checker, item: LineDict, qid: str, text: str, hint: str | None, where: str
) -> ChoiceQuestion:
    options = _choices(check, item.get("options"), item.line_of("options"), where, "options")
    multiple = item.get("multiple", False)
    if not isinstance(multiple, bool):
        check.fail("spec.not_bool", item.line_of("multiple"), key="multiple", where=where)
        multiple = False
    other = None
    if "other" in item:
        raw_other = check.mapping(item["other"], item.line_of("other"), f"{where} other")
        if raw_other is not None:
            check.keys(raw_other, {"value", "label"}, f"{where} other")
            value = str(raw_other.get("value", "other"))
            if not VALUE_PATTERN.match(value):
                check.fail("spec.bad_value", raw_other.line_of("value"), value=value, where=where)
            if any(o.value == value for o in options):
                check.fail(
                    "spec.duplicate_value", raw_other.line_of("value"), value=value, where=where
                )
            other = Choice(value, check.text(raw_other, "label", f"{where} other"))
    all_options = options + ((other,) if other else ())
    followup = _followup(check, item, qid, all_options, where)
    return ChoiceQuestion(qid, text, options, multiple, other, hint, followup)


def _followup(
    check: _Checker, item: LineDict, qid: str, options: tuple[Choice, ...], where: str
) -> FollowUp | None:
    if "followup" not in item:
        return None
    raw = check.mapping(item["followup"], item.line_of("followup"), f"{where} followup")
    if raw is None:
        return None
    check.keys(raw, {"id", "label", "lines", "when"}, f"{where} followup")
    fid = raw.get("id", f"{qid}_more")
    fid = check.new_id(fid, raw.line_of("id"), f"{where} followup")
    label = check.text(raw, "label", f"{where} followup")
    lines = _lines(check, raw, f"{where} followup", default=3)
    when = raw.get("when")
    if when is not None:
        when = str(when)
        if when not in {o.value for o in options}:
            check.fail(
                "spec.bad_when",
                raw.line_of("when"),
                value=when,
                where=where,
                allowed=", ".join(o.value for o in options),
            )
    return FollowUp(fid, label, lines, when)


def _likert(
    check: _Checker, item: LineDict, qid: str, text: str, hint: str | None, where: str
) -> LikertQuestion:
    scale = _choices(check, item.get("scale"), item.line_of("scale"), where, "scale")
    if scale and not 2 <= len(scale) <= 7:
        check.fail("spec.bad_scale_size", item.line_of("scale"), where=where, count=len(scale))
    raw = item.get("statements")
    statements: list[Statement] = []
    if not isinstance(raw, list) or not raw:
        check.fail("spec.empty_list", item.line_of("statements"), key="statements", where=where)
    else:
        seen: set[str] = set()
        for n, entry in enumerate(raw, start=1):
            line = getattr(entry, "line", item.line_of("statements"))
            if isinstance(entry, str):
                sid, stext = f"{n:02d}", " ".join(entry.split())
            else:
                st = check.mapping(entry, line, f"{where} statements")
                if st is None:
                    continue
                check.keys(st, {"id", "text"}, f"{where} statement")
                sid = str(st.get("id", f"{n:02d}"))
                stext = check.text(st, "text", f"{where} statement")
                line = st.line_of("id")
            if not VALUE_PATTERN.match(sid):
                check.fail("spec.bad_value", line, value=sid, where=where)
            elif sid in seen:
                check.fail("spec.duplicate_id", line, id=f"{qid}.{sid}", first="?")
            seen.add(sid)
            if not stext:
                check.fail("spec.missing", line, key="text", where=f"{where} statement {n}")
            statements.append(Statement(sid, stext))
    return LikertQuestion(qid, text, scale, tuple(statements), hint)
