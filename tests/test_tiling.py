"""A2 posters on smaller sheets: the tiles cover the poster, overlap, and fit the sheets."""

from __future__ import annotations

import pytest

from forms.geometry import PRINTER_MARGIN
from forms.tiling import plan_tiles


@pytest.mark.parametrize(
    ("sheet", "count", "landscape"), [((297.0, 420.0), 4, False), ((210.0, 297.0), 8, True)]
)
def test_a2_tiles(sheet: tuple[float, float], count: int, landscape: bool) -> None:
    plan = plan_tiles(420.0, 594.0, sheet)
    assert len(plan.tiles) == count
    assert (plan.sheet_width > plan.sheet_height) == landscape
    assert plan.margin >= PRINTER_MARGIN
    for tile in plan.tiles:
        assert tile.w <= plan.sheet_width - 2 * plan.margin
        assert tile.h <= plan.sheet_height - 2 * plan.margin
    # every point of the poster is on some tile; neighbours share the overlap strip
    for x in range(0, 421, 5):
        for y in range(0, 595, 5):
            assert any(t.x <= x <= t.x + t.w and t.y <= y <= t.y + t.h for t in plan.tiles), (x, y)
    right_edges = sorted({round(t.x + t.w, 3) for t in plan.tiles})
    lefts = sorted({round(t.x, 3) for t in plan.tiles})
    for edge, left in zip(right_edges, lefts[1:], strict=False):
        assert edge - left == pytest.approx(plan.overlap)
