"""Every document kind prints from its sample spec: pages rasterise, QR codes decode to the right
page IDs, registration marks are where the template says, fields lie inside the page and do not
overlap."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pypdfium2 as pdfium
import pytest
from pyzbar import pyzbar

from forms.api import build, print_form
from forms.geometry import PRINTER_MARGIN, inside, overlaps
from forms.pageid import PageId, card_page, card_slot
from forms.template import Template, read_template_from_pdf
from palaute.cli import main
from palaute.errors import ExitCode

from .conftest import LAYOUTS, SEED_FORM

SAMPLES = {
    "liikennevaloaanestys.yaml": ("traffic_light", 7),
    "plussat_ja_miinukset.yaml": ("plus_minus", 1),
    "palvelu_on_juliste.yaml": ("service_poster", 1),
    "sanatehtava.yaml": ("word_task", 1),
    "jatka_lausetta.yaml": ("sentence_completion", 2),
    "palautekortit.yaml": ("cards", 1),
    "arviointijana.yaml": ("rating_line", 1),
    "asiakaspalautepaiva.yaml": ("flyer", 1),
}
# Swedish and English versions beside the Finnish samples print the same sheets.
SAMPLES.update(
    {
        name.replace(".yaml", f"_{lang}.yaml"): value
        for name, value in list(SAMPLES.items())
        for lang in ("sv", "en")
        if (LAYOUTS / name.replace(".yaml", f"_{lang}.yaml")).exists()
    }
)
DPI = 150


def rasterise(pdf: Path) -> list[np.ndarray]:
    doc = pdfium.PdfDocument(str(pdf))
    try:
        return [
            np.asarray(p.render(scale=DPI / 72, grayscale=True).to_pil().convert("L")) for p in doc
        ]
    finally:
        doc.close()


def detect_marks(image: np.ndarray) -> list[tuple[int, np.ndarray]]:
    detector = cv2.aruco.ArucoDetector(
        cv2.aruco.getPredefinedDictionary(cv2.aruco.DICT_4X4_50), cv2.aruco.DetectorParameters()
    )
    corners, ids, _ = detector.detectMarkers(image)
    if ids is None:
        return []
    scale = DPI / 25.4
    return [(int(i), c.reshape(4, 2) / scale) for c, i in zip(corners, ids.ravel(), strict=True)]


def sheets(template: Template) -> dict[int, list]:
    """Template pages per printed sheet (cards: several card pages per sheet)."""
    out: dict[int, list] = {}
    for page in template.pages:
        sheet = card_slot(page.number)[0] if template.kind == "cards" else page.number
        out.setdefault(sheet, []).append(page)
    return out


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_kind_prints_and_matches_its_template(tmp_path: Path, name: str) -> None:
    kind, sheet_count = SAMPLES[name]
    out = tmp_path / "out.pdf"
    assert main(["print", str(LAYOUTS / name), "-o", str(out)]) == ExitCode.OK
    template = read_template_from_pdf(out)
    assert template.kind == kind
    assert Template.from_json(template.to_json()) == template
    assert build(LAYOUTS / name).template == template  # same spec, same template
    images = rasterise(out)
    assert len(images) == sheet_count
    by_sheet = sheets(template)
    for number, image in enumerate(images, start=1):
        pages = by_sheet[number]
        assert abs(image.shape[1] - template.page_width / 25.4 * DPI) <= 1.5
        codes = {PageId.decode(c.data) for c in pyzbar.decode(image, [pyzbar.ZBarSymbol.QRCODE])}
        expected = {PageId(template.version, p.number) for p in pages if p.marks}
        assert codes == expected
        found = detect_marks(image)
        assert len(found) == sum(len(p.marks) for p in pages)
        for page in pages:
            for mark in page.marks:
                x, y, w, h = mark.box
                corners = np.array([[x, y], [x + w, y], [x + w, y + h], [x, y + h]])
                assert any(
                    mid == mark.id and np.abs(c - corners).max() < 0.5 for mid, c in found
                ), (page.number, mark)
        # Fields inside the printable area, clear of each other, of the marks and of QR codes.
        printable = (
            PRINTER_MARGIN,
            PRINTER_MARGIN,
            template.page_width - 2 * PRINTER_MARGIN,
            template.page_height - 2 * PRINTER_MARGIN,
        )
        fields = [f for p in pages for f in p.fields]
        keep_out = [m.box for p in pages for m in p.marks] + [p.qr for p in pages if p.marks]
        for i, f in enumerate(fields):
            assert inside(f.box, printable), f.id
            for option in f.options:
                assert inside(option.box, f.box), (f.id, option.value)
            for other in fields[i + 1 :]:
                assert not overlaps(f.box, other.box), (f.id, other.id)
            for box in keep_out:
                assert not overlaps(f.box, box), (f.id, box)


def test_zone_fields_carry_colours() -> None:
    template = build(LAYOUTS / "liikennevaloaanestys.yaml").template
    for page in template.pages:
        assert [f.colour for f in page.fields] == ["green", "yellow", "red"]
        assert {f.kind for f in page.fields} == {"zone"}
        assert len({f.question for f in page.fields}) == 1
    assert template.page_width == 297.0 and template.page_height == 420.0


def test_language_versions_share_field_ids() -> None:
    ids = [
        [f.id for f in build(LAYOUTS / f"liikennevaloaanestys{suffix}.yaml").template.fields()]
        for suffix in ("", "_sv", "_en")
    ]
    assert ids[0] == ids[1] == ids[2] and len(ids[0]) == 21


def test_word_task_rows_are_single_choice() -> None:
    template = build(LAYOUTS / "sanatehtava.yaml").template
    fields = list(template.fields())
    assert len(fields) == 21
    assert all(f.kind == "single" for f in fields)
    assert all(
        [o.value for o in f.options] == ["understandable", "needs_explaining"] for f in fields
    )
    assert fields[0].label == "ehkäisevä sosiaalityö"


def test_cards_have_their_own_page_ids() -> None:
    template = build(LAYOUTS / "palautekortit.yaml").template
    assert [p.number for p in template.pages] == [card_page(1, s) for s in range(1, 7)]
    for page in template.pages:
        (field,) = page.fields
        assert field.kind == "text" and field.lines >= 3
        assert [m.id for m in page.marks] == [0, 1, 2, 3]
        # the card's marks surround its field
        xs = [m.box[0] for m in page.marks]
        ys = [m.box[1] for m in page.marks]
        assert min(xs) < field.box[0] and max(xs) > field.box[0] + field.box[2] - 10
        assert min(ys) < field.box[1] and max(ys) > field.box[1]


def test_a_cut_out_card_registers_alone(tmp_path: Path) -> None:
    out = tmp_path / "cards.pdf"
    printed = print_form(LAYOUTS / "palautekortit.yaml", out)
    image = rasterise(out)[0]
    page = printed.template.page(card_page(1, 5))
    # cut the card out of the sheet along its outline
    xs = [m.box[0] for m in page.marks]
    ys = [m.box[1] for m in page.marks]
    s = DPI / 25.4
    x0, y0 = round((min(xs) - 2.5) * s), round((min(ys) - 2.5) * s)
    x1, y1 = round((max(xs) + 9.5) * s), round((max(ys) + 9.5) * s)
    card = image[y0:y1, x0:x1]
    (code,) = pyzbar.decode(card, [pyzbar.ZBarSymbol.QRCODE])
    assert PageId.decode(code.data).page == page.number
    found = detect_marks(card)
    assert sorted(i for i, _ in found) == [0, 1, 2, 3]
    offset = np.array([x0, y0]) / s
    for mark_id, corners in found:
        x, y, _, _ = page.marks[mark_id].box
        assert np.abs(corners[0] + offset - [x, y]).max() < 0.5


def test_questionnaire_template_is_unchanged_by_the_new_keys() -> None:
    template = build(SEED_FORM).template
    assert template.kind == "questionnaire"
    assert '"colour"' not in template.to_json()
    assert all(f.colour is None for f in template.fields())


def test_flyer_has_no_marks_or_fields() -> None:
    template = build(LAYOUTS / "asiakaspalautepaiva.yaml").template
    (page,) = template.pages
    assert page.marks == () and page.fields == ()


def test_word_task_boxes_are_printed_where_the_template_says(tmp_path: Path) -> None:
    out = tmp_path / "sanat.pdf"
    printed = print_form(LAYOUTS / "sanatehtava.yaml", out)
    ink = rasterise(out)[0] < 128
    s = DPI / 25.4
    for field in printed.template.fields():
        for option in field.options:
            x, y, w, h = option.box
            x0, y0, x1, y1 = round(x * s), round(y * s), round((x + w) * s), round((y + h) * s)
            pad = 2
            ring = ink[y0 - pad : y1 + pad, x0 - pad : x1 + pad].copy()
            ring[2 * pad : -2 * pad, 2 * pad : -2 * pad] = False
            assert ring.sum() > 0.8 * 4 * (x1 - x0), (field.id, option.value)
            assert ink[y0 + 2 * pad : y1 - 2 * pad, x0 + 2 * pad : x1 - 2 * pad].sum() == 0


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize(
    "name", sorted(n for n in SAMPLES if not n.endswith(("_sv.yaml", "_en.yaml")))
)
def test_built_in_words_fit_in_every_language(tmp_path: Path, name: str, lang: str) -> None:
    text = (LAYOUTS / name).read_text(encoding="utf-8").replace("language: fi", f"language: {lang}")
    spec = tmp_path / name
    spec.write_text(text, encoding="utf-8")
    layout = build(spec)
    assert layout.template.language == lang
    labels = {f.label for f in layout.template.fields() if f.kind == "zone"}
    if SAMPLES[name][0] == "traffic_light":
        assert (
            labels == {"håller med", "vet inte", "håller inte med"}
            if lang == "sv"
            else {
                "agree",
                "can't say",
                "disagree",
            }
        )
