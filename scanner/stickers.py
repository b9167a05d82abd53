"""Counting coloured stickers and tally marks on a photographed statement poster.

A poster (forms/kinds/poster.py) has four ArUco marks, a QR page ID and big zones (template fields
of kind ``zone``).  Clients stick round coloured stickers in the zones, or draw short strokes.
From a phone photo or a colour scan this module:

1. finds the marks and fits a homography from the photo to the poster (``locate``);
2. reads the page ID from the QR, warped at high resolution from the photo;
3. warps the poster to template coordinates and flattens the lighting (each channel divided by
   its local paper white, so brightness gradients and colour casts cancel);
4. in each zone, classifies pixels by colour in HSV (green, yellow, red, blue, or "other"),
   finds blobs per colour and turns each blob's area into a number of stickers, in units of one
   sticker's area (the median of the round, single-looking blobs, or the expected size);
5. checks each count: blobs of an odd size or shape, touching stickers whose distance-transform
   peaks disagree with their area, and blobs of an in-between colour are flagged, never guessed;
6. counts tally marks (short dark strokes) in each zone, flagging groups it cannot separate.

Every threshold lives in ``StickerConfig`` (scanner/config.py).  Results are small frozen records
holding counts, a confidence, a flag and a reason (a catalogue key in palaute/locale/*/methods.json).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from dataclasses import dataclass, replace

import cv2
import numpy as np

from forms.pageid import PageId
from forms.template import ARUCO_DICTIONARY, Box, Field, Page, Template
from palaute.errors import InputError
from scanner.config import StickerConfig
from scanner.identify import first_page_id

log = logging.getLogger(__name__)

STICKER_COLOURS: tuple[str, ...] = ("green", "yellow", "red", "blue")
OTHER = "other"


DEFAULT_CONFIG = StickerConfig()


def reason(key: str) -> str:
    """A reason key (palaute/locale/*/methods.json); named so the catalogue test finds it."""
    return key


@dataclass(frozen=True)
class Blob:
    """One connected blob of one colour in a zone."""

    colour: str
    centre: tuple[float, float]  # template millimetres
    area_units: float  # area in units of one sticker
    count: int  # stickers it is taken to be
    reason: str  # "" when sure


@dataclass(frozen=True)
class StickerCount:
    field_id: str
    colour: str
    count: int
    confidence: float
    flagged: bool
    reason: str  # "" when sure


@dataclass(frozen=True)
class TallyCount:
    field_id: str
    count: int
    confidence: float
    flagged: bool
    reason: str


@dataclass(frozen=True)
class ZoneReading:
    field_id: str
    question: str
    colour: str | None  # the zone's own colour (template), e.g. green for "samaa mieltä"
    stickers: tuple[StickerCount, ...]  # one per sticker colour, zeros included
    tally: TallyCount
    blobs: tuple[Blob, ...] = ()

    @property
    def flagged(self) -> bool:
        return self.tally.flagged or any(s.flagged for s in self.stickers)

    def count(self, colour: str) -> int:
        return next(s.count for s in self.stickers if s.colour == colour)

    @property
    def total(self) -> int:
        return sum(s.count for s in self.stickers)


@dataclass(frozen=True)
class PosterReading:
    page: int
    serial: int | None
    registration_error_mm: float
    zones: tuple[ZoneReading, ...]
    flagged: bool
    reason: str  # "" when nothing is flagged; otherwise the first zone's reason
    # Stickers found on the poster outside every zone (only looked for when the blank poster is
    # given): they are votes no zone counted, so they flag the poster.
    outside: tuple[Blob, ...] = ()

    def zone(self, field_id: str) -> ZoneReading:
        return next(z for z in self.zones if z.field_id == field_id)


# -- registration ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Located:
    homography: np.ndarray  # photo pixels -> template millimetres
    error_mm: float  # RMS residual of the mark corners
    marks_found: int


def _detector() -> cv2.aruco.ArucoDetector:
    dictionary = cv2.aruco.getPredefinedDictionary(getattr(cv2.aruco, ARUCO_DICTIONARY))
    params = cv2.aruco.DetectorParameters()
    params.cornerRefinementMethod = cv2.aruco.CORNER_REFINE_SUBPIX
    return cv2.aruco.ArucoDetector(dictionary, params)


def locate(image: np.ndarray, page: Page) -> Located:
    """Homography from the photo to the page's template millimetres, from its corner marks.

    Three of the four marks are enough (twelve corners); fewer raise InputError.
    """
    grey = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) if image.ndim == 3 else image
    corners, ids, _ = _detector().detectMarkers(grey)
    boxes = {m.id: m.box for m in page.marks}
    src: list[np.ndarray] = []
    dst: list[list[float]] = []
    seen: set[int] = set()
    if ids is not None:
        for marker, marker_id in zip(corners, ids.ravel(), strict=True):
            mid = int(marker_id)
            if mid not in boxes or mid in seen:
                continue
            seen.add(mid)
            x, y, w, h = boxes[mid]
            src.append(marker.reshape(4, 2))
            dst += [[x, y], [x + w, y], [x + w, y + h], [x, y + h]]
    if len(seen) < 3:
        raise InputError("stickers.no_marks", found=len(seen))
    src_pts = np.concatenate(src).astype(np.float64)
    dst_pts = np.asarray(dst, dtype=np.float64)
    homography, _ = cv2.findHomography(src_pts, dst_pts, 0)
    if homography is None:
        raise InputError("stickers.no_marks", found=len(seen))
    projected = cv2.perspectiveTransform(src_pts.reshape(-1, 1, 2), homography).reshape(-1, 2)
    error = float(np.sqrt(np.mean(np.sum((projected - dst_pts) ** 2, axis=1))))
    return Located(homography, error, len(seen))


def _scaled(
    homography: np.ndarray, scale: float, origin: tuple[float, float] = (0, 0)
) -> np.ndarray:
    """Photo pixels -> pixels of a warp at ``scale`` px/mm whose top-left is ``origin`` (mm)."""
    t = np.array([[scale, 0, -origin[0] * scale], [0, scale, -origin[1] * scale], [0, 0, 1]])
    return t @ homography


def read_page_id(
    image: np.ndarray, page: Page, located: Located, config: StickerConfig
) -> PageId | None:
    """The page ID from the QR, warped sharp from the photo (or found anywhere in it)."""
    x, y, w, h = page.qr
    pad = w * 0.3
    origin = (x - pad, y - pad)
    size = (round((w + 2 * pad) * config.qr_px_per_mm), round((h + 2 * pad) * config.qr_px_per_mm))
    grey = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) if image.ndim == 3 else image
    warped = cv2.warpPerspective(
        grey,
        _scaled(located.homography, config.qr_px_per_mm, origin),
        size,
        flags=cv2.INTER_LINEAR,
        borderValue=255,
    )
    return first_page_id((warped, grey))


def warp_poster(
    image: np.ndarray, template: Template, located: Located, config: StickerConfig
) -> np.ndarray:
    """The poster in template coordinates at ``config.px_per_mm``, lighting flattened (BGR)."""
    size = (
        round(template.page_width * config.px_per_mm),
        round(template.page_height * config.px_per_mm),
    )
    warped = cv2.warpPerspective(
        image,
        _scaled(located.homography, config.px_per_mm),
        size,
        flags=cv2.INTER_AREA,
        borderMode=cv2.BORDER_REPLICATE,
    )
    return flatten_lighting(warped, config)


def flatten_lighting(image: np.ndarray, config: StickerConfig) -> np.ndarray:
    """Divide each channel by its local paper white: gradients and colour casts cancel."""
    k = max(3, int(config.lighting_window_mm * config.px_per_mm) | 1)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (k, k))
    out = np.empty_like(image)
    for c in range(image.shape[2]):
        channel = image[:, :, c]
        white = cv2.dilate(channel, kernel)
        white = cv2.blur(white, (k, k)).astype(np.float32)
        out[:, :, c] = np.clip(channel.astype(np.float32) * 255.0 / np.maximum(white, 1.0), 0, 255)
    return out


# -- counting ----------------------------------------------------------------------------------


def classify_colours(bgr: np.ndarray, config: StickerConfig) -> dict[str, np.ndarray]:
    """A boolean mask per sticker colour, plus ``other`` for coloured pixels of no known hue."""
    hsv = cv2.cvtColor(bgr, cv2.COLOR_BGR2HSV)
    hue, sat, val = hsv[:, :, 0], hsv[:, :, 1], hsv[:, :, 2]
    coloured = (sat >= config.min_saturation) & (val >= config.min_value)
    masks: dict[str, np.ndarray] = {}
    known = np.zeros_like(coloured)
    for colour in STICKER_COLOURS:
        m = np.zeros_like(coloured)
        for lo, hi in config.hues[colour]:
            m |= (hue >= lo) & (hue <= hi)
        m &= coloured
        masks[colour] = m
        known |= m
    masks[OTHER] = coloured & ~known
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (3, 3))
    for colour, m in masks.items():
        masks[colour] = cv2.morphologyEx(m.astype(np.uint8), cv2.MORPH_OPEN, kernel) > 0
    return masks


@dataclass(frozen=True)
class _Shape:
    area: float
    circularity: float
    solidity: float
    touches_edge: bool
    centre: tuple[float, float]  # pixels in the zone crop
    blob: np.ndarray  # the blob's own mask, cropped to its bounding box...
    corner: tuple[int, int]  # ...whose top-left (x, y) is here in the crop


def _shapes(mask: np.ndarray, config: StickerConfig) -> list[_Shape]:
    count, labels, stats, centroids = cv2.connectedComponentsWithStats(
        mask.astype(np.uint8), connectivity=8
    )
    margin = max(1, round(config.edge_margin_mm * config.px_per_mm))
    shapes: list[_Shape] = []
    height, width = mask.shape
    for i in range(1, count):
        x, y, w, h, area = (int(v) for v in stats[i])
        blob = (labels[y : y + h, x : x + w] == i).astype(np.uint8)
        contours, _ = cv2.findContours(blob, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
        contour = max(contours, key=cv2.contourArea)
        perimeter = cv2.arcLength(contour, True)
        hull = cv2.contourArea(cv2.convexHull(contour))
        circularity = 4 * math.pi * area / perimeter**2 if perimeter > 0 else 0.0
        solidity = area / hull if hull > 0 else 0.0
        edge = x <= margin or y <= margin or x + w >= width - margin or y + h >= height - margin
        centre = (float(centroids[i][0]), float(centroids[i][1]))
        shapes.append(_Shape(float(area), circularity, solidity, edge, centre, blob, (x, y)))
    return shapes


def _peaks(blob: np.ndarray, unit_radius_px: float, config: StickerConfig) -> int:
    """Sticker centres in a blob: distance-transform maxima far enough inside and apart."""
    padded = cv2.copyMakeBorder(blob, 2, 2, 2, 2, cv2.BORDER_CONSTANT, value=0)
    dist = cv2.distanceTransform(padded, cv2.DIST_L2, 5)
    floor = config.peak_fraction * unit_radius_px
    if dist.max() < floor:
        return 0
    k = max(3, int(unit_radius_px * config.peak_spacing) | 1)
    local_max = cv2.dilate(dist, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k)))
    peaks = ((dist >= local_max - 1e-3) & (dist >= floor)).astype(np.uint8)
    n, _ = cv2.connectedComponents(peaks, connectivity=8)
    return n - 1


@dataclass(frozen=True)
class ZoneBlobs:
    """One zone's coloured blobs, before they are counted (the sticker unit is set per poster)."""

    field: Field
    origin_mm: tuple[float, float]  # the crop's top-left in template millimetres
    shapes: dict[str, list[_Shape]]  # per sticker colour, plus OTHER
    coloured: np.ndarray  # every coloured pixel (for the tally counter)
    crop: np.ndarray  # the zone's pixels (lighting flattened)


def zone_blobs(
    poster: np.ndarray, zone: Field, config: StickerConfig = DEFAULT_CONFIG
) -> ZoneBlobs:
    crop, origin = _crop(poster, zone.box, config)
    masks = classify_colours(crop, config)
    coloured = np.zeros(crop.shape[:2], dtype=bool)
    for m in masks.values():
        coloured |= m
    shapes = {colour: _shapes(m, config) for colour, m in masks.items()}
    return ZoneBlobs(zone, origin, shapes, coloured, crop)


def sticker_unit(zones: list[ZoneBlobs], config: StickerConfig) -> float:
    """The area of one sticker in pixels: the median of the round, single-looking blobs of the
    whole poster (stickers on one poster come from one sheet), else the configured size."""
    expected = math.pi * (config.sticker_mm * config.px_per_mm / 2) ** 2
    round_ones = [
        s.area
        for z in zones
        for colour in STICKER_COLOURS
        for s in z.shapes[colour]
        if s.circularity >= config.round_circularity
        and s.solidity >= config.round_solidity
        and not s.touches_edge
        and s.area >= config.min_unit_fraction * expected
    ]
    if len(round_ones) >= config.min_unit_samples:
        return float(np.median(round_ones))
    return expected


def _blob_count(shape: _Shape, unit: float, config: StickerConfig) -> tuple[int, str]:
    ratio = shape.area / unit
    n = max(1, round(ratio))
    if abs(ratio - n) > config.area_tolerance:
        return n, reason("stickers.odd_size")
    if shape.touches_edge and (
        n > 1
        or shape.circularity < config.round_circularity
        or shape.solidity < config.round_solidity
    ):
        # cut by the zone's edge: a sticker partly outside, or hidden under its neighbours
        return n, reason("stickers.over_edge")
    if n == 1:
        if (
            shape.circularity < config.single_min_circularity
            or shape.solidity < config.single_min_solidity
        ):
            return n, reason("stickers.odd_shape")
        return n, ""
    if _peaks(shape.blob, math.sqrt(unit / math.pi), config) != n:
        return n, reason("stickers.touching_unsure")
    return n, ""


def count_stickers(
    zone: ZoneBlobs, unit: float, config: StickerConfig = DEFAULT_CONFIG
) -> tuple[tuple[StickerCount, ...], tuple[Blob, ...]]:
    """Stickers of each colour in one zone, in units of one sticker's area."""
    ppm = config.px_per_mm
    field_id = zone.field.id

    def where(shape: _Shape) -> tuple[float, float]:
        return (
            zone.origin_mm[0] + shape.centre[0] / ppm,
            zone.origin_mm[1] + shape.centre[1] / ppm,
        )

    blobs: list[Blob] = []
    counts: list[StickerCount] = []
    for colour in STICKER_COLOURS:
        total = 0
        why = ""
        for shape in zone.shapes[colour]:
            if shape.area < config.speck_fraction * unit:
                if shape.touches_edge and shape.area >= config.edge_sliver_fraction * unit:
                    # a sliver of a sticker stuck mostly outside the zone: whose vote is it?
                    why = why or reason("stickers.over_edge")
                    blobs.append(Blob(colour, where(shape), shape.area / unit, 0, why))
                continue
            n, blob_reason = _blob_count(shape, unit, config)
            total += n
            why = why or blob_reason
            blobs.append(Blob(colour, where(shape), shape.area / unit, n, blob_reason))
        counts.append(_sticker_count(field_id, colour, total, why, config))
    other = [s for s in zone.shapes[OTHER] if s.area >= config.other_fraction * unit]
    if other:
        # A blob of an in-between colour (orange, pink, faded): which count it belongs to is
        # unknown, so every count of the zone is flagged.
        ambiguous = reason("stickers.ambiguous_colour")
        blobs += [Blob(OTHER, where(s), s.area / unit, 0, ambiguous) for s in other]
        counts = [
            _sticker_count(field_id, c.colour, c.count, c.reason or ambiguous, config)
            for c in counts
        ]
    return tuple(counts), tuple(blobs)


def _sticker_count(
    field_id: str, colour: str, count: int, why: str, config: StickerConfig
) -> StickerCount:
    flagged = bool(why)
    confidence = config.flagged_confidence if flagged else 1.0
    return StickerCount(field_id, colour, count, confidence, flagged, why)


def count_tallies(
    zone_bgr: np.ndarray, coloured: np.ndarray, field_id: str, config: StickerConfig
) -> TallyCount:
    """Short dark strokes in a zone (lighting flattened; coloured sticker pixels excluded).

    Each separate stroke counts one.  A clump of crossing strokes (a five-bar gate, a scribble)
    is estimated from its ink area in units of the typical single stroke and flagged.
    """
    ppm = config.px_per_mm
    grey = cv2.cvtColor(zone_bgr, cv2.COLOR_BGR2GRAY)
    grow = 2 * max(1, round(config.tally_colour_margin_mm * ppm)) + 1
    near_colour = cv2.dilate(coloured.astype(np.uint8), np.ones((grow, grow), np.uint8)) > 0
    raw_ink = ((grey < config.ink_threshold) & ~near_colour).astype(np.uint8)
    ink = cv2.morphologyEx(raw_ink, cv2.MORPH_CLOSE, np.ones((3, 3), np.uint8))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    singles: list[float] = []
    clumps: list[float] = []
    odd = False
    for i in range(1, n):
        area_mm2 = stats[i][cv2.CC_STAT_AREA] / ppm**2
        if area_mm2 < config.ink_speck_mm2:
            continue
        points = np.column_stack(np.nonzero(labels == i)).astype(np.float32)
        (_, _), (a, b), _ = cv2.minAreaRect(points)
        length, spread = max(a, b) / ppm, min(a, b) / ppm
        width = area_mm2 / max(length, 1e-6)
        if (
            config.stroke_min_mm <= length <= config.stroke_max_mm
            and width <= config.stroke_max_width_mm
            and spread <= config.stroke_max_spread_mm
        ):
            singles.append(area_mm2)
        elif length < config.stroke_min_mm:
            odd = True  # a dot or a short blot: not clearly a stroke
        else:
            clumps.append(area_mm2)
    count = len(singles)
    why = ""
    if clumps:
        unit = float(np.median(singles)) if singles else config.typical_stroke_mm2
        count += sum(max(1, round(a / unit)) for a in clumps)
        why = reason("stickers.tally_group")
    elif odd:
        why = reason("stickers.tally_odd")
    flagged = bool(why)
    return TallyCount(field_id, count, config.flagged_confidence if flagged else 1.0, flagged, why)


def _crop(
    image: np.ndarray, box: Box, config: StickerConfig
) -> tuple[np.ndarray, tuple[float, float]]:
    ppm = config.px_per_mm
    inset = config.zone_inset_mm
    x, y, w, h = box
    x0, y0 = round((x + inset) * ppm), round((y + inset) * ppm)
    x1, y1 = round((x + w - inset) * ppm), round((y + h - inset) * ppm)
    return image[y0:y1, x0:x1], (x0 / ppm, y0 / ppm)


def read_zones(
    poster: np.ndarray, zones: list[Field], config: StickerConfig = DEFAULT_CONFIG
) -> tuple[ZoneReading, ...]:
    """Stickers and tally marks in the zones of one warped, flattened poster."""
    return _read_zones(poster, zones, config)[0]


def _read_zones(
    poster: np.ndarray, zones: list[Field], config: StickerConfig
) -> tuple[tuple[ZoneReading, ...], float]:
    blobs = [zone_blobs(poster, z, config) for z in zones]
    unit = sticker_unit(blobs, config)
    out = []
    for zone in blobs:
        stickers, found = count_stickers(zone, unit, config)
        tally = count_tallies(zone.crop, zone.coloured, zone.field.id, config)
        f = zone.field
        out.append(ZoneReading(f.id, f.question, f.colour, stickers, tally, found))
    return tuple(out), unit


def stray_stickers(
    poster: np.ndarray,
    blank: np.ndarray,
    zones: list[Field],
    unit: float,
    config: StickerConfig = DEFAULT_CONFIG,
) -> tuple[Blob, ...]:
    """Stickers stuck outside every zone: coloured blobs where the blank poster has no colour.

    ``poster`` is the warped, flattened photo and ``blank`` the blank poster rendered in colour
    at the same resolution (``config.px_per_mm``, template coordinates).
    """
    if blank.shape != poster.shape:
        blank = cv2.resize(blank, (poster.shape[1], poster.shape[0]), interpolation=cv2.INTER_AREA)
    ppm = config.px_per_mm
    seen = classify_colours(poster, config)
    coloured = np.zeros(poster.shape[:2], dtype=bool)
    for mask in seen.values():
        coloured |= mask
    printed = np.zeros_like(coloured)
    for mask in classify_colours(blank, config).values():
        printed |= mask
    grow = 2 * round(config.stray_printed_margin_mm * ppm) + 1
    printed = cv2.dilate(printed.astype(np.uint8), np.ones((grow, grow), np.uint8)) > 0
    candidate = coloured & ~printed
    edge = round(config.stray_edge_mm * ppm)
    candidate[:edge, :] = candidate[-edge:, :] = False
    candidate[:, :edge] = candidate[:, -edge:] = False
    for zone in zones:
        x, y, w, h = zone.box
        candidate[round(y * ppm) : round((y + h) * ppm), round(x * ppm) : round((x + w) * ppm)] = (
            False
        )
    out: list[Blob] = []
    for shape in _shapes(candidate, config):
        if shape.area < config.speck_fraction * unit:
            continue
        x, y = shape.corner
        h, w = shape.blob.shape
        votes = {
            c: int((m[y : y + h, x : x + w] & (shape.blob > 0)).sum()) for c, m in seen.items()
        }
        colour = max(votes, key=lambda c: votes[c])
        cx, cy = shape.centre
        n = max(1, round(shape.area / unit))
        out.append(
            Blob(
                colour, (cx / ppm, cy / ppm), shape.area / unit, n, reason("stickers.outside_zones")
            )
        )
    return tuple(out)


TRAFFIC_COLOURS = ("green", "yellow", "red")


def _flag_mismatch(zone: ZoneReading, config: StickerConfig) -> ZoneReading:
    """Flag stickers of another traffic-light colour than the zone's own."""
    if zone.colour not in TRAFFIC_COLOURS:
        return zone
    counts = tuple(
        replace(
            s,
            flagged=True,
            confidence=min(s.confidence, config.flagged_confidence),
            reason=s.reason or reason("stickers.colour_mismatch"),
        )
        if s.count and s.colour in TRAFFIC_COLOURS and s.colour != zone.colour
        else s
        for s in zone.stickers
    )
    return replace(zone, stickers=counts)


def read_poster(
    image: np.ndarray,
    template: Template,
    page_number: int | None = None,
    config: StickerConfig = DEFAULT_CONFIG,
    blank: Callable[[int], np.ndarray] | None = None,
) -> PosterReading:
    """Count stickers and tally marks in every zone of a photographed poster (BGR colour image).

    The page comes from the QR; ``page_number`` is used when the QR cannot be read (a template
    with one page needs neither).  ``blank``, given a page number, returns that blank poster page
    in colour at ``config.px_per_mm``; with it, stickers stuck outside the zones are found and
    flag the poster.  Raises InputError when the image is not in colour, the marks are not found,
    or the page cannot be told.
    """
    if image.ndim != 3 or image.shape[2] != 3:
        raise InputError("stickers.not_colour")
    first = template.pages[0]
    located = locate(image, first)
    pid = read_page_id(image, first, located, config)
    serial = None
    if pid is not None:
        if pid.version != template.version:
            raise InputError("stickers.wrong_form", found=pid.version, expected=template.version)
        number, serial = pid.page, pid.serial
    elif page_number is not None:
        number = page_number
    elif len(template.pages) == 1:
        number = first.number
    else:
        raise InputError("stickers.no_page_id")
    page = template.page(number)
    if page is not first:
        located = locate(image, page)
    poster = warp_poster(image, template, located, config)
    zone_fields = [f for f in page.fields if f.kind == "zone"]
    zones, unit = _read_zones(poster, zone_fields, config)
    outside = stray_stickers(poster, blank(number), zone_fields, unit, config) if blank else ()
    if template.kind == "traffic_light" and config.flag_colour_mismatch:
        zones = tuple(_flag_mismatch(z, config) for z in zones)
    flagged_zones = [z for z in zones if z.flagged]
    why = ""
    if flagged_zones:
        z = flagged_zones[0]
        why = next((s.reason for s in z.stickers if s.flagged), z.tally.reason)
    if outside and not why:
        why = reason("stickers.outside_zones")
    log.debug("poster page %s: %d zones, %d flagged", number, len(zones), len(flagged_zones))
    flagged = bool(flagged_zones) or bool(outside)
    return PosterReading(number, serial, located.error_mm, zones, flagged, why, outside)
