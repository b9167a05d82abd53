"""Where blank printed pages come from: a printed form PDF (rasterised), or the synthetic stand-in.

A form PDF holds one or more copies of the form (``palaute print --copies N``); PDF page i is form
page ``i % P + 1`` of copy ``i // P`` (P = pages in the template).  Copies printed with serials
carry them in the QR code, which is decoded once per copy.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from pathlib import Path
from typing import Protocol

import cv2
import numpy as np
from pyzbar import pyzbar

from forms.pageid import PageId, PageIdError
from forms.template import Template, TemplateError
from palaute.errors import InputError
from samples import synthetic
from samples.strokes import MM_PER_INCH

log = logging.getLogger(__name__)

# Document kinds whose printed pages are the template's pages, one to one (cards share a sheet,
# posters are tiled: not filled yet).
SUPPORTED_KINDS = (
    "questionnaire",
    "rating_line",
    "word_task",
    "sentence_completion",
    "service_poster",
    "flyer",
)


class FormSource(Protocol):
    template: Template

    @property
    def copies(self) -> int: ...

    def render(self, copy: int, page: int, dpi: int) -> np.ndarray:
        """RGB uint8 image of blank form page ``page`` (1-based) of copy ``copy`` at ``dpi``."""
        ...

    def serial(self, copy: int) -> int | None: ...


class _Cache:
    def __init__(self, size: int = 16) -> None:
        self.size = size
        self.items: OrderedDict[tuple[int, int, int], np.ndarray] = OrderedDict()

    def get(self, key: tuple[int, int, int]) -> np.ndarray | None:
        if key in self.items:
            self.items.move_to_end(key)
            return self.items[key]
        return None

    def put(self, key: tuple[int, int, int], img: np.ndarray) -> None:
        self.items[key] = img
        while len(self.items) > self.size:
            self.items.popitem(last=False)


def load_template(form_pdf: Path) -> Template:
    """The template of a printed form: attached in the PDF, or the ``.template.json`` beside it."""
    from forms.template import read_template_from_pdf

    try:
        return read_template_from_pdf(form_pdf)
    except InputError as exc:
        log.debug("no template attached to %s: %s", form_pdf, exc.key)
    beside = form_pdf.with_name(form_pdf.stem + ".template.json")
    if not beside.exists():
        raise InputError("samples.no_template", file=str(form_pdf))
    try:
        return Template.load(beside)
    except TemplateError as exc:
        raise InputError("samples.bad_template", file=str(beside), detail=str(exc)) from exc


class PdfFormSource:
    def __init__(self, form_pdf: Path, template: Template | None = None) -> None:
        import pypdfium2 as pdfium

        if not form_pdf.exists():
            raise InputError("samples.no_form", file=str(form_pdf))
        self.path = form_pdf
        self.template = template or load_template(form_pdf)
        try:
            self._pdf = pdfium.PdfDocument(str(form_pdf))
        except pdfium.PdfiumError as exc:
            raise InputError("samples.bad_pdf", file=str(form_pdf), detail=str(exc)) from exc
        if self.template.kind not in SUPPORTED_KINDS:
            raise InputError(
                "samples.unsupported_kind", file=str(form_pdf), kind=self.template.kind
            )
        n_pages = len(self._pdf)
        per_copy = len(self.template.pages)
        if n_pages == 0 or n_pages % per_copy:
            raise InputError(
                "samples.page_count", file=str(form_pdf), pages=n_pages, per_copy=per_copy
            )
        self._copies = n_pages // per_copy
        self._cache = _Cache()
        self._serials: dict[int, int | None] = {}

    @property
    def copies(self) -> int:
        return self._copies

    def render(self, copy: int, page: int, dpi: int) -> np.ndarray:
        key = (copy, page, dpi)
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        index = copy * len(self.template.pages) + page - 1
        bitmap = self._pdf[index].render(scale=dpi / 72.0, grayscale=False)
        img = np.ascontiguousarray(np.asarray(bitmap.to_pil().convert("RGB")))
        self._cache.put(key, img)
        return img

    def serial(self, copy: int) -> int | None:
        if copy not in self._serials:
            self._serials[copy] = self._decode_serial(copy)
        return self._serials[copy]

    def _decode_serial(self, copy: int) -> int | None:
        """Read the serial from the QR code of the copy's first page (rendering only the code)."""
        page = self.template.pages[0]
        pt = 72 / MM_PER_INCH
        x, y, w, h = page.qr
        pad = 4.0
        crop = (
            max(0.0, x - pad) * pt,
            max(0.0, self.template.page_height - (y + h + pad)) * pt,
            max(0.0, self.template.page_width - (x + w + pad)) * pt,
            max(0.0, y - pad) * pt,
        )
        index = copy * len(self.template.pages) + page.number - 1
        bitmap = self._pdf[index].render(scale=300 / 72.0, crop=crop, grayscale=True)
        gray = np.asarray(bitmap.to_pil().convert("L"))
        codes = pyzbar.decode(gray, symbols=[pyzbar.ZBarSymbol.QRCODE])
        text = codes[0].data.decode("ascii", errors="replace") if codes else ""
        if not text:  # zbar is the reader's decoder; OpenCV's is a second opinion
            text, _, _ = cv2.QRCodeDetector().detectAndDecode(gray)
        if not text:
            log.warning("could not read the QR code of copy %d in %s", copy + 1, self.path)
            return None
        try:
            return PageId.decode(text).serial
        except PageIdError:
            return None


class SyntheticFormSource:
    """The synthetic questionnaire, ``copies`` copies, optionally with serials from ``first_serial``."""

    def __init__(
        self, template: Template | None = None, copies: int = 1, first_serial: int | None = None
    ) -> None:
        self.template = template or synthetic.synthetic_template()
        self._copies = copies
        self.first_serial = first_serial
        self._cache = _Cache()

    @property
    def copies(self) -> int:
        return self._copies

    def serial(self, copy: int) -> int | None:
        return None if self.first_serial is None else self.first_serial + copy

    def render(self, copy: int, page: int, dpi: int) -> np.ndarray:
        key = (copy, page, dpi)
        hit = self._cache.get(key)
        if hit is None:
            hit = synthetic.render_page(self.template, page, dpi, self.serial(copy))
            self._cache.put(key, hit)
        return hit
