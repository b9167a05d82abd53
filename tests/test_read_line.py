"""Rating-line reading on marks drawn onto the rendered blank sheet, read the way the page reader
reads every field (added ink against the blank reference, then ``scanner.read_line``)."""

from __future__ import annotations

import cv2
import numpy as np
import pypdfium2 as pdfium
import pytest

from forms.api import print_form
from forms.template import Field, Template
from scanner.config import DEFAULT
from scanner.read_page import read_fields
from scanner.results import FieldResult, FieldStatus
from scanner.templates import TemplateSet

from .conftest import LAYOUTS

DPI = 200
S = DPI / 25.4  # pixels per millimetre


@pytest.fixture(scope="module")
def sheet(tmp_path_factory: pytest.TempPathFactory) -> tuple[np.ndarray, Template]:
    out = tmp_path_factory.mktemp("line") / "jana.pdf"
    printed = print_form(LAYOUTS / "arviointijana.yaml", out)
    doc = pdfium.PdfDocument(str(out))
    try:
        image = np.asarray(doc[0].render(scale=DPI / 72, grayscale=True).to_pil().convert("L"))
    finally:
        doc.close()
    _TEMPLATES.append(printed.template)
    return image, printed.template


def read_line(page: np.ndarray, blank: np.ndarray, field: Field, px_per_mm: float) -> FieldResult:
    """``field`` read from a normalised ``page`` (at the reader's resolution) against ``blank``."""
    assert abs(px_per_mm - DEFAULT.normalised_dpi / 25.4) < 1e-9
    template = _template(field)
    templates = TemplateSet(DEFAULT)
    templates.add(template, {p.number: blank for p in template.pages})
    form_page = next(p for p in template.pages if field in p.fields)
    reference = templates.reference(template.version, form_page.number)
    results = read_fields(page, reference, template, form_page, DEFAULT)
    return next(r for r in results if r.field_id == field.id)


_TEMPLATES: list[Template] = []


def _template(field: Field) -> Template:
    return next(t for t in _TEMPLATES if any(field in p.fields for p in t.pages))


def _pt(x: float, y: float) -> tuple[int, int]:
    return round(x * S), round(y * S)


def draw(
    image: np.ndarray,
    field: Field,
    position: float,
    shape: str,
    dy: float = 0.0,
    grey: int = 30,
) -> None:
    x = field.box[0] + field.box[2] * position / 100
    y = field.box[1] + field.box[3] / 2 + dy
    pen = max(2, round(0.5 * S))
    if shape == "x":
        a = 3.5
        cv2.line(image, _pt(x - a, y - a), _pt(x + a, y + a), grey, pen, cv2.LINE_AA)
        cv2.line(image, _pt(x - a, y + a * 1.1), _pt(x + a * 0.9, y - a), grey, pen, cv2.LINE_AA)
    elif shape == "tick":
        cv2.line(image, _pt(x - 2.0, y - 2.5), _pt(x, y), grey, pen, cv2.LINE_AA)
        cv2.line(image, _pt(x, y), _pt(x + 3.5, y - 6.5), grey, pen, cv2.LINE_AA)
    elif shape == "stroke":
        cv2.line(image, _pt(x, y - 5), _pt(x + 0.3, y + 5), grey, pen, cv2.LINE_AA)


@pytest.mark.parametrize("shape", ["x", "tick", "stroke"])
@pytest.mark.parametrize("position", [0.0, 7.0, 33.0, 50.0, 81.5, 100.0])
def test_mark_position_within_three_points(
    sheet: tuple[np.ndarray, Template], shape: str, position: float
) -> None:
    blank, template = sheet
    field = next(f for f in template.fields() if f.kind == "line")
    page = blank.copy()
    draw(page, field, position, shape)
    page = np.roll(page, (2, -3), axis=(0, 1))  # a registration error of a few pixels
    result = read_line(page, blank, field, S)
    assert result.status == FieldStatus.OK, result
    assert result.value is not None and abs(float(result.value) - position) <= 3.0, result


def test_each_line_read_separately(sheet: tuple[np.ndarray, Template]) -> None:
    blank, template = sheet
    first, second = [f for f in template.fields() if f.kind == "line"]
    page = blank.copy()
    draw(page, first, 20, "x")
    draw(page, second, 75, "x", dy=-1.5)
    assert abs(float(read_line(page, blank, first, S).value or -99) - 20) <= 3
    assert abs(float(read_line(page, blank, second, S).value or -99) - 75) <= 3


def test_no_mark_is_flagged(sheet: tuple[np.ndarray, Template]) -> None:
    blank, template = sheet
    field = next(f for f in template.fields() if f.kind == "line")
    result = read_line(blank.copy(), blank, field, S)
    assert result.status == FieldStatus.EMPTY and result.needs_review and result.value is None
    assert result.reason == "line.no_mark"


@pytest.mark.parametrize("shape", ["x", "tick", "stroke"])
@pytest.mark.parametrize(("position", "expect"), [(-1.5, 0.0), (100.0, 100.0), (101.8, 100.0)])
def test_marks_on_and_just_beyond_the_ends_read_as_the_ends(
    sheet: tuple[np.ndarray, Template], shape: str, position: float, expect: float
) -> None:
    """A mark on an end tick or a little past it is that end, not an empty line."""
    blank, template = sheet
    field = next(f for f in template.fields() if f.kind == "line")
    page = blank.copy()
    draw(page, field, position, shape, dy=0.6)
    result = read_line(np.roll(page, (1, -2), axis=(0, 1)), blank, field, S)
    assert result.status == FieldStatus.OK and result.value is not None, result
    assert abs(float(result.value) - expect) <= 3.0, result


