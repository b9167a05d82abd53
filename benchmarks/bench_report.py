"""Report speed: the results report for 10,000 synthetic respondents on the seed questionnaire.

Prints seconds for the statistics, the whole report PDF and the bulletin (target: report
<= 10 s on a 2-core machine), and the report's pages and size.
Run: .venv/bin/python benchmarks/bench_report.py [--respondents N]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from forms.api import build
from palaute.results import stats
from palaute.results.bulletin import render_bulletin
from palaute.results.data import synthetic
from palaute.results.report import render_report

ROOT = Path(__file__).resolve().parent.parent
LAYOUTS = ROOT / "layouts"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--respondents", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    fi = build(LAYOUTS / "asiakaspalautekysely.yaml").template.with_version()
    sv = build(LAYOUTS / "asiakaspalautekysely_sv.yaml").template.with_version()
    start = time.perf_counter()
    data = synthetic(fi, args.respondents, seed=args.seed, extra_templates=(sv,))
    made = time.perf_counter() - start

    start = time.perf_counter()
    stats.summarise(data)
    counted = time.perf_counter() - start

    start = time.perf_counter()
    pdf, pages = render_report(data)
    reported = time.perf_counter() - start

    start = time.perf_counter()
    render_bulletin(data, "Lisäämme puhelinaikoja.")
    bulletin = time.perf_counter() - start

    print(f"respondents:        {args.respondents}")
    print(f"synthetic data s:   {made:.2f}")
    print(f"statistics s:       {counted:.2f}")
    print(f"report s:           {reported:.2f}   (target <= 10)")
    print(f"report pages:       {pages}")
    print(f"report size:        {len(pdf) / 1e6:.1f} MB")
    print(f"bulletin s:         {bulletin:.2f}")


if __name__ == "__main__":
    main()
