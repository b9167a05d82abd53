"""A counted poster as the store keeps it: one ``FieldResult`` per zone, one ``PageResult`` per photo.

Each zone field of a poster (``kind: zone``) becomes one field result whose value is the zone's
number of votes: every sticker in it (whatever its colour) plus every tally stroke.  The
breakdown travels in the result's ``scores`` (``green``, ``yellow``, ``red``, ``blue``, ``tally``),
so the report and the desk can show it.  The status is ``ok`` (votes counted), ``empty`` (none)
or ``ambiguous`` (a count the reader is unsure of: flagged for the clerk, who types the number).
A poster with stickers outside every zone is flagged as a page (reason
``stickers.outside_zones``) and the zone nearest to each stray sticker is flagged too.

Reason keys are those of ``scanner.stickers`` (palaute/locale/*/methods.json) plus
``stickers.counted`` / ``stickers.none`` for sure counts.
"""

from __future__ import annotations

import math

from forms.template import Box, Page, Template
from scanner.results import FieldResult, FieldStatus, PageIdentity, PageResult, PageStatus
from scanner.stickers import DEFAULT_CONFIG, PosterReading, StickerConfig, ZoneReading

TALLY = "tally"  # the scores key of a zone's tally strokes
COUNTED = "stickers.counted"
NONE = "stickers.none"
NOT_COLOUR = "stickers.not_colour"
OUTSIDE = "stickers.outside_zones"
CROP_MARGIN_MM = 4.0


def zone_votes(zone: ZoneReading) -> int:
    """A zone's votes: stickers of every colour plus tally strokes."""
    return zone.total + zone.tally.count


def zone_result(
    zone: ZoneReading,
    box: Box,
    config: StickerConfig = DEFAULT_CONFIG,
    extra_reason: str = "",
) -> FieldResult:
    """One zone's count as a field result (see the module docstring)."""
    scores: dict[str, float] = {s.colour: float(s.count) for s in zone.stickers}
    scores[TALLY] = float(zone.tally.count)
    votes = zone_votes(zone)
    why = next((s.reason for s in zone.stickers if s.flagged), "") or (
        zone.tally.reason if zone.tally.flagged else ""
    )
    why = why or extra_reason
    confidence = min([s.confidence for s in zone.stickers] + [zone.tally.confidence])
    if why:
        status = FieldStatus.AMBIGUOUS
        confidence = min(confidence, config.flagged_confidence)
    else:
        status = FieldStatus.OK if votes else FieldStatus.EMPTY
        why = COUNTED if votes else NONE
    return FieldResult(
        field_id=zone.field_id,
        value=votes,
        confidence=round(confidence, 3),
        status=status,
        reason=why,
        crop=_crop(box),
        needs_review=status is FieldStatus.AMBIGUOUS,
        scores=scores,
    )


def zone_results(
    reading: PosterReading, page: Page, config: StickerConfig = DEFAULT_CONFIG
) -> tuple[FieldResult, ...]:
    """Every zone of the page; zones nearest to stickers outside the zones are flagged."""
    boxes = {f.id: f.box for f in page.fields}
    near: set[str] = set()
    for blob in reading.outside:
        nearest = min(reading.zones, key=lambda z: _distance(boxes[z.field_id], blob.centre))
        near.add(nearest.field_id)
    return tuple(
        zone_result(z, boxes[z.field_id], config, OUTSIDE if z.field_id in near else "")
        for z in reading.zones
    )


def unreadable_zones(page: Page, why: str) -> tuple[FieldResult, ...]:
    """The zones of a poster page whose stickers could not be counted at all (e.g. a grey scan)."""
    return tuple(
        FieldResult(f.id, None, 0.0, FieldStatus.UNREADABLE, why, _crop(f.box), True)
        for f in page.fields
        if f.kind == "zone"
    )


def poster_page_result(
    reading: PosterReading,
    template: Template,
    source_file: str,
    index: int = 0,
    config: StickerConfig = DEFAULT_CONFIG,
) -> PageResult:
    """A whole photographed poster as a page of the survey."""
    page = template.page(reading.page)
    fields = zone_results(reading, page, config)
    status = PageStatus.FLAGGED if reading.outside else PageStatus.READ
    return PageResult(
        source_file=source_file,
        index=index,
        status=status,
        reason=OUTSIDE if reading.outside else "",
        identity=PageIdentity(template.version, reading.page, reading.serial, 0, "qr", 1.0),
        registration_error_mm=round(reading.registration_error_mm, 3),
        fields=fields,
    )


def is_poster(template: Template) -> bool:
    return any(f.kind == "zone" for f in template.fields())


def _crop(box: Box) -> Box:
    x, y, w, h = box
    m = CROP_MARGIN_MM
    return (round(max(0.0, x - m), 2), round(max(0.0, y - m), 2), w + 2 * m, h + 2 * m)


def _distance(box: Box, point: tuple[float, float]) -> float:
    x, y, w, h = box
    dx = max(x - point[0], 0.0, point[0] - (x + w))
    dy = max(y - point[1], 0.0, point[1] - (y + h))
    return math.hypot(dx, dy)
