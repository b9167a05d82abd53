"""Registration: find the four ArUco corner marks and map the scan onto template coordinates.

Marker id i is printed at corner i (0 top-left, 1 top-right, 2 bottom-right, 3 bottom-left), so
the ids alone say which way up the sheet was scanned: the fitted transform maps template
millimetres to scan pixels whatever the rotation, and warping through it makes the page upright.
Markers are searched in the four image corners first (cheap), then in the whole image.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from functools import cache

import cv2
import numpy as np

from forms.template import ARUCO_DICTIONARY, Mark
from scanner.config import ReaderConfig

log = logging.getLogger(__name__)

MM_PER_INCH = 25.4


@dataclass(frozen=True)
class Registration:
    matrix: np.ndarray  # 3×3, template millimetres → scan pixels
    error_mm: float  # RMS residual of the mark corners, millimetres
    markers: tuple[int, ...]  # marker ids used
    rotation: int  # degrees clockwise applied to make the page upright: 0, 90, 180, 270
    scale: float  # printed size / template size (printer "fit to page" gives ~0.9-0.97)


@cache
def _detector(window_px: int = 0) -> cv2.aruco.ArucoDetector:
    """The marker detector; with ``window_px``, thresholding with that one window only (the
    default tries three sizes: three times the work)."""
    dictionary = cv2.aruco.getPredefinedDictionary(getattr(cv2.aruco, ARUCO_DICTIONARY))
    params = cv2.aruco.DetectorParameters()
    params.cornerRefinementMethod = cv2.aruco.CORNER_REFINE_SUBPIX
    if window_px:
        params.adaptiveThreshWinSizeMin = window_px
        params.adaptiveThreshWinSizeMax = window_px
    return cv2.aruco.ArucoDetector(dictionary, params)


def _detect(
    image: np.ndarray, scale: float, offset: tuple[int, int], window_px: int = 0
) -> dict[int, np.ndarray]:
    """Markers with ids 0..3 in ``image`` (resampled by ``scale``); corners in source pixels."""
    if scale < 1.0:
        image = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    else:
        scale = 1.0
    corners, ids, _ = _detector(window_px).detectMarkers(image)
    found: dict[int, np.ndarray] = {}
    if ids is None:
        return found
    for quad, marker_id in zip(corners, ids.ravel(), strict=True):
        if not 0 <= int(marker_id) <= 3:
            continue
        points = quad.reshape(4, 2).astype(np.float64) / scale + np.array(offset, np.float64)
        # Two candidates with one id (a false detection): keep the larger.
        previous = found.get(int(marker_id))
        if previous is None or cv2.contourArea(points.astype(np.float32)) > cv2.contourArea(
            previous.astype(np.float32)
        ):
            found[int(marker_id)] = points
    return found


def find_markers(image: np.ndarray, dpi: float, config: ReaderConfig) -> dict[int, np.ndarray]:
    """Corner-mark id → its 4 corners (marker order TL, TR, BR, BL) in scan pixels."""
    scale = config.detect_dpi / dpi
    side = round(config.corner_search_mm * dpi / MM_PER_INCH)
    h, w = image.shape[:2]
    window = max(3, round(config.marker_window_mm * config.detect_dpi / MM_PER_INCH) | 1)
    found: dict[int, np.ndarray] = {}
    if side * 2 < min(h, w):
        corners = [(x0, y0) for y0 in (0, h - side) for x0 in (0, w - side)]
        for x0, y0 in corners:
            found.update(_detect(image[y0 : y0 + side, x0 : x0 + side], scale, (x0, y0), window))
        if len(found) < 4:
            for x0, y0 in corners:
                crop = image[y0 : y0 + side, x0 : x0 + side]
                for marker_id, points in _detect(crop, scale, (x0, y0)).items():
                    found.setdefault(marker_id, points)
    if len(found) < 4:
        whole = _detect(image, scale, (0, 0))
        for marker_id, points in whole.items():
            found.setdefault(marker_id, points)
    return found


def mark_corners(mark: Mark) -> np.ndarray:
    x, y, w, h = mark.box
    return np.array([[x, y], [x + w, y], [x + w, y + h], [x, y + h]], np.float64)


def fit(
    found: dict[int, np.ndarray], marks: tuple[Mark, ...], dpi: float, config: ReaderConfig
) -> Registration | None:
    """The best transform from template mm to scan pixels, or None with fewer than 2 markers.

    Four markers give a homography; three an affine map; two a similarity (flagged by the
    caller through ``min_markers``).  With four, a marker that disagrees with the other three
    (a false detection, a damaged mark) is dropped."""
    usable = [m for m in marks if m.id in found]
    if len(usable) < 2:
        return None
    best = _fit_subset(found, usable, dpi, config.affine_tolerance_mm)
    if len(usable) == 4 and best.error_mm > config.max_registration_error_mm:
        for drop in range(4):
            candidate = _fit_subset(
                found, usable[:drop] + usable[drop + 1 :], dpi, config.affine_tolerance_mm
            )
            if candidate.error_mm < best.error_mm / 3:
                best = candidate
    return best


def _fit_subset(
    found: dict[int, np.ndarray], marks: list[Mark], dpi: float, affine_tolerance_mm: float
) -> Registration:
    src = np.concatenate([mark_corners(m) for m in marks])
    dst = np.concatenate([found[m.id] for m in marks])
    px_per_mm = dpi / MM_PER_INCH
    if len(marks) >= 4:
        # A homography only when its perspective terms really improve the fit: flatbed and
        # feeder scans are affine, and an affine page is cheaper to warp.
        matrix = _affine(src, dst)
        homography, _ = cv2.findHomography(src, dst, 0)
        if homography is not None and _rms(homography, src, dst) < (
            _rms(matrix, src, dst) - affine_tolerance_mm * px_per_mm
        ):
            matrix = homography
    elif len(marks) == 3:
        matrix = _affine(src, dst)
    else:
        partial, _ = cv2.estimateAffinePartial2D(src, dst, method=cv2.LMEDS)
        matrix = np.vstack([partial, [0.0, 0.0, 1.0]]) if partial is not None else _affine(src, dst)
    rms_px = _rms(matrix, src, dst)
    # Direction of the template's x axis in the scan (clockwise angle, image y points down).
    origin = projected_point(matrix, 0.0, 0.0)
    along = projected_point(matrix, 100.0, 0.0)
    angle = math.degrees(math.atan2(along[1] - origin[1], along[0] - origin[0]))
    rotation = round(-angle / 90.0) * 90 % 360
    scale = math.hypot(along[0] - origin[0], along[1] - origin[1]) / (100.0 * px_per_mm)
    return Registration(
        matrix=matrix,
        error_mm=rms_px / px_per_mm,
        markers=tuple(m.id for m in marks),
        rotation=rotation,
        scale=scale,
    )


def _rms(matrix: np.ndarray, src: np.ndarray, dst: np.ndarray) -> float:
    projected = cv2.perspectiveTransform(src.reshape(-1, 1, 2), matrix).reshape(-1, 2)
    return float(np.sqrt(np.mean(np.sum((projected - dst) ** 2, axis=1))))


def _affine(src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """Least-squares affine map as a 3×3 matrix."""
    a = np.hstack([src, np.ones((len(src), 1))])
    solution, *_ = np.linalg.lstsq(a, dst, rcond=None)
    return np.vstack([solution.T, [0.0, 0.0, 1.0]])


def projected_point(matrix: np.ndarray, x: float, y: float) -> tuple[float, float]:
    v = matrix @ np.array([x, y, 1.0])
    return float(v[0] / v[2]), float(v[1] / v[2])


def to_pixels(dpi: float) -> np.ndarray:
    """Template mm → pixels of a page at ``dpi``."""
    s = dpi / MM_PER_INCH
    return np.array([[s, 0.0, 0.0], [0.0, s, 0.0], [0.0, 0.0, 1.0]])


def warp(
    image: np.ndarray,
    registration: Registration,
    out_dpi: float,
    region_mm: tuple[float, float, float, float],
    border: int = 255,
) -> np.ndarray:
    """The part ``region_mm`` (x, y, w, h in template mm) of the scan, upright, at ``out_dpi``."""
    matrix, size = page_map(registration, out_dpi, region_mm)
    return warp_map(image, matrix, size, border)


def page_map(
    registration: Registration, out_dpi: float, region_mm: tuple[float, float, float, float]
) -> tuple[np.ndarray, tuple[int, int]]:
    """The map from pixels of ``region_mm`` upright at ``out_dpi`` to scan pixels (3×3, its last
    row (0, 0, 1) when the map is affine within a tenth of a pixel), and the region's size in
    those pixels (width, height)."""
    x, y, w, h = region_mm
    s = out_dpi / MM_PER_INCH
    # output pixel → template mm → scan pixel
    out_to_mm = np.array([[1.0 / s, 0.0, x], [0.0, 1.0 / s, y], [0.0, 0.0, 1.0]])
    matrix = registration.matrix @ out_to_mm
    size = (round(w * s), round(h * s))
    matrix = matrix / matrix[2, 2]
    if _nearly_affine(matrix, size):
        # Flatbed and feeder scans are affine in practice; warpAffine is much cheaper.
        matrix = np.vstack([matrix[:2], [0.0, 0.0, 1.0]])
    return matrix, size


def warp_map(
    image: np.ndarray, matrix: np.ndarray, size: tuple[int, int], border: int = 255
) -> np.ndarray:
    """``image`` (grey or colour) resampled through ``matrix`` (output pixel → image pixel) onto
    ``size`` (width, height); outside the image is ``border``."""
    flags = cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP
    fill = (border,) * (image.shape[2] if image.ndim == 3 else 1)
    if matrix[2, 0] == 0.0 and matrix[2, 1] == 0.0 and matrix[2, 2] == 1.0:
        return cv2.warpAffine(
            image, matrix[:2], size, flags=flags, borderMode=cv2.BORDER_CONSTANT, borderValue=fill
        )
    return cv2.warpPerspective(
        image, matrix, size, flags=flags, borderMode=cv2.BORDER_CONSTANT, borderValue=fill
    )


def _nearly_affine(matrix: np.ndarray, size: tuple[int, int], tolerance_px: float = 0.1) -> bool:
    """Whether dropping the perspective terms moves no output corner by more than the tolerance."""
    w, h = size
    corners = np.array([[0, 0, 1], [w, 0, 1], [0, h, 1], [w, h, 1]], np.float64)
    full = corners @ matrix.T
    full = full[:, :2] / full[:, 2:3]
    affine = corners @ matrix[:2].T
    return float(np.abs(full - affine).max()) <= tolerance_px
