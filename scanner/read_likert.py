"""Likert rows: one printed number in the row is circled, ticked, crossed or underlined.

Each option owns the area around its digit (``likert_core_mm`` either side of its centre).  Ink in
the digit's *interior* comes from ticks, crosses and slashes; ink *around* it from circles and
underlines.  A large circle may spill into a neighbour's area, so options are compared within the
row (best against second) and the centre of all the row's ink must sit near the chosen digit.
A row with no mark to see, but with one printed digit clearly darker than the others in grey
levels (a small tick drawn on the digit, mostly on its print), goes to review, not empty.
A circle struck through (an X or a scribble across its inside: ink deep inside the mark's own
hull) next to a clean mark is a correction; anything else unusual goes to review.  A neighbouring
row's mark reaching into the row is told by where most of its ink lies, and the row is read
without it when what it brings in is small beside the row's own answer.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, replace
from typing import NamedTuple

import cv2
import numpy as np

from forms.template import Box, Field
from scanner import outcome
from scanner.config import ReaderConfig
from scanner.ink import FieldInk, darkness, joined_pieces, windows
from scanner.results import FieldResult, FieldStatus, Value


@dataclass(frozen=True)
class DigitBaseline:
    """What unmarked printed digits show on this page: per option value the median of
    ``digit_nets`` over the page's rows, and the spread of single digits around it."""

    values: dict[str, float]
    noise_mm2: float


@dataclass(frozen=True)
class OptionInk:
    value: str
    centre_x: float  # mm
    total_mm2: float  # added ink in the option's area
    interior_mm2: float  # ...of which across the middle of the digit
    interior_share: float  # share of the digit's middle covered by added ink
    encircled: float  # share of directions around the digit with ink (a circle: nearly all)
    near_mm2: float  # ink close to the digit (a neighbour's wide circle spills only farther out)
    added_mm2: float  # added ink in the option's area as seen against the widened form
    fill: float  # share of the option's area covered

    @property
    def ring_mm2(self) -> float:
        return self.total_mm2 - self.interior_mm2


# digit_box results per option, for the blank reference crop they were found in: a row's
# digits are looked up many times per page (page baseline, options, loops), always the same.
_DIGIT_BOXES: dict[tuple[object, ...], tuple[np.ndarray, Box]] = {}
# Each entry keeps its field's blank crop alive: enough for one page's rows, not a batch's.
_DIGIT_BOXES_MAX = 256


def digit_box(ink: FieldInk, option: Box, config: ReaderConfig) -> Box:
    """The middle of the printed digit (mm), found in the blank reference near the centre."""
    key = (
        id(ink.printed),
        ink.origin,
        ink.px_per_mm,
        ink.mask.shape,
        tuple(option),
        config.likert_inner_w_mm,
        config.likert_inner_h_mm,
        config.likert_digit_centre,
    )
    cached = _DIGIT_BOXES.get(key)
    if cached is not None and cached[0] is ink.printed:
        return cached[1]
    box = _digit_box(ink, option, config)
    if len(_DIGIT_BOXES) >= _DIGIT_BOXES_MAX:
        _DIGIT_BOXES.clear()
    _DIGIT_BOXES[key] = (ink.printed, box)
    return box


def _digit_box(ink: FieldInk, option: Box, config: ReaderConfig) -> Box:
    x, y, w, h = option
    cx, cy = x + w / 2, y + h / 2
    iw, ih = config.likert_inner_w_mm, config.likert_inner_h_mm
    search: Box = (cx - iw, cy - ih, 2 * iw, 2 * ih)
    x0, y0, x1, y1 = ink.pixels(search)
    printed = ink.printed[y0:y1, x0:x1]
    cols = np.flatnonzero(printed.any(axis=0))
    rows = np.flatnonzero(printed.any(axis=1))
    if cols.size == 0 or rows.size == 0:
        return search
    s = ink.px_per_mm
    left = (ink.origin[0] + x0 + cols[0]) / s
    top = (ink.origin[1] + y0 + rows[0]) / s
    width = (cols[-1] + 1 - cols[0]) / s
    height = (rows[-1] + 1 - rows[0]) / s
    # Only the middle of the digit: a tight circle grazes the digit's corners, a tick or a
    # cross goes through its middle.
    keep = config.likert_digit_centre
    return (
        left + width * (1 - keep) / 2,
        top + height * (1 - keep) / 2,
        width * keep,
        height * keep,
    )


def digit_nets(field: Field, ink: FieldInk, config: ReaderConfig) -> dict[str, float]:
    """Per option: the scan's dark area less the blank form's inside the middle of its digit."""
    return {
        option.value: ink.net_dark_mm2(digit_box(ink, option.box, config))
        for option in field.options
    }


