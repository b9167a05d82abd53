"""The whole scan pipeline with the real reader: ingest → identify → register → read → store.

Generates filled scans of the seed questionnaire with the sample generator (default
degradations), then runs ``palaute scan`` on them in a fresh process, for a 200 dpi JPEG PDF and a
300 dpi CCITT G4 PDF.  Prints pages per second (targets: >= 40 at 200 dpi, >= 25 at 300 dpi on 2
cores), the CPU time per page of the scan's whole process tree (user + system; budget <= 50 ms
at 200 dpi, <= 80 ms at 300 dpi) with the pages per second it implies on 2 idle cores (unlike
the wall-clock figure, it hardly depends on the machine's load), and the peak resident memory of
the scan's whole process tree, sampled from /proc (target <= 500 MB for a 1,000-page PDF:
``--respondents 334`` makes about 1,000 pages).

Run: .venv/bin/python benchmarks/bench_scan.py [--respondents 50] [-j 2] [--only pdf-jpeg]
[--scans DIR (keep the generated scans there and reuse them)]
"""

from __future__ import annotations

import argparse
import os
import resource
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


def children_cpu_seconds() -> float:
    """User + system CPU time of every finished (waited-for) descendant of this process."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def scan_in_subprocess(pdf: Path, survey: Path, jobs: int) -> tuple[float, float, float]:
    """Run `palaute scan` as a clerk would; return (seconds, CPU seconds of the whole process
    tree, peak MB of the whole process tree).

    The CPU time counts the scan and its reader processes (they are waited for by the scan, so
    their time rolls up into it): it hardly depends on what else the machine is doing, unlike the
    wall-clock time."""
    cpu_before = children_cpu_seconds()
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
    elapsed = time.perf_counter() - start
    watcher.join()
    if proc.returncode not in (0, 4):
        raise SystemExit(f"palaute scan failed with exit code {proc.returncode}")
    return elapsed, children_cpu_seconds() - cpu_before, peak


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
    parser.add_argument(
        "--scans",
        type=Path,
        help="keep the generated form and scans in this folder and reuse them on later runs "
        "(with the same --respondents and --seed)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.scans or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        form = folder / f"form-{args.respondents}.pdf"
        if not form.exists():
            print_form(
                ROOT / "layouts" / "asiakaspalautekysely.yaml",
                form,
                copies=args.respondents,
                serials=True,
            )
        for fmt, dpi in CASES:
            if args.only and fmt != args.only:
                continue
            scans = folder / f"scans-{fmt}-{args.respondents}-{args.seed}"
            pdf = scans / "scan.pdf"
            start = time.perf_counter()
            if not pdf.exists():
                generate(form, scans, args.respondents, args.seed, fmt=fmt, dpi=dpi)
            made = time.perf_counter() - start
            pages = page_count(pdf)
            survey_path = Path(tmp) / f"survey-{fmt}.sqlite"
            with Survey.open(survey_path) as survey:
                survey.register_pdf(form)
            load = os.getloadavg()[0]
            elapsed, cpu, peak = scan_in_subprocess(pdf, survey_path, args.jobs)
            load_after = os.getloadavg()[0]
            with Survey.open(survey_path) as survey:
                counts = survey.counts()
            status = counts.pages_by_status
            cpu_ms = 1000 * cpu / pages
            budget = 50 if dpi == 200 else 80
            print(
                f"{fmt} {dpi} dpi: {pages} pages ({pdf.stat().st_size / 1e6:.0f} MB, generated in {made:.0f} s); "
                f"palaute scan -j {args.jobs}: {elapsed:.1f} s, {pages / elapsed:.1f} pages/s wall "
                f"(target {'>= 40' if dpi == 200 else '>= 25'}; process start-up included; "
                f"load average {load:.1f} before, {load_after:.1f} after); "
                f"CPU {cpu_ms:.0f} ms/page for all its processes (budget <= {budget}), "
                f"{2000 / cpu_ms:.1f} pages/s implied on 2 idle cores; "
                f"peak memory of all its processes {peak:.0f} MB (target <= 500 MB); "
                f"pages {dict(status)}; respondents {counts.respondents}/{args.respondents}"
            )


if __name__ == "__main__":
    main()
