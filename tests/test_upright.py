"""The registered page resampled on demand: any part of it equals the same part of the whole
page, wherever it lies (inside, across an edge, outside), on real printed pages scanned skewed,
shrunk, turned and perspective-distorted."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scanner.config import DEFAULT
from scanner.register import find_markers, fit, page_map, warp_map
from scanner.templates import TemplateSet
from scanner.upright import UprightPage, page_crop, page_sample

from . import reader_fixtures as fx

_pages: dict[str, UprightPage] = {}


def _perspective(img: np.ndarray) -> np.ndarray:
    h, w = img.shape
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    dst = np.float32([[12, 5], [w - 4, 18], [w - 15, h - 3], [6, h - 20]])
    return cv2.warpPerspective(img, cv2.getPerspectiveTransform(src, dst), (w, h), borderValue=255)


SCANS = {
    "skewed": lambda img: fx.skew(img, 1.2, (14, -9)),
    "shrunk and turned": lambda img: fx.rotate90(fx.shrink(img, 0.93), 2),
    "perspective": _perspective,
}


def upright(seed_pdf: Path, kind: str) -> UprightPage:
    if kind not in _pages:
        templates = TemplateSet.from_pdf(seed_pdf)
        template = next(iter(templates.values()))
        page = template.page(2)
        scan = SCANS[kind](fx.render_pages(seed_pdf, 200, 1, 1)[0])
        registration = fit(find_markers(scan, 200, DEFAULT), page.marks, 200, DEFAULT)
        assert registration is not None
        size_mm = (template.page_width, template.page_height)
        matrix, size = page_map(registration, DEFAULT.normalised_dpi, (0.0, 0.0, *size_mm))
        _pages[kind] = UprightPage(scan, matrix, size)
    return _pages[kind]


@pytest.mark.parametrize("kind", sorted(SCANS))
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    x=st.integers(-200, 1800),
    y=st.integers(-200, 2500),
    w=st.integers(1, 700),
    h=st.integers(1, 400),
)
def test_a_part_equals_that_part_of_the_whole_page(
    seed_pdf: Path, kind: str, x: int, y: int, w: int, h: int
) -> None:
    page = upright(seed_pdf, kind)
    fresh = UprightPage(page.scan, page.matrix, page.size)  # nothing resampled yet
    whole = warp_map(page.scan, page.matrix, page.size)
    part = page_crop(fresh, x, y, x + w, y + h)
    expected = page_crop(whole, x, y, x + w, y + h)
    assert part.shape == expected.shape == (h, w)
    # The same map, resampled from another origin: fixed-point rounding, a grey level at most.
    assert int(np.abs(part.astype(int) - expected.astype(int)).max(initial=0)) <= 1


@pytest.mark.parametrize("kind", sorted(SCANS))
def test_a_sparse_sample_equals_the_whole_page_sampled(seed_pdf: Path, kind: str) -> None:
    page = upright(seed_pdf, kind)
    fresh = UprightPage(page.scan, page.matrix, page.size)
    whole = warp_map(page.scan, page.matrix, page.size)
    sample = page_sample(fresh, 10)
    assert sample.shape == whole[::10, ::10].shape
    assert int(np.abs(sample.astype(int) - whole[::10, ::10].astype(int)).max()) <= 1
    assert np.array_equal(np.asarray(fresh), whole)
    assert fresh.shape == whole.shape
