"""`palaute user add NAME [--survey DB] [--password-stdin]`, `palaute user list`: desk accounts."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from palaute import i18n
from palaute.errors import ExitCode, InputError

# palaute.store.DEFAULT_NAME, not imported here so that `palaute --help` stays fast
DEFAULT_SURVEY = Path("survey.sqlite")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("user", help=i18n.t("user.help"), description=i18n.t("user.help"))
    actions = p.add_subparsers(dest="user_command", metavar="ACTION", required=True)
    add = actions.add_parser("add", help=i18n.t("user.add_help"))
    add.add_argument("name", help=i18n.t("user.name_help"))
    add.add_argument("--survey", type=Path, default=DEFAULT_SURVEY, metavar="DB")
    add.add_argument(
        "--password-stdin", action="store_true", help=i18n.t("user.password_stdin_help")
    )
    add.set_defaults(handler=run_add)
    listing = actions.add_parser("list", help=i18n.t("user.list_help"))
    listing.add_argument("--survey", type=Path, default=DEFAULT_SURVEY, metavar="DB")
    listing.set_defaults(handler=run_list)


def read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass(i18n.t("user.prompt_password"))
    second = getpass.getpass(i18n.t("user.prompt_again"))
    if first != second:
        raise InputError("user.mismatch")
    return first


def run_add(args: argparse.Namespace) -> int:
    from palaute.store import Survey, accounts

    name = accounts.check_name(args.name)
    password = accounts.check_password(read_password(args.password_stdin))
    with Survey.open(args.survey) as survey:
        accounts.add_user(survey, name, password)
    print(i18n.t("user.added", name=name))
    return ExitCode.OK


def run_list(args: argparse.Namespace) -> int:
    from palaute.store import Survey, accounts

    with Survey.open(args.survey, create=False) as survey:
        rows = accounts.users(survey)
    for row in rows:
        mark = "" if row.active else "\t-"
        print(f"{row.name}\t{row.created_at}{mark}")
    if not rows:
        print(i18n.t("user.none"))
    return ExitCode.OK
