"""Default scans stay within what a reader can be asked to handle, and the page truth is exact:
QR codes decode to the recorded identity, markers show, and the recorded transform puts them
where they are."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import cv2
import numpy as np
from pyzbar import pyzbar

from forms.pageid import PageId
from samples.generate import Batch
from samples.scanner_sim import PROFILES
from samples.source import PdfFormSource
from samples.truth import PageTruth

DETECTOR = cv2.aruco.ArucoDetector(cv2.aruco.getPredefinedDictionary(cv2.aruco.DICT_4X4_50))


def gray(image: np.ndarray) -> np.ndarray:
    img = image.astype(np.uint8) * 255 if image.dtype == bool else image
    return cv2.cvtColor(img, cv2.COLOR_RGB2GRAY) if img.ndim == 3 else img


def upright(img: np.ndarray, rotation: int) -> np.ndarray:
    return np.ascontiguousarray(np.rot90(img, k=-(rotation // 90)))


def check_transform(source: PdfFormSource, t: PageTruth, img: np.ndarray) -> int:
    """Marker centres found in the image match the truth's transform; returns markers checked."""
    assert [img.shape[1], img.shape[0]] == t.size
    matrix = np.array(t.transform)
    marks = {m.id: m.box for m in source.template.page(t.form_page or 0).marks}
    corners, ids, _ = DETECTOR.detectMarkers(img)
    checked = 0
    for found, quad in zip([] if ids is None else ids.flatten().tolist(), corners, strict=False):
        if found in marks:
            x, y, w, h = marks[found]
            expected = matrix @ np.array([x + w / 2, y + h / 2, 1.0])
            assert np.linalg.norm(quad.reshape(4, 2).mean(axis=0) - expected) < 3.0, (t, found)
            checked += 1
    return checked


def test_default_scans_keep_qr_codes_and_markers_readable(seed_pdf: Path) -> None:
    source = PdfFormSource(seed_pdf)
    batch = Batch(source, 4, 12, "pdf-jpeg", "default", 200)
    pages = 0
    for sample in batch.pages(encode=True):
        t = sample.truth
        if t.kind != "form":
            continue
        pages += 1
        img = upright(gray(sample.image), t.rotation)  # the truth's rotation makes it upright
        codes = pyzbar.decode(img, symbols=[pyzbar.ZBarSymbol.QRCODE])
        assert codes, t
        pid = PageId.decode(codes[0].data)
        assert (pid.version, pid.page, pid.serial) == (t.version, t.form_page, t.serial)
        _, ids, _ = DETECTOR.detectMarkers(img)
        assert ids is not None and len({0, 1, 2, 3} & set(ids.flatten().tolist())) >= 3, t
        assert check_transform(source, t, gray(sample.image)) >= 3
    assert pages >= 10


def test_transform_follows_skew_shift_scaling_and_turned_feeds(seed_pdf: Path) -> None:
    source = PdfFormSource(seed_pdf)
    profile = replace(
        PROFILES["none"],
        name="geometry",
        scale_chance=1.0,
        rotation_deg=3.0,
        shift_mm=4.0,
        margin_mm=(0.0, 6.0),
        upside_down=0.3,
        sideways=0.4,
    )
    batch = Batch(source, 3, 4, "images", profile, 150)
    rotations = set()
    for sample in batch.pages(encode=False):
        rotations.add(sample.truth.rotation)
        assert check_transform(source, sample.truth, gray(sample.image)) >= 2
    assert len(rotations) >= 3
