"""Writing page images to disk, atomically, from any process, and reading them back upright.

A page the reader normalised is kept in one of two ways:

* as the scan itself, when it came as one compressed image inside a PDF (JPEG, or CCITT G4 in a
  TIFF wrapper): the embedded bytes are written unchanged, with the map that makes the page
  upright in template coordinates (:class:`PageWarp`, stored with the page).  Nothing is
  encoded during the scan (re-encoding a page costs as much as a sixth of reading it), and a
  black-and-white page stays a small G4 file instead of a JPEG of its warped grey edges.
* otherwise as the normalised page, greyscale JPEG: a scanned page is noisy, so PNG
  compresses it poorly and slowly, while JPEG at this quality keeps handwriting perfectly
  legible for the clerk at a fraction of the size.  The format follows the file suffix.

:func:`upright` turns a stored image into what the reader saw, for the desk and the report.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

PAGE_SUFFIX = ".jpg"  # suffix of stored page images
JPEG_QUALITY = 88  # legible handwriting and digits at 200 dpi; artefacts stay below the pen stroke
PNG_COMPRESSION = 3  # zlib level for PNG (used when a path asks for .png)
SOURCE_SUFFIXES = {b"\xff\xd8\xff": ".jpg", b"II*": ".tif", b"MM\x00": ".tif"}  # by magic


@dataclass(frozen=True)
class PageWarp:
    """How a stored scan becomes the normalised page: turn it clockwise by ``turn`` degrees (a
    PDF page's /Rotate), then map each normalised pixel through ``matrix`` (row-major 3×3,
    normalised pixel → scan pixel) onto an image of ``size`` (width, height)."""

    matrix: tuple[float, ...]
    size: tuple[int, int]
    turn: int = 0

    def to_json(self) -> str:
        return json.dumps({"matrix": list(self.matrix), "size": list(self.size), "turn": self.turn})

    @classmethod
    def from_json(cls, text: str) -> PageWarp:
        data = json.loads(text)
        matrix = tuple(float(v) for v in data["matrix"])
        width, height = (int(v) for v in data["size"])
        if len(matrix) != 9 or width <= 0 or height <= 0:
            raise ValueError("not a page warp")
        return cls(matrix, (width, height), int(data.get("turn", 0)) % 360)


def source_suffix(data: bytes) -> str | None:
    """The file suffix for an embedded image's bytes, or None when they are not kept as is."""
    return next((s for magic, s in SOURCE_SUFFIXES.items() if data.startswith(magic)), None)


def upright(image: np.ndarray, warp: PageWarp, border: int = 255) -> np.ndarray:
    """The normalised page made from the stored scan ``image`` (grey or colour)."""
    from scanner.register import warp_map

    if warp.turn:
        image = np.ascontiguousarray(np.rot90(image, k=-(warp.turn // 90)))
    matrix = np.asarray(warp.matrix, np.float64).reshape(3, 3)
    return warp_map(image, matrix, warp.size, border)


def write_image(path: Path, image: np.ndarray) -> None:
    """Write ``image`` (2-D uint8) to ``path`` via a temporary file, so a crash leaves no half file."""
    import cv2

    if path.suffix.lower() in (".jpg", ".jpeg"):
        ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
    else:
        ok, data = cv2.imencode(".png", image, [cv2.IMWRITE_PNG_COMPRESSION, PNG_COMPRESSION])
    if not ok:
        raise OSError(f"could not encode {path.name}")
    write_bytes(path, data.tobytes())


def write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file, so a crash leaves no half file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
