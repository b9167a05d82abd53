"""Fill the results model (SurveyData) from a survey database.

One query walks respondents, their pages and fields.  A duplicate page (the same sheet scanned
twice) is left out: its first scan counts.  Free-text answers carry the clerk's transcription when
there is one, otherwise a crop of the scanned area so that the report can show the client's own
handwriting.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections import Counter, defaultdict

from palaute.errors import InputError
from palaute.results.data import Answer, MethodFacts, Response, SurveyData
from palaute.store import images
from palaute.store.survey import Survey
from scanner.results import FieldStatus

log = logging.getLogger(__name__)

TEXT_CROP_MARGIN_MM = 1.0  # the report shows the writing itself, not the surroundings

_ANSWERS = """
SELECT r.id AS respondent, r.version, r.serial, p.read_at, p.image_path, p.image_kind, p.dpi, p.warp,
       f.field_id, f.value, f.status, f.reviewed_by, f.text, f.transcribed, f.scores,
       f.crop_x, f.crop_y, f.crop_w, f.crop_h
FROM respondents r
JOIN pages p ON p.respondent_id = r.id AND p.duplicate_of IS NULL
JOIN fields f ON f.page_id = p.id
ORDER BY r.id, p.page_number, f.id
"""


def load_survey_data(survey: Survey, *, crops: bool = True) -> SurveyData:
    """Every respondent's answers, as the results module reads them."""
    templates = survey.templates()
    if not templates:
        raise InputError("results.no_forms", survey=str(survey.path))
    # Only a poster zone's scores say something to the reader of the results (its votes by
    # colour); parsing every field's would cost time for nothing.
    zones = {f.id for t in templates.values() for f in t.fields() if f.kind == "zone"}
    answers: dict[int, dict[str, Answer]] = defaultdict(dict)
    meta: dict[int, tuple[str, int | None, dt.date]] = {}
    for row in survey.conn.execute(_ANSWERS):
        respondent = row["respondent"]
        scanned = dt.datetime.fromisoformat(row["read_at"]).date()
        version = row["version"]
        if respondent in meta:
            scanned = min(scanned, meta[respondent][2])
        meta[respondent] = (version, row["serial"], scanned)
        status = FieldStatus(row["status"])
        text = row["text"] if row["transcribed"] else None
        crop_png = None
        if (
            crops
            and status == FieldStatus.WRITTEN
            and text is None
            and row["image_kind"] == "normalised"
        ):
            crop_png = _crop(survey, row)
        answers[respondent][row["field_id"]] = Answer(
            value=json.loads(row["value"]) if row["value"] is not None else None,
            status=status,
            reviewed=row["reviewed_by"] is not None,
            text=text,
            crop_png=crop_png,
            scores=json.loads(row["scores"]) if row["field_id"] in zones else None,
        )
    responses = []
    for respondent, (version, serial, scanned) in meta.items():
        template = templates.get(version)
        responses.append(
            Response(
                respondent=f"{serial:06d}" if serial is not None else str(respondent),
                scanned=scanned,
                answers=answers[respondent],
                form_id=template.form_id if template else "",
                form_version=version,
            )
        )
    # The form most respondents answered is the primary one: its wording heads the report.
    used = Counter(r.form_version for r in responses)
    ordered = sorted(
        templates.values(), key=lambda t: (-used.get(t.version, 0), t.form_id, t.version)
    )
    return SurveyData(
        templates=tuple(ordered), responses=tuple(responses), facts=_facts(survey, responses)
    )


def _crop(survey: Survey, row: object) -> bytes | None:
    try:
        path = images.resolve(survey.images_dir, row["image_path"])  # type: ignore[index]
        box = (row["crop_x"], row["crop_y"], row["crop_w"], row["crop_h"])  # type: ignore[index]
        return images.field_crop(
            path,
            row["dpi"],  # type: ignore[index]
            box,
            margin_mm=TEXT_CROP_MARGIN_MM,
            warp=row["warp"],  # type: ignore[index]
        )
    except images.ImageMissing:
        log.warning("no page image for a written answer; the report lists it without its crop")
        return None


def _facts(survey: Survey, responses: list[Response]) -> MethodFacts:
    c = survey.conn
    flagged, reviewed, written, transcribed = c.execute(
        "SELECT sum(needs_review OR reviewed_by IS NOT NULL), sum(reviewed_by IS NOT NULL),"
        " sum(status = 'written' OR transcribed = 1), sum(transcribed = 1) FROM fields"
    ).fetchone()
    rejected = c.execute("SELECT count(*) FROM pages WHERE status = 'rejected'").fetchone()[0]
    dates = [r.scanned for r in responses]
    return MethodFacts(
        sheets=len(responses),
        first_scan=min(dates, default=None),
        last_scan=max(dates, default=None),
        fields_flagged=int(flagged or 0),
        fields_reviewed=int(reviewed or 0),
        texts_written=int(written or 0),
        texts_transcribed=int(transcribed or 0),
        pages_rejected=int(rejected),
    )
