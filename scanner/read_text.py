"""Free-text fields: written or blank.

Printed ruled lines are already removed with the blank reference; what is left of them after a
small misregistration (long, thin, horizontal residue) is removed here, and so are specks, straight
bands crossing the whole box (folds, a sheet's edge, streaks from the scanner's glass) and crumbs
(dots and pieces under a millimetre).  A text field is written when enough ink remains, spread over
more than a dot, gathered somewhere as a word is, with a pen's dark core and paper beside it.
Some ink that fails one of these goes to a person.  Written fields are cropped for transcription;
when in doubt a field counts as written or goes to a person, because a person looks at every
written crop anyway, while a field wrongly called blank would lose an answer.
"""

from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np

from forms.template import Box, Field
from scanner import outcome
from scanner.config import ReaderConfig
from scanner.ink import FieldInk
from scanner.results import FieldResult, FieldStatus


def clean_text_ink(mask: np.ndarray, px_per_mm: float, config: ReaderConfig) -> np.ndarray:
    """``mask`` without thin horizontal line residue and without specks."""
    if not mask.any():
        return mask
    length = max(3, round(config.text_line_min_mm * px_per_mm))
    thickness = max(1, round(config.text_line_max_mm * px_per_mm))
    # Neither opening reaches further from the ink than its kernel: both, and the labelling of
    # specks, are done within the ink's bounding box grown by the longer kernel, cut from an
    # even row and column so that the half-resolution copy pairs the pixels the box's would.
    h, w = mask.shape
    rows, cols = _ink_window(mask, max(length, thickness + 1))
    rows = slice(rows.start - rows.start % 2, min(h, rows.stop + rows.stop % 2))
    cols = slice(cols.start - cols.start % 2, min(w, cols.stop + cols.stop % 2))
    part = mask[rows, cols]
    lines = cv2.morphologyEx(part, cv2.MORPH_OPEN, np.ones((1, length), np.uint8))
    if lines.any():
        thick = cv2.morphologyEx(lines, cv2.MORPH_OPEN, np.ones((thickness + 1, 1), np.uint8))
        part = np.where((lines > 0) & (thick == 0), np.uint8(0), part).astype(np.uint8)
        mask = mask.copy()
        mask[rows, cols] = part
    # Specks are judged on a half-resolution copy (pixels OR-ed in pairs): four times cheaper.
    # The box's last row or column, when odd, has no pair and is dropped with the specks.
    ph, pw = part.shape
    ph, pw = ph - ph % 2, pw - pw % 2
    half = part[:ph, :pw]
    half = half[0::2, 0::2] | half[1::2, 0::2] | half[0::2, 1::2] | half[1::2, 1::2]
    count, labels, stats, _ = cv2.connectedComponentsWithStats(half, connectivity=8)
    if count <= 1:
        return np.zeros_like(mask)
    speck = config.text_speck_mm * px_per_mm / 2
    keep = (stats[:, cv2.CC_STAT_WIDTH] >= speck) | (stats[:, cv2.CC_STAT_HEIGHT] >= speck)
    keep[0] = False
    if keep[1:].all():
        return mask
    kept = keep[labels].astype(np.uint8)
    out = np.zeros_like(mask)
    top, left = rows.start, cols.start
    out[top : top + ph, left : left + pw] = part[:ph, :pw] & np.repeat(
        np.repeat(kept, 2, axis=0), 2, axis=1
    )
    return out


