"""Writing normalised page images to disk (PNG), atomically, from any process."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

PNG_COMPRESSION = 3  # zlib level: 3 is several times faster than 9 and barely larger for scans


def write_png(path: Path, image: np.ndarray) -> None:
    """Write ``image`` (2-D uint8) to ``path`` via a temporary file, so a crash leaves no half PNG."""
    import cv2

    path.parent.mkdir(parents=True, exist_ok=True)
    ok, data = cv2.imencode(".png", image, [cv2.IMWRITE_PNG_COMPRESSION, PNG_COMPRESSION])
    if not ok:
        raise OSError(f"could not encode {path.name} as PNG")
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data.tobytes())
    os.replace(tmp, path)
