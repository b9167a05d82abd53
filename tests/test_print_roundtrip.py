"""The printed PDF, rasterised by a real renderer, carries what the template promises."""

from __future__ import annotations

import hashlib
from pathlib import Path

import cv2
import numpy as np
import pypdfium2 as pdfium
import pytest
from pyzbar import pyzbar

from forms.api import print_form
from forms.pageid import PageId
from forms.render import template_path_for
from forms.template import Box, Template, read_template_from_pdf
from palaute.cli import main
from palaute.errors import ExitCode

from .conftest import LAYOUTS, SEED_FORM


def rasterise(pdf: Path, dpi: int) -> list[np.ndarray]:
    doc = pdfium.PdfDocument(str(pdf))
    try:
        return [
            np.asarray(page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L"))
            for page in doc
        ]
    finally:
        doc.close()


def px(box: Box, dpi: int) -> tuple[int, int, int, int]:
    s = dpi / 25.4
    x, y, w, h = box
    return round(x * s), round(y * s), round((x + w) * s), round((y + h) * s)


def test_same_input_same_bytes(tmp_path: Path) -> None:
    a, b = tmp_path / "a.pdf", tmp_path / "b.pdf"
    print_form(SEED_FORM, a, copies=3, serials=True)
    print_form(SEED_FORM, b, copies=3, serials=True)
    assert hashlib.sha256(a.read_bytes()).digest() == hashlib.sha256(b.read_bytes()).digest()
    assert template_path_for(a).read_text() == template_path_for(b).read_text()


def test_template_attached_and_beside(
    seed_pdf: Path, seed_layout, capsys: pytest.CaptureFixture[str]
) -> None:
    attached = read_template_from_pdf(seed_pdf)
    beside = Template.load(template_path_for(seed_pdf))
    assert attached == beside == seed_layout.template
    assert main(["template", str(seed_pdf)]) == ExitCode.OK
    assert Template.from_json(capsys.readouterr().out) == attached


@pytest.mark.parametrize("dpi", [150, 300])
def test_raster_round_trip(seed_pdf: Path, dpi: int) -> None:
    template = read_template_from_pdf(seed_pdf)
    pages = rasterise(seed_pdf, dpi)
    per_copy = len(template.pages)
    assert len(pages) == 2 * per_copy
    detector = cv2.aruco.ArucoDetector(
        cv2.aruco.getPredefinedDictionary(cv2.aruco.DICT_4X4_50), cv2.aruco.DetectorParameters()
    )
    scale = dpi / 25.4
    for index, image in enumerate(pages):
        copy, page_number = divmod(index, per_copy)
        page = template.page(page_number + 1)
        # The QR decodes to this page's ID.
        codes = pyzbar.decode(image, symbols=[pyzbar.ZBarSymbol.QRCODE])
        assert [PageId.decode(c.data) for c in codes] == [
            PageId(template.version, page.number, copy + 1)
        ]
        # Each mark is where the template says, to within half a millimetre.
        corners, ids, _ = detector.detectMarkers(image)
        assert ids is not None and sorted(ids.ravel().tolist()) == [0, 1, 2, 3]
        for marker_corners, marker_id in zip(corners, ids.ravel(), strict=True):
            x, y, w, h = page.marks[int(marker_id)].box
            found = marker_corners.reshape(4, 2) / scale
            expected = np.array([[x, y], [x + w, y], [x + w, y + h], [x, y + h]])
            assert np.abs(found - expected).max() < 0.5, (marker_id, found, expected)
        ink = image < 128
        for field in page.fields:
            for option in field.options:
                x0, y0, x1, y1 = px(option.box, dpi)
                inside = ink[y0:y1, x0:x1]
                assert inside.sum() > 0, (field.id, option.value)
                ys, xs = np.nonzero(inside)
                if field.kind == "likert":
                    # the printed digit sits near the centre of its box, well clear of the edges
                    cx, cy = (xs.mean() + x0) / scale, (ys.mean() + y0) / scale
                    bx, by, bw, bh = option.box
                    assert abs(cx - (bx + bw / 2)) < 1.0 and abs(cy - (by + bh / 2)) < 1.5
                    margin = int(2 * scale)
                    assert xs.min() > margin and xs.max() < (x1 - x0) - margin
                else:
                    # the printed square's four edges are the box's edges
                    pad = max(1, int(0.4 * scale))
                    ring = ink[y0 - pad : y1 + pad, x0 - pad : x1 + pad].copy()
                    ring[2 * pad : -2 * pad, 2 * pad : -2 * pad] = False
                    edge_ink = ring.sum()
                    assert edge_ink > 0.8 * 4 * (x1 - x0) * max(1, int(0.3 * scale)), (
                        field.id,
                        option.value,
                    )
                    assert inside[2 * pad : -2 * pad, 2 * pad : -2 * pad].sum() == 0


def test_master_has_no_serial(tmp_path: Path) -> None:
    out = tmp_path / "master.pdf"
    printed = print_form(SEED_FORM, out)
    pages = rasterise(out, 150)
    assert len(pages) == printed.pages == len(printed.template.pages)
    ids = [PageId.decode(pyzbar.decode(p)[0].data) for p in pages]
    assert [i.serial for i in ids] == [None] * len(pages)
    assert [i.page for i in ids] == list(range(1, len(pages) + 1))


@pytest.mark.parametrize("name", sorted(p.name for p in LAYOUTS.glob("asiakaspalautekysely*.yaml")))
def test_every_language_version_prints(tmp_path: Path, name: str) -> None:
    out = tmp_path / "form.pdf"
    printed = print_form(LAYOUTS / name, out)
    fields = [f.id for f in printed.template.fields()]
    assert len([f for f in fields if f.startswith("q4_")]) == 16
    assert {
        "q1",
        "q1_muu",
        "q2",
        "q2_perustelu",
        "q3",
        "q3_lisatieto",
        "q5",
        "q6",
        "q7",
        "q7_parannus",
    } <= set(fields)


def test_print_registers_the_form_in_a_survey(tmp_path: Path) -> None:
    from palaute.store import Survey

    survey_path = tmp_path / "kysely.sqlite"
    code = main(
        ["print", str(SEED_FORM), "-o", str(tmp_path / "f.pdf"), "--survey", str(survey_path)]
    )
    assert code == ExitCode.OK
    with Survey.open(survey_path, create=False) as survey:
        (template,) = survey.templates().values()
        assert template == read_template_from_pdf(tmp_path / "f.pdf")
        blanks = survey.blank_pages(template.version, 100)
        assert sorted(blanks) == [p.number for p in template.pages]


def test_any_printed_change_makes_a_new_version(tmp_path: Path) -> None:
    from forms.api import build

    text = SEED_FORM.read_text(encoding="utf-8")
    changed = tmp_path / "changed.yaml"
    changed.write_text(
        text.replace("Vastaukset käsitellään nimettöminä.", "Vastaukset ovat nimettömiä."),
        encoding="utf-8",
    )
    before, after = build(SEED_FORM).template, build(changed).template
    assert [f.box for f in before.fields()] == [f.box for f in after.fields()]
    assert before.version != after.version