def remove_crumbs(mask: np.ndarray, px_per_mm: float, config: ReaderConfig) -> np.ndarray:
    """``mask`` without crumbs: dust, toner, the paper's speckle, grown by the scanner's blur.
    A dot (a piece under ``text_dot_mm``, round and solid) is a crumb; so is a group of pieces
    closer than ``text_crumb_join_mm`` (a broken stroke, a letter and its dot) spanning less
    than ``text_crumb_mm`` either way.  Crumbs lie apart from each other; a written letter is
    larger, a piece of a broken stroke elongated.  Judged on a half-resolution copy, as specks
    are, within the ink's bounding box."""
    if not mask.any():
        return mask
    h, w = mask.shape
    rows, cols = _ink_window(mask, 1)
    rows = slice(rows.start - rows.start % 2, min(h, rows.stop + rows.stop % 2))
    cols = slice(cols.start - cols.start % 2, min(w, cols.stop + cols.stop % 2))
    part = mask[rows, cols]
    ph, pw = part.shape
    ph, pw = ph - ph % 2, pw - pw % 2
    half = part[:ph, :pw]
    half = half[0::2, 0::2] | half[1::2, 0::2] | half[0::2, 1::2] | half[1::2, 1::2]
    _, labels, stats, _ = cv2.connectedComponentsWithStats(half, connectivity=8)
    wide, tall = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]
    dots = (
        (stats[:, cv2.CC_STAT_AREA] >= config.text_dot_fill * wide * tall)
        & (np.maximum(wide, tall) < config.text_dot_mm * px_per_mm / 2)
        & (np.maximum(wide, tall) <= config.text_dot_aspect * np.minimum(wide, tall))
    )
    dots[0] = False
    if dots.any():
        half = np.where(dots[labels], np.uint8(0), half).astype(np.uint8)
    if not half.any():
        return np.zeros_like(mask)
    grow = max(1, round(config.text_crumb_join_mm * px_per_mm / 4))  # half-pixels each side
    _, labels, stats, _ = cv2.connectedComponentsWithStats(
        cv2.dilate(half, _square(grow)), connectivity=8
    )
    crumb = config.text_crumb_mm * px_per_mm / 2 + 2 * grow
    keep = (stats[:, cv2.CC_STAT_WIDTH] >= crumb) | (stats[:, cv2.CC_STAT_HEIGHT] >= crumb)
    keep[0] = False
    if keep[1:].all() and not dots.any():
        return mask
    kept = (keep[labels] & (half != 0)).astype(np.uint8)
    out = np.zeros_like(mask)
    top, left = rows.start, cols.start
    out[top : top + ph, left : left + pw] = part[:ph, :pw] & np.repeat(
        np.repeat(kept, 2, axis=0), 2, axis=1
    )
    return out


def _disc(radius: int) -> np.ndarray:
    return cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * radius + 1, 2 * radius + 1))


def _square(radius: int) -> np.ndarray:
    return np.ones((2 * radius + 1, 2 * radius + 1), np.uint8)


def _inscribed(radius: int) -> int:
    """Half the side of the largest square centred in ``_disc(radius)``."""
    disc = _disc(radius)
    side = radius
    while (
        side > 0
        and not disc[radius - side : radius + side + 1, radius - side : radius + side + 1].all()
    ):
        side -= 1
    return side


def _ink_window(mask: np.ndarray, radius: int) -> tuple[slice, slice]:
    """The part of ``mask`` within ``radius`` pixels of its ink (which it must hold): a dilate
    by a kernel no wider than that is zero everywhere else, so it is done there only."""
    rows = np.flatnonzero(mask.any(axis=1))
    cols = np.flatnonzero(mask.any(axis=0))
    h, w = mask.shape
    return (
        slice(max(0, int(rows[0]) - radius), min(h, int(rows[-1]) + radius + 1)),
        slice(max(0, int(cols[0]) - radius), min(w, int(cols[-1]) + radius + 1)),
    )


