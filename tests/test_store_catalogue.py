"""Every message of the store and scanner catalogues exists in Finnish, Swedish and English."""

from __future__ import annotations

import json
import re
import string
from pathlib import Path

import pytest

LOCALE = Path(__file__).parents[1] / "palaute" / "locale"
SOURCES = [Path(__file__).parents[1] / d for d in ("scanner", "palaute")]


@pytest.mark.parametrize("area", ["scan", "store"])
def test_same_keys_and_fields_in_every_language(area: str) -> None:
    books = {
        lang: json.loads((LOCALE / lang / f"{area}.json").read_text("utf-8"))
        for lang in ("fi", "sv", "en")
    }
    assert books["fi"].keys() == books["sv"].keys() == books["en"].keys()
    for key, text in books["fi"].items():
        wanted = {f for _, f, _, _ in string.Formatter().parse(text) if f}
        for lang in ("sv", "en"):
            got = {f for _, f, _, _ in string.Formatter().parse(books[lang][key]) if f}
            assert got == wanted, (lang, key)


def test_every_key_used_in_the_code_is_in_the_catalogue() -> None:
    known = {}
    for path in (LOCALE / "fi").glob("*.json"):
        known.update(json.loads(path.read_text("utf-8")))
    used = set()
    for root in SOURCES:
        for path in root.rglob("*.py"):
            used |= set(
                re.findall(
                    r'"((?:store|scanner)\.(?:input|batch|cli|summary|export|forms|reader)[a-z_.]*)"',
                    path.read_text("utf-8"),
                )
            )
            used |= set(re.findall(r'"(store\.[a-z_]+)"', path.read_text("utf-8")))
    missing = sorted(k for k in used if k not in known and not k.endswith("."))
    assert missing == []
