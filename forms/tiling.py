"""Printing a large poster (A2) on smaller sheets (A3 or A4) that are taped together.

The poster is cut into a grid of tiles.  Each sheet prints one tile inside a margin the printer
can reach; neighbouring tiles share an overlap strip, so each sheet but the first in a row or
column is trimmed along its overlap mark and laid over its neighbour.  The template still describes
the assembled poster: its marks, QR and zones are read from a photo of the whole thing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Tile:
    row: int  # 0-based, top to bottom
    col: int  # 0-based, left to right
    x: float  # the poster region this sheet shows, millimetres from the poster's top-left
    y: float
    w: float
    h: float


@dataclass(frozen=True)
class TilePlan:
    sheet_width: float
    sheet_height: float
    margin: float  # sheet edge to the printed tile
    overlap: float  # printed twice, on neighbouring tiles
    rows: int
    cols: int
    tiles: tuple[Tile, ...]


def _grid(poster: float, usable: float, overlap: float) -> int:
    return max(1, math.ceil((poster - overlap) / (usable - overlap)))


def plan_tiles(
    poster_width: float,
    poster_height: float,
    sheet: tuple[float, float],
    margin: float = 10.0,
    overlap: float = 12.0,
) -> TilePlan:
    """The tiling with the fewest sheets (portrait or landscape sheets)."""
    best: TilePlan | None = None
    for sw, sh in (sheet, (sheet[1], sheet[0])):
        uw, uh = sw - 2 * margin, sh - 2 * margin
        cols, rows = _grid(poster_width, uw, overlap), _grid(poster_height, uh, overlap)
        tiles = []
        for r in range(rows):
            for c in range(cols):
                x, y = c * (uw - overlap), r * (uh - overlap)
                tiles.append(
                    Tile(r, c, x, y, min(uw, poster_width - x), min(uh, poster_height - y))
                )
        plan = TilePlan(sw, sh, margin, overlap, rows, cols, tuple(tiles))
        if best is None or len(plan.tiles) < len(best.tiles):
            best = plan
    assert best is not None
    return best
