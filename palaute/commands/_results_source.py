"""Options shared by `palaute report` and `palaute bulletin`: where the answers come from and
which of them to use.  (A leading underscore keeps this module out of command discovery.)"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from palaute import i18n
from palaute.errors import InputError

if TYPE_CHECKING:
    from palaute.results.data import SurveyData

ROOT = Path(__file__).resolve().parents[2]
SEED_LAYOUTS = ("asiakaspalautekysely", "asiakaspalautekysely_sv", "asiakaspalautekysely_en")
MAX_DEMO = 1_000_000


def add_source_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--survey", type=Path, metavar="DB", help=i18n.t("results.survey_help"))
    p.add_argument(
        "-o",
        "--output",
        type=Path,
        required=True,
        metavar="OUT.pdf",
        help=i18n.t("results.output_help"),
    )
    p.add_argument("--from", dest="start", metavar="DATE", help=i18n.t("results.from_help"))
    p.add_argument("--to", dest="end", metavar="DATE", help=i18n.t("results.to_help"))
    p.add_argument("--form", metavar="ID", help=i18n.t("results.form_help"))
    p.add_argument(
        "--min-group", type=int, default=5, metavar="N", help=i18n.t("results.min_group_help")
    )
    p.add_argument("--demo-data", type=int, metavar="N", help=i18n.t("results.demo_help"))
    p.add_argument("--seed", type=int, default=1, metavar="S", help=i18n.t("results.seed_help"))


def parse_date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError("results.bad_date", value=value) from None


def check_range(start: dt.date | None, end: dt.date | None) -> None:
    if start and end and start > end:
        raise InputError("results.bad_range", start=start.isoformat(), end=end.isoformat())


def check_min_group(value: int) -> int:
    if value < 1:
        raise InputError("results.bad_min_group", value=value)
    return value


def demo_data(n: int, seed: int, start: dt.date | None = None, weeks: int = 4) -> SurveyData:
    """``n`` made-up respondents on the seed questionnaire (mostly Finnish, some Swedish and
    English forms)."""
    from forms.api import build
    from palaute.results.data import synthetic

    if not 1 <= n <= MAX_DEMO:
        raise InputError("results.bad_demo", value=n)
    templates = [
        build(ROOT / "layouts" / f"{name}.yaml").template.with_version() for name in SEED_LAYOUTS
    ]
    return synthetic(
        templates[0], n, seed=seed, start=start, weeks=weeks, extra_templates=tuple(templates[1:])
    )


def source_data(args: argparse.Namespace) -> SurveyData:
    """Every answer of the survey (or the demo), before any filter."""
    if args.demo_data is not None:
        return demo_data(args.demo_data, args.seed)
    from palaute.results.from_store import load_survey_data
    from palaute.store import DEFAULT_NAME, Survey

    path = args.survey if args.survey is not None else Path(DEFAULT_NAME)
    with Survey.open(path, create=False) as survey:
        return load_survey_data(survey)


def load(args: argparse.Namespace, data: SurveyData | None = None) -> SurveyData:
    """The survey's answers, filtered by --form, --from and --to."""
    start, end = parse_date(args.start), parse_date(args.end)
    check_range(start, end)
    check_min_group(args.min_group)
    return select(data if data is not None else source_data(args), args.form, start, end)


def select(
    data: SurveyData, form: str | None, start: dt.date | None, end: dt.date | None
) -> SurveyData:
    if form:
        try:
            data = data.for_form(form)
        except KeyError:
            known = ", ".join(t.form_id for t in data.templates)
            raise InputError("results.unknown_form", form=form, known=known) from None
    data = data.between(start, end)
    if not data.responses:
        raise InputError("results.no_responses")
    return data
