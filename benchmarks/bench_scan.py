"""The whole scan pipeline with the real reader: ingest → identify → register → read → store.

Generates filled scans of the seed questionnaire with the sample generator (default
degradations, duplex blank backs included), then times ``run_batch`` exactly as ``palaute scan``
runs it, for a 200 dpi JPEG PDF and a 300 dpi CCITT G4 PDF.  Prints pages per second (targets:
>= 40 at 200 dpi, >= 25 at 300 dpi on 2 cores) and the peak memory of the parent and of the
largest worker (target <= 500 MB for a 1,000-page PDF: use ``--respondents 170``).

Run: .venv/bin/python benchmarks/bench_scan.py [--respondents 50] [-j 2] [--only pdf-jpeg]
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]

CASES = (("pdf-jpeg", 200), ("pdf-g4", 300))


def peak_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # kilobytes on Linux


def main() -> None:
    from forms.api import print_form
    from palaute.commands.scan import reader_templates
    from palaute.store import Survey
    from samples import generate
    from scanner.batch import default_jobs, run_batch
    from scanner.ingest import page_count

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--respondents", type=int, default=50)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("-j", "--jobs", type=int, default=default_jobs())
    parser.add_argument("--only", choices=[c[0] for c in CASES])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        form = folder / "form.pdf"
        print_form(
            ROOT / "layouts" / "asiakaspalautekysely.yaml",
            form,
            copies=args.respondents,
            serials=True,
        )
        for fmt, dpi in CASES:
            if args.only and fmt != args.only:
                continue
            scans = folder / f"scans-{fmt}"
            start = time.perf_counter()
            generate(form, scans, args.respondents, args.seed, fmt=fmt, dpi=dpi)
            made = time.perf_counter() - start
            pdf = scans / "scan.pdf"
            pages = page_count(pdf)
            with Survey.open(folder / f"survey-{fmt}.sqlite") as survey:
                survey.register_pdf(form)
                templates = reader_templates(survey)
                start = time.perf_counter()
                report = run_batch([pdf], survey, templates, jobs=args.jobs)
                elapsed = time.perf_counter() - start
                grouping = survey.assign_respondents()
            status = report.pages_by_status
            print(
                f"{fmt} {dpi} dpi: {pages} pages ({pdf.stat().st_size / 1e6:.0f} MB, generated in {made:.0f} s), "
                f"read in {elapsed:.1f} s with -j {args.jobs}: {pages / elapsed:.1f} pages/s "
                f"(target {'>= 40' if dpi == 200 else '>= 25'}); "
                f"read {status['read']}, flagged {status['flagged']}, blank {status['blank']}, "
                f"unidentified {status['unidentified']}, rejected {status['rejected']}; "
                f"respondents {grouping.respondents}/{args.respondents}"
            )
    print(
        f"peak memory: parent {peak_mb(resource.RUSAGE_SELF):.0f} MB, "
        f"largest worker {peak_mb(resource.RUSAGE_CHILDREN):.0f} MB (target <= 500 MB)"
    )


if __name__ == "__main__":
    main()
