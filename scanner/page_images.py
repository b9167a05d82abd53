"""Writing page images to disk, atomically, from any process.

Stored pages are greyscale JPEG: a scanned page is noisy, so PNG compresses it poorly and slowly
(about ten times the time of reading the page), while JPEG at this quality keeps handwriting
perfectly legible for the clerk at a fraction of the size.  The format follows the file suffix.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

PAGE_SUFFIX = ".jpg"  # suffix of stored page images
JPEG_QUALITY = 88  # legible handwriting and digits at 200 dpi; artefacts stay below the pen stroke
PNG_COMPRESSION = 3  # zlib level for PNG (used when a path asks for .png)


def write_image(path: Path, image: np.ndarray) -> None:
    """Write ``image`` (2-D uint8) to ``path`` via a temporary file, so a crash leaves no half file."""
    import cv2

    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() in (".jpg", ".jpeg"):
        ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
    else:
        ok, data = cv2.imencode(".png", image, [cv2.IMWRITE_PNG_COMPRESSION, PNG_COMPRESSION])
    if not ok:
        raise OSError(f"could not encode {path.name}")
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data.tobytes())
    os.replace(tmp, path)
