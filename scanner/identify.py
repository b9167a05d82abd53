"""Identification: which form version and page a scan is, from its QR code or its layout.

The QR is decoded where the template says it is (a small upright crop through the registration,
cheap and reliable); only when that fails is the whole scan searched, downscaled first, then at
full resolution, then corner by corner, plain and lightly cleaned up.  Each place is tried with
zbar first and, only where zbar finds nothing, with zxing-cpp, which reads more damaged codes
(soft scans, thin streaks and staples across the code) but fewer crossed out by pen strokes:
``benchmarks/bench_qr.py`` and docs/scanner.md have the figures.  A page whose QR cannot be read
but whose marks were found is compared with every known page's blank reference.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

import cv2
import numpy as np
import zxingcpp
from pyzbar import pyzbar
from pyzbar.pyzbar import ZBarSymbol

from forms.pageid import PageId, PageIdError
from forms.template import Box
from scanner.config import ReaderConfig
from scanner.register import MM_PER_INCH, Registration, warp
from scanner.templates import TemplateSet, thumbnail

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LayoutMatch:
    version: str
    page: int
    score: float  # correlation with the blank reference
    margin: float  # lead over the next best page


@dataclass(frozen=True)
class QrDecoder:
    """One QR decoding library, as the page search uses it."""

    name: str
    payloads: Callable[[np.ndarray], Iterator[str]]  # every QR payload it finds in an image
    binarises: bool  # it thresholds locally itself: the cleaned-up variants add nothing


def _zbar_payloads(image: np.ndarray) -> Iterator[str]:
    for symbol in pyzbar.decode(image, symbols=[ZBarSymbol.QRCODE]):
        yield symbol.data.decode("ascii", errors="replace")


_ZXING_QR = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)


def _zxing_payloads(image: np.ndarray) -> Iterator[str]:
    for barcode in zxingcpp.read_barcodes(
        np.ascontiguousarray(image), formats=_ZXING_QR, try_invert=False
    ):
        yield barcode.text


ZBAR = QrDecoder("zbar", _zbar_payloads, binarises=False)
ZXING = QrDecoder("zxing", _zxing_payloads, binarises=True)
DECODERS: tuple[QrDecoder, ...] = (ZBAR, ZXING)  # in order: the second only where zbar fails


def _page_id(image: np.ndarray, decoder: QrDecoder) -> PageId | None:
    for payload in decoder.payloads(image):
        try:
            return PageId.decode(payload)
        except PageIdError:
            log.debug("ignoring a QR code that is not a page ID: %.40r", payload)
    return None


def _variants(image: np.ndarray, decoder: QrDecoder) -> Iterator[np.ndarray]:
    """The image as is, then lightly blurred, then Otsu-thresholded (helps worn or noisy codes);
    only as is for a decoder that thresholds locally itself."""
    yield image
    if decoder.binarises:
        return
    blurred = cv2.GaussianBlur(image, (3, 3), 0)
    yield blurred
    _, binary = cv2.threshold(blurred, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    yield binary


def _first_id(images: Iterable[np.ndarray], decoder: QrDecoder) -> PageId | None:
    for image in images:
        found = _page_id(image, decoder)
        if found is not None:
            return found
    return None


def first_page_id(
    images: Iterable[np.ndarray], decoders: Sequence[QrDecoder] = DECODERS
) -> PageId | None:
    """The first page ID found in ``images`` by the first decoder that finds one."""
    candidates = list(images)
    for decoder in decoders:
        found = _first_id(candidates, decoder)
        if found is not None:
            return found
    return None


def page_ids(image: np.ndarray, decoders: Sequence[QrDecoder] = DECODERS) -> set[PageId]:
    """Every page ID any of ``decoders`` finds on ``image`` (a sheet of cards shows several)."""
    found: set[PageId] = set()
    for decoder in decoders:
        for payload in decoder.payloads(image):
            try:
                found.add(PageId.decode(payload))
            except PageIdError:
                log.debug("ignoring a QR code that is not a page ID: %.40r", payload)
    return found


def qr_at(
    image: np.ndarray,
    registration: Registration,
    qr_box: Box,
    config: ReaderConfig,
    decoders: Sequence[QrDecoder] = DECODERS,
) -> PageId | None:
    """The page ID in the QR where the template puts it."""
    x, y, w, h = qr_box
    m = config.qr_margin_mm
    crop = warp(image, registration, config.qr_dpi, (x - m, y - m, w + 2 * m, h + 2 * m))
    for decoder in decoders:
        found = _first_id(_variants(crop, decoder), decoder)
        if found is not None:
            return found
    return None


def qr_anywhere(
    image: np.ndarray, dpi: float, config: ReaderConfig, decoders: Sequence[QrDecoder] = DECODERS
) -> PageId | None:
    """Search the whole scan: downscaled, full size, then each corner; decoder by decoder."""
    for decoder in decoders:
        found = _first_id(_whole_scan(image, dpi, config, decoder), decoder)
        if found is not None:
            return found
    return None


def _whole_scan(
    image: np.ndarray, dpi: float, config: ReaderConfig, decoder: QrDecoder
) -> Iterator[np.ndarray]:
    """The places to look for the QR on a whole scan, cheapest first."""
    scale = config.qr_dpi / dpi
    if scale < 0.9:
        yield cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    yield image
    h, w = image.shape[:2]
    side = min(h, w, round(config.corner_search_mm * 1.5 * dpi / MM_PER_INCH))
    for y0 in (0, h - side):
        for x0 in (0, w - side):
            yield from _variants(image[y0 : y0 + side, x0 : x0 + side], decoder)


def is_blank(image: np.ndarray, dpi: float, config: ReaderConfig) -> bool:
    """Nearly no ink at all (a blank back).  Judged on a coarse copy, where scanner noise and a
    bilevel scan's speckle average out and show-through from the front stays light, inside the
    paper: the scanner's dark background beyond the sheet's edges is trimmed off first."""
    scale = min(1.0, config.blank_dpi / dpi)
    small = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    paper = float(np.percentile(small[::2, ::2], 90))
    dark = small < paper * (1.0 - config.blank_ink_drop)
    dark = _trim_dark_edges(dark)
    border = round(config.blank_border_mm * config.blank_dpi / MM_PER_INCH)
    h, w = dark.shape
    if h <= 2 * border or w <= 2 * border:
        return False
    inner = dark[border : h - border, border : w - border]
    if not _paper_like(image, dpi, config):
        return False
    if float(inner.mean()) < config.blank_dark_fraction:
        return True
    return _featureless(small, config)


def _paper_like(image: np.ndarray, dpi: float, config: ReaderConfig) -> bool:
    """Bare paper, seen pixel by pixel: light, and dark only in sparse specks.  Pure noise or a
    photo of something else averages to an even grey on a coarse copy, which alone would pass
    for a blank page."""
    border = round(config.blank_border_mm * dpi / MM_PER_INCH)
    step = max(1, round(dpi / 100))
    h, w = image.shape[:2]
    inner = image[border : h - border : step, border : w - border : step]
    if inner.size == 0:
        return False
    paper = float(np.percentile(inner, 90))
    if paper < config.blank_paper_level:
        return False
    dark = float(np.count_nonzero(inner < paper * (1.0 - config.blank_ink_drop))) / inner.size
    return dark <= config.blank_speckle_fraction


def _featureless(small: np.ndarray, config: ReaderConfig) -> bool:
    """Even texture and nothing else (a bilevel scan of bare paper can be all speckle): on a
    very coarse copy no spot is much darker than the rest."""
    scale = config.blank_texture_dpi / config.blank_dpi
    coarse = cv2.resize(small, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    border = max(1, round(config.blank_border_mm * config.blank_texture_dpi / MM_PER_INCH))
    h, w = coarse.shape
    if h <= 4 * border or w <= 4 * border:
        return False
    inner = coarse[2 * border : h - 2 * border, 2 * border : w - 2 * border]
    low, high = np.percentile(inner, (0.5, 99.5))
    return float(high - low) < config.blank_texture_range


def _trim_dark_edges(dark: np.ndarray) -> np.ndarray:
    """``dark`` without the rows and columns at its edges that are mostly dark (the scanner's
    background beside a skewed or shifted sheet)."""
    rows = dark.mean(axis=1) > 0.5
    cols = dark.mean(axis=0) > 0.5
    top = int(np.argmin(rows)) if rows.any() else 0
    bottom = len(rows) - int(np.argmin(rows[::-1])) if rows.any() else len(rows)
    left = int(np.argmin(cols)) if cols.any() else 0
    right = len(cols) - int(np.argmin(cols[::-1])) if cols.any() else len(cols)
    return dark[top:bottom, left:right]


def match_layout(
    page: np.ndarray, templates: TemplateSet, config: ReaderConfig
) -> LayoutMatch | None:
    """The known page whose blank reference best correlates with the registered ``page``.

    The QR and page-ID text areas are left out, since they differ between copies."""
    thumb = thumbnail(page, templates.dpi, config.layout_dpi)
    scores: list[tuple[float, str, int]] = []
    for template, number in templates.pages():
        reference = templates.reference(template.version, number).thumbnail
        if reference.shape != thumb.shape:
            continue
        mask = np.ones_like(thumb)
        s = config.layout_dpi / MM_PER_INCH
        for bx, by, bw, bh in (template.page(number).qr, template.page(number).id_text):
            mask[
                int(by * s) : int((by + bh) * s) + 2,
                max(0, int(bx * s) - 1) : int((bx + bw) * s) + 2,
            ] = 0
        a = thumb * mask
        b = reference * mask
        a = a - a[mask > 0].mean() * mask
        b = b - b[mask > 0].mean() * mask
        denominator = float(np.linalg.norm(a) * np.linalg.norm(b))
        if denominator > 0:
            scores.append((float((a * b).sum()) / denominator, template.version, number))
    if not scores:
        return None
    scores.sort(reverse=True)
    best, version, number = scores[0]
    second = scores[1][0] if len(scores) > 1 else 0.0
    return LayoutMatch(version=version, page=number, score=best, margin=best - second)
