"""The per-page reader on the real printed seed form, filled in with hand-like marks and passed
through scanner effects: identity right on every page, no silent errors, empties empty, written
text written."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from palaute import i18n
from scanner import outcome
from scanner import read_page as read_page_module
from scanner.read_page import read_page
from scanner.results import FieldStatus, PageResult, PageStatus
from scanner.templates import TEMPLATE_ATTACHMENT, TemplateSet

from . import reader_fixtures as fx
from .reader_answers import FIRST, REVIEW_OK, SECOND

Effect = Callable[[np.ndarray, int], np.ndarray]

EFFECTS: dict[str, Effect] = {
    "clean": lambda img, seed: img,
    "rot90": lambda img, seed: fx.rotate90(img, 1),
    "rot180": lambda img, seed: fx.rotate90(img, 2),
    "rot270": lambda img, seed: fx.rotate90(img, 3),
    "shrink95": lambda img, seed: fx.noisy(fx.shrink(img, 0.95), seed),
    "skew2": lambda img, seed: fx.noisy(fx.skew(img, 2.0, (12, -9)), seed),
    "bilevel": lambda img, seed: fx.bilevel(fx.noisy(img, seed, sigma=4)),
    "jpeg60": lambda img, seed: fx.jpeg(fx.noisy(img, seed), 60),
    "streaks": lambda img, seed: fx.jpeg(fx.streak(fx.streak(img, 0.69), 0.125), 70),
}

CASES = [
    (200, "clean"),
    (200, "rot90"),
    (200, "rot180"),
    (200, "rot270"),
    (200, "shrink95"),
    (200, "skew2"),
    (300, "bilevel"),
    (200, "jpeg60"),
    (150, "jpeg60"),
    (300, "skew2"),
    (200, "streaks"),
]


@pytest.fixture(scope="module")
def templates(seed_pdf: Path) -> TemplateSet:
    return TemplateSet.from_pdf(seed_pdf)


_rendered: dict[tuple[Path, float], list[np.ndarray]] = {}


def pages_at(pdf: Path, dpi: float) -> list[np.ndarray]:
    if (pdf, dpi) not in _rendered:
        _rendered[(pdf, dpi)] = fx.render_pages(pdf, dpi, 0, 6)
    return _rendered[(pdf, dpi)]


def filled(pdf: Path, templates: TemplateSet, dpi: float) -> list[tuple[int, int, np.ndarray]]:
    """(copy, page number, image) for both respondents; the second writes in light blue pen."""
    template = next(iter(templates.values()))
    out = []
    for copy, answers in enumerate((FIRST, SECOND)):
        for number in (1, 2, 3):
            img = pages_at(pdf, dpi)[copy * 3 + number - 1].copy()
            fx.draw(
                template,
                img,
                dpi,
                answers.get(number, []),
                seed=copy * 10 + number,
                grey=40 if copy == 0 else 120,
            )
            out.append((copy, number, img))
    return out


def check_fields(result: PageResult, templates: TemplateSet, answers: list[fx.Answer]) -> list[str]:
    """Problems with the page's fields: silent errors and missed answers."""
    assert result.identity is not None and result.identity.version is not None
    template = templates[result.identity.version]
    wanted = {a.field_id: fx.expected(a, template.field(a.field_id).kind) for a in answers}
    problems = []
    for f in result.fields:
        kind = template.field(f.field_id).kind
        default = fx.Expect(FieldStatus.BLANK if kind == "text" else FieldStatus.EMPTY)
        e = wanted.get(f.field_id, default)
        right = f.status == e.status and (
            e.status
            in (FieldStatus.WRITTEN, FieldStatus.BLANK, FieldStatus.EMPTY, FieldStatus.AMBIGUOUS)
            or f.value == e.value
        )
        if right:
            continue
        if f.needs_review and (e.status in REVIEW_OK or f.status in REVIEW_OK):
            problems.append(
                f"flagged {f.field_id}: {f.status} {f.value} (expected {e.status} {e.value})"
            )
            continue
        problems.append(
            f"WRONG {f.field_id}: {f.status} {f.value} (expected {e.status} {e.value}) {f.scores}"
        )
    return problems


@pytest.mark.parametrize(("dpi", "effect"), CASES, ids=[f"{d}dpi-{e}" for d, e in CASES])
def test_filled_pages(seed_pdf: Path, templates: TemplateSet, dpi: float, effect: str) -> None:
    version = next(iter(templates))
    problems = []
    for copy, number, img in filled(seed_pdf, templates, dpi):
        scan = EFFECTS[effect](img, copy * 10 + number)
        result, normalised = read_page(scan, dpi, templates)
        assert result.status is PageStatus.READ, (copy, number, result)
        assert result.identity is not None
        assert (result.identity.version, result.identity.page) == (version, number)
        assert result.identity.serial == copy + 1
        assert result.identity.source == "qr"
        assert result.registration_error_mm is not None and result.registration_error_mm < 0.5
        assert normalised is not None and normalised.shape == (2339, 1654)
        answers = (FIRST, SECOND)[copy].get(number, [])
        problems += [
            f"copy {copy} page {number}: {p}" for p in check_fields(result, templates, answers)
        ]
    assert not [p for p in problems if p.startswith("copy") and "WRONG" in p], problems
    # Every answer drawn here is one a careful reader can decide: nothing should need review.
    assert not problems, problems


def test_rotation_is_reported(seed_pdf: Path, templates: TemplateSet) -> None:
    img = pages_at(seed_pdf, 200)[0]
    for turns, expected in ((0, 0), (1, 270), (2, 180), (3, 90)):
        result, _ = read_page(fx.rotate90(img, turns), 200, templates)
        assert result.identity is not None and result.identity.rotation == expected


