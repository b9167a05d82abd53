"""The embedded typeface and its metrics.

Bitstream Vera ships inside reportlab, so every machine prints with the same glyphs and the same
widths (layout is deterministic) and no system font is needed.  It covers Finnish, Swedish and
English, including the dashes and quotation marks the seed texts use.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import reportlab
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

PT = 25.4 / 72.0  # millimetres per point

REGULAR = "PalauteSans"
BOLD = "PalauteSans-Bold"
ITALIC = "PalauteSans-Oblique"
_FILES = {REGULAR: "Vera.ttf", BOLD: "VeraBd.ttf", ITALIC: "VeraIt.ttf"}


@cache
def register() -> None:
    folder = Path(reportlab.__file__).parent / "fonts"
    for name, filename in _FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(folder / filename)))


def font_name(bold: bool = False, italic: bool = False) -> str:
    register()
    return BOLD if bold else ITALIC if italic else REGULAR


def width_mm(text: str, size_pt: float, bold: bool = False, italic: bool = False) -> float:
    return float(pdfmetrics.stringWidth(text, font_name(bold, italic), size_pt)) * PT


def ascent_descent_mm(size_pt: float) -> tuple[float, float]:
    """Ascent above and descent below the baseline, both positive, in millimetres."""
    register()
    ascent, descent = pdfmetrics.getAscentDescent(REGULAR, size_pt)
    return float(ascent) * PT, float(-descent) * PT


def missing_glyphs(text: str) -> set[str]:
    """Characters of ``text`` the embedded font cannot print."""
    register()
    face = pdfmetrics.getFont(REGULAR).face
    return {c for c in text if not c.isspace() and ord(c) not in face.charToGlyph}


def wrap(
    text: str, width: float, size_pt: float, bold: bool = False, italic: bool = False
) -> list[str]:
    """Greedy word wrap to ``width`` millimetres.  A single word wider than the line stays whole
    (the caller checks with fits())."""
    words = text.split()
    lines: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current} {word}" if current else word
        if current and width_mm(candidate, size_pt, bold, italic) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines or [""]
