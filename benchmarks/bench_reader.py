"""Page reader speed: ms per page for scanner.read_page on rendered seed-form pages, one core.

Pages are the printed seed questionnaire rasterised with pypdfium2, lightly marked, slightly
skewed and noisy, then either JPEG-compressed at 200 dpi or Otsu-thresholded at 300 dpi (as a G4
scan decodes).  Image decoding is not included: this is the reader alone.
Target: <= 25 ms/page per core (40 pages/s on 2 cores at 200 dpi JPEG).
Run: .venv/bin/python benchmarks/bench_reader.py [--repeat N] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import tempfile
import time
from pathlib import Path

import cv2
import numpy as np

from forms.api import print_form
from scanner.read_page import read_page
from scanner.templates import TemplateSet

ROOT = Path(__file__).resolve().parent.parent
SEED_FORM = ROOT / "layouts" / "asiakaspalautekysely.yaml"


def scans(pdf: Path, dpi: float, bilevel: bool) -> list[np.ndarray]:
    import pypdfium2

    rng = np.random.default_rng(0)
    document = pypdfium2.PdfDocument(str(pdf))
    out = []
    for i in range(len(document)):
        bitmap = document[i].render(scale=dpi / 72.0, grayscale=True)
        img = np.array(bitmap.to_numpy()).reshape(bitmap.height, bitmap.width)
        h, w = img.shape
        for _ in range(12):  # a few pen strokes
            x, y = int(rng.integers(w // 4, w - w // 8)), int(rng.integers(h // 6, h - h // 8))
            cv2.ellipse(
                img, (x, y), (int(dpi / 6), int(dpi / 8)), 0, 10, 350, 40, max(1, int(dpi / 60))
            )
        m = cv2.getRotationMatrix2D((w / 2, h / 2), 1.0, 1.0)
        img = cv2.warpAffine(img, m, (w, h), borderValue=255)
        noisy = img.astype(np.float32) * 0.92 + 8 + rng.normal(0, 6, img.shape).astype(np.float32)
        img = np.clip(noisy, 0, 255).astype(np.uint8)
        if bilevel:
            _, img = cv2.threshold(img, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
        else:
            _ok, data = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, 60])
            img = cv2.imdecode(data, cv2.IMREAD_GRAYSCALE)
        out.append(img)
    document.close()
    return out


def measure(images: list[np.ndarray], dpi: float, templates: TemplateSet, repeat: int) -> float:
    read_page(images[0], dpi, templates)  # warm-up
    start = time.perf_counter()
    for _ in range(repeat):
        for img in images:
            result, _ = read_page(img, dpi, templates)
            assert result.status.value == "read", result
    return (time.perf_counter() - start) * 1000 / (repeat * len(images))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    cv2.setNumThreads(1)
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "form.pdf"
        print_form(SEED_FORM, pdf, copies=2, serials=True)
        templates = TemplateSet.from_pdf(pdf)
        cases = [("200 dpi JPEG", 200.0, False), ("300 dpi bilevel", 300.0, True)]
        for name, dpi, bilevel in cases:
            images = scans(pdf, dpi, bilevel)
            if args.profile:
                profiler = cProfile.Profile()
                profiler.enable()
                ms = measure(images, dpi, templates, args.repeat)
                profiler.disable()
                pstats.Stats(profiler).sort_stats("tottime").print_stats(15)
            else:
                ms = measure(images, dpi, templates, args.repeat)
            print(f"{name:16s} {ms:6.1f} ms/page   {1000 / ms:5.1f} pages/s per core")


if __name__ == "__main__":
    main()
