"""Added ink: what the respondent put on the page, as opposed to what was printed.

For one field at a time: crop the normalised scan and the blank reference around the field,
re-align the crop by a few pixels against the printed outline (template matching on a coarse
copy, sub-pixel peak), then keep pixels that are dark in the scan where the widened printed ink
of the reference is white.  Darkness is judged relative to the page's own paper level, so light
blue pen and pencil still count.  Specks (dust, noise) are removed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import cv2
import numpy as np

from forms.template import Box
from scanner.config import ReaderConfig
from scanner.register import MM_PER_INCH
from scanner.templates import PageReference
from scanner.upright import UprightPage, padded_crop, page_crop, page_sample

_SPECK_KERNEL = np.ones((2, 2), np.uint8)


@dataclass(frozen=True)
class FieldInk:
    """Added ink around one field, in normalised-page pixels of the template."""

    mask: np.ndarray  # uint8 0/1
    origin: tuple[int, int]  # template-pixel position (x, y) of mask[0, 0]
    px_per_mm: float
    shift: tuple[int, int]  # local re-alignment applied to the scan, pixels
    dark: np.ndarray  # uint8 0/1: everything dark in the (re-aligned) scan, printed or added
    printed: np.ndarray  # uint8 0/1: printed ink of the blank reference, not widened
    scan: np.ndarray | None = None  # greyscale: the (re-aligned) scan, as ``dark`` was cut
    blank: np.ndarray | None = None  # greyscale: the blank reference, as ``printed`` was cut

    def net_dark_mm2(self, box: Box) -> float:
        """Dark area of the scan minus that of the blank form inside ``box``: ink added *on*
        printed matter (a tick across a digit), which the widened reference hides from ``mask``.
        Insensitive to small misregistration; print gain is cancelled by comparing options."""
        x0, y0, x1, y1 = self.pixels(box)
        scan = int(self.dark[y0:y1, x0:x1].sum())
        blank = int(self.printed[y0:y1, x0:x1].sum())
        return self.area_mm2(scan - blank)

    def region(self, box: Box) -> np.ndarray:
        """The mask inside ``box`` (template mm), clipped to the crop."""
        x0, y0, x1, y1 = self.pixels(box)
        return self.mask[y0:y1, x0:x1]

    def pixels(self, box: Box) -> tuple[int, int, int, int]:
        """``box`` as (x0, y0, x1, y1) indices into ``mask``."""
        x, y, w, h = box
        s = self.px_per_mm
        ox, oy = self.origin
        height, width = self.mask.shape
        # min(max(v, 0), size), spelt out: this runs thousands of times per page.
        x0 = round(x * s) - ox
        x0 = 0 if x0 < 0 else width if x0 > width else x0
        y0 = round(y * s) - oy
        y0 = 0 if y0 < 0 else height if y0 > height else y0
        x1 = round((x + w) * s) - ox
        x1 = 0 if x1 < 0 else width if x1 > width else x1
        y1 = round((y + h) * s) - oy
        y1 = 0 if y1 < 0 else height if y1 > height else y1
        return x0, y0, x1, y1

    def area_mm2(self, pixels: float) -> float:
        return float(pixels) / (self.px_per_mm * self.px_per_mm)


def windows(image: np.ndarray, corners: list[tuple[int, int]], size: tuple[int, int]) -> np.ndarray:
    """The windows of ``size`` (width, height) pixels at each of ``corners`` (x, y) in
    ``image``, stacked; they must lie inside ``image``."""
    w, h = size
    return np.stack([image[y : y + h, x : x + w] for x, y in corners])


def darkness(stack: np.ndarray, ring: int) -> np.ndarray:
    """Per window of ``stack`` (from ``windows``): how much darker than its own paper it is,
    summed over its pixels (grey levels times pixels).  The paper is the interquartile mean of
    the window's outermost ``ring`` pixels, so that a shadow or a tinted patch under the window
    is not counted: robust to a stroke crossing the band, and finer than whole grey levels (an
    error of half a level over the whole window would outweigh a small mark).  Summed grey
    levels do not change with blur or a slight misregistration of the window, as a count of
    dark pixels does."""
    n, h, w = stack.shape
    edge = np.concatenate(
        (
            stack[:, :ring, :].reshape(n, -1),
            stack[:, -ring:, :].reshape(n, -1),
            stack[:, ring:-ring, :ring].reshape(n, -1),
            stack[:, ring:-ring, -ring:].reshape(n, -1),
        ),
        axis=1,
    )
    edge = cv2.sort(edge, cv2.SORT_EVERY_ROW)  # numpy's sort is many times slower on uint8
    quarter = edge.shape[1] // 4
    paper = edge[:, quarter : edge.shape[1] - quarter].mean(axis=1, dtype=np.float64)
    return paper * (w * h) - stack.reshape(n, -1).sum(axis=1, dtype=np.int64)


class Pieces(NamedTuple):
    """Ink pieces (strokes closer than the join radius joined), labelled within the part of the
    mask from (``top``, ``left``) that holds all the ink."""

    top: int
    left: int
    mask: np.ndarray  # the mask cut to that part
    number: int  # of labels, 0 being the background
    labels: np.ndarray


def joined_pieces(mask: np.ndarray, radius: int) -> Pieces:
    """Label ``mask``'s ink with strokes closer than ``radius`` pixels joined.  The work is done
    within the ink's bounding box grown by the kernel: the same pieces as over the whole mask,
    for a fraction of the work.  ``mask`` must hold some ink."""
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * radius + 1, 2 * radius + 1))
    rows = np.flatnonzero(mask.any(axis=1))
    cols = np.flatnonzero(mask.any(axis=0))
    top, left = max(0, int(rows[0]) - radius - 1), max(0, int(cols[0]) - radius - 1)
    bottom, right = int(rows[-1]) + radius + 2, int(cols[-1]) + radius + 2
    part = mask[top:bottom, left:right]
    count, labels = cv2.connectedComponents(cv2.dilate(part, kernel), connectivity=8)
    return Pieces(top, left, part, count, labels)


def page_ink_threshold(page: np.ndarray | UprightPage, config: ReaderConfig) -> int:
    """Scan pixels darker than this are ink: below the page's own paper level by a margin that
    is large enough to clear the paper's noise and texture, and no larger (pencil and light
    blue pen are only a little darker than paper)."""
    sample = page_sample(page, 10).ravel()
    median, paper = np.percentile(sample, (50, 90))
    bare = sample[sample >= median]  # most of a page is paper: its upper half is surely paper
    noise = 1.4826 * float(np.median(np.abs(bare - np.median(bare)))) if bare.size else 0.0
    contrast = max(config.ink_min_contrast * float(paper), config.ink_noise_factor * noise)
    return int(float(paper) - contrast)


def local_shift(
    scan: np.ndarray,
    reference: np.ndarray,
    search: int,
    dpi: float,
    config: ReaderConfig,
    small_reference: tuple[np.ndarray, float] | None = None,
) -> tuple[int, int]:
    """The (dx, dy) in pixels that best aligns ``reference`` within ``scan`` (which is larger by
    ``search`` pixels on every side), found on copies resampled to ``config.realign_dpi``.

    ``small_reference``: ``_small(reference, dpi, config)`` when already at hand."""
    scale = min(1.0, config.realign_dpi / dpi)
    small_scan = cv2.resize(scan, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    small_ref, spread = small_reference or _small(reference, dpi, config)
    if (
        small_ref.shape[0] >= small_scan.shape[0]
        or small_ref.shape[1] >= small_scan.shape[1]
        or spread < 1.0
    ):
        return 0, 0
    result = cv2.matchTemplate(small_scan, small_ref, cv2.TM_CCOEFF_NORMED)
    _, best, _, (bx, by) = cv2.minMaxLoc(result)
    if not np.isfinite(best) or best < config.realign_min_score:
        return 0, 0
    fx = bx + _subpixel(result, by, bx, axis=1)
    fy = by + _subpixel(result, by, bx, axis=0)
    centre_x = (result.shape[1] - 1) / 2.0
    centre_y = (result.shape[0] - 1) / 2.0
    dx = round((fx - centre_x) / scale)
    dy = round((fy - centre_y) / scale)
    return max(-search, min(search, dx)), max(-search, min(search, dy))


def _small(reference: np.ndarray, dpi: float, config: ReaderConfig) -> tuple[np.ndarray, float]:
    """``reference`` resampled to ``config.realign_dpi``, and its standard deviation."""
    scale = min(1.0, config.realign_dpi / dpi)
    small = cv2.resize(reference, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    return small, float(small.std())


def _subpixel(result: np.ndarray, y: int, x: int, axis: int) -> float:
    """Parabolic peak offset (-0.5..0.5) along one axis."""
    if axis == 1:
        if x == 0 or x == result.shape[1] - 1:
            return 0.0
        a, b, c = result[y, x - 1], result[y, x], result[y, x + 1]
    else:
        if y == 0 or y == result.shape[0] - 1:
            return 0.0
        a, b, c = result[y - 1, x], result[y, x], result[y + 1, x]
    denominator = float(a - 2 * b + c)
    if denominator >= 0:
        return 0.0
    return max(-0.5, min(0.5, 0.5 * float(a - c) / denominator))


def added_ink(
    page: np.ndarray | UprightPage,
    reference: PageReference,
    box: Box,
    margin_mm: float,
    threshold: int,
    dpi: float,
    config: ReaderConfig,
    realign: bool = True,
    clean: bool = True,
    local_paper_mm: float = 0.0,
) -> FieldInk:
    """Added ink in ``box`` grown by ``margin_mm``, after local re-alignment; with ``clean``,
    without specks of a pixel or two (text fields clean their own ink more thoroughly)."""
    s = dpi / MM_PER_INCH
    x, y, w, h = box
    x0 = round((x - margin_mm) * s)
    y0 = round((y - margin_mm) * s)
    x1 = round((x + w + margin_mm) * s)
    y1 = round((y + h + margin_mm) * s)
    ref = padded_crop(reference.image, x0, y0, x1, y1, 255)
    shift = (0, 0)
    wide: np.ndarray | None = None
    if realign:
        search = max(1, round(config.realign_search_mm * s))
        wide = page_crop(page, x0 - search, y0 - search, x1 + search, y1 + search)
        # The blank form's side is the same on every page: resampled once per field.
        key = ("realign", x0, y0, x1, y1, dpi, config.realign_dpi)
        small = reference.derived.get(key)
        if small is None:
            small = reference.derived[key] = _small(ref, dpi, config)
        shift = local_shift(wide, ref, search, dpi, config, small)
    dx, dy = shift
    if wide is None:
        scan = page_crop(page, x0 + dx, y0 + dy, x1 + dx, y1 + dy)
    else:  # the shifted crop lies within the searched one (|dx|, |dy| <= search)
        scan = wide[search + dy : search + dy + y1 - y0, search + dx : search + dx + x1 - x0]
    printed = padded_crop(reference.ink, x0, y0, x1, y1, 255)
    # Comparisons viewed as uint8 0/1: no conversion pass over the crop.
    dark = np.less(scan, threshold).view(np.uint8)
    mask = dark & np.equal(printed, 0).view(np.uint8)
    if local_paper_mm > 0 and mask.any():
        # Judge ink against the paper around it, not only the page's: a crease's or a
        # stain's soft shadow is wider than any pen stroke, so the paper level seen through a
        # window wider than a stroke follows the shadow and leaves only the strokes.
        size = max(3, round(local_paper_mm * s)) | 1
        kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (size, size))
        paper = cv2.morphologyEx(scan, cv2.MORPH_CLOSE, kernel)
        contrast = max(1, round(config.text_local_contrast * (255 - threshold)))
        # scan < paper - contrast, in uint8: where paper < scan the saturated difference is
        # 0, never above contrast (>= 1), as the exact one would not be either.
        local = np.greater(cv2.subtract(paper, scan), contrast).view(np.uint8)
        mask = mask & local
    if clean and mask.any():
        # Single pixels and hairlines are noise; pen strokes are several pixels wide.
        mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, _SPECK_KERNEL)
        mask = remove_streaks(mask, dark, config.streak_fraction)
    bare = np.less(ref, threshold).view(np.uint8)
    return FieldInk(
        mask=mask,
        origin=(x0, y0),
        px_per_mm=s,
        shift=shift,
        dark=dark,
        printed=bare,
        scan=scan,
        blank=ref,
    )


def remove_streaks(mask: np.ndarray, dark: np.ndarray, fraction: float) -> np.ndarray:
    """``mask`` without straight lines running right across the crop, vertically or
    horizontally: scanner streaks (dust on the feeder's glass), never a pen stroke.  A streak is
    a column (or row) that is dark over ``fraction`` of the crop, printed parts included."""
    h, w = dark.shape
    columns = np.flatnonzero(_sums(dark, 0) >= fraction * h) if h > 8 else np.empty(0, int)
    rows = np.flatnonzero(_sums(dark, 1) >= fraction * w) if w > 8 else np.empty(0, int)
    if columns.size == 0 and rows.size == 0:
        return mask
    mask = mask.copy()
    for c in columns:
        mask[:, max(0, c - 1) : c + 2] = 0
    for r in rows:
        mask[max(0, r - 1) : r + 2, :] = 0
    return mask


def _sums(image: np.ndarray, axis: int) -> np.ndarray:
    """``image.sum(axis=axis)`` of a uint8 image (exact, in int32): cv2.reduce is much faster."""
    if image.dtype != np.uint8 or image.ndim != 2 or image.size == 0:
        return np.asarray(image.sum(axis=axis))
    return cv2.reduce(image, axis, cv2.REDUCE_SUM, dtype=cv2.CV_32S).ravel()


def remove_feed_streaks(grey: np.ndarray, config: ReaderConfig) -> np.ndarray:
    """``grey`` without streaks along the feed direction (dust on the scanner's glass, a dirty
    drum): a column or two lighter or darker than its neighbours over the whole scan; rows too,
    for scanners that turn the image upright after a sideways feed.

    A streak adds a constant to its columns, so each column's median (over ``streak_samples``
    rows spread down the page: robust to whatever is printed or written across it) is compared
    with the running median of its neighbours; columns that differ by more than
    ``streak_min_levels`` have the difference taken off, which leaves ink crossing the streak as
    it was.  Bilevel scans lose the few pixels of ink under a streak, nothing more."""
    h, w = grey.shape
    samples = config.streak_samples
    if min(h, w) < max(8 * config.streak_window_px, 4 * samples):
        return grey
    out = grey
    for axis in (0, 1):
        if axis == 0:  # one row of samples per scan column
            sample = np.ascontiguousarray(out[:: h // samples].T)
        else:
            sample = np.ascontiguousarray(out[:, :: w // samples])
        offset = _offsets(sample, config.streak_window_px)
        found = np.flatnonzero(np.abs(offset) >= config.streak_min_levels)
        if found.size:
            # A streak runs the whole length, margins included; a long printed rule does not
            # reach the paper's ends: both end stretches must show the same offset.
            end = max(3, round(config.streak_end_share * sample.shape[1]))
            half = config.streak_min_levels / 2
            head = _offsets(np.ascontiguousarray(sample[:, :end]), config.streak_window_px)
            tail = _offsets(np.ascontiguousarray(sample[:, -end:]), config.streak_window_px)
            same = (head * np.sign(offset) >= half) & (tail * np.sign(offset) >= half)
            found = found[same[found]]
        if found.size == 0:
            continue
        if out is grey:
            out = grey.copy()
        shift = offset[found]
        if axis == 0:
            out[:, found] = np.clip(out[:, found].astype(np.int16) - shift, 0, 255)
        else:
            out[found, :] = np.clip(out[found, :].astype(np.int16) - shift[:, None], 0, 255)
    return out


def _offsets(sample: np.ndarray, window: int) -> np.ndarray:
    """Per row of ``sample``: its median less the running median of its neighbours' medians."""
    lines = cv2.sort(sample, cv2.SORT_EVERY_ROW)[:, sample.shape[1] // 2].astype(np.int16)
    padded = np.pad(lines, window // 2, mode="edge")
    windows = np.lib.stride_tricks.sliding_window_view(padded, window)
    local = np.partition(windows, window // 2, axis=1)[:, window // 2]
    return np.asarray(lines - local)
