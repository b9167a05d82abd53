"""Sticker posters in the survey: counted photos and scanned poster pages become field results.

Two ways in, one result (see docs/store.md, "Posters"):

- ``palaute stickers POSTER.pdf PHOTO... --survey DB``: each photo is a scan file of one page
  (its content hash keeps a photo from being counted twice), counted by ``scanner.stickers`` and
  stored by :func:`add_poster_photo`;
- ``palaute scan`` on colour scans of posters: the page reader (greyscale) registers the page and
  leaves its zones ``unreadable`` (``scanner.field.unsupported``); :func:`count_scanned_posters`
  then opens those pages again in colour, counts them and puts the counts in place of the
  placeholders.  A greyscale scan cannot show sticker colours: its zones stay unreadable with the
  reason ``stickers.not_colour`` and go to the clerk.

Each zone's value is its number of votes; ``scores`` hold the breakdown per colour and tally
(``scanner.poster_results``).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from forms.template import Template
from palaute.errors import InputError, PalauteError
from palaute.store.survey import SYSTEM, Survey, now
from scanner.poster_results import (
    NOT_COLOUR,
    OUTSIDE,
    is_poster,
    poster_page_result,
    unreadable_zones,
    zone_results,
)
from scanner.results import FieldResult, PageStatus
from scanner.stickers import DEFAULT_CONFIG, PosterReading, StickerConfig, locate, read_poster

log = logging.getLogger(__name__)

UNSUPPORTED = "scanner.field.unsupported"  # the page reader's placeholder for a zone
STORED_PX_PER_MM = 4.0  # the poster image kept for the clerk (about 100 dpi, in colour)
SCAN_DPI = 100.0  # poster scans are opened again in colour at this resolution
# A scan is in colour when this share of its pixels is clearly saturated (stickers, bands).
COLOUR_SATURATION = 60
COLOUR_SHARE = 0.002


@dataclass(frozen=True)
class PhotoOutcome:
    path: Path
    page_id: int | None  # None when skipped (counted before) or refused
    skipped: bool = False
    error: PalauteError | None = None
    reading: PosterReading | None = None


def add_poster_photo(
    survey: Survey,
    path: Path,
    template: Template,
    page_number: int | None = None,
    blank: Callable[[int], np.ndarray] | None = None,
    config: StickerConfig = DEFAULT_CONFIG,
) -> PhotoOutcome:
    """Count one photo and store it as a page of the survey (the template must be stored).

    A photo whose content was stored before is skipped.  A photo that cannot be counted is
    recorded as a rejected file and returned with its error (never raised).
    """
    import cv2

    from scanner.ingest import file_sha256

    try:
        sha = file_sha256(path)
    except OSError:
        return PhotoOutcome(path, None, error=InputError("stickers.bad_image", file=str(path)))
    if survey.file_done(sha):
        return PhotoOutcome(path, None, skipped=True)
    image = cv2.imread(str(path), cv2.IMREAD_COLOR)
    try:
        if image is None:
            raise InputError("stickers.bad_image", file=str(path))
        reading = read_poster(image, template, page_number, config, blank)
    except PalauteError as exc:
        survey.reject_file(path, sha, exc.key, exc.params)
        return PhotoOutcome(path, None, error=exc)
    file_id = survey.begin_file(path, sha, 1)
    result = poster_page_result(reading, template, str(path), 0, config)
    page = template.page(reading.page)
    stored = _warped(image, template, page.number)
    page_id = survey.store_page(
        file_id,
        result,
        stored,
        dpi=STORED_PX_PER_MM * 25.4,
        ingest_method="photo",
        image_kind="normalised",
    )
    survey.finish_file(file_id)
    return PhotoOutcome(path, page_id, reading=reading)


def _warped(
    image: np.ndarray, template: Template, number: int, scale: float = STORED_PX_PER_MM
) -> np.ndarray:
    """The poster in template coordinates at ``scale`` px/mm, in colour, for the clerk."""
    import cv2

    located = locate(image, template.page(number))
    to_px = np.array([[scale, 0, 0], [0, scale, 0], [0, 0, 1]]) @ located.homography
    size = (round(template.page_width * scale), round(template.page_height * scale))
    return cv2.warpPerspective(image, to_px, size, flags=cv2.INTER_AREA, borderValue=(255,) * 3)


@dataclass(frozen=True)
class PostersCounted:
    """What counting the scanned posters did: pages counted, placeholder zones replaced, and how
    many of the counted zones still wait for a person."""

    pages: int = 0
    zones: int = 0
    flagged: int = 0


def count_scanned_posters(survey: Survey, config: StickerConfig = DEFAULT_CONFIG) -> PostersCounted:
    """Count the stickers of every scanned poster page whose zones are still placeholders.

    Pages whose source file is gone are left as they are.
    """
    templates = {v: t for v, t in survey.templates().items() if is_poster(t)}
    if not templates:
        return PostersCounted()
    rows = survey.conn.execute(
        "SELECT DISTINCT p.id, p.version, p.page_number, p.page_index, p.image_path, p.dpi,"
        " s.path FROM pages p"
        " JOIN scan_files s ON s.id = p.file_id JOIN fields f ON f.page_id = p.id"
        " WHERE f.reason = ? AND f.reviewed_by IS NULL AND p.version IS NOT NULL"
        " ORDER BY p.id",
        (UNSUPPORTED,),
    ).fetchall()
    counted = zones = flagged = 0
    blanks: dict[str, Callable[[int], np.ndarray] | None] = {}
    for row in rows:
        template = templates.get(row["version"])
        if template is None or row["page_number"] is None:
            continue
        image = colour_page(Path(row["path"]), int(row["page_index"]))
        if image is None:
            log.warning("poster page %s: its scan file cannot be opened again", row["id"])
            continue
        page = template.page(int(row["page_number"]))
        outside = False
        if not in_colour(image):
            fields = unreadable_zones(page, NOT_COLOUR)
        else:
            if template.version not in blanks:
                blanks[template.version] = _blank(survey, template, config)
            try:
                reading = read_poster(
                    image, template, page.number, config, blanks[template.version]
                )
            except PalauteError as exc:
                log.info("poster page %s not counted: %s", row["id"], exc.key)
                fields = unreadable_zones(page, exc.key)
            else:
                fields = zone_results(reading, page, config)
                outside = bool(reading.outside)
                _colour_page_image(survey, row, image, template)
        replace_zone_fields(survey, int(row["id"]), fields, outside)
        counted += 1
        zones += len(fields)
        flagged += sum(1 for f in fields if f.needs_review)
    return PostersCounted(counted, zones, flagged)


def _blank(
    survey: Survey, template: Template, config: StickerConfig
) -> Callable[[int], np.ndarray] | None:
    """The blank poster pages in colour at the counting resolution (to find stickers stuck
    outside the zones), from the printed pages the survey keeps; None when it keeps none."""
    import cv2
    import pypdfium2 as pdfium

    data = survey.blank_pdf(template.version)
    if data is None:
        return None
    numbers = [p.number for p in template.pages]
    cache: dict[int, np.ndarray] = {}

    def blank(number: int) -> np.ndarray:
        if number not in cache:
            doc = pdfium.PdfDocument(data)
            try:
                bitmap = doc[numbers.index(number)].render(scale=config.px_per_mm * 25.4 / 72)
                rgb = np.asarray(bitmap.to_pil().convert("RGB"))
            finally:
                doc.close()
            cache[number] = cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR)
        return cache[number]

    return blank


def _colour_page_image(survey: Survey, row: Any, image: np.ndarray, template: Template) -> None:
    """Put the page image kept for the clerk in colour (the reader stored it in grey): the
    sticker colours are what the clerk checks."""
    from scanner.page_images import PAGE_SUFFIX, write_image

    if not row["image_path"] or not row["dpi"]:
        return
    # The reader may have kept the scan itself (with its warp): the colour page replaces it
    # as a normalised JPEG.
    relative = Path(row["image_path"]).with_suffix(PAGE_SUFFIX).as_posix()
    try:
        warped = _warped(image, template, int(row["page_number"]), float(row["dpi"]) / 25.4)
        write_image(survey.images_dir / relative, warped)
    except (PalauteError, OSError) as exc:
        log.info("poster page %s keeps its grey image: %s", row["id"], exc)
        return
    with survey.transaction() as c:
        c.execute(
            "UPDATE pages SET image_path = ?, warp = NULL WHERE id = ?", (relative, row["id"])
        )


def replace_zone_fields(
    survey: Survey, page_id: int, fields: tuple[FieldResult, ...], outside: bool = False
) -> None:
    """Put counted zones in place of the page reader's placeholders (one transaction, logged)."""
    stamp = now()
    with survey.transaction() as c:
        for f in fields:
            row = c.execute(
                "SELECT id, value, status FROM fields WHERE page_id = ? AND field_id = ?",
                (page_id, f.field_id),
            ).fetchone()
            if row is None:
                continue
            value = None if f.value is None else json.dumps(f.value)
            c.execute(
                "UPDATE fields SET value = ?, confidence = ?, status = ?, reason = ?, crop_x = ?,"
                " crop_y = ?, crop_w = ?, crop_h = ?, scores = ?, needs_review = ?,"
                " revision = revision + 1 WHERE id = ?",
                (
                    value,
                    f.confidence,
                    str(f.status),
                    f.reason,
                    *f.crop,
                    json.dumps(f.scores),
                    int(f.needs_review),
                    row["id"],
                ),
            )
            for column, old, new in (
                ("value", row["value"], value),
                ("status", row["status"], str(f.status)),
            ):
                if old != new:
                    c.execute(
                        "INSERT INTO change_log (at, who, entity, entity_id, column_name,"
                        " old_value, new_value) VALUES (?, ?, 'field', ?, ?, ?, ?)",
                        (stamp, SYSTEM, row["id"], column, old, new),
                    )
        if outside:
            c.execute(
                "UPDATE pages SET status = ?, reason = ? WHERE id = ? AND status = ?",
                (str(PageStatus.FLAGGED), OUTSIDE, page_id, str(PageStatus.READ)),
            )
        confidence = c.execute(
            "SELECT min(confidence) FROM fields WHERE page_id = ?", (page_id,)
        ).fetchone()[0]
        c.execute(
            "UPDATE pages SET confidence = min(coalesce(confidence, 1), ?) WHERE id = ?",
            (confidence if confidence is not None else 1.0, page_id),
        )