def _speckled(
    mask: np.ndarray, dark: np.ndarray, free: np.ndarray, radius: int, limit: float
) -> bool | None:
    """Whether the share of dark pixels on bare paper (``free`` and more than ``radius`` from
    ``mask``'s ink, by a disc) is above ``limit``; None when there is no bare paper.

    The disc's dilate is slow; squares inside and around it are cheap (separable), and the
    shares they give bound the disc's from both sides.  The disc is only drawn when the bounds
    straddle ``limit`` (speckle near the limit), so the answer is always the disc's own."""
    window = _ink_window(mask, radius)
    part = mask[window]
    dark_free = (dark != 0) & free
    all_free = int(np.count_nonzero(free))
    all_dark = int(np.count_nonzero(dark_free))
    free_part, dark_part = free[window], dark_free[window]

    def share(near: np.ndarray) -> tuple[int, int]:
        """Bare and dark bare pixels when ``near`` (within the window) is not bare."""
        near = near != 0
        bare = all_free - int(np.count_nonzero(free_part & near))
        return bare, all_dark - int(np.count_nonzero(dark_part & near))

    # The outer square holds the disc (fewer bare pixels, fewer dark); the inner lies in it.
    outer_bare, outer_dark = share(cv2.dilate(part, _square(radius)))
    inner_bare, inner_dark = share(cv2.dilate(part, _square(_inscribed(radius))))
    if outer_bare > 0:
        # The disc's share lies between the least dark over the most bare and the reverse.
        if float(inner_dark) / float(outer_bare) <= limit:
            return False
        if float(outer_dark) / float(inner_bare) > limit:
            return True
    bare, dark_bare = share(cv2.dilate(part, _disc(radius)))
    if bare == 0:
        return None
    return float(dark_bare) / float(bare) > limit


def bilevel_text_ink(ink: FieldInk, config: ReaderConfig) -> np.ndarray:
    """The field's added ink, adjusted for what black-and-white scanners do to handwriting.

    The paper's speckle is measured first: the share of dark pixels on bare paper (clear of the
    print and ``text_speckle_clear_mm`` away from any ink).  On clean paper a dark pixel is ink,
    so the hairlines that added-ink cleaning drops (a fine or light pen thresholded to strokes a
    pixel wide, or broken into speckle) are put back where they continue surviving strokes:
    runs of at least ``text_hairline_min_mm2`` within ``text_hairline_mm`` of them.  On speckled
    paper (dithered or a dark setting: more than ``text_speckle_max``) ink is only where the
    dark pixels are dense (``text_speckle_density`` of a ``text_speckle_window_mm`` window):
    strokes are solid, speckle is not.  Greyscale scans have clean paper; what they gain is the
    rim of strokes that the local-contrast test and speck cleaning shaved off.

    Only the printed matter's widening and the paper's count cover the whole box: what is done
    around the ink (dilates, the density blur, labelling) cannot reach further from it than
    its kernel, so it is done within the ink's bounding box grown by that kernel."""
    mask = ink.mask
    if not mask.any():
        return mask
    s = ink.px_per_mm
    grow = max(1, round(config.reference_dilate_mm * s)) + 1
    free = cv2.dilate(ink.printed, _disc(grow)) == 0
    clear = max(1, round(config.text_speckle_clear_mm * s))
    speckled = _speckled(mask, ink.dark, free, clear, config.text_speckle_max)
    if speckled is None:
        return mask
    if speckled:
        k = max(3, round(config.text_speckle_window_mm * s) | 1)
        # The blur's window, and so its border, stays inside the cut; sums of 0/1 are exact.
        window = _ink_window(mask, k)
        dense = cv2.blur(ink.dark[window].astype(np.float32), (k, k)) >= config.text_speckle_density
        out = np.zeros_like(mask)
        out[window] = mask[window] & dense
        return out
    radius = max(1, round(config.text_hairline_mm * s))
    window = _ink_window(mask, radius)
    part = mask[window]
    # Dark free pixels off the ink; when there are none the ink's dilate is not needed.
    extra = (ink.dark[window] & free[window] & (part == 0)).astype(np.uint8)
    if not extra.any():
        return mask
    extra &= cv2.dilate(part, _disc(radius))
    _, labels, stats, _ = cv2.connectedComponentsWithStats(extra, connectivity=8)
    keep = stats[:, cv2.CC_STAT_AREA] >= config.text_hairline_min_mm2 * s * s
    keep[0] = False
    out = mask.copy()
    out[window] |= keep[labels].astype(np.uint8)
    return out


