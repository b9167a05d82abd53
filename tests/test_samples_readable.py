"""Default scans stay within what a reader can be asked to handle: QR codes decode, markers show."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
from pyzbar import pyzbar

from forms.pageid import PageId
from samples.generate import Batch
from samples.source import PdfFormSource


def upright_gray(image: np.ndarray, rotation: int) -> np.ndarray:
    img = image.astype(np.uint8) * 255 if image.dtype == bool else image
    if img.ndim == 3:
        img = cv2.cvtColor(img, cv2.COLOR_RGB2GRAY)
    return np.ascontiguousarray(np.rot90(img, k=-(rotation // 90)))


def test_default_scans_keep_qr_codes_and_markers_readable(seed_pdf: Path) -> None:
    source = PdfFormSource(seed_pdf)
    detector = cv2.aruco.ArucoDetector(cv2.aruco.getPredefinedDictionary(cv2.aruco.DICT_4X4_50))
    batch = Batch(source, 4, 12, "pdf-jpeg", "default", 200)
    pages = 0
    for sample in batch.pages(encode=True):
        t = sample.truth
        if t.kind != "form":
            continue
        pages += 1
        img = upright_gray(sample.image, t.rotation)  # the truth's rotation makes it upright
        codes = pyzbar.decode(img, symbols=[pyzbar.ZBarSymbol.QRCODE])
        assert codes, t
        pid = PageId.decode(codes[0].data)
        assert (pid.version, pid.page, pid.serial) == (t.version, t.form_page, t.serial)
        _, ids, _ = detector.detectMarkers(img)
        assert ids is not None and len({0, 1, 2, 3} & set(ids.flatten().tolist())) >= 3, t
    assert pages >= 10
