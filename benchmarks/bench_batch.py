"""The batch pipeline without the mark reader: ingest → worker pool → PNG → SQLite.

A stand-in reader returns every page as read and the page itself as its normalised image, so the
figure is the ceiling the orchestration allows (decode, pickling to workers, PNG writing, one
transaction per page); the real reader adds its own time per page on each core.  The parent's
peak memory is sampled as pages are stored: bounded look-ahead keeps it flat.

Run: ``.venv/bin/python benchmarks/bench_batch.py [--pages 300] [-j 2]``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

from forms.template import Template  # noqa: E402
from scanner.results import PageIdentity, PageResult, PageStatus  # noqa: E402


def passthrough_read(
    image: np.ndarray, dpi: float, templates: Mapping[str, Template], config: Any = None
) -> tuple[PageResult, np.ndarray | None]:
    version = next(iter(templates))
    identity = PageIdentity(version, 1, None, 0, "qr", 1.0)
    return PageResult("", 0, PageStatus.READ, "", identity), image


def main() -> None:
    from bench_ingest import build_pdf, maxrss_mb

    from palaute.store import Survey
    from scanner.batch import default_jobs, run_batch
    from tests.storekit import make_template

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("-j", "--jobs", type=int, default=default_jobs())
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        pdf = build_pdf(folder / "batch.pdf", args.pages, 200, "jpeg")
        with Survey.open(folder / "survey.sqlite") as survey:
            survey.add_template(make_template())
            samples: dict[int, float] = {}
            done = 0

            def progress(n: int) -> None:
                nonlocal done
                done += n
                if done in (10, args.pages // 2, args.pages):
                    samples[done] = round(maxrss_mb(), 1)

            start = time.perf_counter()
            report = run_batch(
                [pdf],
                survey,
                survey.templates(),
                jobs=args.jobs,
                reader=passthrough_read,
                progress=progress,
            )
            elapsed = time.perf_counter() - start
        assert report.pages_stored == args.pages
        print(
            f"{args.pages} pages of a 200 dpi JPEG PDF through run_batch -j {args.jobs}: "
            f"{args.pages / elapsed:.1f} pages/s (pool start-up included); parent peak RSS after "
            + ", ".join(f"{n} pages: {mb} MiB" for n, mb in samples.items())
        )


if __name__ == "__main__":
    main()
