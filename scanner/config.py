"""Every threshold for reading marks, in one documented place: the page reader
(``ReaderConfig``), rating lines (``LineConfig``, nested in it) and stickers and tally marks on
photographed posters (``StickerConfig``), one section each.

Distances are in millimetres and areas in square millimetres of the printed page (template
units), so that they mean the same at any scan resolution; the reader converts them to pixels of
the normalised page.  Ratios are plain numbers.  Change them here (or pass a modified copy with
``dataclasses.replace``), never inline in the reading code.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ReaderConfig:
    # -- the normalised page --------------------------------------------------------------
    normalised_dpi: float = 200.0  # resolution of the registered page and the blank references

    # -- finding the page ----------------------------------------------------------------
    detect_dpi: float = 150.0  # markers are searched in corner crops resampled to this
    corner_search_mm: float = 45.0  # size of the square searched at each image corner
    marker_window_mm: float = 4.0  # first search: one local-threshold window this wide (about
    # two of the mark's cells); corners where it finds nothing are searched again with the
    # detector's full range of windows (uneven lighting, a faded or damaged mark)
    qr_dpi: float = 200.0  # the QR area is resampled to this before decoding
    qr_margin_mm: float = 4.0  # extra margin around the template's QR box when cropping it
    blank_dpi: float = 50.0  # blank pages are judged on a copy this coarse
    blank_dark_fraction: float = 0.003  # a page with less dark area than this is blank
    blank_ink_drop: float = 0.25  # ...counting pixels this share darker than the paper
    blank_texture_dpi: float = 10.0  # ...or, at this resolution, shows no spot darker
    blank_texture_range: float = 40.0  # ...than this many grey levels (speckle, paper texture)
    blank_border_mm: float = 10.0  # the sheet's edges are ignored when judging a blank page
    blank_paper_level: float = 128.0  # a blank page's paper (its 90th percentile grey level,
    # pixel by pixel) is at least this light...
    blank_speckle_fraction: float = 0.4  # ...and at most this share of its pixels is dark (by
    # blank_ink_drop): bilevel speckle, not noise or a photo, which average to grey when coarse
    layout_dpi: float = 20.0  # resolution of the thumbnails compared to identify by layout
    layout_min_score: float = 0.55  # correlation the best layout match must reach
    layout_min_margin: float = 0.08  # ...and its lead over the next best page

    # -- registration ------------------------------------------------------------------------
    min_markers: int = 3  # fewer found markers: the page cannot be registered reliably
    max_registration_error_mm: float = 0.8  # RMS residual of the marker fit above which to flag
    reject_registration_error_mm: float = 3.0  # ...and above which the fit is not used at all
    affine_tolerance_mm: float = 0.05  # perspective is fitted only when it lowers the RMS this much
    min_scale: float = 0.85  # printer "fit to page" shrinks to ~90 %; below this is suspicious
    max_scale: float = 1.06

    # -- ink -----------------------------------------------------------------------------
    ink_min_contrast: float = 0.12  # ink is at least this share darker than the page's paper...
    ink_noise_factor: float = 6.0  # ...and at least this many noise deviations darker
    reference_ink_level: int = 235  # blank-reference pixels darker than this are printed ink
    reference_dilate_mm: float = 0.35  # printed ink is widened by this to absorb misregistration
    streak_fraction: float = 0.8  # a column dark over this share of a field's crop is a streak
    streak_min_levels: float = 8.0  # a scan column whose median differs from its neighbours'
    # by this many grey levels is a feed streak (paper and print never do over a whole page)
    streak_window_px: int = 15  # ...neighbours: this many columns centred on it (odd)
    streak_end_share: float = 0.15  # ...and the same offset shows in the first and last
    # stretches of this share of the samples (a streak crosses the margins; print does not)
    streak_samples: int = 61  # ...the column's median is taken over this many rows down the page
    realign_search_mm: float = 1.5  # local re-alignment searches this far in every direction
    realign_dpi: float = 50.0  # ...on crops resampled to this resolution
    realign_min_score: float = 0.3  # below this correlation the local shift is not trusted

    # -- check boxes (single / multiple) ----------------------------------------------------
    box_overshoot_mm: float = 1.5  # ticks overshoot the box: ink this far around it also counts
    box_outside_weight: float = 0.5  # ...with this weight relative to ink inside the box
    box_outline_mm: float = 1.0  # a circle drawn along the box's outline is looked for this far out
    box_label_pad_mm: float = 2.5  # a circled label: its area reaches this far above and below
    box_label_weight: float = 0.5  # ...and counts with this weight
    box_mark_mm2: float = 2.0  # evidence (weighted ink area) that makes a box marked
    box_faint_mm2: float = 0.8  # evidence between this and box_mark_mm2 is unclear
    box_relative: float = 0.4  # another box counts as marked when >= this × the strongest
    box_outline_only_share: float = 0.25  # beside a marked box, another whose evidence is under
    # this share of the mark's and lies on its printed outline only (no added ink) is not faint
    box_heavy_fill: float = 0.6  # a box this full of ink is a fill or scribble: review
    box_scribble_mm2: float = 15.0  # among several marks, one with this much evidence...
    box_scribble_ratio: float = 2.0  # ...and this many times the next one's may be a cancellation
    box_join_mm: float = 0.8  # ink pieces this close belong to one mark
    box_own_share: float = 0.5  # a mark with less of its ink inside the field's box, centred in
    # another field's box, is that field's (a neighbouring row's circle or over-long cross)
    box_beside_mm: float = 8.0  # an empty field with a mark's worth of ink (box_mark_mm2) this
    # far left of a box, level with it, is flagged: a tick drawn beside the box, not in it
    box_spill_mm: float = 10.0  # ink is collected this far around a check-box field, so that a
    # neighbour's mark reaching in is seen whole enough to tell whose it is

    # -- likert rows -----------------------------------------------------------------------
    likert_core_mm: float = 7.0  # half-width of the area around a digit that belongs to it
    likert_inner_w_mm: float = 3.5  # the printed digit is looked for this far from the centre
    likert_inner_h_mm: float = 3.5
    likert_digit_centre: float = 0.5  # share of the digit's width/height that is its middle
    likert_mark_mm2: float = 1.5  # ink that makes an option marked (circle ~15 mm², tick ~3 mm²)
    likert_faint_mm2: float = 0.4  # ink between this and likert_mark_mm2 is unclear
    likert_faint_noise_factor: float = 6.0  # ...and this many times the page's spread of
    # unmarked digits (noisier scans need more ink before a lone speck is worth a look)
    likert_grey_margin_mm: float = 0.5  # a digit's darkness is summed over its extent grown by
    # this (a small mark on the digit reaches a little past it; a wider window gathers more of
    # the paper's and JPEG's noise)...
    likert_grey_ring_mm: float = 0.4  # ...against the paper in the window's outer band this wide
    likert_grey_mark_mm2: float = 0.12  # a row with no mark, whose one digit is darker than the
    # others by this much (as square millimetres of printed digit: a pen line across some 0.4 mm
    # of paper between the digit's strokes), is flagged, not read empty...
    likert_grey_lead: float = 3.0  # ...and this many times as much as any other digit departs
    # from the row's common level, either way (the row's own noise: paper, print, scanner)
    likert_lone_mark_mm2: float = 0.8  # less ink than likert_mark_mm2 is still a mark (a light
    likert_lone_ratio: float = 8.0  # ...pen's slash through the digit) at this many times the ink
    # of every other option in the row: the row's own paper and print noise
    likert_faint_alone_mm2: float = 0.12  # less ink is still unclear when it is the row's only
    likert_faint_alone_ratio: float = 3.0  # ...ink: this many times any other option's
    likert_relative: float = 0.4  # another option counts as marked when >= this × the strongest
    likert_strong_mm2: float = 5.0  # ...or when it has this much ink of its own anyway
    likert_near_mm: float = 4.8  # ink this close to a digit (horizontally) is surely its own
    likert_clear_ratio: float = 2.5  # best/second evidence above which a single mark is clear
    likert_centre_tolerance: float = 0.35  # ink centre may stray this × option spacing from a digit
    likert_between_share: float = 0.5  # ink between digits, against the mark's, that flags it
    likert_circle_ring_mm2: float = 6.0  # ink around (not on) the digit that makes a circle
    likert_sectors: int = 16  # directions around a digit checked for a circle's ink
    likert_sector_min_px: int = 3  # ink pixels that make a direction count
    likert_circle_cover: float = 0.7  # share of directions inked for a circle
    likert_crossed_interior: float = 0.2  # share of the digit's middle inked to cross a circle out
    likert_clean_interior: float = 0.05  # the most of it a clean new circle may ink
    likert_struck_depth_mm: float = 1.2  # ink deeper than this (beyond the stroke's own width)
    # inside its mark's convex hull lies across the mark, not along its edge (a loop's wobble)
    likert_struck_share: float = 0.1  # a circle with this share of its ink that deep is struck
    # through (an X or a scribble over the loop)...
    likert_clean_struck: float = 0.03  # ...and a mark with at most this share is not
    likert_baseline_rows: int = 5  # rows on a page needed to learn each digit's print gain
    likert_heavy_fill: float = 0.45  # an option area this full of ink is a scribble: review
    likert_join_mm: float = 0.8  # ink pieces this close belong to one mark (bridges the gaps
    # where a stroke crosses a printed digit, which the blank reference hides)
    likert_spill_mm: float = 8.0  # ink is collected this far above and below a row...
    likert_beside_mm: float = 8.0  # an empty row with a mark's worth of ink (likert_mark_mm2)
    # this far beyond its first or last option's area, level with the row, is flagged: the
    # answer written in the margin, or a tick beside an end number
    likert_row_margin_mm: float = 0.5  # ...and counts as the row's within this of its box
    likert_own_share: float = 0.5  # a mark with less of its ink in the row is a neighbour's
    likert_spill_share: float = 0.5  # the row is read without a neighbour's mark when what that
    # mark brings into the row is under this share of the answer's own ink (a whole mark of the
    # row's own, joined to the neighbour's, would bring about as much as the answer)
    likert_loop_inside_mm: float = 1.5  # a loop's digit centre lies this far inside its hull
    likert_loop_centre: float = 0.3  # ...and the hull's middle within this × option spacing
    likert_loop_max_fill: float = 0.4  # a loop's ink covers at most this share of its hull,
    # unless it proves a ring (a thick pen's flat oval; an open oval drawn in pieces):
    likert_loop_deep_share: float = 0.1  # ...at most this share of it deeper inside the hull
    # than its stroke is wide (plus likert_struck_depth_mm),
    likert_loop_turn: float = 0.75  # ...and ink in this share of the turn round its digit
    likert_loop_sectors: int = 36  # ...counted in this many sectors

    # -- free text ---------------------------------------------------------------------------
    text_inset_mm: float = 1.0  # the printed frame is ignored this far inside the field box
    text_local_paper_mm: float = 1.2  # text ink must be darker than the paper around it, seen
    # through a window this wide (wider than any pen stroke, narrower than a crease's shadow)
    text_local_contrast: float = 0.4  # ...by this share of the page's ink contrast
    text_speck_mm: float = 0.5  # components smaller than this in both directions are specks
    text_crumb_mm: float = 1.0  # ink spanning less than this either way is a crumb (dust, toner,
    # the paper's speckle: dots well under a millimetre); the smallest written letter is larger...
    text_crumb_join_mm: float = 0.5  # ...counting pieces this close as one (a stroke broken by
    # a bilevel threshold or a pencil's grain, a letter and its dot); crumbs lie further apart
    text_dot_mm: float = 1.0  # a piece of ink under this either way that fills text_dot_fill
    text_dot_fill: float = 0.5  # of its bounding box, and is no more than text_dot_aspect times
    text_dot_aspect: float = 1.5  # as long as wide, is a dot (a toner clump, a speck grown by
    # blur): a letter that small is a stroke or a loop, a piece of a broken stroke is elongated
    text_speckle_clear_mm: float = 2.5  # paper this far from any ink shows the page's speckle
    text_speckle_max: float = 0.01  # paper with more dark pixels than this share is speckled
    # (dithered, a dark bilevel setting): there ink is only where dark pixels are dense,
    text_speckle_window_mm: float = 0.4  # ...at least this share of a window this wide
    text_speckle_density: float = 0.5
    text_hairline_mm: float = 1.0  # on clean paper, strokes a pixel wide (fine or light pen on a
    text_hairline_min_mm2: float = 0.08  # bilevel scan) count this close to surviving ink, in
    # runs of this much
    text_line_min_mm: float = 6.0  # horizontal residue at least this long and thin is a ruled line
    text_line_max_mm: float = 0.5  # ...and at most this thick
    text_fold_band_mm: float = 2.0  # ink within a straight band this tall...
    text_fold_slope: float = 0.06  # ...at most this steep (a skewed page tilts a fold a little)
    text_fold_end_mm: float = 3.0  # ...reaching within this of both sides of the field (it runs
    # on across the page; handwriting starts and stops inside the box)...
    text_fold_cover: float = 0.25  # ...with ink in this share of its text_fold_step_mm columns
    text_fold_step_mm: float = 5.0  # is a fold's shadow or a printed rule's residue
    text_fold_margin_mm: float = 0.7  # pieces of ink lying within this of the band (by at least
    text_fold_share: float = 0.9  # this share of their ink) are the line's and are removed;
    # strokes crossing it reach out of the band and stay (an answer written across a fold)
    text_line_dark_cover: float = 0.97  # a straight band of ink (a fold's or a streak's broken
    # residue) along which the scan is dark in this share of the box's length runs right
    # through the box (a streak from the glass runs down the whole page): no line of writing
    # is dark so far without a gap between words
    text_written_mm2: float = 6.0  # ink that makes a text field written
    text_blank_mm2: float = 2.0  # ink below this is no confident answer: blank, unless...
    text_mark_mm2: float = 0.4  # ...this much of it spans text_mark_mm (crumbs are gone by now):
    text_mark_mm: float = 1.5  # a "-" or an "x" written small, which a person looks at
    text_word_gap_mm: float = 3.0  # pieces of ink closer than this are one cluster (the letters
    # of a word); ink spread over text_scattered_width of the box, or sparse (under
    # text_sparse_mm2_per_mm along its width), with no cluster of text_word_mm2 is crumbs
    # scattered about, however much of it there is: review
    text_word_mm2: float = 4.0  # ink of a short word written small ("ok", "ei": 2 to 8 mm²)
    text_sparse_mm2_per_mm: float = 0.08  # a line of writing leaves more ink along it (a word
    # broken by a light pencil ~0.15 mm² per mm; crumbs left on a blank box ~0.03)
    text_core_share: float = 0.1  # the darkest this share of written ink (a stroke's core)...
    text_core_contrast: float = 0.25  # ...is darker than the paper by this share of its level
    # (a light pencil ~0.5); paler ink is writing on the back showing through, or a shadow: review
    text_shadow_gap_mm: float = 0.3  # paper this far (to twice this) beside written ink...
    text_shadow_share: float = 0.4  # ...dark in more than this share makes the ink the rim of
    # a broad dark patch (a punch hole, a sheet's edge, a word blacked out), not strokes: review
    text_min_spread_mm: float = 4.0  # written ink spans at least this (width or height)
    text_scattered_width: float = 0.8  # unclear ink (under text_written_mm2) spanning this share
    # of the field's width is crumbs (a fold's dots, a stain's rim, noise), not a faint word,
    # which is shorter (seed-form benchmarks: faint words up to 0.64, crumbs from 0.89): review

    # -- rating line -----------------------------------------------------------------------
    line: LineConfig = field(default_factory=lambda: LineConfig())  # see LineConfig below

    # -- confidence ----------------------------------------------------------------------------
    crop_margin_mm: float = 3.0  # margin around a field's box in the clerk's crop
    corrected_min_confidence: float = 0.8  # a correction below this goes to review
    layout_identity_confidence: float = 0.7  # identity confidence when matched by layout


# -- rating lines (scanner/read_line.py) ---------------------------------------------------------
@dataclass(frozen=True)
class LineConfig:
    """Every threshold of reading a rating line (arviointijana).

    The line runs along the field box's vertical middle from its left edge (0) to its right edge
    (100).  Marks at an end often overshoot it or sit right on the printed end tick, so ink is
    looked for ``reach_mm`` past both ends; a mark centred beyond ``overshoot_mm`` is off the line.
    """

    reach_mm: float = 8.0  # added ink is collected this far past each end of the line
    overshoot_mm: float = 4.0  # a mark centred further than this beyond an end is off the line
    on_print_mm: float = 0.3  # ink on the printed line or an end tick (taken back where the scan
    # is dark and the blank, grown by the page's print gain, is not) counts in pieces this thick
    speck_mm2: float = 0.1  # pieces of added ink smaller than this are dust
    join_mm: float = 1.6  # pieces closer than this side by side belong to one mark...
    join_vertical_mm: float = 6.5  # ...and this one above the other (a mark crossing the printed
    # line and its end ticks is cut into pieces there)
    mark_mm2: float = 1.0  # a mark has at least this much ink (a short pencil stroke ~1.2 mm²)
    faint_mm2: float = 0.3  # less than mark_mm2 but this much is unclear: flagged, never dropped
    band_mm: float = 2.5  # ink within this of the line decides the position (an X's crossing,
    # a tick's vertex, a stroke's x); a mark that does not reach the band is placed at its centre
    clear_mm2: float = 3.0  # a mark with this much ink is read with full confidence
    flagged_confidence: float = 0.3  # confidence of a flagged line (no mark, several, off the line)


# -- stickers and tally marks on posters (scanner/stickers.py) ----------------------------------
@dataclass(frozen=True)
class StickerConfig:
    """Every threshold of sticker and tally counting, in one place.

    Lengths are millimetres on the poster; hues are OpenCV's 0-180 scale; saturation and value
    0-255 after the lighting is flattened.
    """

    # The poster is warped to template coordinates at this resolution.
    px_per_mm: float = 3.0
    # The QR is warped separately, sharper, to be decoded.
    qr_px_per_mm: float = 8.0
    # Expected sticker diameter; used when too few round single stickers are seen to measure it.
    sticker_mm: float = 19.0
    # Single stickers that set the unit: at least this many round blobs are needed...
    min_unit_samples: int = 3
    # ...and a blob counts as round and single when both of these hold.
    round_circularity: float = 0.80  # 4*pi*area / perimeter**2
    round_solidity: float = 0.93  # area / convex hull area
    # Round blobs smaller than this share of the expected sticker do not set the unit (dots).
    min_unit_fraction: float = 0.06
    # A blob of one sticker's area is flagged as oddly shaped below these (a torn or folded
    # sticker, or two small ones).
    single_min_circularity: float = 0.68
    single_min_solidity: float = 0.88
    # Lighting: each channel is divided by its local maximum over this window (> a sticker).
    lighting_window_mm: float = 40.0
    # A pixel is coloured when saturated and bright enough.
    min_saturation: int = 90
    min_value: int = 70
    # Hue ranges of each sticker colour; hues in none of them are "other" (orange, purple...).
    hues: dict[str, tuple[tuple[int, int], ...]] = field(
        default_factory=lambda: {
            "red": ((0, 8), (166, 180)),
            "yellow": ((18, 37),),
            "green": ((42, 88),),
            "blue": ((96, 132),),
        }
    )
    # Zones are read inside their box shrunk by this much (keeps the printed frame out).
    zone_inset_mm: float = 1.0
    # Blobs smaller than this share of one sticker are specks and are ignored...
    speck_fraction: float = 0.25
    # ...and a blob whose area is this far from a whole number of stickers is flagged.
    area_tolerance: float = 0.30
    # A blob touching the zone's edge may be a sticker half outside: flagged when its area is off.
    edge_margin_mm: float = 1.5
    # A sliver of colour this large (share of a sticker) at the zone's edge is a sticker stuck
    # mostly outside: the zone's count is flagged (the clerk decides whose vote it is).
    edge_sliver_fraction: float = 0.08
    # Distance-transform peaks: a peak is a sticker centre when its distance to the background is
    # at least this share of one sticker's radius, and the highest within this share of a
    # radius around it.
    peak_fraction: float = 0.55
    peak_spacing: float = 0.9
    # "Other"-coloured blobs larger than this share of a sticker flag the zone (ambiguous colour).
    other_fraction: float = 0.35
    # Tally marks: dark ink (grey below this after flattening), not on a coloured sticker.
    ink_threshold: int = 120
    stroke_min_mm: float = 6.0  # a stroke is at least this long...
    stroke_max_mm: float = 40.0  # ...and at most this long...
    stroke_max_width_mm: float = 3.5  # ...and at most this wide on average...
    stroke_max_spread_mm: float = 4.5  # ...and straight: its bounding strip at most this wide.
    ink_speck_mm2: float = 3.0  # ink blobs smaller than this are dirt
    tally_colour_margin_mm: float = 1.2  # ink this close to a sticker is its edge, not a stroke
    typical_stroke_mm2: float = 12.0  # one stroke's ink when no single stroke is seen to measure
    # Traffic-light posters: a sticker of another traffic-light colour in a zone (a red sticker
    # in the green zone) says two things at once; its count is flagged for a person.
    flag_colour_mismatch: bool = True
    # Stickers outside the zones: coloured where the blank poster is not, this far from any
    # printed colour (the zones' frames and bands), and not within this far of the paper's edge.
    stray_printed_margin_mm: float = 2.5
    stray_edge_mm: float = 4.0
    # Confidence given to a flagged count.
    flagged_confidence: float = 0.4


DEFAULT = ReaderConfig()
