"""The forms package's front door: from a spec file to a printed PDF and its template."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from forms.kinds import layout_document, load_document
from forms.layout import FormLayout
from forms.render import render_pdf_bytes, template_path_for, write_atomically
from forms.template import Template


@dataclass(frozen=True)
class Printed:
    pdf: Path
    template_json: Path
    template: Template
    pages: int


def build(spec_path: Path) -> FormLayout:
    """Validate and lay out a spec of any kind (no drawing)."""
    return layout_document(load_document(spec_path))


def print_form(
    spec_path: Path,
    out: Path,
    copies: int = 1,
    serials: bool = False,
    first_serial: int = 1,
    progress: Callable[[int], None] | None = None,
) -> Printed:
    """Write ``out`` (the PDF, template attached) and ``OUT.template.json`` beside it.

    Everything is built in memory first, so a bad spec or an impossible layout leaves no file.
    """
    layout = build(spec_path)
    data = render_pdf_bytes(
        layout, copies=copies, serials=serials, first_serial=first_serial, progress=progress
    )
    template_json = template_path_for(out)
    write_atomically(out, data)
    write_atomically(template_json, layout.template.to_json().encode("utf-8"))
    sheets = len(layout.pages) * (len(layout.tiles.tiles) if layout.tiles else 1)
    return Printed(out, template_json, layout.template, copies * sheets)