# Slopes tried together in one array pass of the straight-band search, times the ink pixels:
# a bound on the pass's memory (a blacked-in box has hundreds of thousands of pixels).
_SLOPE_PASS_PIXELS = 1 << 20


def _run_points(mask: np.ndarray, gap: int) -> tuple[np.ndarray, np.ndarray]:
    """(ys, xs) of ``mask``'s ink that the band search needs (``mask`` must hold some): of each
    vertical run of ink in a column, its ends and every ``gap``-th pixel between.  Along a
    column the projection ``y - slope * x`` rises by one a pixel, so with ``gap`` under half a
    band these points fall into every half-band row the whole run does, and one of them lies
    in any band the run enters: the search finds what it would with every pixel, on a third
    of them for handwriting."""
    rows_in, cols_in = _ink_window(mask, 0)
    xs, ys = np.nonzero(mask[rows_in, cols_in].T)  # column by column, down each column
    index = np.arange(xs.size)
    starts = np.ones(xs.size, bool)
    starts[1:] = (xs[1:] != xs[:-1]) | (ys[1:] != ys[:-1] + 1)
    ends = np.ones(xs.size, bool)
    ends[:-1] = starts[1:]
    into = index - np.maximum.accumulate(np.where(starts, index, 0))
    keep = (into % gap == 0) | ends
    return ys[keep] + rows_in.start, xs[keep] + cols_in.start


