"""``palaute scan FILES_OR_DIRS... [--survey DB] [-j N]``: read scanned questionnaires into a survey."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from palaute import i18n
from palaute.errors import ExitCode, InputError

if TYPE_CHECKING:
    from forms.template import Template
    from palaute.store import Survey

MAX_REJECTION_LINES = 50  # per-page rejection lines printed before summarising the rest


def register(sub: Any) -> None:
    p = sub.add_parser(
        "scan", help=i18n.t("scanner.cli.help"), description=i18n.t("scanner.cli.help")
    )
    p.add_argument(
        "paths",
        nargs="+",
        type=Path,
        metavar="FILES_OR_DIRS",
        help=i18n.t("scanner.cli.paths_help"),
    )
    p.add_argument(
        "--survey",
        type=Path,
        default=Path("survey.sqlite"),
        metavar="DB",
        help=i18n.t("store.cli.survey_help"),
    )
    p.add_argument(
        "-j", "--jobs", type=int, default=None, metavar="N", help=i18n.t("scanner.cli.jobs_help")
    )
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from palaute.store import Survey
    from scanner.batch import default_jobs, run_batch
    from scanner.ingest import page_count, scan_files

    jobs = args.jobs if args.jobs and args.jobs > 0 else default_jobs()
    with Survey.open(args.survey) as survey:
        # The survey's own page images are never scans (`palaute scan .` beside the survey).
        own = survey.images_dir.resolve()
        files = [f for f in scan_files(args.paths) if not f.resolve().is_relative_to(own)]
        if not survey.templates():
            raise InputError("scanner.batch.no_templates", survey=str(args.survey))
        templates = reader_templates(survey)
        total = sum(_count(page_count, f) for f in files)
        with tqdm(
            total=total, unit=i18n.t("scanner.cli.unit"), file=sys.stderr, disable=None
        ) as bar:
            report = run_batch(files, survey, templates, jobs=jobs, progress=bar.update)
        # Imported only now: it loads OpenCV, which the parent must not hold while its reader
        # processes run (each has its own; together they set the scan's peak memory).
        from palaute.store.posters import count_scanned_posters

        posters = count_scanned_posters(survey)
        grouping = survey.assign_respondents()
        counts = survey.counts()
    for rejection in report.file_rejections:
        line = rejection_line(rejection.file, None, rejection.key, rejection.params)
        print(f"palaute: {line}", file=sys.stderr)
    order = {str(f): n for n, f in enumerate(files)}
    pages = sorted(report.page_rejections, key=lambda r: (order.get(r.file, 0), r.page or 0))
    for rejection in pages[:MAX_REJECTION_LINES]:
        line = rejection_line(rejection.file, rejection.page, rejection.key, rejection.params)
        print(f"palaute: {line}", file=sys.stderr)
    hidden = len(pages) - MAX_REJECTION_LINES
    if hidden > 0:
        print(f"palaute: {i18n.t('scanner.summary.more', count=hidden)}", file=sys.stderr)
    status = report.pages_by_status
    print(
        i18n.t(
            "scanner.summary.files",
            files=report.files,
            skipped=report.files_skipped,
            rejected=len(report.file_rejections),
        )
    )
    print(
        i18n.t(
            "scanner.summary.pages",
            read=status["read"] + status["flagged"],
            flagged=status["flagged"],
            unidentified=status["unidentified"],
            blank=status["blank"],
            rejected=status["rejected"],
            resumed=report.pages_resumed,
        )
    )
    # Poster zones are read as placeholders (flagged) until their stickers are counted above.
    flagged = max(0, report.fields_flagged - posters.zones + posters.flagged)
    print(i18n.t("scanner.summary.fields", flagged=flagged, total=counts.fields_flagged))
    print(
        i18n.t(
            "scanner.summary.respondents",
            respondents=grouping.respondents,
            missing=grouping.missing_pages,
            duplicates=grouping.duplicates,
            unplaced=grouping.unplaced,
        )
    )
    reasons = Counter(r.key for r in pages)
    if reasons:
        print(i18n.t("scanner.summary.reasons"))
        example = {r.key: r.params for r in reversed(pages)}  # the first page of each reason
        for key, count in reasons.most_common():
            print(f"  {count} × {describe(key, example[key])}")
    if posters.pages:
        print(i18n.t("scanner.summary.posters_counted", count=posters.pages))
    return int(ExitCode.FINISHED_WITH_REJECTIONS if report.rejected else ExitCode.OK)


def reader_templates(survey: Survey) -> Mapping[str, Template]:
    """The survey's form versions with their blank pages, as the page reader takes them.

    The reader counts only ink added to the blank form, so each version needs the printed PDF it
    was registered from; versions registered from a template JSON alone are left out with a
    warning.
    """
    from scanner.templates import TemplateSet

    reader_set = TemplateSet()
    for version, template in survey.templates().items():
        blanks = survey.blank_pages(version, reader_set.dpi)
        if not blanks:
            line = i18n.t("scanner.batch.no_blank_pages", form=template.form_id, version=version)
            print(f"palaute: {line}", file=sys.stderr)
            continue
        reader_set.add(template, blanks)
    if not len(reader_set):
        raise InputError("scanner.batch.no_blank_forms", survey=str(survey.path))
    return reader_set


def _count(counter: Any, path: Path) -> int:
    try:
        return int(counter(path))
    except InputError:
        return 0


def describe(key: str, params: dict[str, Any]) -> str:
    """The catalogue text of a reason key, tolerant of keys or parameters it does not know."""
    if not i18n.has(key):
        return key
    try:
        return i18n.t(key, **params)
    except (KeyError, IndexError, ValueError):
        return i18n.t(key, **dict.fromkeys(_fields(key), "?") | params)


def _fields(key: str) -> list[str]:
    import string

    return [name for _, name, _, _ in string.Formatter().parse(i18n.t(key)) if name]


def rejection_line(file: str, page: int | None, key: str, params: dict[str, Any]) -> str:
    """One line naming the file (and page) and what was wrong."""
    reason = describe(key, params)
    named = set(_fields(key)) if i18n.has(key) else set()
    if page is None:
        if "file" in named:
            return reason
        return i18n.t("scanner.batch.file_rejected", file=file, reason=reason)
    if "page" in named:
        return reason
    return i18n.t("scanner.batch.page_rejected", file=file, page=page, reason=reason)
