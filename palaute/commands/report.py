"""`palaute report [--survey DB | --demo-data N] -o report.pdf [--from DATE --to DATE]
[--form ID] [--min-group N] [--compare-from DATE --compare-to DATE]`"""

from __future__ import annotations

import argparse

from palaute import i18n
from palaute.commands._results_source import (
    add_source_arguments,
    check_range,
    demo_data,
    load,
    parse_date,
    select,
    source_data,
)
from palaute.errors import ExitCode


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "report", help=i18n.t("results.report_help"), description=i18n.t("results.report_help")
    )
    add_source_arguments(p)
    p.add_argument("--compare-from", metavar="DATE", help=i18n.t("results.compare_from_help"))
    p.add_argument("--compare-to", metavar="DATE", help=i18n.t("results.compare_to_help"))
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from palaute.results.report import write_report

    everything = source_data(args)
    data = load(args, everything)
    earlier = None
    c_start, c_end = parse_date(args.compare_from), parse_date(args.compare_to)
    check_range(c_start, c_end)
    if c_start or c_end:
        if args.demo_data is not None:
            # The demo has one round of answers; make up an earlier round in the asked period.
            weeks = max(1, ((c_end - c_start).days + 1) // 7) if c_start and c_end else 4
            everything = demo_data(args.demo_data, args.seed + 1, start=c_start, weeks=weeks)
        earlier = select(everything, args.form, c_start, c_end)
    result = write_report(data, args.output, min_group=args.min_group, compare_with=earlier)
    if result.posters is not None:
        # Posters have votes, not respondents: "1 respondent" would count the survey wrongly.
        done = i18n.t(
            "results.report_done_posters",
            pdf=str(result.pdf),
            pages=result.pages,
            posters=result.posters,
        )
    else:
        done = i18n.t(
            "results.report_done", pdf=str(result.pdf), pages=result.pages, n=result.respondents
        )
    print(done)
    return ExitCode.OK
