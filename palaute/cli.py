"""The command line: the only place that prints and chooses exit codes."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from palaute import __version__, commands, i18n
from palaute.errors import ExitCode, PalauteError

log = logging.getLogger("palaute")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="palaute", description=i18n.t("cli.description"))
    parser.add_argument("--version", action="version", version=f"palaute {__version__}")
    parser.add_argument("--lang", choices=i18n.LANGUAGES, help=i18n.t("cli.lang_help"))
    parser.add_argument(
        "-v", "--verbose", action="count", default=0, help=i18n.t("cli.verbose_help")
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in commands.modules():
        module.register(sub)
    return parser


def _asked_language(argv: Sequence[str] | None) -> str | None:
    """``--lang`` read before the parser is built: its help texts are in that language too."""
    early = argparse.ArgumentParser(add_help=False)
    early.add_argument("--lang")
    known, _ = early.parse_known_args(argv)
    # An unknown language is left to the full parser, which says which ones there are.
    return known.lang if known.lang in i18n.LANGUAGES else None


def main(argv: Sequence[str] | None = None) -> int:
    lang = _asked_language(argv)
    if lang:
        i18n.set_language(lang)
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.WARNING - 10 * min(args.verbose, 2),
        format="%(levelname)s %(name)s: %(message)s",
    )
    if not getattr(args, "handler", None):
        parser.print_help()
        return ExitCode.USAGE
    try:
        return int(args.handler(args))
    except PalauteError as exc:
        print(f"palaute: {exc.message()}", file=sys.stderr)
        return int(exc.exit_code)
    except KeyboardInterrupt:
        print(f"palaute: {i18n.t('cli.interrupted')}", file=sys.stderr)
        return ExitCode.INTERRUPTED


if __name__ == "__main__":
    raise SystemExit(main())
