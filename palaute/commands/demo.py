"""`palaute demo --out DIR`: the whole job on a sample, step by step, as an office would do it.

Prints the seed questionnaire, fills it in as a dozen clients would and scans the stack with a
simulated office scanner, reads the scans into a survey database, exports the answers, says how
many fields wait for the clerk, and writes the report and the client bulletin.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from palaute import i18n
from palaute.errors import ExitCode

ROOT = Path(__file__).resolve().parents[2]
SEED_FORM = ROOT / "layouts" / "asiakaspalautekysely.yaml"
BUNDLED_BATCH = ROOT / "samples" / "batch"  # filled and scanned copies of SEED_FORM
COPIES = 12
SEED = 2026


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("demo", help=i18n.t("demo.help"), description=i18n.t("demo.help"))
    p.add_argument(
        "--out", type=Path, default=Path("demo-output"), metavar="DIR", help=i18n.t("demo.out_help")
    )
    p.add_argument(
        "--respondents",
        type=int,
        metavar="N",
        help=i18n.t("demo.respondents_help"),
    )
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from palaute.cli import main
    from palaute.errors import InputError
    from palaute.store import Survey, review

    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    survey = out / "survey.sqlite"
    for stale in (
        survey,
        survey.with_name(f"{survey.name}-wal"),
        survey.with_name(f"{survey.name}-shm"),
    ):
        stale.unlink(missing_ok=True)  # each demo run starts a fresh survey
    form = out / "lomake.pdf"
    changes = out / "muutokset.txt"
    changes.write_text(i18n.t("demo.changes_text"), encoding="utf-8")
    copies = args.respondents or COPIES
    printing = ["print", str(SEED_FORM), "-o", str(form), "--copies", str(copies), "--serials"]
    if args.respondents is None and _bundled_batch_fits():
        scans = BUNDLED_BATCH
        fill: list[str] = []  # already filled and scanned
        fill_key = "demo.step_bundled"
    else:
        scans = out / "skannaukset"
        fill = [
            "samples",
            "fill",
            str(form),
            "--respondents",
            str(copies),
            "--seed",
            str(SEED),
            "-o",
            str(scans),
        ]
        fill_key = "demo.step_fill"
    db = ["--survey", str(survey)]
    steps: list[tuple[str, list[str]]] = [
        ("demo.step_print", [*printing, *db]),
        (fill_key, fill),
        ("demo.step_scan", ["scan", str(scans), *db]),
        ("demo.step_export", ["export", "--format", "csv", *db, "-o", str(out / "vastaukset.csv")]),
        ("demo.step_report", ["report", *db, "-o", str(out / "raportti.pdf")]),
        (
            "demo.step_bulletin",
            ["bulletin", *db, "-o", str(out / "tiedote.pdf"), "--changes", str(changes)],
        ),
    ]
    lang = ["--lang", i18n.current_language()]
    for number, (key, argv) in enumerate(steps, start=1):
        print(f"\n== {number}/{len(steps)} {i18n.t(key, batch=str(BUNDLED_BATCH))}", flush=True)
        if not argv:
            continue
        code = main(lang + argv)
        # Rejected pages are part of a real stack (blank sheets, another form): the demo goes on.
        if code not in (ExitCode.OK, ExitCode.FINISHED_WITH_REJECTIONS):
            print(i18n.t("demo.failed", step=number), file=sys.stderr)
            return code
    with Survey.open(survey, create=False) as s:
        counts = s.counts()
        flagged, written = review.flagged_count(s), review.written_count(s)
    if counts.respondents == 0:
        raise InputError("demo.nothing_read", survey=str(survey))
    print()
    print(i18n.t("demo.summary", respondents=counts.respondents, flagged=flagged, written=written))
    print(i18n.t("demo.files", out=str(out), scans=str(scans)))
    print(i18n.t("demo.next", survey=str(survey)))
    return ExitCode.OK


def _bundled_batch_fits() -> bool:
    """The bundled batch can be read only with the form version it was filled on."""
    import json

    from forms.api import build

    truth = BUNDLED_BATCH / "truth.json"
    if not truth.is_file():
        return False
    version = json.loads(truth.read_text(encoding="utf-8")).get("version")
    return bool(version == build(SEED_FORM).template.version)