# Per row and blank reference image: where the windows round its digits lie, the blank digits'
# darkness and that of one printed pixel (digit_sums); the same on every page, and trusted only
# for the very image it was made from.
_BLANK_SUMS: dict[tuple[object, ...], tuple[np.ndarray, _Windows | None]] = {}
_BLANK_SUMS_MAX = 256


class _Windows(NamedTuple):
    corners: list[tuple[int, int]]  # (x, y) in the field's crop
    size: tuple[int, int]  # (width, height), pixels
    ring: int  # pixels
    blank: np.ndarray  # the blank form's darkness in each window
    per_pixel: float  # the blank form's darkness of one printed pixel (reference_ink_level)


class DigitSums(NamedTuple):
    """Per option of a row, in grey levels times pixels over same-sized windows round the
    printed digits: the scan's darkness and the blank form's (``scanner.ink.darkness``)."""

    scan: np.ndarray
    blank: np.ndarray
    per_pixel: float  # the blank form's darkness of one printed pixel (reference_ink_level)


def digit_sums(field: Field, ink: FieldInk, config: ReaderConfig) -> DigitSums | None:
    """The row's ``DigitSums``; None where they cannot be told (no grey levels, a digit missing
    or too close to the crop's edge)."""
    if ink.scan is None or ink.blank is None or len(field.options) < 3:
        return None
    source = ink.blank if ink.blank.base is None else ink.blank.base
    key = (id(source), ink.origin, ink.blank.shape, field.id, tuple(o.box for o in field.options))
    cached = _BLANK_SUMS.get(key)
    if cached is None or cached[0] is not source:
        if len(_BLANK_SUMS) >= _BLANK_SUMS_MAX:
            _BLANK_SUMS.clear()
        _BLANK_SUMS[key] = cached = (source, _digit_windows(field, ink, ink.blank, config))
    found = cached[1]
    if found is None:
        return None
    scan = darkness(windows(ink.scan, found.corners, found.size), found.ring)
    return DigitSums(scan, found.blank, found.per_pixel)


def _digit_windows(
    field: Field, ink: FieldInk, blank: np.ndarray, config: ReaderConfig
) -> _Windows | None:
    """Same-sized windows round the row's printed digits in the blank form: the largest
    digit's extent grown by ``likert_grey_margin_mm``, centred on each digit."""
    level = config.reference_ink_level
    extents = []
    for option in field.options:
        x, y, w, h = option.box
        iw, ih = config.likert_inner_w_mm, config.likert_inner_h_mm
        x0, y0, x1, y1 = ink.pixels((x + w / 2 - iw, y + h / 2 - ih, 2 * iw, 2 * ih))
        printed = blank[y0:y1, x0:x1] < level
        cols = np.flatnonzero(printed.any(axis=0))
        rows = np.flatnonzero(printed.any(axis=1))
        if cols.size == 0 or rows.size == 0:
            return None
        extents.append((x0 + cols[0], y0 + rows[0], x0 + cols[-1] + 1, y0 + rows[-1] + 1))
    margin = round(config.likert_grey_margin_mm * ink.px_per_mm)
    width = max(right - left for left, _, right, _ in extents) + 2 * margin
    height = max(bottom - top for _, top, _, bottom in extents) + 2 * margin
    corners = []
    for left, top, right, bottom in extents:
        cx, cy = (left + right - width) // 2, (top + bottom - height) // 2
        if cx < 0 or cy < 0 or cx + width > blank.shape[1] or cy + height > blank.shape[0]:
            return None
        corners.append((int(cx), int(cy)))
    ring = max(1, round(config.likert_grey_ring_mm * ink.px_per_mm))
    stack = windows(blank, corners, (int(width), int(height)))
    dark = darkness(stack, ring)
    printed_px = int(np.count_nonzero(stack < level))
    if printed_px == 0 or (dark <= 0).any():
        return None
    per_pixel = float(dark.sum()) / printed_px
    return _Windows(corners, (int(width), int(height)), ring, dark, per_pixel)


