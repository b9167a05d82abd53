"""Small typed records the reader produces for each page; the parent process merges and stores them.

These are the contract between the scanner's stages and the application (store, review desk,
results).  They hold plain data only (no images), so they pickle cheaply between processes.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

from forms.template import Box


class FieldStatus(enum.StrEnum):
    OK = "ok"  # one clear answer
    EMPTY = "empty"  # nothing marked
    MULTIPLE = "multiple"  # more than one answer where one is expected
    AMBIGUOUS = "ambiguous"  # marks present but the reader cannot tell which is meant
    CORRECTED = "corrected"  # a crossed-out mark and a new one; the new one is the value
    WRITTEN = "written"  # free text present; the crop waits for transcription
    BLANK = "blank"  # free-text area left empty
    UNREADABLE = "unreadable"  # the field could not be measured (torn, off the scan, ...)


# Statuses that need a person to look before the value is used.  CORRECTED is accepted
# automatically only when the reader is confident; otherwise it is flagged like the rest.
NEEDS_REVIEW_STATUSES = frozenset(
    {FieldStatus.MULTIPLE, FieldStatus.AMBIGUOUS, FieldStatus.UNREADABLE}
)


class PageStatus(enum.StrEnum):
    READ = "read"  # identified, registered and read
    FLAGGED = (
        "flagged"  # read, but the page itself needs the clerk (unsure identity, poor registration)
    )
    UNIDENTIFIED = "unidentified"  # no page ID could be found: the clerk assigns it
    BLANK = "blank"  # an empty sheet or a blank back
    REJECTED = "rejected"  # not usable: unknown form version, not a form, unreadable image


Value = str | list[str] | float | None


@dataclass(frozen=True)
class FieldResult:
    field_id: str
    value: Value  # option value; sorted list for "multiple"; 0-100 for a rating line; None if none
    confidence: float  # 0..1
    status: FieldStatus
    reason: str  # catalogue key (palaute/locale/*/scanner.json) explaining the status
    crop: Box  # region to show a clerk, in template millimetres
    needs_review: bool = False
    scores: dict[str, float] = field(
        default_factory=dict
    )  # per-option evidence, for the clerk/debugging


@dataclass(frozen=True)
class PageIdentity:
    version: str | None  # form version hash; None when unidentified
    page: int | None
    serial: int | None
    rotation: int  # degrees clockwise that were applied to make the page upright (0/90/180/270)
    source: str  # "qr", "layout" (marks + layout match), or "none"
    confidence: float


@dataclass(frozen=True)
class PageResult:
    source_file: str
    index: int  # 0-based page index within the source file
    status: PageStatus
    reason: str  # catalogue key; "" when status is READ
    identity: PageIdentity | None = None
    registration_error_mm: float | None = None  # RMS residual of the mark fit, millimetres
    fields: tuple[FieldResult, ...] = ()
    image_path: str | None = None  # normalised page image on disk (set by the store)
    warp: tuple[float, ...] | None = None  # normalised pixel → scan pixel (row-major 3×3) of
    # the normalised page returned with this result: the scan itself can be kept instead of it
    reason_params: dict[str, Any] = field(default_factory=dict)

    @property
    def confidence(self) -> float:
        """A page is as sure as its least sure part."""
        parts = [f.confidence for f in self.fields]
        if self.identity is not None:
            parts.append(self.identity.confidence)
        return min(parts, default=0.0)
