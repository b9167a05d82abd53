"""``palaute export --format csv|xlsx|json [--survey DB] [-o FILE]``: answers as a table."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from palaute import i18n
from palaute.errors import ExitCode

FORMATS = ("csv", "xlsx", "json")


def register(sub: Any) -> None:
    p = sub.add_parser(
        "export", help=i18n.t("store.cli.export_help"), description=i18n.t("store.cli.export_help")
    )
    p.add_argument("--format", choices=FORMATS, default="csv", help=i18n.t("store.cli.format_help"))
    p.add_argument(
        "--survey",
        type=Path,
        default=Path("survey.sqlite"),
        metavar="DB",
        help=i18n.t("store.cli.survey_help"),
    )
    p.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help=i18n.t("store.cli.output_help")
    )
    p.add_argument("--form", metavar="FORM_ID", help=i18n.t("store.cli.form_help"))
    p.add_argument(
        "--delimiter", default=";", metavar="CHAR", help=i18n.t("store.cli.delimiter_help")
    )
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from palaute.results.export import export
    from palaute.store import Survey

    output = args.output or Path(args.survey).with_suffix(f".{args.format}").name
    output = Path(output)
    with Survey.open(args.survey, create=False) as survey:
        written = export(
            survey,
            args.format,
            output,
            form_id=args.form,
            lang=i18n.current_language(),
            delimiter=args.delimiter,
        )
    if written.posters is not None:
        print(i18n.t("store.export.written_posters", path=str(output), posters=written.posters))
    else:
        print(i18n.t("store.export.written", path=str(output), respondents=written.respondents))
    return int(ExitCode.OK)