def digit_excess(field: Field, ink: FieldInk, config: ReaderConfig) -> dict[str, float] | None:
    """Per option: how much darker the scan is round its printed digit than the row's other
    digits lead to expect, in square millimetres of the blank form's print; None where it
    cannot be told (``digit_sums``).

    A small mark drawn on a printed digit mostly lies on or right beside the print, where the
    dark-pixel measures hardly see it; but it darkens the paper between the digit's strokes,
    and the sum of grey levels over a window round the digit (against the window's own paper)
    grows by that much whatever the blur or a slight misregistration.  Each digit's ratio of
    scan to blank darkness is compared with the row's median ratio: the scanner's contrast and
    the printer's gain, the same for every digit of the row, cancel.  A bilevel scan's
    threshold moves every digit's edges alike, which darkens or lightens a digit with much
    outline for its ink (a 3) more than one with little (a 1): the row's other digits then
    depart from its common level too, and ``darker_digit`` asks for a clearer lead."""
    sums = digit_sums(field, ink, config)
    if sums is None:
        return None
    ratio = sums.scan / sums.blank
    expected = statistics.median(ratio.tolist())  # numpy's median is slow on a handful
    if expected <= 0:
        return None
    excess = sums.blank * (ratio / expected - 1) / sums.per_pixel
    return {
        option.value: ink.area_mm2(float(e))
        for option, e in zip(field.options, excess, strict=True)
    }


def darker_digit(field: Field, ink: FieldInk, config: ReaderConfig) -> str | None:
    """The one option whose digit is clearly darker than the row's others (``digit_excess``),
    else None: at least ``likert_grey_mark_mm2`` more, and ``likert_grey_lead`` times as far
    above the row's common level as any other digit departs from it (the row's own noise:
    paper, print and scanner)."""
    excess = digit_excess(field, ink, config)
    if excess is None:
        return None
    value, most = max(excess.items(), key=lambda item: item[1])
    spread = max(abs(e) for v, e in excess.items() if v != value)
    if most >= config.likert_grey_mark_mm2 and most >= config.likert_grey_lead * spread:
        return value
    return None


def measure_options(
    field: Field,
    ink: FieldInk,
    config: ReaderConfig,
    digit_baseline: DigitBaseline | None = None,
) -> list[OptionInk]:
    """Per option: ink around its digit (circles, underlines) and on it (ticks, crosses).

    Ink on the digit is measured as the scan's dark area minus the blank form's inside the
    digit's box, less what an unmarked digit shows: print gain, blur and bilevel thresholding
    thicken digits, each digit after its own shape.  With ``digit_baseline`` (the page's
    typical value for each digit, over all its rows) that is the digit's own baseline shifted
    by the row's median departure from it (a row under a crease or a stain); without, the
    row's median."""
    raw = []
    for option in field.options:
        x, y, w, h = option.box
        cx = x + w / 2
        core = config.likert_core_mm
        area: Box = (cx - core, y, 2 * core, h)
        digit = digit_box(ink, option.box, config)
        region = ink.region(area)
        added = ink.area_mm2(float(region.sum()))
        added_on_digit = ink.area_mm2(float(ink.region(digit).sum()))
        net = ink.net_dark_mm2(digit)
        fill = float(region.sum()) / region.size if region.size else 0.0
        centre_area = digit[2] * digit[3]
        around = _encircled(ink, area, digit, config) if added >= config.likert_faint_mm2 else 0.0
        near_box: Box = (cx - config.likert_near_mm, y, 2 * config.likert_near_mm, h)
        near = ink.area_mm2(float(ink.region(near_box).sum()))
        raw.append((option.value, cx, added, added_on_digit, net, fill, centre_area, around, near))
    if digit_baseline is not None and all(r[0] in digit_baseline.values for r in raw) and raw:
        known = digit_baseline.values
        shift = float(np.median([r[4] - known[r[0]] for r in raw]))
        baselines = [known[r[0]] + shift for r in raw]
    else:
        row = float(np.median([r[4] for r in raw])) if raw else 0.0
        baselines = [row] * len(raw)
    out = []
    for (value, cx, added, added_on_digit, net, fill, centre_area, around, near), baseline in zip(
        raw, baselines, strict=True
    ):
        hidden = max(0.0, net - baseline - added_on_digit)  # ink on the printed strokes
        out.append(
            OptionInk(
                value=value,
                centre_x=cx,
                total_mm2=added + hidden,
                interior_mm2=added_on_digit + hidden,
                interior_share=(added_on_digit + hidden) / max(centre_area, 1e-6),
                fill=fill,
                encircled=around,
                near_mm2=near + hidden,
                added_mm2=added,
            )
        )
    return out


