"""The forms the reader knows: templates by version, with a blank reference image per page.

The blank reference is the printed page without answers, at the reader's normalised resolution
and in template coordinates.  The reader counts only ink that a scan has *in addition* to it, so
printed text, boxes and ruled lines never look like answers.

``TemplateSet.from_pdf`` loads a PDF printed by palaute: the template from its attachment and the
blank references rendered with pypdfium2 (the QR differs per copy, but the QR area is never read).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from forms.template import ATTACHMENT_NAME, Template, TemplateError, read_template_from_pdf
from palaute.errors import InputError
from scanner.config import DEFAULT, ReaderConfig

log = logging.getLogger(__name__)

# The printed PDF carries its template as this attachment (forms.render writes it; the scanner
# reads it here without importing the renderer).
TEMPLATE_ATTACHMENT = ATTACHMENT_NAME  # the attachment printed PDFs carry
_MM_PER_INCH = 25.4


@dataclass(frozen=True)
class PageReference:
    """One blank page at the normalised resolution, with what the reader derives from it."""

    image: np.ndarray  # greyscale uint8, template coordinates
    ink: np.ndarray  # uint8 0/255: printed ink, widened to absorb small misregistration
    thumbnail: np.ndarray  # float32, zero-mean unit-norm, for identifying a page by its layout
    # What readers derive from the blank page alone, kept for the next page (scanner.ink).
    derived: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)


class TemplateSet(Mapping[str, Template]):
    """A mapping version → Template, plus blank reference images for every (version, page).

    The blank pages are kept as they are and prepared into a ``PageReference`` (printed ink,
    thumbnail) when first asked for, in the process that reads pages: the batch's parent
    process, which only hands the set to its reader processes, holds and sends just the
    blank images."""

    def __init__(self, config: ReaderConfig = DEFAULT) -> None:
        self.config = config
        self.dpi = float(config.normalised_dpi)
        self._templates: dict[str, Template] = {}
        self._blanks: dict[tuple[str, int], np.ndarray] = {}  # greyscale, at the page size
        self._references: dict[tuple[str, int], PageReference] = {}

    def __getstate__(self) -> dict[str, object]:
        return {**self.__dict__, "_references": {}}  # prepared again where they are needed

    # -- Mapping ------------------------------------------------------------------------------
    def __getitem__(self, version: str) -> Template:
        return self._templates[version]

    def __iter__(self) -> Iterator[str]:
        return iter(self._templates)

    def __len__(self) -> int:
        return len(self._templates)

    # -- building ------------------------------------------------------------------------------
    def add(self, template: Template, references: dict[int, np.ndarray]) -> None:
        """Add a template with its blank pages (page number → greyscale image at ``self.dpi``).

        An image of another size is resampled to the page size at ``self.dpi``."""
        if not template.version:
            raise TemplateError(f"template {template.form_id} has no version hash")
        missing = [p.number for p in template.pages if p.number not in references]
        if missing:
            raise TemplateError(f"no blank reference for pages {missing} of {template.form_id}")
        size = self.page_size_px(template)
        for number, image in references.items():
            key = (template.version, number)
            self._blanks[key] = _page_sized(image, size)
            self._references.pop(key, None)
        self._templates[template.version] = template

    def reference(self, version: str, page: int) -> PageReference:
        key = (version, page)
        found = self._references.get(key)
        if found is None:
            found = self._references[key] = self._prepare(self._blanks[key])
        return found

    def pages(self) -> Iterator[tuple[Template, int]]:
        """Every known (template, page number)."""
        for template in self._templates.values():
            for page in template.pages:
                yield template, page.number

    def page_size_px(self, template: Template) -> tuple[int, int]:
        """(width, height) of a page of ``template`` at ``self.dpi``."""
        scale = self.dpi / _MM_PER_INCH
        return round(template.page_width * scale), round(template.page_height * scale)

    @classmethod
    def from_pdf(cls, pdf_path: Path, config: ReaderConfig = DEFAULT) -> TemplateSet:
        templates = cls(config)
        templates.add_pdf(pdf_path)
        return templates

    def add_pdf(self, pdf_path: Path) -> Template:
        """Add the form printed in ``pdf_path`` (any copy of it: its first pages are used)."""
        import pypdfium2

        template = read_template_from_pdf(pdf_path)
        document = pypdfium2.PdfDocument(str(pdf_path))
        try:
            if len(document) < len(template.pages):
                raise InputError(
                    "template.bad_pdf", file=str(pdf_path), problem="fewer pages than the template"
                )
            references = {}
            for index, page in enumerate(template.pages):
                bitmap = document[index].render(scale=self.dpi / 72.0, grayscale=True)
                references[page.number] = np.ascontiguousarray(bitmap.to_numpy()).reshape(
                    bitmap.height, bitmap.width
                )
        finally:
            document.close()
        self.add(template, references)
        log.debug("loaded form %s version %s", template.form_id, template.version)
        return template

    # -- internals ---------------------------------------------------------------------------
    def _prepare(self, image: np.ndarray) -> PageReference:
        import cv2

        radius = max(1, round(self.config.reference_dilate_mm * self.dpi / _MM_PER_INCH))
        kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * radius + 1, 2 * radius + 1))
        ink = cv2.dilate(
            np.where(image < self.config.reference_ink_level, np.uint8(255), np.uint8(0)).astype(
                np.uint8
            ),
            kernel,
        )
        return PageReference(
            image=image, ink=ink, thumbnail=thumbnail(image, self.dpi, self.config.layout_dpi)
        )


def _page_sized(image: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """A blank page as greyscale uint8 of ``size`` (width, height)."""
    if image.ndim == 3:
        import cv2

        image = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    image = image.astype(np.uint8, copy=False)
    if (image.shape[1], image.shape[0]) != size:
        import cv2

        image = cv2.resize(image, size, interpolation=cv2.INTER_AREA)
    return image


def thumbnail(page: np.ndarray, dpi: float, thumb_dpi: float) -> np.ndarray:
    """A small zero-mean, unit-norm darkness image of a page, for layout comparison."""
    import cv2

    scale = thumb_dpi / dpi
    small = cv2.resize(page, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    dark = 255.0 - small.astype(np.float32)
    dark -= dark.mean()
    norm = float(np.linalg.norm(dark))
    return dark / norm if norm > 0 else dark
