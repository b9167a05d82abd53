"""`palaute template FILE.pdf`: print the template attached to a printed form."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from palaute import i18n
from palaute.errors import ExitCode


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "template", help=i18n.t("template.help"), description=i18n.t("template.help")
    )
    p.add_argument("pdf", type=Path, metavar="FILE.pdf")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from forms.template import read_template_from_pdf

    sys.stdout.write(read_template_from_pdf(args.pdf).to_json())
    return ExitCode.OK