def _encircled(ink: FieldInk, area: Box, digit: Box, config: ReaderConfig) -> float:
    """Share of the directions (sectors seen from the digit's middle) in which there is ink
    outside the digit's middle: near 1 for a circle, low for a tick, a cross or an underline."""
    x0, y0, x1, y1 = ink.pixels(area)
    ys, xs = np.nonzero(ink.mask[y0:y1, x0:x1])
    if xs.size == 0:
        return 0.0
    s = ink.px_per_mm
    dx, dy, dw, dh = digit
    cx = (dx + dw / 2) * s - ink.origin[0] - x0
    cy = (dy + dh / 2) * s - ink.origin[1] - y0
    px, py = xs - cx, ys - cy
    outside = (np.abs(px) > dw * s / 2) | (np.abs(py) > dh * s / 2)
    if not outside.any():
        return 0.0
    sectors = config.likert_sectors
    angles = np.arctan2(py[outside], px[outside])
    bins = ((angles + np.pi) / (2 * np.pi) * sectors).astype(np.int64) % sectors
    counts = np.bincount(bins, minlength=sectors)
    return float((counts >= config.likert_sector_min_px).sum()) / sectors


def ink_centre_x(field: Field, ink: FieldInk) -> float | None:
    """Horizontal centre of mass (mm) of the added ink across the options."""
    first, last = field.options[0].box, field.options[-1].box
    span: Box = (first[0], first[1], last[0] + last[2] - first[0], first[3])
    x0, _, _, _ = ink.pixels(span)
    region = ink.region(span)
    columns = region.sum(axis=0, dtype=np.float64)
    weight = float(columns.sum())
    if weight <= 0:
        return None
    centre_px = float((columns * np.arange(columns.size)).sum()) / weight
    return (centre_px + x0 + ink.origin[0]) / ink.px_per_mm


def _crossed_circle(o: OptionInk, config: ReaderConfig) -> bool:
    return _circle(o, config) and o.interior_share >= config.likert_crossed_interior


def _circle(o: OptionInk, config: ReaderConfig) -> bool:
    return o.ring_mm2 >= config.likert_circle_ring_mm2 and o.encircled >= config.likert_circle_cover


def encircled_option(
    field: Field, ink: FieldInk, options: list[OptionInk], config: ReaderConfig
) -> str | None:
    """The one digit that a single loop of ink goes round, when that loop is all the row holds.

    Strokes are grouped into marks (pieces closer than ``likert_join_mm``, which also bridges
    the gaps where a stroke crosses printed matter); each mark's convex hull is what it
    encloses.  A loop, however wide or open, encloses its own digit well inside the hull, near
    the hull's middle, with the inside left mostly bare; a neighbour it merely touches lies at
    the hull's edge or outside.  Any other ink of note in the row (a second mark, a
    scribble, a loop round two digits or none) returns None: the caller weighs the options."""
    s = ink.px_per_mm
    if not ink.mask.any() or not options:
        return None
    radius = max(1, round(config.likert_join_mm * s))
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * radius + 1, 2 * radius + 1))
    rows = np.flatnonzero(ink.mask.any(axis=1))
    cols = np.flatnonzero(ink.mask.any(axis=0))
    top, left = max(0, rows[0] - radius - 1), max(0, cols[0] - radius - 1)
    mask = ink.mask[top : rows[-1] + radius + 2, left : cols[-1] + radius + 2]
    joined = cv2.dilate(mask, kernel)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    centres = []
    for option in field.options:
        digit = digit_box(ink, option.box, config)
        cx = (digit[0] + digit[2] / 2) * s - ink.origin[0] - left
        cy = (digit[1] + digit[3] / 2) * s - ink.origin[1] - top
        centres.append((option.value, cx, cy))
    spacing = _spacing(field) * s
    found: str | None = None
    pieces = []
    for label in range(1, count):
        if ink.area_mm2(stats[label, cv2.CC_STAT_AREA]) < config.likert_faint_mm2:
            continue  # even with its widening, too small to matter
        lx, ly, lw, lh = (int(v) for v in stats[label, :4])
        window = labels[ly : ly + lh, lx : lx + lw] == label
        piece = np.zeros_like(mask)
        piece[ly : ly + lh, lx : lx + lw] = window & (mask[ly : ly + lh, lx : lx + lw] > 0)
        area = ink.area_mm2(int(piece.sum()))
        if area >= config.likert_faint_mm2:  # else a speck: neither a loop nor a competing mark
            pieces.append((area, lx + lw / 2, piece))
    near = config.likert_near_mm * s
    ordered = sorted(pieces, key=lambda p: -p[0])
    for area, piece_cx, piece in ordered:
        if found is not None:
            # Beside the loop, a piece too small to be a mark and near no other digit (the
            # loose end of the loop itself, a speck) does not compete; anything else does.
            far = all(abs(piece_cx - cx) > near for value, cx, _ in centres if value != found)
            if area < config.likert_mark_mm2 and far:
                continue
            return None  # a second mark of note
        found = _loop_round(piece, area, centres, spacing, ink, config)
        if found is None:
            break
    if found is None and len(ordered) > 1:
        # A loop drawn in strokes that do not meet (an open oval, its ends apart): all the
        # row's ink together goes round one digit, every piece of it close to that digit.
        merged = np.zeros_like(mask)
        for _, _, piece in ordered:
            merged |= piece
        total = sum(p[0] for p in ordered)
        found = _loop_round(merged, total, centres, spacing, ink, config, merged=True)
        own_cx = next((cx for value, cx, _ in centres if value == found), None)
        core = config.likert_core_mm * s
        if own_cx is None or any(abs(piece_cx - own_cx) > core for _, piece_cx, _ in ordered):
            return None
    if found is None:
        return None
    chosen = next(o for o in options if o.value == found)
    if chosen.interior_share >= config.likert_crossed_interior:
        return None  # ink across the digit inside the loop: crossed out, or a fill
    return found


