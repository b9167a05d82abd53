"""The registered page: the scan seen upright in template coordinates, resampled on demand.

Reading a page needs only its fields' surroundings (a third to a half of a form page); the
whole page is resampled only when something asks for all of it (``np.asarray(page)``: storing
the normalised image, matching a layout).  Each part is resampled through the same map as the
whole page would be, so a part equals the same part of the whole page (to the resampler's
fixed-point rounding, a grey level at most).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from scanner.register import warp_map


class UprightPage:
    """The normalised page of ``scan`` through ``matrix`` (normalised pixel → scan pixel, 3×3)
    of ``size`` (width, height); outside the scan is white."""

    def __init__(self, scan: np.ndarray, matrix: np.ndarray, size: tuple[int, int]) -> None:
        self.scan = scan
        self.matrix = matrix
        self.size = size
        self._whole: np.ndarray | None = None

    @property
    def shape(self) -> tuple[int, int]:
        return self.size[1], self.size[0]

    def whole(self) -> np.ndarray:
        """The whole page (resampled once)."""
        if self._whole is None:
            self._whole = warp_map(self.scan, self.matrix, self.size)
        return self._whole

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        whole = self.whole()
        return whole if dtype is None else whole.astype(dtype)

    def crop(self, x0: int, y0: int, x1: int, y1: int, fill: int = 255) -> np.ndarray:
        """Pixels [y0:y1, x0:x1] of the page; outside the page is ``fill``."""
        if self._whole is not None:
            return padded_crop(self._whole, x0, y0, x1, y1, fill)
        width, height = self.size
        out = np.full((y1 - y0, x1 - x0), fill, np.uint8)
        sx0, sy0, sx1, sy1 = max(x0, 0), max(y0, 0), min(x1, width), min(y1, height)
        if sx1 > sx0 and sy1 > sy0:
            shift = np.array([[1.0, 0.0, sx0], [0.0, 1.0, sy0], [0.0, 0.0, 1.0]])
            part = warp_map(self.scan, self.matrix @ shift, (sx1 - sx0, sy1 - sy0))
            if (sx0, sy0, sx1, sy1) == (x0, y0, x1, y1):
                return part
            out[sy0 - y0 : sy1 - y0, sx0 - x0 : sx1 - x0] = part
        return out

    def sample(self, step: int) -> np.ndarray:
        """Every ``step``-th pixel of the page in both directions (``whole()[::step, ::step]``),
        resampled at those points only."""
        if self._whole is not None:
            return self._whole[::step, ::step]
        width, height = self.size
        spread = np.diag([float(step), float(step), 1.0])
        return warp_map(self.scan, self.matrix @ spread, (-(-width // step), -(-height // step)))


def padded_crop(image: np.ndarray, x0: int, y0: int, x1: int, y1: int, fill: int) -> np.ndarray:
    """``image[y0:y1, x0:x1]``, padded with ``fill`` where it leaves the image."""
    h, w = image.shape
    if x0 >= 0 and y0 >= 0 and x1 <= w and y1 <= h:
        return image[y0:y1, x0:x1]
    out = np.full((y1 - y0, x1 - x0), fill, image.dtype)
    sx0, sy0, sx1, sy1 = max(x0, 0), max(y0, 0), min(x1, w), min(y1, h)
    if sx1 > sx0 and sy1 > sy0:
        out[sy0 - y0 : sy1 - y0, sx0 - x0 : sx1 - x0] = image[sy0:sy1, sx0:sx1]
    return out


def page_crop(
    page: np.ndarray | UprightPage, x0: int, y0: int, x1: int, y1: int, fill: int = 255
) -> np.ndarray:
    """Pixels [y0:y1, x0:x1] of a page given whole or as an UprightPage, padded with ``fill``."""
    if isinstance(page, UprightPage):
        return page.crop(x0, y0, x1, y1, fill)
    return padded_crop(page, x0, y0, x1, y1, fill)


def page_sample(page: np.ndarray | UprightPage, step: int) -> np.ndarray:
    """Every ``step``-th pixel of a page given whole or as an UprightPage."""
    if isinstance(page, UprightPage):
        return page.sample(step)
    return page[::step, ::step]
