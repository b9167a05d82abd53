"""Sticker and tally counting on synthetic phone photos of printed posters."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from forms.api import print_form
from forms.template import Template
from palaute.errors import InputError
from samples.poster_photos import Sticker, Stroke, poster_photo, scatter
from scanner.stickers import read_poster

from .conftest import LAYOUTS


@pytest.fixture(scope="module")
def traffic_light(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Template]:
    out = tmp_path_factory.mktemp("posters") / "liikennevalo.pdf"
    printed = print_form(LAYOUTS / "liikennevaloaanestys.yaml", out)
    return out, printed.template


@pytest.fixture(scope="module")
def plus_minus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Template]:
    out = tmp_path_factory.mktemp("posters") / "plusmiinus.pdf"
    printed = print_form(LAYOUTS / "plussat_ja_miinukset.yaml", out)
    return out, printed.template


def _photo(pdf: Path, index: int, stickers: list[Sticker], strokes=None, seed=0) -> np.ndarray:
    return poster_photo(pdf, index, stickers, strokes, seed=seed, px_per_mm=5.0, out_width=1800)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_clean_counts_are_exact(traffic_light: tuple[Path, Template], seed: int) -> None:
    pdf, template = traffic_light
    rng = np.random.default_rng(seed)
    index = seed % len(template.pages)
    page = template.pages[index]
    stickers: list[Sticker] = []
    truth: dict[str, Counter[str]] = {}
    for zone in page.fields:
        # mostly the zone's own colour, and some blue (not a traffic-light colour)
        colours = [str(zone.colour)] * int(rng.integers(0, 8)) + ["blue"] * int(rng.integers(0, 3))
        placed = scatter(zone.box, colours, rng, touching_pairs=int(rng.integers(0, 3)))
        stickers += placed
        truth[zone.id] = Counter(s.colour for s in placed)
    reading = read_poster(_photo(pdf, index, stickers, seed=seed), template)
    assert reading.page == page.number
    assert reading.registration_error_mm < 0.5
    assert not reading.flagged, [z.blobs for z in reading.zones]
    for zone in reading.zones:
        for count in zone.stickers:
            assert count.count == truth[zone.field_id][count.colour], (zone.field_id, count)
            assert count.confidence == 1.0


def test_other_traffic_light_colour_in_a_zone_is_flagged(
    traffic_light: tuple[Path, Template],
) -> None:
    pdf, template = traffic_light
    agree = template.pages[3].fields[0]
    x, y, w, _ = agree.box
    stickers = [Sticker(x + w / 2, y + 30 + 30 * i, "green") for i in range(3)]
    stickers.append(Sticker(x + w / 2, y + 150, "red"))
    reading = read_poster(_photo(pdf, 3, stickers, seed=11), template)
    zone = reading.zone(agree.id)
    red = next(s for s in zone.stickers if s.colour == "red")
    green = next(s for s in zone.stickers if s.colour == "green")
    assert (green.count, green.flagged) == (3, False)
    assert (red.count, red.flagged, red.reason) == (1, True, "stickers.colour_mismatch")


@pytest.mark.parametrize("diameter", [12.0, 16.0])
def test_smaller_stickers_are_measured_on_the_poster(
    traffic_light: tuple[Path, Template], diameter: float
) -> None:
    pdf, template = traffic_light
    rng = np.random.default_rng(int(diameter))
    page = template.pages[4]
    stickers: list[Sticker] = []
    for zone in page.fields:
        stickers += scatter(zone.box, [str(zone.colour)] * 4, rng, diameter, touching_pairs=1)
    reading = read_poster(_photo(pdf, 4, stickers, seed=12), template)
    assert not reading.flagged
    assert [z.total for z in reading.zones] == [4, 4, 4]


def test_page_found_from_qr_on_every_poster(traffic_light: tuple[Path, Template]) -> None:
    pdf, template = traffic_light
    for index in (0, 6):
        reading = read_poster(_photo(pdf, index, [], seed=index), template)
        assert reading.page == index + 1
        assert all(z.total == 0 and not z.flagged for z in reading.zones)


def test_odd_colour_is_flagged_not_counted(traffic_light: tuple[Path, Template]) -> None:
    pdf, template = traffic_light
    zone = template.pages[0].fields[0]
    x, y, w, _ = zone.box
    stickers = [Sticker(x + w / 2, y + 30, "green"), Sticker(x + w / 2, y + 80, "orange")]
    reading = read_poster(_photo(pdf, 0, stickers, seed=5), template)
    z = reading.zone(zone.id)
    assert z.flagged and reading.flagged
    assert reading.reason == "stickers.ambiguous_colour"
    assert z.count("green") == 1


def test_overlapping_stickers_are_flagged(traffic_light: tuple[Path, Template]) -> None:
    pdf, template = traffic_light
    zone = template.pages[0].fields[2]
    x, y, w, _ = zone.box
    cx = x + w / 2
    # one sticker stuck half over another: 1.5 stickers of area, neither one nor two for sure
    stickers = [Sticker(cx - 5, y + 60, "red"), Sticker(cx + 5, y + 60, "red")]
    reading = read_poster(_photo(pdf, 0, stickers, seed=6), template)
    red = next(s for s in reading.zone(zone.id).stickers if s.colour == "red")
    assert red.flagged and red.confidence < 1.0


def test_sticker_half_outside_the_zone_is_flagged(traffic_light: tuple[Path, Template]) -> None:
    pdf, template = traffic_light
    zone = template.pages[0].fields[1]
    x, y, w, h = zone.box
    stickers = [
        Sticker(x + w / 2, y + 40, "yellow"),
        Sticker(x + w / 2, y + 80, "yellow"),
        Sticker(x + w / 2, y + 120, "yellow"),
        Sticker(x + w - 1, y + h / 2 + 30, "yellow"),
    ]
    reading = read_poster(_photo(pdf, 0, stickers, seed=7), template)
    yellow = next(s for s in reading.zone(zone.id).stickers if s.colour == "yellow")
    assert yellow.flagged


def test_tally_marks_are_counted(plus_minus: tuple[Path, Template]) -> None:
    pdf, template = plus_minus
    plus, minus = template.pages[0].fields
    strokes: list[Stroke] = []
    for zone, n in ((plus, 7), (minus, 4)):
        x, y, _, _ = zone.box
        for i in range(n):
            row, col = divmod(i, 4)
            sx, sy = x + 15 + col * 22, y + 20 + row * 40
            strokes.append(Stroke(sx, sy, sx + 4, sy + 22, 1.2))
    reading = read_poster(_photo(pdf, 0, [], strokes, seed=8), template)
    assert reading.zone(plus.id).tally.count == 7
    assert reading.zone(minus.id).tally.count == 4
    assert not reading.flagged


def test_five_bar_gate_is_estimated_and_flagged(plus_minus: tuple[Path, Template]) -> None:
    pdf, template = plus_minus
    zone = template.pages[0].fields[0]
    x, y, _, _ = zone.box
    gate = [Stroke(x + 20 + 5 * i, y + 30, x + 20 + 5 * i, y + 52, 1.2) for i in range(4)]
    gate.append(Stroke(x + 15, y + 48, x + 40, y + 33, 1.2))
    reading = read_poster(_photo(pdf, 0, [], gate, seed=9), template)
    tally = reading.zone(zone.id).tally
    assert tally.flagged and tally.reason == "stickers.tally_group"


def test_grey_image_is_refused(traffic_light: tuple[Path, Template]) -> None:
    _, template = traffic_light
    with pytest.raises(InputError):
        read_poster(np.full((100, 100), 255, np.uint8), template)


def test_cli_counts_a_photo(
    traffic_light: tuple[Path, Template], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import csv

    import cv2

    from palaute.cli import main
    from palaute.errors import ExitCode

    pdf, template = traffic_light
    zone = template.pages[1].fields[0]
    x, y, w, _ = zone.box
    stickers = [Sticker(x + w / 2, y + 30 + 25 * i, "green") for i in range(2)]
    stickers.append(Sticker(template.page_width / 2, 100.0, "red"))  # on the statement
    photo = tmp_path / "photo.jpg"
    cv2.imwrite(str(photo), _photo(pdf, 1, stickers, seed=13))
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"not an image")
    out = tmp_path / "counts.csv"
    code = main(["--lang", "en", "stickers", str(pdf), str(photo), str(broken), "--csv", str(out)])
    assert code == ExitCode.FINISHED_WITH_REJECTIONS
    captured = capsys.readouterr()
    assert (
        "poster 2" in captured.out
        and "samaa mieltä: green 2, yellow 0, red 0, blue 0" in captured.out
    )
    assert "outside the zones: red 1" in captured.out
    assert "broken.jpg" in captured.err
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    green = next(r for r in rows if r["field"] == zone.id and r["colour"] == "green")
    assert green["count"] == "2" and green["flagged"] == "0"


def test_sideways_photo_with_a_covered_mark(traffic_light: tuple[Path, Template]) -> None:
    import cv2

    pdf, template = traffic_light
    page = template.pages[5]
    rng = np.random.default_rng(14)
    stickers: list[Sticker] = []
    for zone in page.fields:
        stickers += scatter(zone.box, [str(zone.colour)] * 3, rng)
    # someone stuck a sticker over the bottom-left mark, and the phone was held sideways
    x, y, size, _ = page.marks[3].box
    stickers.append(Sticker(x + size / 2, y + size / 2, "blue", diameter=size * 1.3))
    photo = cv2.rotate(_photo(pdf, 5, stickers, seed=14), cv2.ROTATE_90_CLOCKWISE)
    reading = read_poster(photo, template)
    assert reading.page == page.number
    assert [z.total for z in reading.zones] == [3, 3, 3] and not reading.flagged


@pytest.mark.parametrize("seed", [4, 8, 21])
def test_random_strokes_are_exact_or_flagged(plus_minus: tuple[Path, Template], seed: int) -> None:
    """Strokes of any slant and length, some crossing: never a wrong count without a flag."""
    import math

    pdf, template = plus_minus
    rng = np.random.default_rng(seed)
    strokes: list[Stroke] = []
    truth: dict[str, int] = {}
    for zone in template.pages[0].fields:
        x, y, w, h = zone.box
        centres: list[tuple[float, float]] = []
        for _ in range(int(rng.integers(3, 15))):
            length, angle = rng.uniform(10, 25), rng.uniform(0.9, 2.3)
            cx, cy = rng.uniform(x + 15, x + w - 15), rng.uniform(y + 15, y + h - 15)
            if any(math.hypot(cx - px, cy - py) < 16 for px, py in centres):
                continue
            centres.append((cx, cy))
            dx, dy = length / 2 * math.cos(angle), length / 2 * math.sin(angle)
            strokes.append(Stroke(cx - dx, cy - dy, cx + dx, cy + dy, rng.uniform(0.6, 1.5)))
        truth[zone.id] = len(centres)
    reading = read_poster(_photo(pdf, 0, [], strokes, seed=seed), template)
    for zone in reading.zones:
        assert zone.tally.count == truth[zone.field_id] or zone.tally.flagged, zone.tally


def test_stickers_outside_the_zones_flag_the_poster(traffic_light: tuple[Path, Template]) -> None:
    from samples.poster_photos import render_page

    pdf, template = traffic_light
    page = template.pages[2]
    zone = page.fields[0]
    x, y, w, _ = zone.box
    stickers = [Sticker(x + w / 2, y + 40, "green"), Sticker(x + w / 2, y + 90, "green")]
    photo_clean = _photo(pdf, 2, stickers, seed=15)

    def blank(number: int) -> np.ndarray:
        return render_page(pdf, number - 1, 3.0)

    clean = read_poster(photo_clean, template, blank=blank)
    assert not clean.flagged and clean.outside == ()
    # one sticker on the statement text, above the zones
    stray = [*stickers, Sticker(template.page_width / 2, 95.0, "yellow")]
    reading = read_poster(_photo(pdf, 2, stray, seed=15), template, blank=blank)
    assert reading.flagged and reading.reason == "stickers.outside_zones"
    assert [(b.colour, b.count) for b in reading.outside] == [("yellow", 1)]
    assert reading.zone(zone.id).count("green") == 2