def test_one_marker_missing(seed_pdf: Path, templates: TemplateSet) -> None:
    _copy, number, img = filled(seed_pdf, templates, 200)[1]
    s = 200 / 25.4
    img[round(278 * s) : round(292 * s), round(191 * s) : round(205 * s)] = 255  # marker 2
    result, normalised = read_page(img, 200, templates)
    assert result.status is PageStatus.READ
    assert normalised is not None
    assert not check_fields(result, templates, FIRST[number])


def test_unreadable_qr_is_identified_by_layout(seed_pdf: Path, templates: TemplateSet) -> None:
    for _copy, number, img in filled(seed_pdf, templates, 200)[:3]:
        s = 200 / 25.4
        img[round(5 * s) : round(28 * s), round(160 * s) : round(190 * s)] = 255  # QR and its text
        result, normalised = read_page(fx.noisy(img, number), 200, templates)
        assert result.status is PageStatus.FLAGGED
        assert result.reason == read_page_module.BY_LAYOUT
        assert result.identity is not None
        assert (result.identity.page, result.identity.source) == (number, "layout")
        assert result.identity.serial is None
        assert normalised is not None
        assert not [
            p for p in check_fields(result, templates, FIRST.get(number, [])) if "WRONG" in p
        ]


def test_blank_page_and_foreign_pages(templates: TemplateSet) -> None:
    rng = np.random.default_rng(1)
    blank = np.clip(rng.normal(240, 4, (2339, 1654)), 0, 255).astype(np.uint8)
    result, normalised = read_page(blank, 200, templates)
    assert (result.status, result.reason, normalised) == (
        PageStatus.BLANK,
        read_page_module.BLANK_PAGE,
        None,
    )

    photo = cv2_photo(rng)
    result, normalised = read_page(photo, 200, templates)
    assert (result.status, result.reason, normalised) == (
        PageStatus.REJECTED,
        "scanner.not_a_form",
        None,
    )


def cv2_photo(rng: np.random.Generator) -> np.ndarray:
    import cv2

    img = np.full((2339, 1654), 230, np.uint8)
    for _ in range(40):
        x, y = (int(v) for v in rng.integers(0, 1600, 2))
        cv2.circle(img, (x, y + 300), int(rng.integers(20, 200)), int(rng.integers(0, 200)), -1)
    for line in range(30):
        cv2.putText(
            img,
            "Lorem ipsum dolor sit amet",
            (100, 200 + 60 * line),
            cv2.FONT_HERSHEY_SIMPLEX,
            1.5,
            0,
            2,
        )
    return img


def test_unknown_form_is_rejected(seed_pdf: Path) -> None:
    result, normalised = read_page(pages_at(seed_pdf, 200)[0], 200, TemplateSet())
    assert result.status is PageStatus.REJECTED
    assert result.reason == "scanner.unknown_form"
    assert result.identity is not None and result.identity.page == 1
    assert normalised is None


@pytest.mark.parametrize(
    "image",
    [np.zeros((10, 10), np.uint8), np.zeros((3000, 2000), np.float32), "not an image", np.zeros(0)],
    ids=["tiny", "float", "str", "empty"],
)
def test_bad_images_never_raise(templates: TemplateSet, image: object) -> None:
    result, normalised = read_page(image, 200, templates)  # type: ignore[arg-type]
    assert result.status is PageStatus.REJECTED
    assert result.reason == read_page_module.BAD_IMAGE
    assert normalised is None


def test_template_set(seed_pdf: Path, templates: TemplateSet) -> None:
    from forms.render import ATTACHMENT_NAME

    assert TEMPLATE_ATTACHMENT == ATTACHMENT_NAME
    version = next(iter(templates))
    template = templates[version]
    for page in template.pages:
        reference = templates.reference(version, page.number)
        assert reference.image.shape == (2339, 1654)
        assert reference.image.dtype == np.uint8
    again = TemplateSet()
    again.add(
        template, {p.number: templates.reference(version, p.number).image for p in template.pages}
    )
    assert list(again) == [version]


def test_reason_keys_are_in_the_catalogue() -> None:
    keys = [
        v
        for m in (outcome, read_page_module)
        for k, v in vars(m).items()
        if k.isupper() and isinstance(v, str) and v.startswith("scanner.")
    ]
    assert len(keys) > 20
    for key in keys:
        assert i18n.has(key), key


def test_rating_line_position() -> None:
    from forms.template import Field
    from scanner.config import DEFAULT
    from scanner.ink import FieldInk
    from scanner.read_line import read_line

    field = Field(id="r", question="r", kind="line", label="", box=(10.0, 10.0, 100.0, 10.0))
    s = 200 / 25.4
    mask = np.zeros((round(12 * s), round(102 * s)), np.uint8)
    x = round((1 + 75) * s)  # a stroke across the line at 75 %
    mask[round(2 * s) : round(9 * s), x - 2 : x + 2] = 1
    ink = FieldInk(mask, (round(9 * s), round(9 * s)), s, (0, 0), mask, np.zeros_like(mask))
    result = read_line(field, ink, (7.0, 7.0, 106.0, 16.0), DEFAULT)
    assert result.status is FieldStatus.OK
    assert isinstance(result.value, float) and abs(result.value - 75) < 2
    empty = FieldInk(mask * 0, ink.origin, s, (0, 0), mask * 0, mask * 0)
    assert read_line(field, empty, (7.0, 7.0, 106.0, 16.0), DEFAULT).status is FieldStatus.EMPTY
