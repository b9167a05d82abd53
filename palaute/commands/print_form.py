"""`palaute print LAYOUT.yaml -o OUT.pdf [--copies N] [--serials]`"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from palaute import i18n
from palaute.errors import ExitCode, InputError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("print", help=i18n.t("print.help"), description=i18n.t("print.help"))
    p.add_argument("layout", type=Path, metavar="LAYOUT.yaml", help=i18n.t("print.layout_help"))
    p.add_argument(
        "-o",
        "--output",
        type=Path,
        required=True,
        metavar="OUT.pdf",
        help=i18n.t("print.output_help"),
    )
    p.add_argument("--copies", type=int, default=1, metavar="N", help=i18n.t("print.copies_help"))
    p.add_argument("--serials", action="store_true", help=i18n.t("print.serials_help"))
    p.add_argument(
        "--first-serial", type=int, default=1, metavar="N", help=i18n.t("print.first_serial_help")
    )
    p.add_argument("--survey", type=Path, metavar="DB", help=i18n.t("print.survey_help"))
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from forms.api import print_form

    if args.copies < 1 or args.copies > 100_000:
        raise InputError("print.bad_copies", copies=args.copies)
    if not args.serials and args.copies > 1:
        # A master is one copy; several identical copies are the photocopier's job.
        raise InputError("print.copies_need_serials")
    total = None
    with tqdm(
        total=total,
        unit=i18n.t("print.unit_pages"),
        disable=not sys.stderr.isatty() or args.copies < 20,
        file=sys.stderr,
    ) as bar:
        result = print_form(
            args.layout,
            args.output,
            copies=args.copies,
            serials=args.serials,
            first_serial=args.first_serial,
            progress=bar.update,
        )
    if args.survey is not None:
        from palaute.store import Survey
        from palaute.store.reading import how_read

        with Survey.open(args.survey) as survey:
            survey.register_pdf(result.pdf)
        print(i18n.t("print.registered", survey=str(args.survey), version=result.template.version))
        note = how_read(result.template)
        if note:
            print(i18n.t(note, pdf=str(result.pdf)))
    print(
        i18n.t(
            "print.done",
            pdf=str(result.pdf),
            template=str(result.template_json),
            pages=result.pages,
            version=result.template.version,
        )
    )
    return ExitCode.OK
