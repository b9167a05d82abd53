"""Numbers and dates as people in each language expect to read them."""

from __future__ import annotations

import datetime as dt

from palaute.i18n import normalise, t


def date(d: dt.date | None, lang: str) -> str:
    """2.3.2026 in Finnish and Swedish (as written in Finland), 2 Mar 2026 in English."""
    if d is None:
        return "–"
    if normalise(lang) == "en":
        return f"{d.day} {d.strftime('%b')} {d.year}"
    return f"{d.day}.{d.month}.{d.year}"


def number(value: float | None, lang: str, decimals: int = 1) -> str:
    """A decimal comma in Finnish and Swedish, a point in English; no needless '.0'."""
    if value is None:
        return "–"
    text = f"{value:.{decimals}f}"
    if decimals and text.endswith("0" * decimals):
        text = text[: -(decimals + 1)]
    return text if normalise(lang) == "en" else text.replace(".", ",")


def percent(value: float | None, lang: str) -> str:
    """Whole percentages: reports for a notice board do not need decimals."""
    if value is None:
        return "–"
    return f"{round(value)} %"


def signed(value: float | None, lang: str) -> str:
    if value is None:
        return "–"
    rounded = round(value)
    return f"+{rounded}" if rounded > 0 else f"−{-rounded}" if rounded < 0 else "±0"


def language_name(code: str, lang: str) -> str:
    key = f"results.language_{code}"
    try:
        return t(key, lang)
    except KeyError:
        return code
