"""Write-on lines above the questions ("Kuukausi: ____  Vuosi: ____"), which people fill in.

They are not answer fields, so the template does not list them; they are found on the blank page
as long thin horizontal lines between the QR code and the first field.  What people write there is
ink a reader must ignore.
"""

from __future__ import annotations

import cv2
import numpy as np

from forms.template import Box, Page
from samples.strokes import MM_PER_INCH

MONTHS = ("3", "03", "maaliskuu", "huhtikuu", "4", "syysk.", "10", "III")
YEARS = ("2026", "26", "2025", "-26")


def blank_lines(base: np.ndarray, page: Page, dpi: int) -> list[Box]:
    """Boxes (mm) of printed write-on lines above the page's first field."""
    if not page.fields:
        return []
    s = dpi / MM_PER_INCH
    top = page.qr[1] + page.qr[3]
    bottom = min(f.box[1] for f in page.fields) - 2.0
    if bottom - top < 5.0:
        return []
    gray = base if base.ndim == 2 else cv2.cvtColor(base, cv2.COLOR_RGB2GRAY)
    band = (gray[round(top * s) : round(bottom * s)] < 128).astype(np.uint8)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (max(3, round(20 * s)), 1))
    lines = cv2.morphologyEx(band, cv2.MORPH_OPEN, kernel)
    count, _, stats, _ = cv2.connectedComponentsWithStats(lines)
    boxes: list[Box] = []
    for x, y, w, h, _ in stats[1:count]:
        if h <= 1.0 * s and w <= 80 * s:
            boxes.append((float(x / s), float(top + y / s), float(w / s), float(h / s)))
    return sorted(boxes)


def header_text(index: int, rng: np.random.Generator) -> str:
    """What goes on the index-th line: a month first, then a year."""
    return str(rng.choice(MONTHS if index == 0 else YEARS))
