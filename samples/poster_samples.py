"""Filled statement posters with ground truth: phone photos and colour scans.

Each sample is one poster page with round coloured stickers and pen tally strokes in its zones,
as clients leave them: mostly the zone's own colour, now and then a sticker of another colour,
some stickers overlapping their neighbour, some stuck half over the zone's edge, tally marks as
separate strokes or as a crossed five-bar gate.  The truth records, per zone, the stickers per
colour, the tally strokes and whether the zone is *clear* (no overlap, no sticker over the edge,
no crossed strokes): a clear zone's count must come out exactly or be flagged; an unclear one
may only be flagged or right.

A sample is photographed (``photograph``, built from ``samples.camera``: perspective, uneven
warm light, blur, JPEG) or scanned in colour (flat, 150 dpi, slight noise).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from forms.template import Box, Field, Template
from samples.camera import (
    WARM_CAST,
    clip_to_uint8,
    jpeg_round_trip,
    light_falloff,
    place_on_table,
    sensor_noise,
)
from samples.poster_photos import Sticker, Stroke, painted_page, scatter
from samples.source import load_template

PHOTO_PX_PER_MM = 5.0  # the poster is painted at this resolution before it is photographed
SCAN_DPI = 150
TRUTH_FILE = "truth.json"
MODES = ("photo", "scan")


@dataclass(frozen=True)
class ZoneTruth:
    field_id: str
    stickers: dict[str, int]  # colour -> count
    tally: int
    clear: bool  # nothing hard to count: the reader must be right or flag it
    hard: tuple[str, ...] = ()  # what makes it hard: overlap, edge, gate

    @property
    def votes(self) -> int:
        return sum(self.stickers.values()) + self.tally


@dataclass(frozen=True)
class PosterTruth:
    file: str
    mode: str  # photo | scan
    page: int
    zones: tuple[ZoneTruth, ...]

    def zone(self, field_id: str) -> ZoneTruth:
        return next(z for z in self.zones if z.field_id == field_id)


@dataclass
class PosterBatch:
    form: str
    version: str
    posters: list[PosterTruth] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "form": self.form,
            "version": self.version,
            "posters": [asdict(p) for p in self.posters],
        }

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_dict(), ensure_ascii=False, indent=1) + "\n", "utf-8")


def plan_zone(
    zone: Field, kind: str, rng: np.random.Generator, hard: bool
) -> tuple[list[Sticker], list[Stroke], ZoneTruth]:
    """Stickers and strokes for one zone, with their truth; ``hard`` allows overlaps, stickers
    over the edge and crossed tally strokes."""
    x, y, w, h = zone.box
    own = str(zone.colour or "green")
    strokes: list[Stroke] = []
    difficulties: list[str] = []
    tally = 0
    use_tally = kind == "plus_minus" and rng.random() < 0.5
    colours = [own] * int(rng.integers(0, 7 if not use_tally else 3))
    if kind == "traffic_light" and rng.random() < 0.15:
        colours.append("blue")  # the office ran out of the right colour
    overlap = hard and len(colours) >= 2 and rng.random() < 0.5
    if overlap:
        colours.sort(key=lambda c: c != own)  # the overlapping pair is of the zone's colour
        difficulties.append("overlap")
    # stickers only in the zone's upper part; tally strokes go below them
    sticker_box: Box = (x, y, w, h * (0.6 if use_tally else 1.0))
    stickers = scatter(
        sticker_box,
        colours,
        rng,
        touching_pairs=1 if overlap else 0,
        touch=(0.72, 0.82) if overlap else (0.97, 0.97),
    )
    if hard and rng.random() < 0.3:
        # one sticker stuck half over the zone's left or right edge
        edge_x = x if rng.random() < 0.5 else x + w
        stickers.append(Sticker(edge_x, y + h * rng.uniform(0.3, 0.5), own))
        difficulties.append("edge")
    if use_tally:
        n = int(rng.integers(1, 9))
        top = y + h * 0.66
        for i in range(n):
            row, col = divmod(i, 8)
            sx = x + 8 + col * 6.5 + rng.uniform(-0.8, 0.8)
            sy = top + row * 22 + rng.uniform(-1.0, 1.0)
            length = rng.uniform(11, 15)
            lean = rng.uniform(-2.0, 2.0)
            strokes.append(Stroke(sx, sy, sx + lean, sy + length, width=rng.uniform(0.7, 1.1)))
        tally = n
        if hard and n >= 4 and rng.random() < 0.4:
            # a five-bar gate: a diagonal across the first four strokes
            first, fourth = strokes[-n], strokes[-n + 3]
            strokes.append(Stroke(first.x1 - 2, first.y2 - 2, fourth.x1 + 2, fourth.y1 + 2, 1.0))
            tally += 1
            difficulties.append("gate")
    counts: dict[str, int] = {}
    for s in stickers:
        counts[s.colour] = counts.get(s.colour, 0) + 1
    truth = ZoneTruth(zone.id, counts, tally, not difficulties, tuple(difficulties))
    return stickers, strokes, truth


def sample(
    pdf: Path, template: Template, index: int, rng: np.random.Generator, hard: bool
) -> tuple[list[Sticker], list[Stroke], list[ZoneTruth], int]:
    """The stickers, strokes and truth of one filled poster page (page ``index`` 0-based)."""
    page = template.pages[index % len(template.pages)]
    stickers: list[Sticker] = []
    strokes: list[Stroke] = []
    truths: list[ZoneTruth] = []
    for zone in page.fields:
        if zone.kind != "zone":
            continue
        s, k, t = plan_zone(zone, template.kind, rng, hard)
        stickers += s
        strokes += k
        truths.append(t)
    return stickers, strokes, truths, index % len(template.pages)


def photo_image(
    pdf: Path,
    page_index: int,
    stickers: list[Sticker],
    strokes: list[Stroke],
    rng: np.random.Generator,
) -> np.ndarray:
    sheet = painted_page(pdf, page_index, PHOTO_PX_PER_MM, stickers, strokes, rng)
    return photograph(
        sheet,
        rng,
        tilt=float(rng.uniform(0.01, 0.07)),
        gradient=float(rng.uniform(0.05, 0.4)),
        jpeg_quality=int(rng.integers(70, 92)),
        out_width=int(rng.integers(1700, 2300)),
    )


def photograph(
    sheet: np.ndarray,
    rng: np.random.Generator,
    tilt: float = 0.06,
    gradient: float = 0.35,
    jpeg_quality: int = 80,
    out_width: int = 2000,
) -> np.ndarray:
    """The sheet on a table seen by a phone: perspective, light falling off to one side with a
    warm cast, a little blur, sensor noise and JPEG (as ``poster_photos.photograph``, in a
    fraction of its time: OpenCV's per-channel multiply and noise instead of numpy's)."""
    photo = place_on_table(sheet, rng, tilt, out_width)
    light = light_falloff(photo.shape[0], photo.shape[1], rng, gradient)
    channels = [
        cv2.multiply(c.astype(np.float32), light, scale=k)
        for c, k in zip(cv2.split(photo), WARM_CAST, strict=True)
    ]
    lit = cv2.GaussianBlur(cv2.merge(channels), (3, 3), 0.8)
    image = clip_to_uint8(lit + sensor_noise(lit.shape, rng, 2.0))
    return jpeg_round_trip(image, jpeg_quality)


def scan_image(
    pdf: Path,
    page_index: int,
    stickers: list[Sticker],
    strokes: list[Stroke],
    rng: np.random.Generator,
) -> np.ndarray:
    ppm = SCAN_DPI / 25.4
    sheet = painted_page(pdf, page_index, ppm, stickers, strokes, rng)
    angle = float(rng.uniform(-0.8, 0.8))
    h, w = sheet.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    sheet = cv2.warpAffine(sheet, matrix, (w, h), borderValue=(250, 250, 250))
    return clip_to_uint8(sheet.astype(np.float32) + sensor_noise(sheet.shape, rng, 3.0))


def write_posters(
    pdf: Path, out_dir: Path, count: int, seed: int = 1, mode: str = "photo", hard: bool = True
) -> PosterBatch:
    """``count`` filled posters of the printed ``pdf`` as photos (JPEG) or colour scans (JPEG at
    150 dpi) in ``out_dir``, with ``truth.json``; returns the truth."""
    if mode not in MODES:
        raise ValueError(mode)
    from PIL import Image

    template = load_template(pdf)
    out_dir.mkdir(parents=True, exist_ok=True)
    batch = PosterBatch(template.form_id, template.version)
    for i in range(count):
        rng = np.random.default_rng([seed, i])
        stickers, strokes, truths, index = sample(pdf, template, i, rng, hard)
        name = f"{mode}-{i + 1:03d}.jpg"
        if mode == "photo":
            image = photo_image(pdf, index, stickers, strokes, rng)
            cv2.imwrite(str(out_dir / name), image, [cv2.IMWRITE_JPEG_QUALITY, 95])
        else:
            image = scan_image(pdf, index, stickers, strokes, rng)
            rgb = cv2.cvtColor(image, cv2.COLOR_BGR2RGB)
            Image.fromarray(rgb).save(out_dir / name, dpi=(SCAN_DPI, SCAN_DPI), quality=90)
        batch.posters.append(PosterTruth(name, mode, template.pages[index].number, tuple(truths)))
    batch.save(out_dir / TRUTH_FILE)
    return batch


@dataclass(frozen=True)
class PosterScore:
    zones: int
    exact: int  # counted right and not flagged
    flagged: int  # flagged for the clerk
    wrong: int  # confidently wrong: the failure that must not happen
    clear_wrong: int  # ...of which in a clear zone


def score(
    truth: PosterBatch, counted: dict[tuple[str, str], tuple[int | None, bool]]
) -> PosterScore:
    """Compare ``counted`` ((file, field id) -> (votes, flagged)) with the truth."""
    zones = exact = flagged = wrong = clear_wrong = 0
    for poster in truth.posters:
        for z in poster.zones:
            zones += 1
            votes, is_flagged = counted.get((poster.file, z.field_id), (None, True))
            if is_flagged:
                flagged += 1
            elif votes == z.votes:
                exact += 1
            else:
                wrong += 1
                clear_wrong += z.clear
    return PosterScore(zones, exact, flagged, wrong, clear_wrong)
