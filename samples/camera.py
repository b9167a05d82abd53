"""What a phone camera or a colour scanner does to a painted poster sheet.

The steps shared by the poster photo simulation (``samples.poster_photos``) and the poster
sample batches (``samples.poster_samples``).  Each step draws from the caller's random generator
in a fixed order, so that a seed keeps giving the same image byte for byte.
"""

from __future__ import annotations

import math

import cv2
import numpy as np

TABLE_BGR = (70, 80, 90)  # the table the sheet lies on, seen around it
WARM_CAST = (0.92, 0.98, 1.04)  # BGR gains of warm indoor light


def place_on_table(
    sheet: np.ndarray, rng: np.random.Generator, tilt: float, out_width: int
) -> np.ndarray:
    """The sheet lying on a table, seen from a phone held slightly askew: each corner is moved by
    up to ``tilt`` of the half-size; the sheet fills 80 % of the picture's width."""
    h, w = sheet.shape[:2]
    scale = out_width * 0.8 / w
    out_h = round(h * scale / 0.8)
    cx, cy = out_width / 2, out_h / 2
    hw, hh = w * scale / 2, h * scale / 2
    corners = np.array(
        [[cx - hw, cy - hh], [cx + hw, cy - hh], [cx + hw, cy + hh], [cx - hw, cy + hh]]
    )
    quad = (corners + rng.uniform(-tilt, tilt, (4, 2)) * np.array([hw, hh])).astype(np.float32)
    src = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(src, quad)
    return cv2.warpPerspective(
        sheet, matrix, (out_width, out_h), flags=cv2.INTER_AREA, borderValue=TABLE_BGR
    )


def light_falloff(height: int, width: int, rng: np.random.Generator, gradient: float) -> np.ndarray:
    """Per-pixel brightness (float32, ``height`` x ``width``) of light falling off towards a
    random side: 1 on the bright edge, ``1 - gradient`` on the dark one."""
    angle = rng.uniform(0, 2 * math.pi)
    xs = (np.arange(width, dtype=np.float32) / width - 0.5) * math.cos(angle)
    ys = (np.arange(height, dtype=np.float32) / height - 0.5) * math.sin(angle)
    # an outer sum instead of a full coordinate grid: the same float32 values, far less memory
    return 1.0 - gradient * (np.add.outer(ys, xs) + 0.5)


def sensor_noise(shape: tuple[int, ...], rng: np.random.Generator, sigma: float) -> np.ndarray:
    """Gaussian noise (float32, ``shape`` with three channels) from OpenCV's generator, seeded
    from ``rng``: much faster than numpy's for a whole photo."""
    noise = np.empty(shape, np.float32)
    cv2.setRNGSeed(int(rng.integers(1 << 30)))
    cv2.randn(noise, np.zeros(3), np.full(3, sigma))
    return noise


def clip_to_uint8(image: np.ndarray) -> np.ndarray:
    """Light values back to 8-bit pixels, saturating where light and noise overshoot."""
    return np.clip(image, 0, 255).astype(np.uint8)


def jpeg_round_trip(image: np.ndarray, quality: int) -> np.ndarray:
    """``image`` with the artefacts of saving it as a JPEG of ``quality``, as a phone does."""
    ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, quality])
    decoded = cv2.imdecode(data, cv2.IMREAD_COLOR) if ok else None
    if decoded is None:
        raise RuntimeError("JPEG round trip failed")
    return np.asarray(decoded)
