"""Did the marks survive the scan?  Settle the truth when they did not.

A light pencil tick or a pale blue one can vanish under a bilevel scanner's threshold (grey and
colour scans keep light ink, so only bilevel pages are checked).  What a perfect reader should
report is what is on the image, so each form page is also scanned blank (the same printing and the
same scanner effects, no ink), and the ink that shows in the real scan but not in the blank one is
counted over every answer area.  A mark shows when at least ``MIN_VISIBLE_MM2`` of it is left (a
few specks are no mark a person could read either) and at least ``SURVIVING`` of its drawn ink.
A field whose marks all vanished is expected `empty` (text: `blank`), with the original status
still accepted, and is marked ``lost``; a correction of which only the cancelled mark is left
shows one plain mark there, and is expected as that.
"""

from __future__ import annotations

import numpy as np

from forms.template import Box, Field, Page
from samples.filler import ink_area
from samples.truth import FieldTruth

DARKER = 40  # grey levels darker than the blank scan that count as visible ink
MIN_VISIBLE_MM2 = 0.5  # less visible ink than this (a millimetre of a fine stroke) is no mark
SURVIVING = 0.2  # share of a mark's drawn ink that must show in the scan for it to count


def _gray(img: np.ndarray) -> np.ndarray:
    if img.dtype == bool:
        return img.astype(np.uint8) * 255
    if img.ndim == 3:
        return (img[..., 0] * 0.299 + img[..., 1] * 0.587 + img[..., 2] * 0.114).astype(np.uint8)
    return img


def visible_pixels(scan: np.ndarray, blank: np.ndarray, matrix: np.ndarray, box: Box) -> int:
    """Pixels in ``box`` (template mm) that are ink in ``scan`` and paper in ``blank``."""
    x, y, w, h = box
    corners = np.array([[x, y, 1], [x + w, y, 1], [x, y + h, 1], [x + w, y + h, 1]], float)
    pts = corners @ np.asarray(matrix)[:2].T
    rows, cols = scan.shape[:2]
    x0, y0 = max(0, int(np.floor(pts[:, 0].min()))), max(0, int(np.floor(pts[:, 1].min())))
    x1, y1 = min(cols, int(np.ceil(pts[:, 0].max()))), min(rows, int(np.ceil(pts[:, 1].max())))
    if x1 <= x0 or y1 <= y0:
        return 0
    s = _gray(scan[y0:y1, x0:x1]).astype(np.int16)
    b = _gray(blank[y0:y1, x0:x1]).astype(np.int16)
    return int(np.count_nonzero(b - s > DARKER))


def settle(
    page: Page,
    fields: list[FieldTruth],
    scan: np.ndarray,
    blank: np.ndarray,
    matrix: np.ndarray,
    drawn: np.ndarray,
    paper: np.ndarray,
    dpi: int,
) -> None:
    """Mark fields whose ink did not reach the image, and expect what the image shows.

    ``scan``/``blank`` are the page scanned with and without ink (``matrix`` maps template mm to
    their pixels); ``drawn``/``paper`` the same before scanning, at ``dpi`` in template position.
    A mark counts as shown when at least ``SURVIVING`` of its drawn ink pixels show in the scan.
    """
    s = dpi / 25.4
    unscanned = np.diag([s, s, 1.0])
    least = max(2, round(MIN_VISIBLE_MM2 * s * s))

    def shown(areas: list[Box], factor: int = 1) -> bool:
        ink = sum(visible_pixels(drawn, paper, unscanned, a) for a in areas)
        seen = sum(visible_pixels(scan, blank, matrix, a) for a in areas)
        return seen >= least * factor and seen >= SURVIVING * ink

    by_id = {f.id: f for f in page.fields}
    for truth in fields:
        f: Field | None = by_id.get(truth.field_id)
        if f is None or truth.style == "none" or f.kind == "line":
            continue
        if f.kind == "text":
            if truth.expect == "written" and not shown([f.box], 3):
                _lost(truth, "blank")
            continue
        visible = [v for v in truth.marked if shown(ink_area(f, v, truth.style))]
        if not truth.marked or len(visible) == len(truth.marked):
            continue
        if not visible:
            _lost(truth, "empty")
        elif f.kind == "multiple" and truth.expect == "ok":  # some ticks vanished
            truth.accept = sorted({*truth.accept, "ok"})
            truth.value, truth.lost = sorted(visible), True
        elif truth.cancelled and set(visible) <= set(truth.cancelled) and len(visible) == 1:
            # the new mark vanished: what is left is one plain mark on the cancelled option
            truth.accept = sorted({*truth.accept, truth.expect, "ambiguous"} - {"ok"})
            truth.expect, truth.value, truth.intended = "ok", visible[0], visible[0]
            truth.lost = True
        elif truth.expect == "multiple" and len(visible) == 1:  # one of two marks vanished
            truth.accept = sorted({*truth.accept, "multiple"})
            truth.expect, truth.value, truth.lost = "ok", visible[0], True
        else:  # a correction or a hard mark partly gone: a person should look
            truth.accept = sorted({*truth.accept, "ambiguous"})


def _lost(truth: FieldTruth, status: str) -> None:
    truth.accept = sorted({*truth.accept, truth.expect} - {status})
    truth.expect, truth.value, truth.lost = status, None, True
