"""Stored page images: a PDF page that is one JPEG or G4 image is kept as those very bytes with
the map that makes it upright, and what the desk and the report are shown from it is the page
the reader read.  Real generated scans, the real reader, a real SQLite survey."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pikepdf
import pytest

from palaute.commands.scan import reader_templates
from palaute.store import Survey, images
from samples.generate import generate
from scanner.batch import run_batch
from scanner.ingest import iter_pages
from scanner.page_images import PageWarp
from scanner.read_page import read_page
from scanner.results import PageStatus

SUFFIX = {"pdf-jpeg": ".jpg", "pdf-g4": ".tif"}


def _embedded_bytes(pdf: Path, index: int) -> bytes:
    with pikepdf.open(pdf) as doc:
        (image,) = doc.pages[index].Resources.XObject.values()
        return bytes(image.read_raw_bytes())


@pytest.fixture
def registered_survey(tmp_path: Path, seed_pdf: Path) -> Iterator[Survey]:
    with Survey.open(tmp_path / "kysely.sqlite") as survey:
        survey.register_pdf(seed_pdf)
        yield survey


@pytest.mark.parametrize(("fmt", "dpi"), [("pdf-jpeg", 200), ("pdf-g4", 300)])
def test_a_pdf_page_image_is_kept_as_scanned_and_shown_upright(
    tmp_path: Path, registered_survey: Survey, seed_pdf: Path, fmt: str, dpi: int
) -> None:
    survey = registered_survey
    generate(seed_pdf, tmp_path / "scans", respondents=1, seed=5, fmt=fmt, dpi=dpi)
    pdf = tmp_path / "scans" / "scan.pdf"
    templates = reader_templates(survey)
    report = run_batch([pdf], survey, templates, jobs=2)
    assert report.pages_stored >= 2 and not report.page_rejections
    decoded = {p.index: p for p in iter_pages(pdf)}
    for page in survey.pages():
        assert page.status in (PageStatus.READ, PageStatus.FLAGGED)
        assert page.image_path is not None and page.warp is not None
        path = survey.images_dir / page.image_path
        # The embedded image itself: nothing re-encoded, nothing lost.
        assert path.suffix == SUFFIX[fmt]
        stored = path.read_bytes()
        if fmt == "pdf-jpeg":
            assert stored == _embedded_bytes(pdf, page.page_index)
        else:
            assert stored[:3] == b"II*"
        # What the clerk is shown is the page the reader read (which also took feed streaks
        # out of it, so a few columns may differ).
        source = decoded[page.page_index]
        assert source.image is not None
        _, upright = read_page(source.image, source.dpi, templates)
        assert upright is not None
        normalised = np.asarray(upright)
        shown = np.asarray(images.load(path, page.warp))
        assert shown.shape == normalised.shape
        differs = np.abs(shown.astype(int) - normalised.astype(int)) > 2
        assert differs.mean() < 0.01
        # A crop for the desk comes out of it.
        field = survey.page_fields(page.id)[0]
        crop = images.field_crop(path, page.dpi, field.crop, warp=page.warp)
        assert crop[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_turned_pdf_page_is_shown_upright(
    tmp_path: Path, registered_survey: Survey, seed_pdf: Path
) -> None:
    """A page the PDF turns with /Rotate: the stored bytes are unturned, the warp turns them."""
    survey = registered_survey
    generate(seed_pdf, tmp_path / "scans", respondents=1, seed=6, fmt="pdf-jpeg", dpi=200)
    pdf = tmp_path / "scans" / "scan.pdf"
    with pikepdf.open(pdf, allow_overwriting_input=True) as doc:
        doc.pages[0].Rotate = 90
        doc.save(pdf)
    templates = reader_templates(survey)
    run_batch([pdf], survey, templates, jobs=2)
    (page,) = [p for p in survey.pages() if p.page_index == 0]
    assert page.warp is not None and PageWarp.from_json(page.warp).turn == 90
    source = next(iter_pages(pdf))
    assert source.image is not None
    _, upright = read_page(source.image, source.dpi, templates)
    assert upright is not None
    normalised = np.asarray(upright)
    shown = np.asarray(images.load(survey.images_dir / (page.image_path or ""), page.warp))
    assert (np.abs(shown.astype(int) - normalised.astype(int)) > 2).mean() < 0.01


def test_a_page_warp_survives_its_json(tmp_path: Path) -> None:
    warp = PageWarp((1.0, 0.01, 3.5, -0.01, 1.0, 2.25, 0.0, 0.0, 1.0), (1654, 2339), 270)
    assert PageWarp.from_json(warp.to_json()) == warp
    with pytest.raises(ValueError):
        PageWarp.from_json('{"matrix": [1, 2], "size": [10, 10]}')
