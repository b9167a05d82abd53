"""Every string shown to a person exists in Finnish, Swedish and English."""

from __future__ import annotations

import re
import string

import pytest

from palaute import i18n

from .conftest import ROOT

# A catalogue key passed as the first argument of t(), an error class or the spec checker.
KEY_USE = re.compile(r"""(?:\bt|Error|\.fail|_error|reason)\(\s*["']([a-z_]+\.[a-z0-9_.]+)["']""")
SOURCES = [
    p for pkg in ("forms", "scanner", "palaute", "samples") for p in (ROOT / pkg).rglob("*.py")
]


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_languages_have_the_same_keys_and_placeholders() -> None:
    fi = i18n.catalogue("fi")
    for lang in ("sv", "en"):
        other = i18n.catalogue(lang)
        assert set(other) == set(fi), (lang, set(fi) ^ set(other))
        for key, text in fi.items():
            assert fields(other[key]) == fields(text), (lang, key)
            assert other[key].strip(), (lang, key)


def test_every_key_used_in_code_exists() -> None:
    used = {
        m.group(1) for path in SOURCES for m in KEY_USE.finditer(path.read_text(encoding="utf-8"))
    }
    assert used, "the key pattern found nothing: it is out of date"
    missing = sorted(k for k in used if not i18n.has(k))
    assert not missing, missing


def test_language_selection() -> None:
    assert i18n.normalise("sv_FI.UTF-8") == "sv"
    assert i18n.normalise("en-GB") == "en"
    assert i18n.normalise("de_DE") == "fi"
    assert i18n.t("form.yes", "sv") == "Ja"


def test_help_is_in_the_language_asked_for(capsys: pytest.CaptureFixture[str]) -> None:
    """``--lang`` applies to the help texts too, not only to what a command prints."""
    from palaute.cli import main

    before = i18n.current_language()
    try:
        for lang in i18n.LANGUAGES:
            with pytest.raises(SystemExit) as done:
                main(["--lang", lang, "scan", "--help"])
            assert done.value.code == 0
            out = capsys.readouterr().out
            assert i18n.t("scanner.cli.paths_help", lang) in " ".join(out.split())
    finally:
        i18n.set_language(before)
