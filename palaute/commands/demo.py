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
RESPONDENTS = 12
SEED = 2026


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("demo", help=i18n.t("demo.help"), description=i18n.t("demo.help"))
    p.add_argument(
        "--out", type=Path, default=Path("demo-output"), metavar="DIR", help=i18n.t("demo.out_help")
    )
    p.add_argument(
        "--respondents",
        type=int,
        default=RESPONDENTS,
        metavar="N",
        help=i18n.t("demo.respondents_help"),
    )
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from palaute.cli import main
    from palaute.errors import InputError
    from palaute.store import Survey

    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    survey = out / "survey.sqlite"
    for stale in (
        survey,
        survey.with_name(survey.name + "-wal"),
        survey.with_name(survey.name + "-shm"),
    ):
        stale.unlink(missing_ok=True)  # each demo run starts a fresh survey
    form = out / "lomake.pdf"
    scans = out / "skannaukset"
    changes = out / "muutokset.txt"
    changes.write_text(i18n.t("demo.changes_text"), encoding="utf-8")
    lang = ["--lang", i18n.current_language()]
    steps: list[tuple[str, list[str]]] = [
        (
            "demo.step_print",
            [
                "print",
                str(SEED_FORM),
                "-o",
                str(form),
                "--copies",
                str(args.respondents),
                "--serials",
                "--survey",
                str(survey),
            ],
        ),
        (
            "demo.step_fill",
            [
                "samples",
                "fill",
                str(form),
                "--respondents",
                str(args.respondents),
                "--seed",
                str(SEED),
                "-o",
                str(scans),
            ],
        ),
        ("demo.step_scan", ["scan", str(scans), "--survey", str(survey)]),
        (
            "demo.step_export",
            [
                "export",
                "--format",
                "csv",
                "--survey",
                str(survey),
                "-o",
                str(out / "vastaukset.csv"),
            ],
        ),
        ("demo.step_report", ["report", "--survey", str(survey), "-o", str(out / "raportti.pdf")]),
        (
            "demo.step_bulletin",
            [
                "bulletin",
                "--survey",
                str(survey),
                "-o",
                str(out / "tiedote.pdf"),
                "--changes",
                str(changes),
            ],
        ),
    ]
    for number, (key, argv) in enumerate(steps, start=1):
        print(f"\n== {number}/{len(steps)} {i18n.t(key)}", flush=True)
        code = main(lang + argv)
        # Rejected pages are part of a real stack (blank sheets, another form): the demo goes on.
        if code not in (ExitCode.OK, ExitCode.FINISHED_WITH_REJECTIONS):
            print(i18n.t("demo.failed", step=number), file=sys.stderr)
            return code
    with Survey.open(survey, create=False) as s:
        counts = s.counts()
        from palaute.store import review

        flagged, written = review.flagged_count(s), review.written_count(s)
    if counts.respondents == 0:
        raise InputError("demo.nothing_read", survey=str(survey))
    print()
    print(i18n.t("demo.summary", respondents=counts.respondents, flagged=flagged, written=written))
    print(i18n.t("demo.files", out=str(out)))
    print(i18n.t("demo.next", survey=str(survey)))
    return ExitCode.OK
