"""The survey store: forms, scan files, pages, respondents, fields and the change log.

See docs/store.md for the API and the schema.
"""

from palaute.store.records import (
    ChangeRow,
    FieldRow,
    GroupingReport,
    PageRow,
    RespondentRow,
    ScanFileRow,
    SurveyCounts,
)
from palaute.store.survey import DEFAULT_NAME, ConflictError, Survey
from scanner.ingest import file_sha256

__all__ = [
    "DEFAULT_NAME",
    "ChangeRow",
    "ConflictError",
    "FieldRow",
    "GroupingReport",
    "PageRow",
    "RespondentRow",
    "ScanFileRow",
    "Survey",
    "SurveyCounts",
    "file_sha256",
]