def _loop_round(
    piece: np.ndarray,
    area: float,
    centres: list[tuple[str, float, float]],
    spacing: float,
    ink: FieldInk,
    config: ReaderConfig,
    merged: bool = False,
) -> str | None:
    """The one digit the ink ``piece`` (``area`` mm²) goes round as a loop, or None: it
    encloses one digit centre well inside its convex hull, near the hull's middle; and when it
    is much ink for its hull, or ``merged`` from pieces, its ink lies along the hull's outline
    and most of the way round the digit."""
    s = ink.px_per_mm
    contours, _ = cv2.findContours(piece, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    hull = cv2.convexHull(np.concatenate(contours))
    hull_mm2 = ink.area_mm2(cv2.contourArea(hull))
    if hull_mm2 <= 0:
        return None
    heavy = area > config.likert_loop_max_fill * hull_mm2 or merged
    moments = cv2.moments(hull)
    if moments["m00"] <= 0:
        return None
    hull_cx = moments["m10"] / moments["m00"]
    depth = config.likert_loop_inside_mm * s
    inside = [
        (value, cx)
        for value, cx, cy in centres
        if cv2.pointPolygonTest(hull, (float(cx), float(cy)), True) >= depth
    ]
    if len(inside) != 1:
        return None  # round two digits or none: between options, or not a loop at all
    value, cx = inside[0]
    if abs(hull_cx - cx) > config.likert_loop_centre * spacing:
        return None  # the loop's middle is off its digit: set between two options
    if heavy:
        # Much ink for its hull (a thick pen's flat oval), or pieces that do not meet (an
        # open oval): a loop only if its ink lies along the hull's outline, never over the
        # inside (a blot, a scribble), and goes most of the way round the digit (a tick's or
        # a cross's strokes only point at it).
        cy = next(y for v, _, y in centres if v == value)
        beyond = config.likert_struck_depth_mm * s + _pen_px(piece)
        if _deep_share(piece, hull, beyond) > config.likert_loop_deep_share:
            return None
        if _turn_covered(piece, (cx, cy), config.likert_loop_sectors) < config.likert_loop_turn:
            return None
    return value


def _turn_covered(piece: np.ndarray, centre: tuple[float, float], sectors: int) -> float:
    """The share of the full turn round ``centre`` in which ``piece`` has ink, counted in
    ``sectors`` equal sectors."""
    ys, xs = np.nonzero(piece)
    angles = np.arctan2(ys - centre[1], xs - centre[0])
    index = ((angles + np.pi) / (2 * np.pi) * sectors).astype(np.int64) % sectors
    return float(np.count_nonzero(np.bincount(index, minlength=sectors))) / sectors


def _deep_share(piece: np.ndarray, hull: np.ndarray, beyond_px: float) -> float:
    """The share of ``piece``'s ink deeper than ``beyond_px`` inside its convex ``hull``."""
    inside = np.zeros_like(piece)
    cv2.fillConvexPoly(inside, hull, 1)
    depth = cv2.distanceTransform(inside, cv2.DIST_L2, 3)
    deep = int((piece & (depth > beyond_px)).sum())
    return deep / max(1, int(piece.sum()))


def _pen_px(piece: np.ndarray) -> float:
    """The width of the strokes of ``piece``: for a stroke w wide the distances to the paper
    spread evenly over 0..w/2, their median w/4."""
    own = cv2.distanceTransform(piece, cv2.DIST_L2, 3)
    return 4.0 * float(np.median(own[piece > 0]))


def own_ink(field: Field, ink: FieldInk, config: ReaderConfig) -> tuple[FieldInk, FieldInk | None]:
    """``ink`` limited to the row; and, when a mark reaches in from outside, the row's ink
    without it (else None).

    The ink is collected ``likert_spill_mm`` above and below the row so that a stroke crossing
    the row's edge is seen whole: a mark (pieces closer than ``likert_join_mm``) with most of
    its ink outside the row may be a neighbouring row's circle, tick or slash reaching in, or
    this row's mark touching one of those."""
    margin = config.likert_row_margin_mm
    x, y, w, h = field.box
    x0, y0, x1, y1 = ink.pixels((x - margin, y - margin, w + 2 * margin, h + 2 * margin))
    own_mask = np.zeros_like(ink.mask)
    own_mask[y0:y1, x0:x1] = ink.mask[y0:y1, x0:x1] & 1
    own = replace(ink, mask=own_mask)
    if np.count_nonzero(ink.mask & 1) == np.count_nonzero(own_mask):
        return own, None  # nothing reaches in from outside
    s = ink.px_per_mm
    top, left, mask, count, labels = joined_pieces(
        ink.mask, max(1, round(config.likert_join_mm * s))
    )
    band = np.zeros_like(mask)
    band[max(0, y0 - top) : max(0, y1 - top), max(0, x0 - left) : max(0, x1 - left)] = 1
    inked = mask > 0
    total = np.bincount(labels[inked], minlength=count)
    inside = np.bincount(labels[inked & (band > 0)], minlength=count)
    foreign = (inside < config.likert_own_share * total) & (
        inside >= config.likert_faint_mm2 * s * s
    )
    foreign[0] = False
    if not foreign.any():
        return own, None
    cleaned = own.mask.copy()
    window = cleaned[top : top + mask.shape[0], left : left + mask.shape[1]]
    window[foreign[labels]] = 0
    return own, replace(ink, mask=cleaned)


def beside_mm2(field: Field, ink: FieldInk, config: ReaderConfig) -> float:
    """Added ink level with the row beyond its first and last options' areas, up to
    ``likert_beside_mm`` out (the row's own ink is collected ``likert_spill_mm`` around it)."""
    if not field.options:
        return 0.0
    core, reach = config.likert_core_mm, config.likert_beside_mm
    _, y, _, h = field.box
    first = min(o.box[0] + o.box[2] / 2 for o in field.options)
    last = max(o.box[0] + o.box[2] / 2 for o in field.options)
    zones: tuple[Box, ...] = ((first - core - reach, y, reach, h), (last + core, y, reach, h))
    return sum(ink.area_mm2(float(ink.region(zone).sum())) for zone in zones)


def read_likert(
    field: Field,
    ink: FieldInk,
    crop: Box,
    config: ReaderConfig,
    digit_baseline: DigitBaseline | None = None,
) -> FieldResult:
    """``digit_baseline``: the page's typical ``digit_nets`` per option value (see
    ``measure_options``)."""
    own, cleaned = own_ink(field, ink, config)
    result = decide(field, own, crop, config, digit_baseline)
    if result.status is FieldStatus.EMPTY and beside_mm2(field, ink, config) >= (
        config.likert_mark_mm2
    ):
        # Nothing on the numbers, but a mark beside the row's ends: the answer written in the
        # margin, or a tick beside the first or last number.  A person reads it.
        return outcome.result(
            field, FieldStatus.AMBIGUOUS, None, 0.4, outcome.UNCLEAR, crop, result.scores, config
        )
    if cleaned is None:
        return result
    # A mark reaching in from a neighbouring row: the row must read the same with it and
    # without it, or a person decides.
    alone = decide(field, cleaned, crop, config, digit_baseline)
    if (alone.status, alone.value) == (result.status, result.value):
        return result
    answered = (FieldStatus.OK, FieldStatus.CORRECTED)
    if alone.status in answered and result.status not in answered:
        # Without the neighbour's mark the row has a clear answer, and with it only an unclear
        # one: the neighbour's ink confused it.  Trusted when what was taken away from the row
        # is small beside the answer's own ink (a neighbour's loop or tick just reaching in);
        # a whole mark of the row's own, joined to a neighbour's, would not be.
        spilled = own.area_mm2(float(own.mask.sum()) - float(cleaned.mask.sum()))
        answer = alone.scores.get(str(alone.value), 0.0)
        if spilled < config.likert_spill_share * answer:
            return alone
    return outcome.result(
        field,
        FieldStatus.AMBIGUOUS,
        result.value if result.status is FieldStatus.OK else None,
        0.4,
        outcome.UNCLEAR,
        crop,
        result.scores,
        config,
    )


def decide(
    field: Field,
    ink: FieldInk,
    crop: Box,
    config: ReaderConfig,
    digit_baseline: DigitBaseline | None = None,
) -> FieldResult:
    """The row's answer from its own ink, deciding within the row."""
    options = measure_options(field, ink, config, digit_baseline)
    scores = {o.value: o.total_mm2 for o in options}

    def done(status: FieldStatus, value: Value, conf: float, reason: str) -> FieldResult:
        return outcome.result(field, status, value, conf, reason, crop, scores, config)

    if not options:
        return done(FieldStatus.UNREADABLE, None, 0.0, outcome.UNSUPPORTED)
    big = max(o.total_mm2 for o in options) >= config.likert_mark_mm2  # a loop is no speck
    looped = encircled_option(field, ink, options, config) if big else None
    if looped is not None:
        # One loop round one digit and nothing else of note: however far the loop spills
        # towards a neighbour, the answer is the digit it goes round.
        return done(FieldStatus.OK, looped, 0.9, outcome.OK)
    # The strongest option by all its ink; the others by the ink close to their digits, so
    # that a wide circle spilling into a neighbour's area does not make a second answer.
    best = max(options, key=lambda o: o.total_mm2)
    others = [o for o in options if o is not best]
    second = max((o.near_mm2 for o in others), default=0.0)
    rest = max((o.total_mm2 for o in others), default=0.0)
    lone = (
        best.total_mm2 >= config.likert_lone_mark_mm2
        and best.total_mm2 >= config.likert_lone_ratio * rest
    )
    marked = [best] if best.total_mm2 >= config.likert_mark_mm2 or lone else []
    marked += [
        o
        for o in others
        if o.near_mm2 >= config.likert_mark_mm2
        and (
            o.near_mm2 >= config.likert_relative * best.total_mm2
            or o.near_mm2 >= config.likert_strong_mm2
        )
    ]
    marked.sort(key=lambda o: options.index(o))
    doubtful = [
        o
        for o in options
        if o not in marked
        and (o.near_mm2 if o is not best else o.total_mm2) >= config.likert_faint_mm2
    ]
    floor = config.likert_faint_alone_mm2
    if digit_baseline is not None:
        floor = max(floor, config.likert_faint_noise_factor * digit_baseline.noise_mm2)
    if (
        not marked
        and not doubtful
        and best.total_mm2 >= floor
        and best.total_mm2 >= config.likert_faint_alone_ratio * rest
    ):
        # Too little ink to call a mark, yet it stands out from the row's paper and print
        # noise (the other options): a tiny tick is not an empty row.
        doubtful = [best]

    gap = _between_mm2(field, ink, options, config)
    if not marked:
        if gap >= config.likert_mark_mm2:
            return done(FieldStatus.AMBIGUOUS, None, 0.4, outcome.BETWEEN)
        if doubtful:
            return done(FieldStatus.AMBIGUOUS, None, 0.4, outcome.FAINT)
        if darker_digit(field, ink, config) is not None:
            # No mark to see, but one digit is darker than the row's others: a small tick drawn
            # on it, mostly on the print.  A person looks; never a confident empty row.
            return done(FieldStatus.AMBIGUOUS, None, 0.4, outcome.DARK_DIGIT)
        conf = outcome.margin_confidence(
            2 * config.likert_mark_mm2, best.total_mm2, config.likert_mark_mm2
        )
        return done(FieldStatus.EMPTY, None, conf, outcome.EMPTY)

    if any(o.fill >= config.likert_heavy_fill for o in marked):
        return done(FieldStatus.AMBIGUOUS, sorted(o.value for o in marked), 0.3, outcome.HEAVY)

    if len(marked) == 1:
        mark = marked[0]
        if _crossed_circle(mark, config):
            # A circle crossed out and nothing else: cancelled, or emphasised? A person decides.
            return done(FieldStatus.AMBIGUOUS, mark.value, 0.4, outcome.UNCLEAR)
        spacing = _spacing(field)
        centre = ink_centre_x(field, ink)
        if (
            centre is not None
            and abs(centre - mark.centre_x) > config.likert_centre_tolerance * spacing
        ):
            return done(FieldStatus.AMBIGUOUS, mark.value, 0.4, outcome.BETWEEN)
        if gap >= config.likert_between_share * mark.total_mm2:
            return done(FieldStatus.AMBIGUOUS, mark.value, 0.4, outcome.BETWEEN)
        ratio = mark.total_mm2 / max(second, 1e-6)
        if doubtful:
            # A faint mark of its own elsewhere in the row: a small new answer beside a
            # scribbled-out one, or a stray?  A person decides.
            return done(FieldStatus.AMBIGUOUS, mark.value, 0.45, outcome.UNCLEAR)
        if ratio < config.likert_clear_ratio or second >= config.likert_mark_mm2:
            # A weaker mark of its own beside the answer: a stray tick, or a second answer?
            return done(FieldStatus.AMBIGUOUS, mark.value, 0.45, outcome.UNCLEAR)
        strength = outcome.margin_confidence(mark.total_mm2, second, config.likert_mark_mm2)
        clarity = min(1.0, ratio / (2 * config.likert_clear_ratio))
        return done(FieldStatus.OK, mark.value, min(strength, 0.5 + 0.5 * clarity), outcome.OK)

    if len(marked) == 2:
        a, b = marked
        struck = struck_shares(field, ink, marked, config)
        for crossed, new in ((a, b), (b, a)):
            # A circle with strokes across its inside (an X or a scribble through the loop),
            # and beside it a mark with none: the struck circle is cancelled, the other is the
            # answer.  Judged on each mark's own shape, not on a global amount of ink.
            if (
                _circle(crossed, config)
                and (
                    crossed.interior_share >= config.likert_crossed_interior
                    or struck[crossed.value] >= config.likert_struck_share
                )
                and new.interior_share < config.likert_crossed_interior
                and struck[new.value] <= config.likert_clean_struck
            ):
                clean = new.interior_share <= config.likert_clean_interior and _circle(new, config)
                if clean:
                    return done(FieldStatus.CORRECTED, new.value, 0.85, outcome.CORRECTED)
                return done(FieldStatus.CORRECTED, new.value, 0.6, outcome.CORRECTED_UNSURE)
    return done(FieldStatus.MULTIPLE, sorted(o.value for o in marked), 0.9, outcome.MULTIPLE)


def struck_shares(
    field: Field, ink: FieldInk, marks: list[OptionInk], config: ReaderConfig
) -> dict[str, float]:
    """Per marked option: the share of its mark's ink that lies deep inside the mark's own
    convex hull: strokes across a loop (an X or a scribble through a circle).  A clean circle,
    a tick, an underline or a slash keep their ink on or near their hull's edge (near 0); a
    crossed-out circle has much of it inside.  Depth is counted beyond the width of the pen's
    stroke, the same pen for every mark in the row (the thinnest mark's: a scribble's strokes
    pile up).  A mark is the joined piece of ink with most ink in its option's area; two marks
    joined into one piece look struck, which only ever costs a flag."""
    s = ink.px_per_mm
    radius = max(1, round(config.likert_join_mm * s))
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * radius + 1, 2 * radius + 1))
    _, labels = cv2.connectedComponents(cv2.dilate(ink.mask, kernel), connectivity=8)
    inked = ink.mask > 0
    pieces: dict[str, np.ndarray] = {}
    widths = []
    for option in marks:
        _, y, _, h = next(o.box for o in field.options if o.value == option.value)
        core = config.likert_core_mm
        x0, y0, x1, y1 = ink.pixels((option.centre_x - core, y, 2 * core, h))
        counts = np.bincount(labels[y0:y1, x0:x1][inked[y0:y1, x0:x1]])
        if counts.size < 2:
            continue
        counts[0] = 0
        piece = (inked & (labels == int(np.argmax(counts)))).astype(np.uint8)
        pieces[option.value] = piece
        widths.append(_pen_px(piece))
    pen = min(widths, default=0.0)
    out = {option.value: 0.0 for option in marks}
    for value, piece in pieces.items():
        contours, _ = cv2.findContours(piece, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        hull = cv2.convexHull(np.concatenate(contours))
        out[value] = _deep_share(piece, hull, config.likert_struck_depth_mm * s + pen)
    return out


def _between_mm2(
    field: Field, ink: FieldInk, options: list[OptionInk], config: ReaderConfig
) -> float:
    """Added ink in the row that lies in none of the options' areas but between two of them
    (a loop reaching past the first or the last digit, towards the margin, is not between)."""
    first = field.options[0].box
    core = config.likert_core_mm
    left = min(o.centre_x for o in options) - core
    right = max(o.centre_x for o in options) + core
    span: Box = (left, first[1], max(0.0, right - left), first[3])
    row = ink.area_mm2(float(ink.region(span).sum()))
    return max(0.0, row - sum(o.added_mm2 for o in options))


def _spacing(field: Field) -> float:
    if len(field.options) < 2:
        return field.box[2]
    first, second = field.options[0].box, field.options[1].box
    return abs(second[0] - first[0])
