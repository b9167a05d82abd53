"""`palaute bulletin [--survey DB | --demo-data N] -o bulletin.pdf --changes FILE.txt
[--from DATE --to DATE] [--form ID] [--min-group N]`"""

from __future__ import annotations

import argparse
from pathlib import Path

from palaute import i18n
from palaute.commands._results_source import add_source_arguments, load
from palaute.errors import ExitCode, InputError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "bulletin",
        help=i18n.t("results.bulletin_help"),
        description=i18n.t("results.bulletin_help"),
    )
    add_source_arguments(p)
    p.add_argument(
        "--changes",
        type=Path,
        required=True,
        metavar="FILE.txt",
        help=i18n.t("results.changes_help"),
    )
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from palaute.results.bulletin import write_bulletin

    try:
        changes = args.changes.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        raise InputError("results.changes_missing", file=str(args.changes)) from None
    data = load(args)
    out = write_bulletin(data, args.output, changes, min_group=args.min_group)
    print(i18n.t("results.bulletin_done", pdf=str(out)))
    return ExitCode.OK
