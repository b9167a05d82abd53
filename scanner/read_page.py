"""The per-page reader: identify, register and read one scanned page.

``read_page`` takes a greyscale page image in any orientation at any resolution (150-600 dpi)
and returns a ``PageResult`` plus the normalised page (upright, template coordinates, at
``config.normalised_dpi``; a ``scanner.upright.UprightPage``, resampled as far as reading needed
it: ``np.asarray`` gives the whole page), or None when the page could not be registered.  It never raises for a
bad image: such pages come back REJECTED, UNIDENTIFIED or BLANK with a reason key
(``palaute/locale/<lang>/reader.json``).

``source_file`` and ``index`` are keyword arguments copied into the result; callers that fill
them in later may leave them at their defaults ("" and 0).
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable

import cv2
import numpy as np

from forms.pageid import PageId
from forms.template import Field, Mark, Page, Template
from scanner import outcome
from scanner.config import DEFAULT, ReaderConfig
from scanner.identify import is_blank, match_layout, page_ids, qr_anywhere, qr_at
from scanner.ink import FieldInk, added_ink, page_ink_threshold, remove_feed_streaks
from scanner.read_boxes import outline_excess_mm2, read_boxes
from scanner.read_likert import DigitBaseline, digit_nets, read_likert
from scanner.read_line import read_line
from scanner.read_text import read_text
from scanner.register import (
    Registration,
    find_markers,
    fit,
    page_map,
    projected_point,
)
from scanner.results import FieldResult, FieldStatus, PageIdentity, PageResult, PageStatus
from scanner.templates import PageReference, TemplateSet
from scanner.upright import UprightPage

log = logging.getLogger(__name__)

# Page reasons (catalogue keys).
UNKNOWN_FORM = "scanner.unknown_form"
NOT_A_FORM = "scanner.not_a_form"
BAD_IMAGE = "scanner.page.bad_image"
NO_ID = "scanner.page.no_id"
REGISTRATION_FAILED = "scanner.page.registration_failed"
CARD_SHEET = "scanner.page.card_sheet"
POOR_REGISTRATION = "scanner.page.poor_registration"
FEW_MARKERS = "scanner.page.few_markers"
UNUSUAL_SCALE = "scanner.page.unusual_scale"
BY_LAYOUT = "scanner.page.identified_by_layout"
BLANK_PAGE = "scanner.page.blank"
INTERNAL = "scanner.page.internal_error"

MIN_SIDE_PX = 200  # smaller images cannot hold a readable form at any supported resolution


def read_page(
    image: np.ndarray,
    dpi: float,
    templates: TemplateSet,
    config: ReaderConfig = DEFAULT,
    *,
    source_file: str = "",
    index: int = 0,
) -> tuple[PageResult, UprightPage | None]:
    """Read one scanned page; see the module docstring."""
    if abs(templates.dpi - config.normalised_dpi) > 1e-6:
        raise ValueError(
            f"templates were prepared at {templates.dpi} dpi, the reader works at "
            f"{config.normalised_dpi} dpi"
        )
    reader = _PageReader(templates, config, source_file, index)
    try:
        result, normalised = reader.read(image, dpi)
    except Exception:  # a bad image must never stop a batch
        log.exception("reading page %d of %s failed", index, source_file or "<image>")
        return reader.page(PageStatus.REJECTED, INTERNAL), None
    if normalised is not None and reader.page_map is not None:
        result = dataclasses.replace(result, warp=reader.page_map)
    return result, normalised


class _PageReader:
    def __init__(
        self, templates: TemplateSet, config: ReaderConfig, source_file: str, index: int
    ) -> None:
        self.templates = templates
        self.config = config
        self.source_file = source_file
        self.index = index
        self.page_map: tuple[float, ...] | None = None  # of the last page normalised

    def normalise(
        self, grey: np.ndarray, registration: Registration, size_mm: tuple[float, float]
    ) -> UprightPage:
        """The whole page upright in template coordinates, its map kept in ``page_map``."""
        matrix, size = page_map(registration, self.config.normalised_dpi, (0.0, 0.0, *size_mm))
        self.page_map = tuple(float(v) for v in matrix.ravel())
        return UprightPage(grey, matrix, size)

    def page(
        self,
        status: PageStatus,
        reason: str,
        identity: PageIdentity | None = None,
        registration: Registration | None = None,
        fields: tuple[FieldResult, ...] = (),
        **params: object,
    ) -> PageResult:
        return PageResult(
            source_file=self.source_file,
            index=self.index,
            status=status,
            reason=reason,
            identity=identity,
            registration_error_mm=(
                round(registration.error_mm, 3) if registration is not None else None
            ),
            fields=fields,
            reason_params=dict(params),
        )

    def read(self, image: np.ndarray, dpi: float) -> tuple[PageResult, UprightPage | None]:
        grey = _as_grey(image)
        if grey is None or not 50.0 <= dpi <= 1200.0:
            return self.page(PageStatus.REJECTED, BAD_IMAGE), None
        config = self.config
        grey = remove_feed_streaks(grey, config)
        found = find_markers(grey, dpi, config)

        # 1. identify: the QR where the template puts it, else anywhere on the scan.
        page_id: PageId | None = None
        registration: Registration | None = None
        fitted: dict[tuple[Mark, ...], Registration | None] = {}  # the same marks fit the same
        if len(found) >= 2:
            for marks, qr_box in _frames(self.templates):
                candidate = fitted[marks] = fit(found, marks, dpi, config)
                if candidate is None or candidate.error_mm > config.reject_registration_error_mm:
                    continue
                registration = registration or candidate
                page_id = qr_at(grey, candidate, qr_box, config)
                if page_id is not None:
                    registration = candidate
                    break
        if page_id is None and not found and is_blank(grey, dpi, config):
            return self.page(PageStatus.BLANK, BLANK_PAGE), None
        if page_id is None:
            page_id = qr_anywhere(grey, dpi, config)

        rotation = registration.rotation if registration is not None else 0
        if page_id is not None:
            template = self.templates.get(page_id.version)
            identity = PageIdentity(
                version=page_id.version,
                page=page_id.page,
                serial=page_id.serial,
                rotation=rotation,
                source="qr",
                confidence=1.0,
            )
            if template is None or all(p.number != page_id.page for p in template.pages):
                return self.page(
                    PageStatus.REJECTED, UNKNOWN_FORM, identity, version=page_id.version
                ), None
            page = template.page(page_id.page)
        else:
            if registration is None:
                if found:
                    return self.page(PageStatus.UNIDENTIFIED, NO_ID), None
                return self.page(PageStatus.REJECTED, NOT_A_FORM), None
            located = self._by_layout(grey, registration)
            if located is None:
                normalised = self._warp_first_frame(grey, registration)
                unknown = PageIdentity(None, None, None, rotation, "none", 0.0)
                return self.page(PageStatus.UNIDENTIFIED, NO_ID, unknown, registration), normalised
            template, page, identity = located

        # 2. register on the identified page's own marks.
        if len(found) < 2:
            registration = None
        elif page.marks in fitted:
            registration = fitted[page.marks]
        else:
            registration = fit(found, page.marks, dpi, config)
        if registration is None or registration.error_mm > config.reject_registration_error_mm:
            # A sheet of feedback cards scanned before it was cut shows several cards' codes:
            # "scan it again" would not help, cutting the cards apart does.
            uncut = identity.source == "qr" and _card_codes(grey, dpi, template, config) > 1
            reason = CARD_SHEET if uncut else REGISTRATION_FAILED
            return self.page(PageStatus.REJECTED, reason, identity, registration), None
        if identity.rotation != registration.rotation:
            identity = _with_rotation(identity, registration.rotation)
        reference = self.templates.reference(template.version, page.number)
        size_mm = (template.page_width, template.page_height)
        normalised = self.normalise(grey, registration, size_mm)

        flags: list[str] = []
        if identity.source == "layout":
            flags.append(BY_LAYOUT)
        if len(registration.markers) < config.min_markers:
            flags.append(FEW_MARKERS)
        if registration.error_mm > config.max_registration_error_mm:
            flags.append(POOR_REGISTRATION)
        if not config.min_scale <= registration.scale <= config.max_scale:
            flags.append(UNUSUAL_SCALE)

        # 3. read every field.
        inside = _inside_scan(grey.shape, registration)
        fields = read_fields(normalised, reference, template, page, config, inside)
        status = PageStatus.FLAGGED if flags else PageStatus.READ
        result = self.page(
            status,
            flags[0] if flags else "",
            identity,
            registration,
            fields,
            **({"flags": flags} if len(flags) > 1 else {}),
        )
        return result, normalised

    def _by_layout(
        self, grey: np.ndarray, registration: Registration
    ) -> tuple[Template, Page, PageIdentity] | None:
        config = self.config
        normalised = self._warp_first_frame(grey, registration)
        if normalised is None:
            return None
        match = match_layout(normalised.whole(), self.templates, config)
        if match is None:
            return None
        log.debug(
            "layout match %s p%d score %.3f margin %.3f",
            match.version,
            match.page,
            match.score,
            match.margin,
        )
        if match.score < config.layout_min_score or match.margin < config.layout_min_margin:
            return None
        template = self.templates[match.version]
        confidence = config.layout_identity_confidence * min(
            1.0, match.margin / (2 * config.layout_min_margin)
        )
        identity = PageIdentity(
            version=match.version,
            page=match.page,
            serial=None,
            rotation=registration.rotation,
            source="layout",
            confidence=round(max(confidence, 0.1), 3),
        )
        return template, template.page(match.page), identity

    def _warp_first_frame(self, grey: np.ndarray, registration: Registration) -> UprightPage | None:
        first = next(iter(self.templates.values()), None)
        if first is None:
            return None
        return self.normalise(grey, registration, (first.page_width, first.page_height))


def read_fields(
    normalised: np.ndarray | UprightPage,
    reference: PageReference,
    template: Template,
    page: Page,
    config: ReaderConfig,
    inside: Callable[[Field], bool] | None = None,
) -> tuple[FieldResult, ...]:
    """Every field of ``page`` read from the normalised page."""
    threshold = page_ink_threshold(normalised, config)
    dpi = config.normalised_dpi
    size = (template.page_width, template.page_height)
    inks: dict[str, FieldInk] = {}
    for field in page.fields:
        if inside is None or inside(field):
            inks[field.id] = added_ink(
                normalised,
                reference,
                field.box,
                _margin(field, config),
                threshold,
                dpi,
                config,
                local_paper_mm=config.text_local_paper_mm if field.kind == "text" else 0.0,
            )
    baseline = _outline_baseline(page, inks, config)
    digits = _digit_baseline(page, inks, config)
    results = []
    for field in page.fields:
        crop = outcome.crop_box(field, size, config)
        ink = inks.get(field.id)
        if ink is None:
            results.append(
                outcome.result(
                    field, FieldStatus.UNREADABLE, None, 0.0, outcome.OFF_PAGE, crop, None, config
                )
            )
        elif field.kind in ("single", "multiple"):
            obstacles = tuple(f.box for f in page.fields if f is not field)
            results.append(read_boxes(field, ink, crop, config, obstacles, baseline))
        elif field.kind == "likert":
            results.append(read_likert(field, ink, crop, config, digits))
        else:
            results.append(read_field(field, ink, crop, config))
    return tuple(results)


def _outline_baseline(page: Page, inks: dict[str, FieldInk], config: ReaderConfig) -> float:
    """The page's typical extra darkness on an unmarked check box's outline (print gain)."""
    values = [
        outline_excess_mm2(inks[f.id], option.box, config)
        for f in page.fields
        if f.kind in ("single", "multiple") and f.id in inks
        for option in f.options
    ]
    return float(np.median(values)) if values else 0.0


def _digit_baseline(
    page: Page, inks: dict[str, FieldInk], config: ReaderConfig
) -> DigitBaseline | None:
    """Per likert option value, the page's median ink on that printed digit over its rows (an
    unmarked digit's print gain, after its own shape), and the spread of single unmarked digits
    around it (robust: marked digits are few); None with too few rows to tell."""
    rows = [
        digit_nets(f, inks[f.id], config)
        for f in page.fields
        if f.kind == "likert" and f.id in inks
    ]
    if len(rows) < config.likert_baseline_rows:
        return None
    values: dict[str, float] = {}
    for value in {v for row in rows for v in row}:
        seen = [row[value] for row in rows if value in row]
        if len(seen) >= config.likert_baseline_rows:
            values[value] = float(np.median(seen))
    deviations = []
    for row in rows:
        resid = [net - values[v] for v, net in row.items() if v in values]
        if resid:
            shift = float(np.median(resid))
            deviations += [abs(r - shift) for r in resid]
    noise = 1.4826 * float(np.median(deviations)) if deviations else 0.0
    return DigitBaseline(values, noise)


def read_field(
    field: Field, ink: FieldInk, crop: tuple[float, float, float, float], config: ReaderConfig
) -> FieldResult:
    if field.kind in ("single", "multiple"):
        return read_boxes(field, ink, crop, config)
    if field.kind == "likert":
        return read_likert(field, ink, crop, config)
    if field.kind == "text":
        return read_text(field, ink, crop, config)
    if field.kind == "line":
        return read_line(field, ink, crop, config)
    return outcome.result(
        field, FieldStatus.UNREADABLE, None, 0.0, outcome.UNSUPPORTED, crop, None, config
    )


def _margin(field: Field, config: ReaderConfig) -> float:
    """How far around the field's box its ink is collected (negative: inside the box)."""
    if field.kind in ("single", "multiple"):
        return max(config.box_overshoot_mm + 0.5, config.box_spill_mm)
    if field.kind == "text":
        return -config.text_inset_mm
    if field.kind == "likert":
        return config.likert_spill_mm
    if field.kind == "line":
        return config.line.reach_mm
    return 0.5


