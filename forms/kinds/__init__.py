"""Document kinds beyond the questionnaire: the seed guide's other paper methods.

A spec chooses its kind with ``form: kind:`` (default ``questionnaire``).  Each kind module
provides ``KIND_NAMES``, ``load(data, path, kind)`` (validate, with file:line errors) and
``layout(spec)`` (a FormLayout with its template, the same contract as a questionnaire's).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from forms.kinds import cards, flyer, poster, rating_line, sentence_completion, word_task
from forms.layout import FormLayout, layout_form
from forms.spec import QUESTIONNAIRE, FormSpec, MethodSpec, questionnaire_from
from forms.yamlsource import LineDict, load_yaml

_MODULES: tuple[ModuleType, ...] = (
    poster,
    word_task,
    rating_line,
    sentence_completion,
    cards,
    flyer,
)

KINDS: tuple[str, ...] = (
    QUESTIONNAIRE,
    *(name for module in _MODULES for name in module.KIND_NAMES),
)
_LOADERS: dict[str, Callable[[Any, Path, str], MethodSpec]] = {
    name: module.load for module in _MODULES for name in module.KIND_NAMES
}
_LAYOUTS: dict[str, Callable[[MethodSpec], FormLayout]] = {
    name: module.layout for module in _MODULES for name in module.KIND_NAMES
}


def kind_of(data: Any) -> str:
    """The kind a parsed spec asks for (questionnaire when it does not say, or says nonsense:
    the questionnaire checker then reports the bad kind with its line)."""
    if isinstance(data, LineDict):
        form = data.get("form")
        if isinstance(form, LineDict):
            kind = form.get("kind", QUESTIONNAIRE)
            if isinstance(kind, str) and kind in _LOADERS:
                return kind
    return QUESTIONNAIRE


def load_document(path: Path) -> FormSpec | MethodSpec:
    """Read and validate a spec of any kind."""
    data = load_yaml(path)
    kind = kind_of(data)
    if kind == QUESTIONNAIRE:
        return questionnaire_from(data, path)
    return _LOADERS[kind](data, path, kind)


def layout_document(spec: FormSpec | MethodSpec) -> FormLayout:
    if isinstance(spec, FormSpec):
        return layout_form(spec)
    return _LAYOUTS[spec.kind](spec)
