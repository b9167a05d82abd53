"""Review desk speed: time to the next flagged field with 10,000 flags waiting.

Builds a survey of the seed questionnaire with 10,000 flagged rating fields (one shared real page
image), then measures, median and 95th percentile:
the queue query, the whole next-item page (GET /flags), the field crop, and one decision
(POST + the next page).  Target: next item <= 100 ms.
Run: .venv/bin/python benchmarks/bench_review.py [--flags N] [--rounds N]
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from forms.api import print_form
from palaute.store import Survey, accounts
from palaute.store import review as store_review
from scanner.page_images import write_image
from scanner.results import FieldResult, FieldStatus, PageIdentity, PageResult, PageStatus

ROOT = Path(__file__).resolve().parent.parent
SEED_FORM = ROOT / "layouts" / "asiakaspalautekysely.yaml"
DPI = 200.0


def rasterise(pdf: Path, index: int) -> np.ndarray:
    """A real page image: the printed form's page with light scanner-like noise."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        grey = np.asarray(doc[index].render(scale=DPI / 72).to_pil().convert("L"), np.int16)
    finally:
        doc.close()
    noise = np.random.default_rng(1).normal(0, 6, grey.shape)
    return np.clip(grey + noise, 0, 255).astype(np.uint8)


def build(directory: Path, flags: int) -> tuple[Path, int]:
    printed = print_form(SEED_FORM, directory / "form.pdf")
    path = directory / "survey.sqlite"
    rng = random.Random(1)
    with Survey.open(path) as survey:
        template = survey.register_pdf(printed.pdf)
        page2 = template.page(2)
        write_image(survey.images_dir / "shared" / "page2.png", rasterise(printed.pdf, 1))
        pages = -(-flags // len(page2.fields))
        file_id = survey.begin_file(directory / "scan.pdf", "cd" * 32, pages)
        made = 0
        for index in range(pages):
            fields = []
            for f in page2.fields:
                if made == flags:
                    break
                made += 1
                fields.append(
                    FieldResult(
                        f.id,
                        str(rng.randint(1, 5)),
                        rng.random() * 0.6,
                        FieldStatus.AMBIGUOUS,
                        "scanner.read.between_options",
                        f.box,
                        needs_review=True,
                    )
                )
            ident = PageIdentity(template.version, 2, index + 1, 0, "qr", 0.99)
            result = PageResult(
                "scan.pdf",
                index,
                PageStatus.READ,
                "",
                ident,
                fields=tuple(fields),
                image_path="shared/page2.png",
            )
            survey.store_page(file_id, result, dpi=DPI)
        accounts.add_user(survey, "bench", "bench-password")
    return path, made


def timed(fn: Callable[[], object], rounds: int) -> tuple[float, float]:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[max(0, int(len(samples) * 0.95) - 1)]


def main() -> None:
    from starlette.testclient import TestClient

    from palaute.review import create_app
    from palaute.store import images

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--flags", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        path, made = build(Path(tmp), args.flags)
        built = time.perf_counter() - start
        client = TestClient(create_app(path, secret="bench"), follow_redirects=False)
        token = re.search(r'name="csrf" value="([^"]+)"', client.get("/login").text)
        assert token
        client.post(
            "/login", data={"csrf": token.group(1), "name": "bench", "password": "bench-password"}
        )
        page = client.get("/flags").text
        token = re.search(r'name="csrf" value="([^"]+)"', page)
        assert token and "/image/field/" in page
        with Survey.open(path, create=False) as survey:
            query = timed(lambda: store_review.next_flagged(survey), args.rounds)
        next_page = timed(lambda: client.get("/flags"), args.rounds)

        def crop() -> None:
            pk = re.search(r"/image/field/(\d+)", client.get("/flags").text)
            assert pk
            client.get(f"/image/field/{pk.group(1)}")

        crop_ms = timed(crop, max(5, args.rounds // 5))

        def cold_crop() -> None:
            images._load.cache_clear()  # a new page: its PNG is decoded again
            crop()

        cold_ms = timed(cold_crop, max(5, args.rounds // 5))

        def decide() -> None:
            text = client.get("/flags").text
            pk = re.search(r'action="/flags/(\d+)"', text)
            rev = re.search(r'name="revision" value="(\d+)"', text)
            assert pk and rev and token
            response = client.post(
                f"/flags/{pk.group(1)}",
                data={"csrf": token.group(1), "revision": rev.group(1), "value": "3"},
            )
            assert response.status_code == 303

        decision = timed(decide, args.rounds)
    print(f"flagged fields:          {made}  (built in {built:.1f} s)")
    print(f"queue query ms:          median {query[0]:.2f}  p95 {query[1]:.2f}")
    print(
        f"next item page ms:       median {next_page[0]:.1f}  p95 {next_page[1]:.1f}   (target <= 100)"
    )
    print(f"next page + crop ms:     median {crop_ms[0]:.1f}  p95 {crop_ms[1]:.1f}")
    print(f"... page not cached ms:  median {cold_ms[0]:.1f}  p95 {cold_ms[1]:.1f}")
    print(f"decision + next page ms: median {decision[0]:.1f}  p95 {decision[1]:.1f}")


if __name__ == "__main__":
    main()
