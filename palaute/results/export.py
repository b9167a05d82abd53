"""One row per respondent, one column per field: CSV (UTF-8 with BOM), XLSX or JSON.

Columns follow the form's question order (the template's field order).  Each field has a value
column (several answers joined as ``a;b``) and a status column (``ok``, ``empty``, ``multiple``, ...,
the codes of ``scanner.results.FieldStatus``: stable across languages, for analysis).  A written
free-text answer's value is the clerk's finished transcription (empty until it is typed in the
review desk's ``/texts``: a scan alone has no text).  The fixed
columns' headers are taken from the catalogue in the chosen language.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from forms.template import Template
from palaute import i18n
from palaute.errors import InputError
from palaute.results import posters
from palaute.results.posters import PosterStats
from palaute.store import Survey
from palaute.store.review import finished_transcriptions

FORMATS = ("csv", "xlsx", "json")
JSON_SCHEMA = "palaute.export/1"
MULTIPLE_SEPARATOR = ";"


@dataclass(frozen=True)
class Column:
    field_id: str
    form_id: str
    label: str  # what the respondent read
    kind: str = ""  # the template's field kind (single, multiple, likert, text, line)
    options: tuple[tuple[str, str], ...] = ()  # (value, label) of each printed option

    def value_label(self, value: str) -> str:
        return dict(self.options).get(value, value)


@dataclass(frozen=True)
class RespondentRecord:
    respondent: int
    form_id: str
    version: str
    serial: int | None
    ordinal: int
    missing_pages: tuple[int, ...]
    values: dict[str, Any]  # field id → value as stored (list for several answers)
    statuses: dict[str, str]  # field id → FieldStatus code
    # field id → the reader's evidence (a poster zone's votes by colour and tally)
    scores: dict[str, dict[str, float]] = field(default_factory=dict)


@dataclass(frozen=True)
class ExportData:
    columns: list[Column]
    records: list[RespondentRecord]
    templates: tuple[Template, ...] = ()

    def poster_statements(self, lang: str | None = None) -> list[PosterStats]:
        """Votes per zone of every poster statement, summed over the photos and scans."""
        if not any(c.kind == "zone" for c in self.columns):
            return []
        responses = posters.responses_from_values(
            (str(r.respondent), r.values, r.statuses) for r in self.records
        )
        scores = {
            (str(r.respondent), fid): breakdown
            for r in self.records
            for fid, breakdown in r.scores.items()
        }
        lang = lang or i18n.current_language()
        return posters.statements(self.templates, responses, lang, scores)


def collect(survey: Survey, form_id: str | None = None) -> ExportData:
    """Every respondent of the survey (or of one form) with their current field values."""
    templates = survey.templates()
    if form_id is not None:
        templates = {v: t for v, t in templates.items() if t.form_id == form_id}
        if not templates:
            raise InputError("store.export.unknown_form", form=form_id)
    columns = _columns(templates.values())
    texts = finished_transcriptions(survey)
    # Only a poster zone's evidence is exported (its votes by colour); other readers' scores
    # are their own working and would only bloat the records.
    zones = {c.field_id for c in columns if c.kind == "zone"}
    records = []
    for resp in survey.respondents():
        template = templates.get(resp.version)
        if template is None:
            continue
        fields = survey.respondent_fields(resp.id)
        records.append(
            RespondentRecord(
                respondent=resp.id,
                form_id=template.form_id,
                version=resp.version,
                serial=resp.serial,
                ordinal=resp.ordinal,
                missing_pages=resp.missing_pages,
                values={fid: texts.get(f.id, f.value) for fid, f in fields.items()},
                statuses={fid: str(f.status) for fid, f in fields.items()},
                scores={fid: f.scores for fid, f in fields.items() if fid in zones},
            )
        )
    records.sort(key=lambda r: (r.form_id, r.version, r.ordinal))
    return ExportData(columns, records, tuple(templates.values()))


def _columns(templates: Iterable[Template]) -> list[Column]:
    seen: dict[str, Column] = {}
    for template in templates:
        for f in template.fields():
            options = tuple((o.value, o.label) for o in f.options)
            seen.setdefault(f.id, Column(f.id, template.form_id, f.label, f.kind, options))
    return list(seen.values())


def header(data: ExportData, lang: str | None = None) -> list[str]:
    fixed = [
        i18n.t(f"store.export.{name}", lang)
        for name in ("respondent", "form", "version", "serial", "missing_pages")
    ]
    per_field = []
    for column in data.columns:
        per_field += [column.field_id, i18n.t("store.export.status", lang, field=column.field_id)]
    return fixed + per_field


def cell(value: Any) -> str | float | int:
    """A field value as one cell: several answers joined with ';', nothing as ''."""
    if value is None:
        return ""
    if isinstance(value, list):
        return MULTIPLE_SEPARATOR.join(str(v) for v in value)
    if isinstance(value, int | float):
        return value
    return str(value)


def rows(data: ExportData, labels: bool = False) -> list[list[str | float | int]]:
    """One row per respondent; with ``labels`` option values are given as the printed words."""
    out = []
    for r in data.records:
        row: list[str | float | int] = [
            r.respondent,
            r.form_id,
            r.version,
            "" if r.serial is None else r.serial,
            MULTIPLE_SEPARATOR.join(str(n) for n in r.missing_pages),
        ]
        for column in data.columns:
            value = r.values.get(column.field_id)
            if labels and column.options:
                value = (
                    [column.value_label(v) for v in value]
                    if isinstance(value, list)
                    else column.value_label(value)
                    if isinstance(value, str)
                    else value
                )
            row += [cell(value), r.statuses.get(column.field_id, "")]
        out.append(row)
    return out


def write_csv(data: ExportData, path: Path, lang: str | None = None, delimiter: str = ";") -> None:
    """CSV in UTF-8 with a byte-order mark, so that spreadsheet programs detect the encoding."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header(data, lang))
    writer.writerows(rows(data))
    path.write_text(buf.getvalue(), encoding="utf-8-sig", newline="")


