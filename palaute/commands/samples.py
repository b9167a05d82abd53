"""``palaute samples fill``: filled, scanned questionnaires with ground truth, for testing the reader."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from palaute.i18n import t

FORMATS = ("pdf-jpeg", "pdf-g4", "tiff-g4", "images")
PROFILES = ("default", "clean", "harsh", "none")
HANDS = ("typical", "messy")


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "samples", help=t("samples.help"), description=t("samples.description")
    )
    sub = parser.add_subparsers(dest="samples_command", metavar="COMMAND")
    fill = sub.add_parser(
        "fill", help=t("samples.fill_help"), description=t("samples.fill_description")
    )
    fill.add_argument("form", type=Path, metavar="FORM.pdf", help=t("samples.form_help"))
    fill.add_argument(
        "--respondents", "-n", type=int, default=10, help=t("samples.respondents_help")
    )
    fill.add_argument("--seed", "-s", type=int, default=1, help=t("samples.seed_help"))
    fill.add_argument(
        "-o", "--out", type=Path, required=True, metavar="DIR", help=t("samples.out_help")
    )
    fill.add_argument(
        "--format", choices=FORMATS, default="pdf-jpeg", help=t("samples.format_help")
    )
    fill.add_argument("--dpi", type=int, default=200, help=t("samples.dpi_help"))
    fill.add_argument(
        "--profile", choices=PROFILES, default="default", help=t("samples.profile_help")
    )
    fill.add_argument("--hands", choices=HANDS, default="typical", help=t("samples.hands_help"))
    fill.set_defaults(handler=_fill)
    parser.set_defaults(handler=lambda args: _usage(parser))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def _fill(args: argparse.Namespace) -> int:
    import time

    from samples.generate import generate

    start = time.monotonic()
    other = _fill_other_kind(args)
    if other is not None:
        return other
    truth = generate(
        args.form,
        args.out,
        args.respondents,
        args.seed,
        args.format,
        args.profile,
        args.dpi,
        hands=args.hands,
    )
    seconds = time.monotonic() - start
    print(
        t(
            "samples.done",
            pages=len(truth.pages),
            respondents=len(truth.respondents),
            out=str(args.out),
            files=", ".join(truth.files[:3]) + (" ..." if len(truth.files) > 3 else ""),
            seconds=f"{seconds:.1f}",
        )
    )
    return 0


def _fill_other_kind(args: argparse.Namespace) -> int | None:
    """Posters (photos, or colour scans unless --format images) and feedback cards (cut apart,
    scanned one by one); None for the forms ``samples.generate`` fills."""
    from samples.source import load_template

    template = load_template(args.form)
    if any(f.kind == "zone" for f in template.fields()):
        from samples.poster_samples import write_posters

        mode = "photo" if args.format == "images" else "scan"
        posters = write_posters(args.form, args.out, args.respondents, args.seed, mode)
        zones = sum(len(p.zones) for p in posters.posters)
        print(
            t("samples.done_posters", posters=len(posters.posters), zones=zones, out=str(args.out))
        )
        return 0
    if template.kind == "cards":
        from samples.card_samples import write_cards

        cards = write_cards(args.form, args.out, args.seed, "cards", args.dpi)
        written = sum(c.written for c in cards.cards)
        print(t("samples.done_cards", cards=len(cards.cards), written=written, out=str(args.out)))
        return 0
    return None
