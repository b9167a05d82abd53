"""`palaute stickers POSTER.pdf PHOTO... [--csv OUT.csv]`: count stickers and tally marks on
photos of printed statement posters."""

from __future__ import annotations

import argparse
import csv
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from palaute import i18n
from palaute.errors import ExitCode, InputError, PalauteError

if TYPE_CHECKING:
    import numpy as np

log = logging.getLogger(__name__)
COLOUR_KEYS = {
    "green": "stickers.colour_green",
    "yellow": "stickers.colour_yellow",
    "red": "stickers.colour_red",
    "blue": "stickers.colour_blue",
    "other": "stickers.colour_other",
}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "stickers", help=i18n.t("stickers.help"), description=i18n.t("stickers.help")
    )
    p.add_argument("form", type=Path, metavar="POSTER.pdf", help=i18n.t("stickers.form_help"))
    p.add_argument(
        "photos", type=Path, nargs="+", metavar="PHOTO", help=i18n.t("stickers.photos_help")
    )
    p.add_argument("--page", type=int, metavar="N", help=i18n.t("stickers.page_help"))
    p.add_argument("--csv", type=Path, metavar="OUT.csv", help=i18n.t("stickers.csv_help"))
    p.add_argument("--survey", type=Path, metavar="DB", help=i18n.t("stickers.survey_help"))
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    import cv2

    from forms.template import Template, TemplateError, read_template_from_pdf
    from scanner.stickers import read_poster

    blank = None
    if args.form.suffix.lower() == ".json":
        try:
            template = Template.load(args.form)
        except (OSError, TemplateError) as exc:
            raise InputError(
                "template.bad_template", file=str(args.form), problem=str(exc)
            ) from None
    else:
        template = read_template_from_pdf(args.form)
        blank = _blank_pages(args.form, len(template.pages))
    if not any(f.kind == "zone" for f in template.fields()):
        raise InputError("stickers.not_a_poster", file=str(args.form))
    rows: list[list[str]] = []
    failed = skipped = 0
    survey = None
    if args.survey is not None:
        from palaute.store import Survey

        survey = Survey.open(args.survey)
        if args.form.suffix.lower() == ".json":
            survey.register_json(args.form)
        else:
            survey.register_pdf(args.form)
    for photo in args.photos:
        if survey is not None:
            from palaute.store.posters import add_poster_photo

            outcome = add_poster_photo(survey, photo, template, args.page, blank)
            if outcome.skipped:
                print(i18n.t("stickers.skipped", photo=str(photo)))
                skipped += 1
                continue
            if outcome.error is not None or outcome.reading is None:
                message = outcome.error.message() if outcome.error else str(photo)
                print(f"palaute: {photo}: {message}", file=sys.stderr)
                failed += 1
                continue
            reading = outcome.reading
        else:
            image = cv2.imread(str(photo), cv2.IMREAD_COLOR)
            try:
                if image is None:
                    raise InputError("stickers.bad_image", file=str(photo))
                reading = read_poster(image, template, args.page, blank=blank)
            except PalauteError as exc:
                print(f"palaute: {photo}: {exc.message()}", file=sys.stderr)
                failed += 1
                continue
        page = template.page(reading.page)
        statement = page.fields[0].hint or page.fields[0].question
        print(i18n.t("stickers.poster", photo=str(photo), page=reading.page, statement=statement))
        for zone in reading.zones:
            label = template.field(zone.field_id).label
            counts = ", ".join(
                f"{i18n.t(COLOUR_KEYS[s.colour])} {s.count}{'?' if s.flagged else ''}"
                for s in zone.stickers
            )
            tally = f"{zone.tally.count}{'?' if zone.tally.flagged else ''}"
            print(i18n.t("stickers.zone", label=label, counts=counts, tally=tally))
            for why in sorted(
                {s.reason for s in zone.stickers if s.flagged}
                | ({zone.tally.reason} if zone.tally.flagged else set())
            ):
                print(f"    ! {i18n.t(why)}")
            for s in zone.stickers:
                rows.append(
                    [
                        str(photo),
                        str(reading.page),
                        zone.question,
                        zone.field_id,
                        label,
                        s.colour,
                        str(s.count),
                        str(int(s.flagged)),
                        s.reason,
                    ]
                )
            rows.append(
                [
                    str(photo),
                    str(reading.page),
                    zone.question,
                    zone.field_id,
                    label,
                    "tally",
                    str(zone.tally.count),
                    str(int(zone.tally.flagged)),
                    zone.tally.reason,
                ]
            )
        if reading.outside:
            counts = ", ".join(
                f"{i18n.t(COLOUR_KEYS[b.colour])} {b.count}" for b in reading.outside
            )
            print(i18n.t("stickers.outside", counts=counts))
            print(f"    ! {i18n.t('stickers.outside_zones')}")
            for b in reading.outside:
                rows.append(
                    [
                        str(photo),
                        str(reading.page),
                        "",
                        "",
                        "",
                        b.colour,
                        str(b.count),
                        "1",
                        b.reason,
                    ]
                )
    if args.csv is not None:
        with args.csv.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(
                [
                    "photo",
                    "page",
                    "question",
                    "field",
                    "label",
                    "colour",
                    "count",
                    "flagged",
                    "reason",
                ]
            )
            writer.writerows(rows)
    if survey is not None:
        with survey:
            survey.assign_respondents()
            flagged = survey.counts().fields_flagged
        print(
            i18n.t(
                "stickers.stored",
                survey=str(args.survey),
                stored=len(args.photos) - failed - skipped,
                skipped=skipped,
                flagged=flagged,
            )
        )
    return ExitCode.FINISHED_WITH_REJECTIONS if failed else ExitCode.OK


def _blank_pages(pdf: Path, pages: int) -> Callable[[int], np.ndarray] | None:
    """Blank poster pages rendered from the printed PDF (to find stickers outside the zones);
    None when the PDF's pages are not the posters one to one (an A2 poster printed in tiles)."""
    import cv2
    import numpy
    import pypdfium2 as pdfium

    from scanner.stickers import DEFAULT_CONFIG

    doc = pdfium.PdfDocument(str(pdf))
    if len(doc) != pages:
        doc.close()
        return None
    cache: dict[int, np.ndarray] = {}

    def blank(number: int) -> np.ndarray:
        if number not in cache:
            scale = DEFAULT_CONFIG.px_per_mm * 25.4 / 72
            image = doc[number - 1].render(scale=scale).to_pil().convert("RGB")
            cache[number] = cv2.cvtColor(numpy.asarray(image), cv2.COLOR_RGB2BGR)
        return cache[number]

    return blank
