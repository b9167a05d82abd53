"""The whole scan pipeline with the real reader: ingest → identify → register → read → store.

Generates filled scans of the seed questionnaire with the sample generator (default
degradations), then runs ``palaute scan`` on them in a fresh process, for a 200 dpi JPEG PDF and a
300 dpi CCITT G4 PDF.  Prints pages per second (targets: >= 40 at 200 dpi, >= 25 at 300 dpi on 2
cores) and the peak resident memory of the scan's whole process tree, sampled from /proc (target
<= 500 MB for a 1,000-page PDF: ``--respondents 334`` makes about 1,000 pages).

Run: .venv/bin/python benchmarks/bench_scan.py [--respondents 50] [-j 2] [--only pdf-jpeg]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]

CASES = (("pdf-jpeg", 200), ("pdf-g4", 300))


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, from /proc (Linux)."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError, ValueError):
            continue
    return total / 1024


def scan_in_subprocess(pdf: Path, survey: Path, jobs: int) -> tuple[float, float]:
    """Run `palaute scan` as a clerk would; return (seconds, peak MB of the whole process tree)."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "palaute",
            "scan",
            str(pdf),
            "--survey",
            str(survey),
            "-j",
            str(jobs),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
    )
    peak = 0.0

    def watch() -> None:
        nonlocal peak
        while proc.poll() is None:
            peak = max(peak, tree_rss_mb(proc.pid))
            time.sleep(0.05)

    watcher = threading.Thread(target=watch)
    watcher.start()
    proc.wait()
    watcher.join()
    if proc.returncode not in (0, 4):
        raise SystemExit(f"palaute scan failed with exit code {proc.returncode}")
    return time.perf_counter() - start, peak


def main() -> None:
    from forms.api import print_form
    from palaute.store import Survey
    from samples import generate
    from scanner.batch import default_jobs
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
            survey_path = folder / f"survey-{fmt}.sqlite"
            with Survey.open(survey_path) as survey:
                survey.register_pdf(form)
            elapsed, peak = scan_in_subprocess(pdf, survey_path, args.jobs)
            with Survey.open(survey_path) as survey:
                counts = survey.counts()
            status = counts.pages_by_status
            print(
                f"{fmt} {dpi} dpi: {pages} pages ({pdf.stat().st_size / 1e6:.0f} MB, generated in {made:.0f} s); "
                f"palaute scan -j {args.jobs}: {elapsed:.1f} s, {pages / elapsed:.1f} pages/s "
                f"(target {'>= 40' if dpi == 200 else '>= 25'}; process start-up included), "
                f"peak memory of all its processes {peak:.0f} MB (target <= 500 MB); "
                f"pages {dict(status)}; respondents {counts.respondents}/{args.respondents}"
            )


if __name__ == "__main__":
    main()
