"""`palaute review [--survey DB] [--host 127.0.0.1] [--port N] [--no-browser]`: the review desk."""

from __future__ import annotations

import argparse
import logging
import threading
import webbrowser
from pathlib import Path

from palaute import i18n
from palaute.errors import ExitCode, InputError

# palaute.store.DEFAULT_NAME, not imported here so that `palaute --help` stays fast
DEFAULT_SURVEY = Path("survey.sqlite")

log = logging.getLogger(__name__)
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("review", help=i18n.t("review.help"), description=i18n.t("review.help"))
    p.add_argument(
        "--survey",
        type=Path,
        default=DEFAULT_SURVEY,
        metavar="DB",
        help=i18n.t("review.survey_help"),
    )
    p.add_argument("--host", default="127.0.0.1", help=i18n.t("review.host_help"))
    p.add_argument("--port", type=int, default=8765, metavar="N", help=i18n.t("review.port_help"))
    p.add_argument(
        "--session-minutes",
        type=float,
        default=30,
        metavar="MIN",
        help=i18n.t("review.minutes_help"),
    )
    p.add_argument("--no-browser", action="store_true", help=i18n.t("review.no_browser_help"))
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from palaute.review import create_app
    from palaute.store import Survey, accounts

    with Survey.open(args.survey, create=False) as survey:
        if not accounts.users(survey):
            raise InputError("review.no_users")
    if not 0 < args.port < 65536 or args.session_minutes <= 0:
        raise InputError("review.bad_option")
    hosts = [args.host, *LOCAL_HOSTS] if args.host not in ("0.0.0.0", "::") else None
    if args.host not in LOCAL_HOSTS:
        print(i18n.t("review.public_host", host=args.host))
    app = create_app(args.survey, session_minutes=args.session_minutes, allowed_hosts=hosts)
    shown = "127.0.0.1" if args.host in ("0.0.0.0", "::") else args.host
    url = f"http://{shown}:{args.port}/"
    print(i18n.t("review.serving", url=url), flush=True)
    if not args.no_browser:
        threading.Timer(1.0, webbrowser.open, (url,)).start()
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return ExitCode.OK
