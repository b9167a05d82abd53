"""Sample generation speed: filled, scanned pages of the seed questionnaire with ground truth.

Prints pages per second for each output format (default profile, 200 dpi) and for the streaming
API (no files).  Target: 100 pages well under a minute on a 2-core machine.
Run: .venv/bin/python benchmarks/bench_samples.py [--respondents N] [--dpi D] [--profile P]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from forms.api import print_form
from samples.generate import Batch, write_batch
from samples.source import PdfFormSource

ROOT = Path(__file__).resolve().parent.parent
SEED_FORM = ROOT / "layouts" / "asiakaspalautekysely.yaml"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--respondents", type=int, default=34, help="34 respondents = about 100 pages"
    )
    parser.add_argument("--dpi", type=int, default=200)
    parser.add_argument("--profile", default="default")
    parser.add_argument("--formats", default="pdf-jpeg,pdf-g4,tiff-g4,images")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        form = Path(tmp) / "form.pdf"
        print_form(SEED_FORM, form, copies=4, serials=True)
        source = PdfFormSource(form)
        print(f"respondents: {args.respondents}, dpi: {args.dpi}, profile: {args.profile}")
        start = time.perf_counter()
        batch = Batch(source, args.respondents, 1, "pdf-jpeg", args.profile, args.dpi)
        pages = sum(1 for _ in batch.pages(encode=True))
        elapsed = time.perf_counter() - start
        print(
            f"{'stream':10s} pages: {pages:4d}  seconds: {elapsed:6.2f}  pages/s: {pages / elapsed:5.1f}"
        )
        for fmt in args.formats.split(","):
            out = Path(tmp) / fmt
            start = time.perf_counter()
            truth = write_batch(
                Batch(source, args.respondents, 1, fmt, args.profile, args.dpi), out
            )
            elapsed = time.perf_counter() - start
            size = sum(p.stat().st_size for p in out.iterdir())
            pages = len(truth.pages)
            print(
                f"{fmt:10s} pages: {pages:4d}  seconds: {elapsed:6.2f}  pages/s: {pages / elapsed:5.1f}"
                f"  bytes/page: {size / pages:8.0f}"
            )


if __name__ == "__main__":
    main()
