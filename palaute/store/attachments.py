"""Reading the template a printed form's PDF carries as an attached file."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from forms.template import Template, TemplateError
from palaute.errors import InputError

ATTACHMENT_NAME = "template.json"


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
    """The template attached to ``pdf_path`` (raises InputError naming the file when absent)."""
    import pikepdf

    from palaute.store.survey import check_version

    if not pdf_path.is_file():
        raise InputError("scanner.input.not_found", file=str(pdf_path))
    try:
        with pikepdf.open(pdf_path) as pdf:
            spec = pdf.attachments.get(ATTACHMENT_NAME)
            if spec is None:
                raise InputError("store.no_template_attached", file=str(pdf_path))
            data = spec.get_file().read_bytes()
    except pikepdf.PasswordError as exc:
        raise InputError("scanner.input.encrypted", file=str(pdf_path)) from exc
    except (pikepdf.PdfError, OSError) as exc:
        raise InputError("scanner.input.corrupt", file=str(pdf_path), error=str(exc)) from exc
    try:
        template = Template.from_json(data.decode("utf-8"))
    except (UnicodeDecodeError, TemplateError) as exc:
        raise InputError("store.template_invalid", file=str(pdf_path), error=str(exc)) from exc
    return check_version(template, pdf_path)
