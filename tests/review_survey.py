"""A small real survey for the review desk's tests: the seed form printed, two pages rasterised
(200 dpi PNG in the survey's images folder) and stored with flagged and written fields."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from forms.template import Template
from palaute.store import Survey, accounts
from scanner.results import FieldResult, FieldStatus, PageIdentity, PageResult, PageStatus

DPI = 200.0
USER = "maija"
PASSWORD = "oikein-hyvä-salasana"


@dataclass(frozen=True)
class Built:
    path: Path
    template: Template
    pages: list[int]
    fields: dict[str, int]  # template field id -> field row id


def rasterise(pdf: Path, count: int) -> list[np.ndarray]:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        return [
            np.asarray(doc[i].render(scale=DPI / 72).to_pil().convert("L")) for i in range(count)
        ]
    finally:
        doc.close()


def _field(template: Template, field_id: str, **kw: object) -> FieldResult:
    f = template.field(field_id)
    return FieldResult(field_id=field_id, crop=f.box, **kw)  # type: ignore[arg-type]


def build(directory: Path, pdf: Path, images: list[np.ndarray]) -> Built:
    path = directory / "survey.sqlite"
    with Survey.open(path) as survey:
        template = survey.register_pdf(pdf)
        file_id = survey.begin_file(directory / "scan.pdf", "ab" * 32, 2)
        ident = {"version": template.version, "serial": 1, "rotation": 0, "source": "qr"}
        page1 = PageResult(
            source_file="scan.pdf",
            index=0,
            status=PageStatus.READ,
            reason="",
            identity=PageIdentity(page=1, confidence=0.99, **ident),  # type: ignore[arg-type]
            fields=(
                _field(
                    template,
                    "q2",
                    value=["no", "yes"],
                    confidence=0.30,
                    status=FieldStatus.MULTIPLE,
                    reason="scanner.read.two_marks",
                    needs_review=True,
                ),
                _field(
                    template,
                    "q1",
                    value=["lapsiperheet"],
                    confidence=0.55,
                    status=FieldStatus.AMBIGUOUS,
                    reason="scanner.read.faint",
                    needs_review=True,
                ),
                _field(
                    template,
                    "q3",
                    value="yes",
                    confidence=0.97,
                    status=FieldStatus.OK,
                    reason="",
                ),
                _field(
                    template,
                    "q2_perustelu",
                    value=None,
                    confidence=0.9,
                    status=FieldStatus.WRITTEN,
                    reason="",
                ),
            ),
        )
        page2 = PageResult(
            source_file="scan.pdf",
            index=1,
            status=PageStatus.READ,
            reason="",
            identity=PageIdentity(page=2, confidence=0.99, **ident),  # type: ignore[arg-type]
            fields=(
                _field(
                    template,
                    "q4_kohtelu",
                    value="4",
                    confidence=0.20,
                    status=FieldStatus.AMBIGUOUS,
                    reason="scanner.read.between_options",
                    needs_review=True,
                ),
            ),
        )
        pages = [
            survey.store_page(file_id, page1, images[0], dpi=DPI),
            survey.store_page(file_id, page2, images[1], dpi=DPI),
        ]
        survey.finish_file(file_id)
        accounts.add_user(survey, USER, PASSWORD)
        fields = {f.field_id: f.id for page in pages for f in survey.page_fields(page)}
    return Built(path, template, pages, fields)
