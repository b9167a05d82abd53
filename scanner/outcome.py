"""Building FieldResults: the clerk's crop, review flag and reason keys, the same way for every kind.

Reason keys live in ``palaute/locale/<lang>/reader.json``.
"""

from __future__ import annotations

from forms.template import Box, Field
from scanner.config import ReaderConfig
from scanner.results import NEEDS_REVIEW_STATUSES, FieldResult, FieldStatus, Value

# Field reasons (catalogue keys), one per outcome the clerk may see.
OK = "scanner.field.ok"
EMPTY = "scanner.field.empty"
FAINT = "scanner.field.faint"
DARK_DIGIT = "scanner.field.dark_digit"  # no mark seen, but one printed digit is darker: review
MULTIPLE = "scanner.field.multiple"
BETWEEN = "scanner.field.between_options"
HEAVY = "scanner.field.heavy_fill"
UNCLEAR = "scanner.field.unclear"
CORRECTED = "scanner.field.corrected"
CORRECTED_UNSURE = "scanner.field.corrected_unsure"
WRITTEN = "scanner.field.written"
BLANK = "scanner.field.blank"
BLANK_LINE = "scanner.field.blank_line"  # only a straight line across it (a fold?): review
TEXT_UNCLEAR = "scanner.field.text_unclear"
OFF_PAGE = "scanner.field.off_page"
UNSUPPORTED = "scanner.field.unsupported"


def crop_box(field: Field, page_size: tuple[float, float], config: ReaderConfig) -> Box:
    """The field's box with a margin, clipped to the page (template mm)."""
    x, y, w, h = field.box
    m = config.crop_margin_mm
    x0, y0 = max(0.0, x - m), max(0.0, y - m)
    x1, y1 = min(page_size[0], x + w + m), min(page_size[1], y + h + m)
    return (round(x0, 2), round(y0, 2), round(x1 - x0, 2), round(y1 - y0, 2))


def result(
    field: Field,
    status: FieldStatus,
    value: Value,
    confidence: float,
    reason: str,
    crop: Box,
    scores: dict[str, float] | None = None,
    config: ReaderConfig | None = None,
) -> FieldResult:
    needs_review = status in NEEDS_REVIEW_STATUSES
    if status is FieldStatus.CORRECTED and config is not None:
        needs_review = confidence < config.corrected_min_confidence
    return FieldResult(
        field_id=field.id,
        value=value,
        confidence=round(max(0.0, min(1.0, confidence)), 3),
        status=status,
        reason=reason,
        crop=crop,
        needs_review=needs_review,
        scores={k: round(v, 2) for k, v in (scores or {}).items()},
    )


def margin_confidence(strong: float, weak: float, cut: float) -> float:
    """How far ``strong`` is above and ``weak`` below a cut-off, as 0.5..1."""
    if cut <= 0:
        return 0.5
    above = min(1.0, max(0.0, (strong - cut) / cut))
    below = min(1.0, max(0.0, (cut - weak) / cut))
    return 0.5 + 0.5 * min(above, below)