def colour_page(path: Path, index: int, dpi: float = SCAN_DPI) -> np.ndarray | None:
    """One page of a scan file in colour (BGR), or None when it cannot be opened."""
    import cv2
    from PIL import Image

    try:
        if path.suffix.lower() == ".pdf":
            import pypdfium2 as pdfium

            doc = pdfium.PdfDocument(str(path))
            try:
                pil = doc[index].render(scale=dpi / 72).to_pil().convert("RGB")
            finally:
                doc.close()
        else:
            with Image.open(path) as im:
                im.seek(index)
                pil = im.convert("RGB")
    except (OSError, EOFError, IndexError, ValueError) as exc:
        log.debug("cannot open %s page %d: %s", path, index, exc)
        return None
    return cv2.cvtColor(np.asarray(pil), cv2.COLOR_RGB2BGR)


def in_colour(image: np.ndarray) -> bool:
    """True when the image shows colour (a greyscale scan saved as RGB does not)."""
    import cv2

    small = cv2.resize(image, (max(1, image.shape[1] // 4), max(1, image.shape[0] // 4)))
    saturation = cv2.cvtColor(small, cv2.COLOR_BGR2HSV)[:, :, 1]
    return float(np.mean(saturation >= COLOUR_SATURATION)) >= COLOUR_SHARE