def write_xlsx(data: ExportData, path: Path, lang: str | None = None) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    sheet = wb.create_sheet(i18n.t("store.export.sheet_answers", lang)[:31])
    sheet.freeze_panes = "B2"
    bold = Font(bold=True)

    def head_cells(target: Any) -> list[Any]:
        cells = []
        for text in header(data, lang):
            c = WriteOnlyCell(target, value=text)
            c.font = bold
            cells.append(c)
        return cells

    sheet.append(head_cells(sheet))
    for row in rows(data):
        sheet.append([_number_if_whole(v) for v in row])
    # The same answers with the words the respondent saw, for reading rather than computing.
    labelled = wb.create_sheet(i18n.t("store.export.sheet_labelled", lang)[:31])
    labelled.freeze_panes = "B2"
    labelled.append(head_cells(labelled))
    for row in rows(data, labels=True):
        labelled.append(row)
    codebook = wb.create_sheet(i18n.t("store.export.sheet_fields", lang)[:31])
    codebook.append(
        [
            i18n.t(f"store.export.{name}", lang)
            for name in ("field", "form", "label", "kind", "value", "value_label")
        ]
    )
    for column in data.columns:
        base = [column.field_id, column.form_id, column.label, column.kind]
        if not column.options:
            codebook.append([*base, "", ""])
        for value, label in column.options:
            codebook.append([*base, _number_if_whole(value), label])
    statements = data.poster_statements(lang)
    if statements:
        # Poster statements summed over their photos: votes per zone and % of the statement.
        sheet = wb.create_sheet(i18n.t("store.export.sheet_posters", lang)[:31])
        for row in posters.table_rows(statements, lang or i18n.current_language()):
            sheet.append(row)
    wb.save(path)


def _number_if_whole(value: str | float | int) -> str | float | int:
    """Scale answers such as "4" become numbers in a spreadsheet, so that they can be averaged."""
    if isinstance(value, str) and value.isdigit() and len(value) < 10:
        return int(value)
    return value


def to_json(data: ExportData) -> dict[str, Any]:
    out = _json_body(data)
    statements = data.poster_statements()
    if statements:
        out["posters"] = [
            {
                "statement": p.question,
                "text": p.statement,
                "pages": p.pages,
                "unresolved": p.unresolved,
                "zones": [
                    {
                        "field": z.field_id,
                        "role": z.role,
                        "votes": z.votes,
                        "percent": round(pct, 1),
                        # votes by sticker colour and tally; "clerk": typed by a clerk
                        "breakdown": dict(z.parts),
                    }
                    for z, pct in zip(p.zones, p.percentages, strict=True)
                ],
            }
            for p in statements
        ]
    return out


def _json_body(data: ExportData) -> dict[str, Any]:
    return {
        "schema": JSON_SCHEMA,
        "fields": [{"id": c.field_id, "form": c.form_id, "label": c.label} for c in data.columns],
        "respondents": [
            {
                "respondent": r.respondent,
                "form": r.form_id,
                "version": r.version,
                "serial": r.serial,
                "ordinal": r.ordinal,
                "missing_pages": list(r.missing_pages),
                "values": {c.field_id: r.values.get(c.field_id) for c in data.columns},
                "statuses": {c.field_id: r.statuses.get(c.field_id, "") for c in data.columns},
            }
            for r in data.records
        ],
    }


def write_json(data: ExportData, path: Path) -> None:
    path.write_text(
        json.dumps(to_json(data), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )


@dataclass(frozen=True)
class Exported:
    """What an export wrote: respondents, and posters counted when the survey is of posters
    only (a poster survey has votes, not respondents; None otherwise)."""

    respondents: int
    posters: int | None = None


def export(
    survey: Survey,
    fmt: str,
    path: Path,
    *,
    form_id: str | None = None,
    lang: str | None = None,
    delimiter: str = ";",
) -> Exported:
    """Write the survey's answers to ``path`` in ``fmt``; says what was written."""
    data = collect(survey, form_id)
    if fmt == "csv":
        write_csv(data, path, lang, delimiter)
    elif fmt == "xlsx":
        write_xlsx(data, path, lang)
    elif fmt == "json":
        write_json(data, path)
    else:
        raise InputError("store.export.unknown_format", format=fmt)
    only_posters = bool(data.columns) and all(c.kind == "zone" for c in data.columns)
    counted = posters.posters_counted(data.poster_statements(lang)) if only_posters else None
    return Exported(len(data.records), counted)
