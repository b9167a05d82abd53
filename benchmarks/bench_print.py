"""Printing speed: 1,000 personalised copies of the seed questionnaire.

Prints pages per second (target >= 100 on a 2-core machine) and PDF bytes per page.
Run: .venv/bin/python benchmarks/bench_print.py [--copies N]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from forms.api import print_form

ROOT = Path(__file__).resolve().parent.parent
SEED_FORM = ROOT / "layouts" / "asiakaspalautekysely.yaml"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--copies", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "copies.pdf"
        start = time.perf_counter()
        printed = print_form(SEED_FORM, out, copies=args.copies, serials=True)
        elapsed = time.perf_counter() - start
        size = out.stat().st_size
    print(f"copies:          {args.copies}")
    print(f"pages:           {printed.pages}")
    print(f"seconds:         {elapsed:.2f}")
    print(f"pages/s:         {printed.pages / elapsed:.0f}   (target >= 100)")
    print(f"PDF bytes/page:  {size / printed.pages:.0f}")
    print(f"PDF size:        {size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
