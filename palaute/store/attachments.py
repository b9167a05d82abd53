"""Reading the template a printed form's PDF carries as an attached file."""

from __future__ import annotations

from pathlib import Path

from forms.template import Template, TemplateError
from palaute.errors import InputError

ATTACHMENT_NAME = "template.json"


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
