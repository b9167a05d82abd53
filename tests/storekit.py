"""Test helpers for the store and the batch: a small template, identity-coded pages, fake readers.

The fake readers stand in for ``scanner.read_page.read_page`` (tests only): they read a page's
identity from a row of black/white blocks drawn by :func:`coded_page`, and answer every field.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pikepdf

from forms.template import Field, Mark, Option, Page, Template
from scanner.results import FieldResult, FieldStatus, PageIdentity, PageResult, PageStatus
from tests import scanfiles as sf

BITS = 20  # 5 bits page number, 14 bits serial (0 = none), 1 bit blank
BLOCK = 24  # pixels per block: survives JPEG and bilevel conversion


def make_template(title: str = "Asiakaspalaute", form_id: str = "testi") -> Template:
    marks = tuple(
        Mark(i, (5.0 + 190 * (i in (1, 2)), 5.0 + 277 * (i in (2, 3)), 10.0, 10.0))
        for i in range(4)
    )
    likert = tuple(Option(str(v), str(v), (20.0 + 10 * v, 50.0, 6.0, 6.0)) for v in range(1, 6))
    services = tuple(
        Option(v, v.capitalize(), (20.0 + 30 * i, 80.0, 5.0, 5.0))
        for i, v in enumerate(("toimeentulotuki", "neuvonta", "muu"))
    )
    page1 = Page(
        1,
        marks,
        (170.0, 15.0, 25.0, 25.0),
        (150.0, 42.0, 45.0, 4.0),
        (
            Field("q1", "q1", "likert", "Sain apua asiaani", (20.0, 45.0, 70.0, 15.0), likert),
            Field(
                "q2",
                "q2",
                "multiple",
                "Mitä palveluja käytit?",
                (20.0, 75.0, 100.0, 10.0),
                services,
            ),
        ),
    )
    page2 = Page(
        2,
        marks,
        (170.0, 15.0, 25.0, 25.0),
        (150.0, 42.0, 45.0, 4.0),
        (
            Field("q3", "q3", "text", "Terveisiä toimistolle", (20.0, 45.0, 170.0, 40.0), lines=4),
            Field("q4", "q4", "line", "Kuinka tyytyväinen olit?", (20.0, 100.0, 170.0, 10.0)),
        ),
    )
    return Template(
        form_id, title, "fi", "questionnaire", 210.0, 297.0, (page1, page2)
    ).with_version()


def coded_page(base: np.ndarray, page: int, serial: int | None, blank: bool = False) -> np.ndarray:
    """A copy of ``base`` with the identity drawn as a row of blocks in the top margin."""
    img = base.copy()
    bits = _bits(page, serial or 0, blank)
    for i, bit in enumerate(bits):
        y, x = BLOCK, BLOCK * (2 + i)
        img[y : y + BLOCK, x : x + BLOCK] = 0 if bit else 255
    return img


def decode_identity(img: np.ndarray) -> tuple[int, int | None, bool]:
    bits = []
    for i in range(BITS):
        y, x = BLOCK, BLOCK * (2 + i)
        bits.append(int(img[y + 4 : y + BLOCK - 4, x + 4 : x + BLOCK - 4].mean() < 128))
    page = int("".join(map(str, bits[:5])), 2)
    serial = int("".join(map(str, bits[5:19])), 2)
    return page, (serial or None), bool(bits[19])


def _bits(page: int, serial: int, blank: bool) -> list[int]:
    return [int(b) for b in f"{page:05b}{serial:014b}"] + [int(blank)]


def fake_read(
    image: np.ndarray, dpi: float, templates: Mapping[str, Template], config: Any = None
) -> tuple[PageResult, np.ndarray | None]:
    """Stands in for read_page: identity from the coded blocks, answers derived from the serial."""
    template = next(iter(templates.values()))
    page, serial, blank = decode_identity(image)
    if blank:
        return PageResult("", 0, PageStatus.BLANK, "scanner.page_blank"), None
    if not 1 <= page <= len(template.pages):
        return PageResult("", 0, PageStatus.UNIDENTIFIED, "scanner.no_page_id"), None
    identity = PageIdentity(template.version, page, serial, 0, "qr", 0.99)
    fields = []
    for f in template.page(page).fields:
        n = serial or page
        if f.kind == "likert":
            value: Any = f.options[n % len(f.options)].value
            fields.append(FieldResult(f.id, value, 0.95, FieldStatus.OK, "", f.box))
        elif f.kind == "multiple":
            value = sorted(o.value for o in f.options[: 1 + n % 2])
            fields.append(
                FieldResult(
                    f.id,
                    value,
                    0.4,
                    FieldStatus.AMBIGUOUS,
                    "scanner.field_unsure",
                    f.box,
                    needs_review=True,
                )
            )
        elif f.kind == "text":
            fields.append(FieldResult(f.id, None, 0.9, FieldStatus.WRITTEN, "", f.box))
        else:
            fields.append(FieldResult(f.id, float(n % 101), 0.8, FieldStatus.OK, "", f.box))
    small = np.ascontiguousarray(image[::4, ::4])
    return PageResult("", 0, PageStatus.READ, "", identity, 0.3, tuple(fields)), small


def slow_read(
    image: np.ndarray, dpi: float, templates: Mapping[str, Template], config: Any = None
) -> tuple[PageResult, np.ndarray | None]:
    time.sleep(0.15)
    return fake_read(image, dpi, templates, config)


def failing_read(
    image: np.ndarray, dpi: float, templates: Mapping[str, Template], config: Any = None
) -> tuple[PageResult, np.ndarray | None]:
    _page, serial, _ = decode_identity(image)
    if serial == 13:
        raise RuntimeError("unlucky sheet")
    return fake_read(image, dpi, templates, config)


def write_template_json(path: Path, template: Template) -> Path:
    path.write_text(template.to_json(), encoding="utf-8")
    return path


def make_batch(folder: Path) -> dict[str, int]:
    """Two scan files, four respondents with serials, blank backs: what a clerk would feed."""
    folder.mkdir(parents=True, exist_ok=True)
    base200 = sf.page_image(200)
    blank200 = sf.page_image(200)[:, :]
    blank200[:] = 255
    sf.image_pdf(
        folder / "01-aamu.pdf",
        [
            coded_page(base200, 1, 1),
            coded_page(blank200, 0, None, blank=True),
            coded_page(base200, 2, 1),
            coded_page(blank200, 0, None, blank=True),
            coded_page(base200, 1, 2),
            coded_page(base200, 2, 2),
        ],
        200,
        "jpeg",
    )
    base300 = sf.page_image(300)
    sf.tiff(
        folder / "02-ilta.tif",
        [coded_page(base300, 1, 3), coded_page(base300, 2, 3), coded_page(base300, 2, 4)],
        300,
        "group4",
        "1",
    )
    return {"pages": 9, "read": 7, "blank": 2, "respondents": 4, "missing": 1}


def make_bad_files(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "03-tyhja.pdf").write_bytes(b"")
    (folder / "04-muistio.pdf").write_text("ei skannaus")
    plain = sf.image_pdf(folder / "05-salattu-src.pdf", [sf.page_image(150)], 150)
    with pikepdf.open(plain) as pdf:
        pdf.save(folder / "05-salattu.pdf", encryption=pikepdf.Encryption(user="x", owner="y"))
    plain.unlink()
    whole = sf.image_pdf(
        folder / "06-katkennut-src.pdf",
        [coded_page(sf.page_image(200), 1, 20 + n) for n in range(3)],
        200,
    )
    data = whole.read_bytes()
    (folder / "06-katkennut.pdf").write_bytes(data[: int(len(data) * 0.6)])
    whole.unlink()


def crashing_read(
    image: np.ndarray, dpi: float, templates: Mapping[str, Template], config: Any = None
) -> tuple[PageResult, np.ndarray | None]:
    """Kills its worker process on serial 13, as a segfault in a native library would."""
    import os

    _page, serial, _ = decode_identity(image)
    if serial == 13:
        os._exit(3)
    return fake_read(image, dpi, templates, config)


def stranger_read(
    image: np.ndarray, dpi: float, templates: Mapping[str, Template], config: Any = None
) -> tuple[PageResult, np.ndarray | None]:
    """Claims serial 13 belongs to a form version the survey does not have."""
    import dataclasses

    result, normalised = fake_read(image, dpi, templates, config)
    if result.identity is not None and result.identity.serial == 13:
        identity = dataclasses.replace(result.identity, version="DEADBEEF")
        result = dataclasses.replace(result, identity=identity, fields=())
    return result, normalised


def printed_pdf(path: Path, template: Template, copies: int = 1) -> Path:
    """A stand-in for a PDF printed by palaute: vector pages with the template attached."""
    sf.vector_pdf(path, pages=copies * len(template.pages))
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        pdf.attachments["template.json"] = pikepdf.AttachedFileSpec(
            pdf, template.to_json().encode()
        )
        pdf.save(path)
    return path
