"""Reading the template a printed form's PDF carries as an attached file."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from forms.template import Template, card_area, read_template_from_pdf
from palaute.errors import InputError


def blank_pages_pdf(pdf_path: Path, pages: int) -> bytes:
    """The first ``pages`` pages of a printed form (its first copy) as a PDF of their own."""
    import io

    import pikepdf

    try:
        with pikepdf.open(pdf_path) as pdf:
            if len(pdf.pages) < pages:
                raise InputError(
                    "store.pdf_too_short", file=str(pdf_path), pages=len(pdf.pages), needed=pages
                )
            out = pikepdf.new()
            out.pages.extend(pdf.pages[:pages])
            buf = io.BytesIO()
            out.save(buf, compress_streams=True)
            return buf.getvalue()
    except pikepdf.PdfError as exc:
        raise InputError("scanner.input.corrupt", file=str(pdf_path), error=str(exc)) from exc


# A card's blank reference reaches this far beyond its registration marks: the faint outline
# drawn to cut along lies 2.5 mm outside them (forms/kinds/cards.py), the neighbours' cut marks
# further out.
MM_TO_PT = 72.0 / 25.4


def card_blanks_pdf(pdf_path: Path, template: Template) -> bytes:
    """One blank page per card of a feedback-card form, in the template's page order.

    The cards share a printed sheet, and their template pages keep the sheet's coordinates, so
    each card's blank is its sheet with everything outside that card clipped away: a card cut
    out and scanned alone is compared with its own card only.
    """
    import io

    import pikepdf

    from forms.pageid import PageIdError, card_slot

    try:
        with pikepdf.open(pdf_path) as pdf:
            out = pikepdf.new()
            parts: list[pikepdf.Pdf] = []
            for page in template.pages:
                try:
                    sheet, _ = card_slot(page.number)
                except PageIdError as exc:
                    raise InputError(
                        "store.template_invalid", file=str(pdf_path), error=str(exc)
                    ) from exc
                if len(pdf.pages) < sheet:
                    raise InputError(
                        "store.pdf_too_short",
                        file=str(pdf_path),
                        pages=len(pdf.pages),
                        needed=sheet,
                    )
                # A one-page document per card, so that no card shares the sheet's content
                # streams (and so its clip) with another.
                single = pikepdf.new()
                single.pages.append(pdf.pages[sheet - 1])
                card = single.pages[0]
                x, y, w, h = card_area(page)
                height_pt = float(card.mediabox[3]) - float(card.mediabox[1])
                clip = (
                    f"q {x * MM_TO_PT:.2f} {height_pt - (y + h) * MM_TO_PT:.2f} "
                    f"{w * MM_TO_PT:.2f} {h * MM_TO_PT:.2f} re W n\n"
                )
                card.contents_add(clip.encode("ascii"), prepend=True)
                card.contents_add(b"\nQ\n")
                part = io.BytesIO()
                single.save(part)
                parts.append(pikepdf.open(io.BytesIO(part.getvalue())))
                out.pages.append(parts[-1].pages[0])
            buf = io.BytesIO()
            out.save(buf, compress_streams=True)
            return buf.getvalue()
    except pikepdf.PdfError as exc:
        raise InputError("scanner.input.corrupt", file=str(pdf_path), error=str(exc)) from exc


def render_pages(pdf_data: bytes, dpi: float) -> dict[int, np.ndarray]:
    """Every page of a PDF rendered at ``dpi``: page number (1-based) → greyscale uint8 image."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf_data)
    try:
        out = {}
        for index in range(len(doc)):
            page = doc[index]
            try:
                bitmap = page.render(scale=dpi / 72.0, grayscale=True)
                arr = bitmap.to_numpy()
            finally:
                page.close()
            if arr.ndim == 3:
                arr = arr[:, :, 0]
            out[index + 1] = np.ascontiguousarray(arr, dtype=np.uint8)
        return out
    finally:
        doc.close()


def template_from_pdf(pdf_path: Path) -> Template:
    """The template attached to ``pdf_path``, checked against its own version hash."""
    from palaute.store.survey import check_version

    if not pdf_path.is_file():
        raise InputError("scanner.input.not_found", file=str(pdf_path))
    return check_version(read_template_from_pdf(pdf_path), pdf_path)
