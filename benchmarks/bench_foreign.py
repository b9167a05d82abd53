"""Reader accuracy on marks, pens and scanners the sample generator does not make.

Prints the seed questionnaire, draws answers on its rasterised pages with ``samples/foreign.py``
(pencil, faint and red pens, felt markers and highlighters; loose, small and scribbled-out circles,
oversize ticks and crosses, dots, ticks beside the number, numbers written in the margin, lines
through a whole row, comments running into a row; 150-600 dpi, sharpening, fixed-threshold
black-and-white, colour JPEG, background removal, auto-crop, skew, fit-to-page) and reads each
page with ``scanner.read_page.read_page``, one condition varied at a time.

Per condition it prints the fields, the silent errors (a confident answer that is not what was
drawn: the one that matters), the flagged fields, the fields of pages not read at all (the
clerk sees the page rejected or unidentified: no silent error, but no answers either), the plain clear marks that were flagged (clerk
time wasted), and marks the scan erased (a bilevel threshold above the pen's grey); then every
silent error.

Run: .venv/bin/python benchmarks/bench_foreign.py [--reps 3] [--jobs 2] [--only SUBSTRING]
"""

from __future__ import annotations

import argparse
import multiprocessing
import tempfile
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from samples.foreign import Case, Truth, cases, judge

ROOT = Path(__file__).resolve().parent.parent
SEED_FORM = ROOT / "layouts" / "asiakaspalautekysely.yaml"
PAGES = (1, 2, 3)

_state: dict[str, Any] = {}


def _init(pdf: str) -> None:
    import cv2

    from samples.foreign import Blank
    from scanner.templates import TemplateSet

    cv2.setNumThreads(1)
    _state["templates"] = TemplateSet.from_pdf(Path(pdf))
    _state["blank"] = Blank(Path(pdf))


def _run(case: Case, number: int, seed: int) -> list[tuple[Truth, str, str, object, str]]:
    from samples.foreign import make_page
    from scanner.read_page import read_page

    templates = _state["templates"]
    template = next(iter(templates.values()))
    image, dpi, truths = make_page(_state["blank"], template, case, number, seed)
    result, _ = read_page(image, float(dpi), templates)
    by_id = {r.field_id: r for r in result.fields}
    rows = []
    for t in truths:
        r = by_id.get(t.field_id)
        if r is None:
            rows.append((t, "missing", f"page {result.status} {result.reason}", None, "missing"))
            continue
        value: object = r.value
        if isinstance(value, list):
            value = sorted(value)
        rows.append(
            (t, judge(t, str(r.status), value, r.needs_review), str(r.status), value, r.reason)
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reps", type=int, default=3, help="pages of each form page per case")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--only", default="", help="run the cases whose name contains this")
    args = parser.parse_args()

    from forms.api import print_form

    chosen = [c for c in cases() if args.only in c.name]
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "form.pdf"
        print_form(SEED_FORM, pdf, copies=1, serials=True)
        ctx = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(
            args.jobs, mp_context=ctx, initializer=_init, initargs=(str(pdf),)
        ) as pool:
            jobs = {
                (c.name, n, r): pool.submit(_run, c, n, 1000 * i + 10 * r + n)
                for i, c in enumerate(chosen)
                for r in range(args.reps)
                for n in PAGES
            }
            results = {k: f.result() for k, f in jobs.items()}
    seconds = time.perf_counter() - start

    print(
        f"{'condition':34s} {'fields':>6s} {'exact':>6s} {'flagged':>8s} {'silent':>7s} {'plain flagged':>14s} {'lost':>5s} {'unread':>7s}"
    )
    totals: Counter[str] = Counter()
    silent: list[str] = []
    unread: set[str] = set()
    by_group: dict[str, Counter[str]] = {}
    for c in chosen:
        counts: Counter[str] = Counter()
        for (name, n, r), rows in results.items():
            if name != c.name:
                continue
            for t, verdict, status, value, reason in rows:
                counts["fields"] += 1
                counts[verdict] += 1
                counts["lost"] += t.lost
                if t.plain and verdict == "flagged":
                    counts["plain_flagged"] += 1
                counts["plain"] += t.plain
                if verdict == "missing":
                    unread.add(f"{c.name:30s} p{n} rep{r} {status}")
                if verdict == "silent":
                    silent.append(
                        f"{c.name:30s} p{n} rep{r} {t.field_id:22s} {t.mark:14s} truth {t.expect} "
                        f"{t.value!s:8s} got {status} {value!s:8s} {reason}"
                    )
        totals.update(counts)
        by_group.setdefault(c.group, Counter()).update(counts)
        print(
            f"{c.name:34s} {counts['fields']:6d} {counts['exact'] + counts['accepted']:6d} "
            f"{counts['flagged']:8d} {counts['silent']:7d} "
            f"{counts['plain_flagged']:6d} / {counts['plain']:<5d} {counts['lost']:5d} {counts['missing']:7d}"
        )
    print("\nby group")
    for group, counts in [*by_group.items(), ("total", totals)]:
        n = counts["fields"] or 1
        print(
            f"  {group:10s} fields {counts['fields']:5d}  silent {counts['silent']:4d} "
            f"({1000 * counts['silent'] / n:.1f} / 1000)  flagged "
            f"{100 * counts['flagged'] / n:.1f} %  plain marks flagged {counts['plain_flagged']} / {counts['plain']}  "
            f"unread {counts['missing']}"
        )
    print(f"\nsilent errors ({len(silent)}):")
    for line in silent:
        print(f"  {line}")
    print(f"\npages not read ({len(unread)}):")
    for line in sorted(unread):
        print(f"  {line}")
    pages = len(results)
    print(f"\n{pages} pages in {seconds:.1f} s")


if __name__ == "__main__":
    main()
