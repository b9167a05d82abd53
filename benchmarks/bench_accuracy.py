"""Reader accuracy on generated filled scans: what share of fields is exact, flagged or wrong.

Generates a batch of the seed questionnaire with samples (answers, marks and scanner effects with
ground truth), reads every page with scanner.read_page, and scores the results with
samples.score: page statuses, page identities and every field, by mark style.  Silent errors
(`wrong`) are what matters; `flagged` costs clerk time.
Run: .venv/bin/python benchmarks/bench_accuracy.py [--respondents N] [--seed S] [--profile P]
     [--format F] [--dpi D] [--show N]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import cv2
import numpy as np

from forms.api import print_form
from samples.generate import Batch
from samples.score import EXACT, FLAGGED, MISSING, WRONG, score_batch
from samples.source import PdfFormSource
from scanner.read_page import read_page
from scanner.results import PageResult
from scanner.templates import TemplateSet

ROOT = Path(__file__).resolve().parent.parent
SEED_FORM = ROOT / "layouts" / "asiakaspalautekysely.yaml"


def grey(image: np.ndarray) -> np.ndarray:
    if image.dtype == bool:
        return image.astype(np.uint8) * 255
    return cv2.cvtColor(image, cv2.COLOR_RGB2GRAY) if image.ndim == 3 else image


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--respondents", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--profile", default="default")
    parser.add_argument("--format", default="pdf-jpeg")
    parser.add_argument("--dpi", type=int, default=200)
    parser.add_argument("--show", type=int, default=10, help="silent errors to list")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        form = Path(tmp) / "form.pdf"
        print_form(SEED_FORM, form, copies=args.respondents, serials=True)
        templates = TemplateSet.from_pdf(form)
        batch = Batch(
            PdfFormSource(form), args.respondents, args.seed, args.format, args.profile, args.dpi
        )
        truth = batch.ground_truth(args.profile)
        results: list[PageResult] = []
        start = time.perf_counter()
        for i, sample in enumerate(batch.pages(encode=True)):
            sample.truth.file, sample.truth.index = "scan", i
            truth.pages.append(sample.truth)
            result, _ = read_page(
                grey(sample.image), args.dpi, templates, source_file="scan", index=i
            )
            results.append(result)
        elapsed = time.perf_counter() - start
    score = score_batch(truth, results)
    f = score.fields
    print(f"profile {args.profile}, {args.format}, {args.dpi} dpi, seed {args.seed}")
    print(
        f"pages: {len(truth.pages)}  ({len(truth.pages) / elapsed:.1f} pages/s generated and read)"
    )
    print("page outcomes:   " + "  ".join(f"{k} {v}" for k, v in sorted(score.pages.items())))
    print(f"identity errors: {len(score.identity_errors)}")
    print(
        f"fields: {f.total}  exact {f.rate(EXACT):.1%}  flagged {f.rate(FLAGGED):.1%}  "
        f"wrong {f.rate(WRONG):.2%}  missing {f.rate(MISSING):.1%}"
    )
    print("by style (exact / flagged / wrong / missing):")
    for style, counts in sorted(score.fields.by_style.items(), key=lambda kv: -sum(kv[1].values())):
        total = sum(counts.values())
        print(
            f"  {style:16s} {total:5d}   {counts[EXACT] / total:6.1%} {counts[FLAGGED] / total:6.1%} "
            f"{counts[WRONG] / total:6.2%} {counts[MISSING] / total:6.1%}"
        )
    for t, r in f.wrong[: args.show]:
        print(
            f"  WRONG {t.field_id} ({t.style}): expected {t.expect} {t.value!r}, "
            f"read {r.status} {r.value!r} {r.reason}"
        )
    for t, r in score.identity_errors[: args.show]:
        print(
            f"  IDENTITY page {t.file}#{t.index}: truth {t.form_page}/{t.serial}/{t.rotation}, read {r.identity}"
        )


if __name__ == "__main__":
    main()
