"""``palaute forms add FORM.pdf|TEMPLATE.json... [--survey DB]``: register printed form versions."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from palaute import i18n
from palaute.errors import ExitCode


def register(sub: Any) -> None:
    p = sub.add_parser(
        "forms", help=i18n.t("store.cli.forms_help"), description=i18n.t("store.cli.forms_help")
    )
    actions = p.add_subparsers(dest="forms_action", metavar="ACTION", required=True)
    add = actions.add_parser(
        "add",
        help=i18n.t("store.cli.forms_add_help"),
        description=i18n.t("store.cli.forms_add_help"),
    )
    add.add_argument(
        "sources",
        nargs="+",
        type=Path,
        metavar="FORM.pdf|TEMPLATE.json",
        help=i18n.t("store.cli.forms_sources_help"),
    )
    add.add_argument(
        "--survey",
        type=Path,
        default=Path("survey.sqlite"),
        metavar="DB",
        help=i18n.t("store.cli.survey_help"),
    )
    add.set_defaults(handler=run_add)
    listing = actions.add_parser(
        "list",
        help=i18n.t("store.cli.forms_list_help"),
        description=i18n.t("store.cli.forms_list_help"),
    )
    listing.add_argument(
        "--survey",
        type=Path,
        default=Path("survey.sqlite"),
        metavar="DB",
        help=i18n.t("store.cli.survey_help"),
    )
    listing.set_defaults(handler=run_list)


def run_add(args: argparse.Namespace) -> int:
    from palaute.store import Survey
    from palaute.store.reading import how_read

    with Survey.open(args.survey) as survey:
        for source in args.sources:
            before = set(survey.templates())
            if source.suffix.lower() == ".pdf":
                template = survey.register_pdf(source)
            else:
                template = survey.register_json(source)
            key = "store.forms.exists" if template.version in before else "store.forms.added"
            print(
                i18n.t(
                    key,
                    form=template.form_id,
                    version=template.version,
                    title=template.title,
                    pages=len(template.pages),
                )
            )
            note = how_read(template)
            if note:
                print(i18n.t(note, pdf=str(source)))
    return int(ExitCode.OK)


def run_list(args: argparse.Namespace) -> int:
    from palaute.store import Survey

    with Survey.open(args.survey, create=False) as survey:
        for version, template in survey.templates().items():
            print(
                i18n.t(
                    "store.forms.line",
                    form=template.form_id,
                    version=version,
                    title=template.title,
                    pages=len(template.pages),
                )
            )
    return int(ExitCode.OK)