def test_mark_hidden_under_the_end_tick_is_flagged_not_empty(
    sheet: tuple[np.ndarray, Template],
) -> None:
    """A thin short stroke right on the printed end tick adds almost nothing visible: whatever is
    read, the line goes to a person."""
    blank, template = sheet
    field = next(f for f in template.fields() if f.kind == "line")
    page = blank.copy()
    x, y = field.box[0] + field.box[2], field.box[1] + field.box[3] / 2
    cv2.line(page, _pt(x, y - 1.8), _pt(x, y + 1.8), 30, 2)
    result = read_line(page, blank, field, S)
    assert result.needs_review or (result.status == FieldStatus.OK and result.value == 100.0)


def test_faint_ink_near_the_line_is_flagged(sheet: tuple[np.ndarray, Template]) -> None:
    blank, template = sheet
    field = next(f for f in template.fields() if f.kind == "line")
    page = blank.copy()
    x, y = field.box[0] + field.box[2] * 0.4, field.box[1] + field.box[3] / 2 - 2.0
    cv2.line(page, _pt(x, y - 0.6), _pt(x, y + 0.6), 40, 3)  # a dab of about half a mm²
    result = read_line(page, blank, field, S)
    assert result.needs_review and result.status == FieldStatus.AMBIGUOUS, result
    assert result.reason == "line.faint"


def test_mark_well_beyond_an_end_is_flagged(sheet: tuple[np.ndarray, Template]) -> None:
    blank, template = sheet
    field = next(f for f in template.fields() if f.kind == "line")
    page = blank.copy()
    x = field.box[0] + field.box[2] + 6.5  # between the line's end and the happy face
    y = field.box[1] + field.box[3] / 2
    cv2.line(page, _pt(x, y - 3), _pt(x, y + 3), 30, 4)
    result = read_line(page, blank, field, S)
    assert result.needs_review and result.reason == "line.off_line", result


def test_two_marks_are_flagged(sheet: tuple[np.ndarray, Template]) -> None:
    blank, template = sheet
    field = next(f for f in template.fields() if f.kind == "line")
    page = blank.copy()
    draw(page, field, 30, "x")
    draw(page, field, 70, "x")
    result = read_line(page, blank, field, S)
    assert result.status == FieldStatus.MULTIPLE and result.needs_review
    assert result.value is None and sorted(k for k in result.scores if k.startswith("mark")) == [
        "mark1",
        "mark2",
    ]


def test_specks_are_ignored(sheet: tuple[np.ndarray, Template]) -> None:
    blank, template = sheet
    field = next(f for f in template.fields() if f.kind == "line")
    page = blank.copy()
    draw(page, field, 60, "x")
    x, y, _, _ = field.box
    cv2.circle(page, _pt(x + 10, y + 2), 1, 40, -1)  # a dot of dust
    result = read_line(page, blank, field, S)
    assert result.status == FieldStatus.OK and abs(float(result.value or 0) - 60) <= 3


def test_skewed_scan_registered_by_its_marks(sheet: tuple[np.ndarray, Template]) -> None:
    """A filled sheet scanned slightly rotated and scaled: registered through its four marks
    onto the template, then read against the blank."""
    from scanner.stickers import locate  # the rating-line sheet carries the poster's marks

    blank, template = sheet
    first, second = [f for f in template.fields() if f.kind == "line"]
    filled = blank.copy()
    draw(filled, first, 42.0, "x")
    draw(filled, second, 88.0, "tick")
    h, w = filled.shape
    rotation = cv2.getRotationMatrix2D((w / 2, h / 2), 1.2, 0.97)
    rotation[:, 2] += (25, -18)
    scan = cv2.warpAffine(filled, rotation, (w, h), borderValue=255, flags=cv2.INTER_AREA)
    noise = np.random.default_rng(1).normal(0, 8, scan.shape)
    scan = np.clip(scan + noise, 0, 255).astype(np.uint8)
    located = locate(scan, template.page(1))
    to_page = np.array([[S, 0, 0], [0, S, 0], [0, 0, 1]]) @ located.homography
    registered = cv2.warpPerspective(scan, to_page, (w, h), borderValue=255)
    assert located.error_mm < 0.3
    assert abs(float(read_line(registered, blank, first, S).value or -99) - 42.0) <= 3
    assert abs(float(read_line(registered, blank, second, S).value or -99) - 88.0) <= 3


def test_light_pencil_cross_is_read(sheet: tuple[np.ndarray, Template]) -> None:
    blank, template = sheet
    field = next(f for f in template.fields() if f.kind == "line")
    page = blank.copy()
    draw(page, field, 64.0, "x", grey=175)
    page = np.clip(page.astype(np.int16) - 12, 0, 255).astype(np.uint8)  # a greyer scan
    result = read_line(page, blank, field, S)
    assert result.status == FieldStatus.OK and abs(float(result.value or 0) - 64.0) <= 3