def _as_grey(image: object) -> np.ndarray | None:
    if not isinstance(image, np.ndarray) or image.size == 0:
        return None
    if image.ndim == 3 and image.shape[2] in (3, 4):
        import cv2

        image = cv2.cvtColor(image[:, :, :3], cv2.COLOR_RGB2GRAY)
    elif image.ndim == 3 and image.shape[2] == 1:
        image = image[:, :, 0]
    if image.ndim != 2 or min(image.shape) < MIN_SIDE_PX:
        return None
    if image.dtype == np.bool_:
        image = np.where(image, np.uint8(255), np.uint8(0))
    elif image.dtype != np.uint8:
        return None
    return np.ascontiguousarray(image)


def _frames(
    templates: TemplateSet,
) -> list[tuple[tuple[Mark, ...], tuple[float, float, float, float]]]:
    """The distinct mark layouts (with their QR box) among the known pages."""
    frames: list[tuple[tuple[Mark, ...], tuple[float, float, float, float]]] = []
    for template, number in templates.pages():
        page = template.page(number)
        frame = (page.marks, page.qr)
        if frame not in frames:
            frames.append(frame)
    return frames


def _inside_scan(shape: tuple[int, ...], registration: Registration) -> Callable[[Field], bool]:
    h, w = shape[:2]

    def inside(field: Field) -> bool:
        x, y, bw, bh = field.box
        for px, py in ((x, y), (x + bw, y), (x, y + bh), (x + bw, y + bh)):
            sx, sy = projected_point(registration.matrix, px, py)
            if not (-2 <= sx <= w + 2 and -2 <= sy <= h + 2):
                return False
        return True

    return inside


def _with_rotation(identity: PageIdentity, rotation: int) -> PageIdentity:
    return PageIdentity(
        version=identity.version,
        page=identity.page,
        serial=identity.serial,
        rotation=rotation,
        source=identity.source,
        confidence=identity.confidence,
    )


def _card_codes(grey: np.ndarray, dpi: float, template: Template, config: ReaderConfig) -> int:
    """How many different cards of ``template`` show their QR code on the scan (0 unless the
    template is a sheet of cards, whose every card is a page of its own)."""
    from forms.kinds.cards import CARDS  # only on this rare path: the kinds cost ~80 ms to load

    if len(template.pages) < 2 or template.kind != CARDS:
        return 0
    scale = min(1.0, config.qr_dpi / dpi)
    small = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    return len({(f.page, f.serial) for f in page_ids(small) if f.version == template.version})
