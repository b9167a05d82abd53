"""Regenerate the small sample batch bundled in ``samples/batch/`` (used by the demo).

Run ``python -m samples.bundle`` (or ``make samples-batch``): prints the seed questionnaire with
serials, fills and scans it with fixed arguments, and writes the scans, ``truth.json`` and the
form's template into ``samples/batch/``.  The result is the same on every run.
"""

from __future__ import annotations

import argparse
import logging
import shutil
import tempfile
from dataclasses import replace
from pathlib import Path

from samples.generate import Batch, write_batch
from samples.scanner_sim import PROFILES
from samples.source import PdfFormSource
from samples.truth import GroundTruth

ROOT = Path(__file__).resolve().parent.parent
SEED_FORM = ROOT / "layouts" / "asiakaspalautekysely.yaml"
BATCH = Path(__file__).resolve().parent / "batch"

RESPONDENTS = 5
SEED = 2026
FORMAT = "pdf-jpeg"
DPI = 200
COPIES = 5
# The default effects from a well-kept office scanner in grey (small files: it whitens the paper),
# simplex, with one page of another form in the stack so that the demo shows a rejected page too.
PROFILE = replace(
    PROFILES["default"],
    name="demo",
    colour=0.0,
    levels=1.0,
    noise_sigma=(0.5, 2.0),
    duplex=0.0,
    other_form=1.0,
    blank_sheet=0.0,
)


def build(out: Path = BATCH, layout: Path = SEED_FORM) -> GroundTruth:
    from forms.api import print_form

    with tempfile.TemporaryDirectory() as tmp:
        form = Path(tmp) / "form.pdf"
        printed = print_form(layout, form, copies=COPIES, serials=True)
        truth = write_batch(
            Batch(PdfFormSource(form), RESPONDENTS, SEED, FORMAT, PROFILE, DPI), out
        )
        shutil.copyfile(printed.template_json, out / "form.template.json")
    return truth


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=BATCH)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    build(args.out)


if __name__ == "__main__":
    main()