def _straight_band(
    mask: np.ndarray,
    printed: np.ndarray,
    px_per_mm: float,
    config: ReaderConfig,
    end_mm: float | None,
    guide: Callable[[], np.ndarray] | None = None,
) -> tuple[float, float] | None:
    """The straight band (offset, slope: y = offset + slope * x, pixels) of ink running across
    the whole field, from side to side, or None.  Every slope up to ``text_fold_slope`` is
    tried, in steps small enough that the band drifts by less than half its height over the
    field; the ink is projected along it into half-band rows, and the pair of rows with ink in
    most columns wins.  The slopes are projected together, a pass over an array each.

    The band runs from side to side when its ink reaches within ``end_mm`` of both (None: this
    is not enough), or when ``guide()`` (the scan's darkness off the print) lies along it in
    ``text_line_dark_cover`` of the field's columns: a shadow or a streak is dark all the way,
    though only broken pieces of it pass as ink; no line of writing is."""
    if not mask.any():
        return None
    w = mask.shape[1]
    band = max(2.0, config.text_fold_band_mm * px_per_mm)
    ys, xs = _run_points(mask, max(1, int(np.ceil(band / 2)) - 1))
    step = max(1, round(config.text_fold_step_mm * px_per_mm))
    columns = -(-w // step)
    need = config.text_fold_cover * columns
    col = xs // step
    end = (0.0 if end_mm is None else end_mm) * px_per_mm
    if np.count_nonzero(np.bincount(col, minlength=columns)) < need:
        return None  # a band holds ink in no more columns than the whole field does
    # A band must reach near both of its ends: the box's sides, or a printed rule's residue's
    # ends, which lie at least half the box apart; ink that stops short of the furthest such
    # end on either side holds no band.
    left, right = 0.0, float(w - 1)
    if printed.any():
        inked = np.flatnonzero(printed.any(axis=0))
        left = max(0.0, int(inked[-1]) - w / 2)
        right = min(float(w - 1), int(inked[0]) + w / 2)
    if guide is None and (
        end_mm is None or int(xs.min()) > left + end or int(xs.max()) < right - end
    ):
        return None
    count = max(1, int(np.ceil(2 * config.text_fold_slope * w / (band / 2))))
    slopes = np.linspace(-config.text_fold_slope, config.text_fold_slope, 2 * count + 1)
    chunk = max(1, _SLOPE_PASS_PIXELS // xs.size)
    best: tuple[int, float, float] | None = None
    printed_at: tuple[np.ndarray, ...] = ()
    guide_at: tuple[np.ndarray, ...] = ()
    for first_slope in range(0, slopes.size, chunk):
        some = slopes[first_slope : first_slope + chunk]
        shifted = ys[None, :] - some[:, None] * xs[None, :]
        lows = shifted.min(axis=1)
        rows = ((shifted - lows[:, None]) / (band / 2)).astype(np.int64)
        hits = np.zeros((some.size, int(rows.max()) + 2, columns), bool)
        hits[np.arange(some.size)[:, None], rows, col[None, :]] = True
        covered = (hits[:, :-1] | hits[:, 1:]).sum(axis=2)
        tops = covered.argmax(axis=1)
        wide = np.flatnonzero(covered[np.arange(some.size), tops] >= need)
        if wide.size == 0:
            continue
        if not printed_at:
            # (x, y) of each pixel; None when there are none
            found = cv2.findNonZero(printed) if printed.size else None
            at = np.empty((0, 2), np.int32) if found is None else found.reshape(-1, 2)
            printed_at = (at[:, 1], at[:, 0])
        py, px = printed_at
        slope, top = some[wide], tops[wide]
        centre = lows[wide] + (top + 1) * band / 2
        on = np.abs(shifted[wide] - centre[:, None]) <= band / 2
        first = np.zeros(wide.size, np.int64)
        last = np.full(wide.size, w - 1, np.int64)
        rule = np.zeros(wide.size, bool)
        if py.size:
            along = np.abs(py[None, :] - slope[:, None] * px[None, :] - centre[:, None]) <= band / 2
            lo = np.where(along, px[None, :], w).min(axis=1)
            hi = np.where(along, px[None, :], -1).max(axis=1)
            rule = along.any(axis=1) & (hi - lo >= w / 2)  # a printed rule's residue
            first = np.where(rule, lo, first)
            last = np.where(rule, hi, last)
        # handwriting starts and stops inside the box; a fold runs on past it
        reach = np.zeros(wide.size, bool)
        if end_mm is not None:
            reach = (np.where(on, xs[None, :], w).min(axis=1) <= first + end) & (
                np.where(on, xs[None, :], -1).max(axis=1) >= last - end
            )
        if guide is not None and not reach.all():
            if not guide_at:
                found = cv2.findNonZero(guide())
                at = np.empty((0, 2), np.int32) if found is None else found.reshape(-1, 2)
                guide_at = (at[:, 1], at[:, 0])
            gy, gx = guide_at
            # Not along a printed rule, though: its own blur is dark all the way, and writing
            # sits on it.
            for i in np.flatnonzero(~reach & ~rule):
                along_band = np.abs(gy - slope[i] * gx - centre[i]) <= band / 2
                seen = np.unique(gx[along_band]).size
                reach[i] = seen >= config.text_line_dark_cover * w
        for i in np.flatnonzero(reach):
            cover = int(covered[wide[i], top[i]])
            if best is None or cover > best[0]:
                best = (cover, float(centre[i]), float(slope[i]))
    return None if best is None else (best[1], best[2])


def remove_straight_lines(
    mask: np.ndarray, ink: FieldInk, config: ReaderConfig, vertical: bool = False
) -> tuple[np.ndarray, int]:
    """``mask`` without long straight lines running across the field: a paper fold's shadow, a
    printed rule's residue, a crease, the shadow of a sheet's edge; with ``vertical``, lines
    from top to bottom instead: a streak from dirt on the scanner's glass, which runs down the
    whole page and so through every box (tilted as much as the sheet lay skewed).  They cross
    the whole box (and the page beyond it), or run the length of a printed rule, thin and
    straight; handwriting is short curved strokes that start and stop inside the box.  Pieces
    of ink lying in the line's band are removed; strokes reaching well out of it (letters
    written across a fold) stay whole.  Returns the mask and the number of pixels removed."""
    px_per_mm = ink.px_per_mm

    def guide() -> np.ndarray:
        """The scan's darkness off the (widened) print; across the print, for vertical lines
        (the printed rules cross a streak, and hide it there)."""
        if vertical:
            return np.ascontiguousarray((ink.dark | ink.printed).T)
        whole = (slice(0, mask.shape[0]), slice(0, mask.shape[1]))
        return ((ink.dark != 0) & _off_print(ink, whole, config)).astype(np.uint8)

    if vertical:
        # The same search across the transposed field; the printed rules run the other way
        # and mark no line's ends.  A box may be only a line of writing tall, so a streak is
        # told by its darkness running through the whole box, as no tall letter's does.
        dark = guide()
        if np.count_nonzero(dark.any(axis=0)) < config.text_line_dark_cover * dark.shape[1]:
            # Dark nowhere near all the way down, along any line: no streak (and no need to
            # search every slope, which costs more than the rest of the field's reading).
            return mask, 0
        out, removed = _remove_lines(
            np.ascontiguousarray(mask.T),
            np.zeros((0, 0), np.uint8),
            px_per_mm,
            config,
            None,
            lambda: dark,
        )
        return np.ascontiguousarray(out.T), removed
    return _remove_lines(mask, ink.printed, px_per_mm, config, config.text_fold_end_mm, guide)


def _remove_lines(
    mask: np.ndarray,
    printed: np.ndarray,
    px_per_mm: float,
    config: ReaderConfig,
    end_mm: float | None,
    guide: Callable[[], np.ndarray],
) -> tuple[np.ndarray, int]:
    """``remove_straight_lines`` along the rows of ``mask``."""
    removed = 0
    for _ in range(3):  # a fold and a rule's residue may cross the same box
        found = _straight_band(mask, printed, px_per_mm, config, end_mm, guide)
        if found is None:
            break
        offset, slope = found
        count, labels = cv2.connectedComponents(mask, connectivity=8)
        ys, xs = np.nonzero(mask)
        # The line itself, fitted to the ink along the band (a blurred shadow's residue is
        # ragged and a page's perspective bends it slightly).
        band = config.text_fold_band_mm * px_per_mm
        along = np.abs(ys - (offset + slope * xs)) <= band
        if np.ptp(xs[along]) > 0:
            slope, offset = (float(v) for v in np.polyfit(xs[along], ys[along], 1))
        residual = np.abs(ys - (offset + slope * xs))
        inside = residual <= band / 2 + config.text_fold_margin_mm * px_per_mm
        own = labels[ys, xs]
        total = np.bincount(own, minlength=count)
        near = np.bincount(own[inside], minlength=count)
        line = near >= config.text_fold_share * np.maximum(total, 1)
        line[0] = False
        if not line.any():
            break
        drop = line[labels]
        removed += int(np.count_nonzero(drop & (mask > 0)))
        mask = np.where(drop, np.uint8(0), mask).astype(np.uint8)
    return mask, removed


def _shadow_share(mask: np.ndarray, ink: FieldInk, config: ReaderConfig) -> float:
    """The share of the bare paper just beside ``mask``'s ink (``text_shadow_gap_mm`` to twice
    that away, clear of the print) that is dark in the scan.  Beside a pen's stroke lies paper;
    beside what is left of a broad dark patch (a punch hole, a sheet's edge, which the local
    paper test took out but for their rims) lies the patch."""
    s = ink.px_per_mm
    gap = max(1, round(config.text_shadow_gap_mm * s))
    window = _ink_window(mask, 2 * gap + 1)
    part = mask[window]
    near = cv2.dilate(part, _square(gap))
    ring = (cv2.dilate(part, _square(2 * gap)) != 0) & (near == 0)
    ring &= _off_print(ink, window, config)
    bare = int(np.count_nonzero(ring))
    if bare == 0:
        return 0.0
    return float(np.count_nonzero(ring & (ink.dark[window] != 0))) / bare


def _core_contrast(mask: np.ndarray, scan: np.ndarray, config: ReaderConfig) -> float:
    """How much darker than the field's paper (its median: a text box is mostly bare) the
    darkest ``text_core_share`` of ``mask``'s ink is, as a share of the paper's level.  A pen's
    or pencil's stroke has a dark core, however light its edges; writing on the back of the
    sheet showing through is pale and soft all through."""
    ink = scan[mask != 0]
    if ink.size == 0:
        return 1.0
    paper = float(np.median(scan))
    core = float(np.percentile(ink, 100 * config.text_core_share))
    return (paper - core) / max(paper, 1.0)


def _off_print(ink: FieldInk, window: tuple[slice, slice], config: ReaderConfig) -> np.ndarray:
    """Where, in ``window``, the blank form is paper: its print widened as added ink's is."""
    grow = max(1, round(config.reference_dilate_mm * ink.px_per_mm)) + 1
    return np.asarray(cv2.dilate(ink.printed[window], _disc(grow)) == 0)


def _scattered_or_sparse(mask: np.ndarray, px_per_mm: float, config: ReaderConfig) -> bool:
    """Whether ``mask``'s ink spans ``text_scattered_width`` of the box or lies sparser than
    ``text_sparse_mm2_per_mm`` along its width: strewn, as crumbs are, not gathered as writing."""
    if not mask.any():
        return False
    xs = np.flatnonzero(mask.any(axis=0))
    width = int(xs[-1] - xs[0])
    area = float(np.count_nonzero(mask)) / (px_per_mm * px_per_mm)
    return bool(
        width >= config.text_scattered_width * mask.shape[1]
        or area < config.text_sparse_mm2_per_mm * width / px_per_mm
    )


def _largest_cluster_mm2(mask: np.ndarray, px_per_mm: float, config: ReaderConfig) -> float:
    """The most ink (mm²) in one cluster of ``mask``'s pieces, pieces closer than
    ``text_word_gap_mm`` together: the letters of a word.  Judged on a copy a quarter the
    resolution (pixels OR-ed in fours), which is precise enough for gaps of millimetres."""
    rows, cols = _ink_window(mask, 0)
    part = mask[rows, cols]
    h, w = part.shape
    factor = 4
    padded = np.zeros((-(-h // factor) * factor, -(-w // factor) * factor), np.uint8)
    padded[:h, :w] = part
    small = padded.reshape(padded.shape[0] // factor, factor, -1, factor).max(axis=(1, 3))
    grow = max(1, round(config.text_word_gap_mm * px_per_mm / factor / 2))
    count, labels = cv2.connectedComponents(cv2.dilate(small, _square(grow)), connectivity=8)
    # Each piece of ink counted in its cluster, at full resolution.
    ys, xs = np.nonzero(part)
    sums = np.bincount(labels[ys // factor, xs // factor], minlength=count)
    return float(sums[1:].max()) / (px_per_mm * px_per_mm) if count > 1 else 0.0


def read_text(field: Field, ink: FieldInk, crop: Box, config: ReaderConfig) -> FieldResult:
    s = ink.px_per_mm
    mask = clean_text_ink(bilevel_text_ink(ink, config), s, config)
    mask, line_px = remove_straight_lines(mask, ink, config)
    mask, streak_px = remove_straight_lines(mask, ink, config, vertical=True)
    if _scattered_or_sparse(mask, s, config):
        # Crumbs are told apart where ink is strewn over the box; gathered in one place, the
        # pieces are a word's, broken by a light pen or a threshold.
        mask = remove_crumbs(mask, s, config)
    area = ink.area_mm2(float(mask.sum()))
    spread = 0.0
    width = 0  # pixels from the leftmost ink to the rightmost
    if area > 0:
        xs = np.flatnonzero(mask.any(axis=0))
        ys = np.flatnonzero(mask.any(axis=1))
        width = int(xs[-1] - xs[0])
        spread = max(width, int(ys[-1] - ys[0])) / s
    scores = {"ink_mm2": area, "spread_mm": spread}
    if line_px:
        scores["line_mm2"] = ink.area_mm2(line_px)
    if streak_px:
        scores["streak_mm2"] = ink.area_mm2(streak_px)

    def done(status: FieldStatus, conf: float, reason: str) -> FieldResult:
        return outcome.result(field, status, None, conf, reason, crop, scores, config)

    if area < config.text_blank_mm2 and area + scores.get("line_mm2", 0.0) >= (
        config.text_written_mm2
    ):
        # Nothing but a long straight line across the box, and enough of it to hide a word
        # written along it: a fold, most likely, but a person looks rather than lose an answer.
        return done(FieldStatus.AMBIGUOUS, 0.4, outcome.BLANK_LINE)
    scattered = width >= config.text_scattered_width * mask.shape[1]
    # Sparse: less ink along the box than a line of writing leaves, however faint.
    sparse = area < config.text_sparse_mm2_per_mm * width / s
    if area < config.text_blank_mm2:
        if (
            area >= config.text_mark_mm2
            and spread >= config.text_mark_mm
            and not (scattered or sparse)
        ):
            # A small mark of its own, too large for a crumb: a "-", an "x", a short "ei"
            # written small.  A person looks rather than lose a one-stroke answer.
            return done(FieldStatus.AMBIGUOUS, 0.4, outcome.TEXT_UNCLEAR)
        return done(
            FieldStatus.BLANK,
            outcome.margin_confidence(config.text_written_mm2, area, config.text_blank_mm2),
            outcome.BLANK,
        )
    if area < config.text_written_mm2 and scattered:
        # Too little ink for a word, and scattered over nearly the whole box: dots along a
        # fold, a stain's rim, noise.  A faint word is shorter; a person looks rather than let
        # crumbs pass as unclear writing.
        return done(FieldStatus.AMBIGUOUS, 0.4, outcome.TEXT_UNCLEAR)
    if scattered or sparse:
        scores["cluster_mm2"] = _largest_cluster_mm2(mask, s, config)
    if (scattered or sparse) and scores["cluster_mm2"] < config.text_word_mm2:
        # Enough ink, but nowhere enough of it together for a word: marks scattered about the
        # box (crumbs that escaped the crumb test, dust, a stain's speckle).  A person looks.
        return done(FieldStatus.AMBIGUOUS, 0.4, outcome.TEXT_UNCLEAR)
    if ink.scan is not None:
        scores["core"] = _core_contrast(mask, ink.scan, config)
        if scores["core"] < config.text_core_contrast:
            # Pale all through: no pen's stroke, but writing on the back of the sheet showing
            # through, or a shadow.  A person looks.
            return done(FieldStatus.AMBIGUOUS, 0.4, outcome.TEXT_UNCLEAR)
    scores["shadow"] = _shadow_share(mask, ink, config)
    if scores["shadow"] > config.text_shadow_share:
        # The ink is the rim of a broad dark patch, not strokes on paper: a punch hole, a
        # staple, a shadow, or a word blacked out.  A person looks.
        return done(FieldStatus.AMBIGUOUS, 0.4, outcome.TEXT_UNCLEAR)
    if area >= config.text_written_mm2 and spread >= config.text_min_spread_mm:
        conf = outcome.margin_confidence(area, 0.0, config.text_written_mm2)
        return done(FieldStatus.WRITTEN, conf, outcome.WRITTEN)
    return done(FieldStatus.WRITTEN, 0.5, outcome.TEXT_UNCLEAR)
