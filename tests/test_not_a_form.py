"""Images that are not form pages (a photo of something else, pure noise) are rejected as "not a
form" with that reason for the clerk, never taken for a blank back; bare paper still is blank."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image

from palaute import i18n
from palaute.cli import main
from palaute.store import Survey
from scanner.results import PageStatus

from .conftest import LAYOUTS

DPI = 150
A4 = (round(210 / 25.4 * DPI), round(297 / 25.4 * DPI))  # width, height in pixels


def _save(image: np.ndarray, path: Path) -> None:
    Image.fromarray(image).save(path, dpi=(DPI, DPI))


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[PageStatus, str]]:
    directory = tmp_path_factory.mktemp("not_a_form")
    rng = np.random.default_rng(5)
    w, h = A4
    scans = directory / "scans"
    scans.mkdir()
    _save(rng.integers(0, 256, (h, w), dtype=np.uint8), scans / "1-noise.png")
    colour = rng.integers(0, 256, (h, w, 3), dtype=np.uint8)
    _save(colour, scans / "2-colour-noise.png")
    # A photo of something else: soft light and shade, a few edges.
    scene = cv2.GaussianBlur(rng.normal(128, 60, (h // 8, w // 8)).astype(np.float32), (0, 0), 3)
    scene = cv2.resize(scene, (w, h), interpolation=cv2.INTER_CUBIC)
    scene = np.clip((scene - scene.mean()) * 4 + 128, 0, 255).astype(np.uint8)
    cv2.rectangle(scene, (w // 4, h // 3), (w // 2, h // 2), 20, 12)
    _save(scene, scans / "3-photo.png")
    paper = np.clip(rng.normal(238, 3, (h, w)), 0, 255).astype(np.uint8)
    _save(paper, scans / "4-paper.png")
    survey = directory / "kysely.sqlite"
    form = directory / "lomake.pdf"
    assert main(["print", str(LAYOUTS / "arviointijana.yaml"), "-o", str(form)]) == 0
    assert main(["forms", "add", str(form), "--survey", str(survey)]) == 0
    main(["--lang", "en", "scan", str(scans), "--survey", str(survey), "-j", "1"])
    with Survey.open(survey, create=False) as store:
        files = {f.id: Path(f.path).name for f in store.scan_files()}
        return {files[p.file_id]: (p.status, p.reason) for p in store.pages()}


@pytest.mark.parametrize("name", ["1-noise.png", "2-colour-noise.png", "3-photo.png"])
def test_noise_and_photos_are_not_form_pages(
    scanned: dict[str, tuple[PageStatus, str]], name: str
) -> None:
    status, reason = scanned[name]
    assert status == PageStatus.REJECTED, (name, status, reason)
    assert reason == "scanner.not_a_form"
    assert "not a questionnaire" in i18n.t(reason, "en")


def test_bare_paper_is_still_blank(scanned: dict[str, tuple[PageStatus, str]]) -> None:
    assert scanned["4-paper.png"][0] == PageStatus.BLANK
