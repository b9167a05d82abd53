"""Rows the store hands out: plain frozen records, decoded from SQLite (JSON already parsed)."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from forms.template import Box
from scanner.results import FieldStatus, PageStatus, Value


@dataclass(frozen=True)
class ScanFileRow:
    id: int
    path: str
    sha256: str
    page_count: int | None
    status: str  # 'reading', 'done', 'rejected'
    error: str | None
    error_params: dict[str, Any]

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> ScanFileRow:
        return cls(
            id=row["id"],
            path=row["path"],
            sha256=row["sha256"],
            page_count=row["page_count"],
            status=row["status"],
            error=row["error"],
            error_params=json.loads(row["error_params"] or "{}"),
        )


@dataclass(frozen=True)
class PageRow:
    id: int
    file_id: int
    page_index: int
    status: PageStatus
    reason: str
    reason_params: dict[str, Any]
    version: str | None
    page_number: int | None
    serial: int | None
    rotation: int | None
    identity_source: str | None
    registration_error_mm: float | None
    confidence: float | None
    respondent_id: int | None
    duplicate_of: int | None
    image_path: str | None  # relative to Survey.images_dir
    image_kind: str | None  # "normalised" (template coordinates) or "scan" (as scanned, reduced)
    dpi: float | None
    ingest_method: str | None
    warp: str | None = None  # scanner.page_images.PageWarp (JSON): the image is the scan itself

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> PageRow:
        return cls(
            id=row["id"],
            file_id=row["file_id"],
            page_index=row["page_index"],
            status=PageStatus(row["status"]),
            reason=row["reason"],
            reason_params=json.loads(row["reason_params"] or "{}"),
            version=row["version"],
            page_number=row["page_number"],
            serial=row["serial"],
            rotation=row["rotation"],
            identity_source=row["identity_source"],
            registration_error_mm=row["registration_error_mm"],
            confidence=row["confidence"],
            respondent_id=row["respondent_id"],
            duplicate_of=row["duplicate_of"],
            image_path=row["image_path"],
            image_kind=row["image_kind"],
            dpi=row["dpi"],
            ingest_method=row["ingest_method"],
            warp=row["warp"],
        )


@dataclass(frozen=True)
class FieldRow:
    id: int  # the row's primary key (the "field_pk" of update_field)
    page_id: int
    field_id: str  # the template's field id, e.g. "q4.03"
    value: Value
    confidence: float
    status: FieldStatus
    reason: str
    crop: Box
    needs_review: bool
    revision: int
    reviewed_by: str | None
    reviewed_at: str | None
    scores: dict[str, float] = field(default_factory=dict)  # the reader's evidence

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> FieldRow:
        return cls(
            id=row["id"],
            page_id=row["page_id"],
            field_id=row["field_id"],
            value=json.loads(row["value"]) if row["value"] is not None else None,
            confidence=row["confidence"],
            status=FieldStatus(row["status"]),
            reason=row["reason"],
            crop=(row["crop_x"], row["crop_y"], row["crop_w"], row["crop_h"]),
            needs_review=bool(row["needs_review"]),
            revision=row["revision"],
            reviewed_by=row["reviewed_by"],
            reviewed_at=row["reviewed_at"],
            scores=json.loads(row["scores"]) if row["scores"] else {},
        )


@dataclass(frozen=True)
class RespondentRow:
    id: int
    version: str
    serial: int | None
    ordinal: int  # 1, 2, ... in scan order within the form version
    missing_pages: tuple[int, ...]
    manual: bool = False  # a clerk split or merged it: regrouping keeps its pages together

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> RespondentRow:
        return cls(
            id=row["id"],
            version=row["version"],
            serial=row["serial"],
            ordinal=row["ordinal"],
            missing_pages=tuple(json.loads(row["missing_pages"])),
            manual=bool(row["manual"]),
        )


@dataclass(frozen=True)
class ChangeRow:
    id: int
    at: str
    who: str
    entity: str
    entity_id: int
    column: str
    old: str | None  # JSON text, as stored
    new: str | None

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> ChangeRow:
        return cls(
            id=row["id"],
            at=row["at"],
            who=row["who"],
            entity=row["entity"],
            entity_id=row["entity_id"],
            column=row["column_name"],
            old=row["old_value"],
            new=row["new_value"],
        )


@dataclass(frozen=True)
class GroupingReport:
    """What assign_respondents found, for the scan summary."""

    respondents: int
    missing_pages: int
    duplicates: int
    blanks: int
    unplaced: int


@dataclass(frozen=True)
class SurveyCounts:
    files: int
    files_rejected: int
    pages: int
    pages_by_status: dict[str, int]
    respondents: int
    fields: int
    fields_flagged: int
