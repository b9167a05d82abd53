"""The translation catalogue: every string shown to a person, in Finnish, Swedish and English.

A leaf module (imports nothing from the project), so that forms, scanner and samples can use it.
Catalogues are JSON files in ``palaute/locale/<lang>/<area>.json`` (one file per area of the
program, merged at load): ``{"key": "text with {named} fields"}``.
Finnish is the reference language: a key missing from Swedish or English falls back to Finnish.
"""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path
from typing import Any

LANGUAGES: tuple[str, ...] = ("fi", "sv", "en")
DEFAULT_LANGUAGE = "fi"
_LOCALE_DIR = Path(__file__).with_name("locale")
_current: str | None = None


@cache
def catalogue(lang: str) -> dict[str, str]:
    data: dict[str, str] = {}
    for path in sorted((_LOCALE_DIR / lang).glob("*.json")):
        part = json.loads(path.read_text(encoding="utf-8"))
        clash = data.keys() & part.keys()
        if clash:
            raise KeyError(f"translation keys defined twice ({path.name}): {sorted(clash)}")
        data.update(part)
    return data


def normalise(lang: str | None) -> str:
    """Map 'sv_FI.UTF-8', 'en-GB', 'fi' ... to one of LANGUAGES (Finnish when unknown)."""
    if not lang:
        return DEFAULT_LANGUAGE
    code = lang.replace("-", "_").split("_")[0].split(".")[0].lower()
    return code if code in LANGUAGES else DEFAULT_LANGUAGE


def set_language(lang: str | None) -> None:
    global _current
    _current = normalise(lang)


def current_language() -> str:
    if _current is not None:
        return _current
    return normalise(os.environ.get("PALAUTE_LANG") or os.environ.get("LANG"))


def t(key: str, lang: str | None = None, /, **params: Any) -> str:
    """Translate ``key`` into ``lang`` (or the current language) and fill in ``params``."""
    code = normalise(lang) if lang else current_language()
    text = catalogue(code).get(key) or catalogue(DEFAULT_LANGUAGE).get(key)
    if text is None:
        raise KeyError(f"translation key {key!r} is missing from the catalogue")
    return text.format(**params) if params else text


def has(key: str) -> bool:
    return key in catalogue(DEFAULT_LANGUAGE)
