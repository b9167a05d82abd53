"""Ground truth of a generated batch: what each respondent meant, drew, and what a reader should say.

Written as ``truth.json`` beside the scans; the format is documented in docs/samples.md.  Values
follow the reader's conventions (scanner/results.py): single and likert give the option value or
null, multiple a sorted list, text the written text or null, line a float 0-100.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from scanner.results import FieldStatus, Value

SCHEMA = "palaute.samples.truth/1"

# Kinds of scanned page.
FORM = "form"
BLANK_BACK = "blank_back"
OTHER_FORM = "other_form"
BLANK_SHEET = "blank_sheet"
PAGE_KINDS = (FORM, BLANK_BACK, OTHER_FORM, BLANK_SHEET)

EXPECT_STATUSES = tuple(s.value for s in FieldStatus)


@dataclass
class FieldTruth:
    field_id: str
    page: int  # form page number the field is on
    kind: str
    value: Value  # what a perfect reader reports as the value
    expect: str  # what a perfect reader reports as the status (a FieldStatus value)
    accept: list[str] = field(default_factory=list)  # other statuses that are no mistake (flags)
    intended: Value = None  # what the respondent meant (may differ from value: two marks, a fill)
    style: str = ""  # mark style(s) used, e.g. "circle", "tick", "two:circle+circle"
    marked: list[str] = field(default_factory=list)  # options carrying any ink, cancelled ones too
    cancelled: list[str] = field(default_factory=list)  # options crossed out in a correction
    overflow: bool = False  # free text runs outside the field box
    lost: bool = False  # the marks did not survive the scan (too light, off the image)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class StrayMark:
    kind: str  # "doodle", "margin_note" or "header_note"
    box: tuple[float, float, float, float]  # x, y, w, h in template mm
    text: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class PageTruth:
    file: str  # output file name, relative to the batch folder
    index: int  # 0-based page index within that file
    kind: str  # form | blank_back | other_form | blank_sheet
    respondent: int | None  # 1-based; the respondent whose sheet this is (a back: of the front)
    form_page: int | None  # page number of the form, for kind form
    serial: int | None  # copy serial printed in the QR, if any
    rotation: int  # degrees clockwise a reader must turn the image to make it upright
    dpi: int
    colour: str  # rgb | gray | bilevel
    degradations: list[dict[str, Any]] = field(default_factory=list)
    strays: list[StrayMark] = field(default_factory=list)
    version: str | None = None  # form version in the QR (for other_form: the other form's)
    size: list[int] = field(default_factory=list)  # image width, height in pixels
    # template millimetres (x, y, 1) to image pixels (column, row): a 2x3 affine matrix
    transform: list[list[float]] = field(default_factory=list)
    expect: str = ""  # the page status a perfect reader reports (a PageStatus value)
    accept: list[str] = field(default_factory=list)  # other page statuses that are no mistake

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["strays"] = [s.to_dict() for s in self.strays]
        return d


@dataclass
class RespondentTruth:
    respondent: int
    serial: int | None
    pen: str
    hand: str  # handwriting font used
    pages: list[int]  # form pages as they appear in the scan order
    missing_pages: list[int] = field(default_factory=list)
    fields: list[FieldTruth] = field(default_factory=list)

    def field(self, field_id: str) -> FieldTruth:
        for f in self.fields:
            if f.field_id == field_id:
                return f
        raise KeyError(field_id)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["fields"] = [f.to_dict() for f in self.fields]
        return d


@dataclass
class GroundTruth:
    form_id: str
    version: str
    seed: int
    profile: str
    format: str
    dpi: int
    files: list[str] = field(default_factory=list)
    respondents: list[RespondentTruth] = field(default_factory=list)
    pages: list[PageTruth] = field(default_factory=list)
    batch: dict[str, Any] = field(default_factory=dict)  # batch-wide choices (duplex, colour, ...)
    schema: str = SCHEMA

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": self.schema,
            "form_id": self.form_id,
            "version": self.version,
            "seed": self.seed,
            "profile": self.profile,
            "format": self.format,
            "dpi": self.dpi,
            "batch": self.batch,
            "files": self.files,
            "respondents": [r.to_dict() for r in self.respondents],
            "pages": [p.to_dict() for p in self.pages],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=1) + "\n"

    def save(self, path: Path) -> None:
        path.write_text(self.to_json(), encoding="utf-8")

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> GroundTruth:
        respondents = [
            RespondentTruth(
                **{k: v for k, v in r.items() if k != "fields"},
                fields=[FieldTruth(**f) for f in r["fields"]],
            )
            for r in data["respondents"]
        ]
        pages = []
        for p in data["pages"]:
            strays = [
                StrayMark(kind=s["kind"], box=tuple(s["box"]), text=s.get("text", ""))
                for s in p["strays"]
            ]
            pages.append(PageTruth(**{k: v for k, v in p.items() if k != "strays"}, strays=strays))
        return cls(
            form_id=data["form_id"],
            version=data["version"],
            seed=data["seed"],
            profile=data["profile"],
            format=data["format"],
            dpi=data["dpi"],
            files=list(data["files"]),
            respondents=respondents,
            pages=pages,
            batch=dict(data.get("batch", {})),
            schema=data.get("schema", SCHEMA),
        )

    @classmethod
    def load(cls, path: Path) -> GroundTruth:
        return cls.from_dict(json.loads(path.read_text(encoding="utf-8")))
