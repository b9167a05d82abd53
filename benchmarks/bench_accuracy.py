"""Reader accuracy on generated filled scans of the seed questionnaire, scored against ground truth.

Prints the seed form with serials (one copy per respondent), streams N respondents' scanned pages
from the generator (no files), reads every page with ``scanner.read_page.read_page`` in a pool of
worker processes, and scores pages and fields with ``samples.score``.  Reports totals, the silent
error rate per 1,000 fields, the flag rate, page identification, free-text detection, breakdowns by
mark style, field kind, pen and degradation, the list of silent errors, and speed.

Goals (docs: the scanner issue): silent errors <= 1 per 1,000 fields, flagged <= 3 %, every page
identified or flagged and none assigned to the wrong form/page/respondent, free text >= 99 % of
written fields detected and <= 2 % of blank ones called written.

Run: .venv/bin/python benchmarks/bench_accuracy.py [--respondents 200] [--seed 1]
     [--format pdf-jpeg|pdf-g4|tiff-g4|images] [--profile default] [--dpi 200]
     [--hands typical|messy] [--save-crops DIR] [--jobs 2] [--json FILE]

``--hands messy`` draws two marks, corrections, marks between digits and blacked-in boxes several
times as often as real respondents do (see samples/answers.py HANDS): a stress test of the
reader's handling of unclear answers, not a measure of its flag rate on real batches.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import tempfile
import time
from collections import Counter, deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from samples.score import EXACT, FLAGGED, MISSING, WRONG, identity_ok, outcome, page_outcome
from samples.truth import FORM, FieldTruth, PageTruth
from scanner.results import FieldResult, FieldStatus, PageResult, PageStatus

ROOT = Path(__file__).resolve().parent.parent
SEED_FORM = ROOT / "layouts" / "asiakaspalautekysely.yaml"
OUTCOMES = (EXACT, FLAGGED, WRONG, MISSING)
# Marks a perfect reader must send to a person (two marks, a fill, a mark between digits).
REVIEW_BY_TRUTH = {FieldStatus.MULTIPLE.value, FieldStatus.AMBIGUOUS.value}


# -- worker side ---------------------------------------------------------------------------------
_templates: Any = None


def _init(pdf: str) -> None:
    import cv2

    from scanner.templates import TemplateSet

    cv2.setNumThreads(1)
    global _templates
    _templates = TemplateSet.from_pdf(Path(pdf))


@dataclass
class PageOutcome:
    number: int
    truth: PageTruth
    result: PageResult
    seconds: float
    fields: list[tuple[FieldTruth, FieldResult | None, str]] = field(default_factory=list)
    crops: dict[str, np.ndarray] = field(default_factory=dict)


def _read(
    number: int, image: np.ndarray, truth: PageTruth, truths: list[FieldTruth], crops: bool
) -> PageOutcome:
    from scanner.read_page import read_page

    start = time.perf_counter()
    result, normalised = read_page(image, float(truth.dpi), _templates, index=number)
    seconds = time.perf_counter() - start
    out = PageOutcome(number, truth, result, seconds)
    by_id = {r.field_id: r for r in result.fields}
    for t in truths:
        r = by_id.get(t.field_id)
        o = outcome(t, r)
        out.fields.append((t, r, o))
        if crops and normalised is not None and r is not None and o in (WRONG, FLAGGED):
            s = 200.0 / 25.4
            x, y, w, h = r.crop
            out.crops[t.field_id] = np.asarray(normalised)[
                round(y * s) : round((y + h) * s), round(x * s) : round((x + w) * s)
            ].copy()
    return out


# -- parent side ---------------------------------------------------------------------------------
def _degradation_keys(truth: PageTruth) -> list[str]:
    keys = [f"colour:{truth.colour}"]
    for d in truth.degradations:
        name = str(d.get("name"))
        if name == "bilevel":
            keys.append(f"bilevel:{d.get('method')}")
        elif name == "geometry":
            keys.append("geometry")
            if abs(float(d.get("skew_deg", 0.0))) > 1.0:
                keys.append("skew>1deg")
            if float(d.get("print_scale", 1.0)) < 0.97:
                keys.append("print_scale<0.97")
        elif name in ("gray", "levels", "printing"):
            continue  # applied to every page
        else:
            keys.append(name)
    if truth.rotation:
        keys.append(f"rotated:{truth.rotation}")
    return keys


@dataclass
class Totals:
    pages: Counter[str] = field(default_factory=Counter)
    page_kinds: Counter[str] = field(default_factory=Counter)
    fields: Counter[str] = field(default_factory=Counter)
    by_style: dict[str, Counter[str]] = field(default_factory=dict)
    by_kind: dict[str, Counter[str]] = field(default_factory=dict)
    by_pen: dict[str, Counter[str]] = field(default_factory=dict)
    by_degradation: dict[str, Counter[str]] = field(default_factory=dict)
    wrong: list[tuple[FieldTruth, FieldResult, PageOutcome]] = field(default_factory=list)
    identity_errors: list[str] = field(default_factory=list)
    unread_form_pages: list[str] = field(default_factory=list)
    text: Counter[str] = field(default_factory=Counter)
    reader_seconds: float = 0.0

    def add(self, page: PageOutcome, pens: dict[int, str]) -> None:
        truth, result = page.truth, page.result
        self.reader_seconds += page.seconds
        self.pages[page_outcome(truth, result)] += 1
        self.page_kinds[f"{truth.kind}->{result.status}"] += 1
        if truth.kind == FORM:
            if result.status in (PageStatus.READ, PageStatus.FLAGGED):
                if not identity_ok(truth, result):
                    self.identity_errors.append(
                        f"page {page.number}: truth r{truth.respondent} p{truth.form_page} "
                        f"s{truth.serial} rot{truth.rotation}; got {result.identity}"
                    )
            else:
                self.unread_form_pages.append(
                    f"page {page.number}: {result.status} {result.reason} "
                    f"{[d['name'] for d in truth.degradations]}"
                )
        elif result.status in (PageStatus.READ, PageStatus.FLAGGED):
            self.identity_errors.append(
                f"page {page.number}: a {truth.kind} page read as {result.identity}"
            )
        pen = pens.get(truth.respondent or 0, "-")
        keys = _degradation_keys(truth)
        for t, r, o in page.fields:
            self.fields[o] += 1
            style = t.style.split(":")[0] if t.style else "none"
            self.by_style.setdefault(style, Counter())[o] += 1
            self.by_kind.setdefault(t.kind, Counter())[o] += 1
            self.by_pen.setdefault(pen, Counter())[o] += 1
            for k in keys:
                self.by_degradation.setdefault(k, Counter())[o] += 1
            if o == WRONG and r is not None:
                self.wrong.append((t, r, page))
            if r is not None and r.needs_review:
                self.fields["sent to review"] += 1
            if o == FLAGGED and t.expect in REVIEW_BY_TRUTH:
                self.fields["flagged as the truth requires"] += 1
            if t.kind == "text" and r is not None:
                token = FieldStatus.BLANK.value in t.accept
                group = "blank" if t.expect == "blank" else ("token" if token else "written")
                self.text[f"{group}:n"] += 1
                if r.status == FieldStatus.WRITTEN:
                    self.text[f"{group}:written"] += 1

    def report(self, elapsed: float, pages_read: int) -> dict[str, Any]:
        n = sum(self.fields[o] for o in OUTCOMES) or 1
        required = self.fields["flagged as the truth requires"]
        text = self.text

        def share(group: str) -> float:
            return text[f"{group}:written"] / text[f"{group}:n"] if text[f"{group}:n"] else 0.0

        return {
            "fields": n,
            "exact": self.fields[EXACT],
            "flagged": self.fields[FLAGGED],
            "wrong": self.fields[WRONG],
            "missing": self.fields[MISSING],
            "silent_per_1000": round(1000 * self.fields[WRONG] / n, 2),
            "flag_rate": round(self.fields[FLAGGED] / n, 4),
            "flag_or_missing_rate": round((self.fields[FLAGGED] + self.fields[MISSING]) / n, 4),
            "flags_required_by_truth": required,
            "avoidable_flag_rate": round((self.fields[FLAGGED] - required) / n, 4),
            # every field a clerk sees, those the truth expects as unclear and read so included
            "review_rate": round(self.fields["sent to review"] / n, 4),
            "pages": dict(self.pages),
            "identity_errors": len(self.identity_errors),
            "form_pages_not_read": len(self.unread_form_pages),
            "text_written_detected": round(share("written"), 4),
            "text_token_detected": round(share("token"), 4),
            "text_blank_called_written": round(share("blank"), 4),
            "text_counts": {k: text[f"{k}:n"] for k in ("written", "token", "blank")},
            "pages_per_s": round(pages_read / elapsed, 2) if elapsed else 0.0,
            "reader_ms_per_page": round(1000 * self.reader_seconds / max(pages_read, 1), 1),
        }


def _table(title: str, rows: dict[str, Counter[str]]) -> None:
    print(f"\n{title}")
    print(f"  {'':26s} {'fields':>7s} {'exact':>7s} {'flagged':>8s} {'wrong':>6s} {'missing':>8s}")
    for key in sorted(rows, key=lambda k: -sum(rows[k].values())):
        c = rows[key]
        total = sum(c.values())
        print(
            f"  {key:26s} {total:7d} {c[EXACT]:7d} {c[FLAGGED]:6d} "
            f"({100 * c[FLAGGED] / total:4.1f}%) {c[WRONG]:4d} {c[MISSING]:8d}"
        )


def _pages(args: argparse.Namespace, pdf: Path) -> Iterator[tuple[Any, ...]]:
    from samples.generate import Batch
    from samples.source import PdfFormSource

    batch = Batch(
        PdfFormSource(pdf),
        args.respondents,
        args.seed,
        args.format,
        args.profile,
        args.dpi,
        args.hands,
    )
    pens = {r.truth.respondent: r.truth.pen for r in batch.respondents}
    yield pens
    for number, page in enumerate(batch.pages(encode=True)):
        yield number, page.image, page.truth, page.fields


def _save_crops(directory: Path, page: PageOutcome) -> None:
    import cv2

    for t, r, o in page.fields:
        crop = page.crops.get(t.field_id)
        if crop is None or r is None or crop.size == 0:
            continue
        got = f"{r.status}-{r.value}".replace("/", "_").replace(" ", "")
        exp = f"{t.expect}-{t.value}".replace("/", "_").replace(" ", "")
        style = t.style.replace(":", "_").replace("+", "_")
        name = f"{o}_{page.number:04d}_{t.field_id}_{style}_exp-{exp}_got-{got}.png"
        cv2.imwrite(str(directory / name[:200]), crop)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--respondents", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--format", default="pdf-jpeg")
    parser.add_argument("--profile", default="default")
    parser.add_argument("--dpi", type=int, default=200)
    parser.add_argument("--hands", default="typical", choices=("typical", "messy"))
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--save-crops", type=Path, default=None, metavar="DIR")
    parser.add_argument("--json", type=Path, default=None, help="write the summary here")
    parser.add_argument(
        "--dump", type=Path, default=None, help="write every field's truth and result (JSON lines)"
    )
    args = parser.parse_args()

    from forms.api import print_form

    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "form.pdf"
        print_form(SEED_FORM, pdf, copies=args.respondents, serials=True)
        if args.save_crops:
            args.save_crops.mkdir(parents=True, exist_ok=True)
        totals = Totals()
        pages_read = 0
        dump = args.dump.open("w") if args.dump else None
        stream = _pages(args, pdf)
        pens: dict[int, str] = next(stream)  # type: ignore[assignment]
        context = multiprocessing.get_context("spawn")  # pdfium is open in this process
        with ProcessPoolExecutor(
            args.jobs, mp_context=context, initializer=_init, initargs=(str(pdf),)
        ) as pool:
            pending: deque[Future[PageOutcome]] = deque()

            def collect(future: Future[PageOutcome]) -> None:
                nonlocal pages_read
                page = future.result()
                pages_read += 1
                totals.add(page, pens)
                if dump is not None:
                    for t, r, o in page.fields:
                        row = {
                            "page": page.number,
                            "field": t.field_id,
                            "kind": t.kind,
                            "style": t.style,
                            "expect": t.expect,
                            "value": t.value,
                            "outcome": o,
                            "status": str(r.status) if r else None,
                            "got": r.value if r else None,
                            "reason": r.reason if r else None,
                            "scores": r.scores if r else None,
                            "degradations": [d["name"] for d in page.truth.degradations],
                        }
                        dump.write(json.dumps(row) + "\n")
                if args.save_crops:
                    _save_crops(args.save_crops, page)

            for number, image, truth, fields in stream:
                pending.append(
                    pool.submit(_read, number, image, truth, fields, args.save_crops is not None)
                )
                while len(pending) > 4 * args.jobs:
                    collect(pending.popleft())
            while pending:
                collect(pending.popleft())
    if dump is not None:
        dump.close()
    elapsed = time.perf_counter() - start
    summary = totals.report(elapsed, pages_read)
    summary |= {
        "respondents": args.respondents,
        "seed": args.seed,
        "format": args.format,
        "profile": args.profile,
        "dpi": args.dpi,
        "hands": args.hands,
    }

    print(
        f"respondents {args.respondents}  seed {args.seed}  format {args.format}  "
        f"profile {args.profile}  dpi {args.dpi}  hands {args.hands}  pages {pages_read}"
    )
    _table("by mark style", totals.by_style)
    _table("by field kind", totals.by_kind)
    _table("by pen", totals.by_pen)
    _table("by degradation (a page's effects -> its fields)", totals.by_degradation)
    print("\npages (truth kind -> reader status):")
    for key, count in sorted(totals.page_kinds.items()):
        print(f"  {key:30s} {count}")
    for line in totals.unread_form_pages:
        print(f"  form page not read: {line}")
    for line in totals.identity_errors:
        print(f"  IDENTITY ERROR {line}")
    print(f"\nsilent errors ({len(totals.wrong)}):")
    for t, r, page in totals.wrong:
        names = [str(d["name"]) for d in page.truth.degradations]
        print(
            f"  p{page.number:04d} {t.field_id:22s} {t.style:28s} expected {t.expect}/{t.value} "
            f"got {r.status}/{r.value} ({r.reason}) scores={r.scores} {names}"
        )
    print("\nsummary")
    for key, value in summary.items():
        print(f"  {key:28s} {value}")
    lost = [line for line in totals.unread_form_pages if "unidentified" not in line]
    goals = [
        ("silent errors <= 1 / 1000", summary["silent_per_1000"] <= 1.0),
        ("flagged <= 3 %", summary["flag_or_missing_rate"] <= 0.03),
        ("form pages identified or flagged", not lost),
        ("no page on the wrong form/page/respondent", not totals.identity_errors),
        ("written text detected >= 99 %", summary["text_written_detected"] >= 0.99),
        ("blank text called written <= 2 %", summary["text_blank_called_written"] <= 0.02),
    ]
    print("\ngoals")
    for name, ok in goals:
        print(f"  {'PASS' if ok else 'FAIL'}  {name}")
    if args.json:
        args.json.write_text(json.dumps(summary, indent=1))


if __name__ == "__main__":
    main()
