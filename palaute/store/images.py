"""Field crops and page views for the desk, cut from the stored normalised page images (a page
kept as the scan itself is made upright first: ``scanner.page_images``).

Only paths read from the survey database reach this module, and each is checked to stay inside
the survey's images folder; nothing from a request is ever joined onto a path.
"""

from __future__ import annotations

import io
import logging
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from forms.template import Box
from scanner.page_images import PageWarp, upright

log = logging.getLogger(__name__)

MM_PER_INCH = 25.4
DEFAULT_DPI = 200.0
CROP_MARGIN_MM = 12.0  # surroundings shown around a field's crop box
CROP_MAX_WIDTH = 1400  # pixels; wider crops are scaled down
PAGE_WIDTH = 1100  # pixels of the full-page view
HIGHLIGHT = (200, 0, 90)  # the frame drawn around the field (high contrast on grey paper)


class ImageMissing(LookupError):
    """The page has no image, or its file is gone or outside the images folder."""


def resolve(images_dir: Path, relative: str | None) -> Path:
    """The absolute file of a stored image path, refusing anything outside ``images_dir``."""
    if not relative:
        raise ImageMissing("no image stored")
    root = images_dir.resolve()
    path = (root / relative).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        raise ImageMissing(relative)
    return path


@lru_cache(maxsize=6)
def _load(path: Path, mtime_ns: int, warp: str | None) -> Image.Image:
    with Image.open(path) as im:
        im.load()
        # Colour page images (sticker posters) stay in colour: the clerk tells stickers apart.
        colour = im.mode in ("RGB", "RGBA", "P", "YCbCr")
        image = im.convert("RGB") if colour else im.convert("L")
    if warp is None:
        return image
    return Image.fromarray(upright(np.asarray(image), PageWarp.from_json(warp)))


def load(path: Path, warp: str | None = None) -> Image.Image:
    """The page upright in template coordinates; ``warp``: the page's stored PageWarp (JSON)
    when the file is the scan itself."""
    try:
        return _load(path, path.stat().st_mtime_ns, warp)
    except (OSError, ValueError, KeyError, Image.DecompressionBombError) as exc:
        raise ImageMissing(str(path)) from exc


def _px(mm: float, dpi: float) -> int:
    return round(mm * dpi / MM_PER_INCH)


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=1)
    return out.getvalue()


def field_crop(
    path: Path,
    dpi: float | None,
    box: Box,
    margin_mm: float = CROP_MARGIN_MM,
    warp: str | None = None,
) -> bytes:
    """PNG of the field's box and its surroundings, the box framed."""
    page = load(path, warp)
    dpi = dpi or DEFAULT_DPI
    x, y, w, h = box
    left = max(0, _px(x - margin_mm, dpi))
    top = max(0, _px(y - margin_mm, dpi))
    right = min(page.width, _px(x + w + margin_mm, dpi))
    bottom = min(page.height, _px(y + h + margin_mm, dpi))
    if right <= left or bottom <= top:
        raise ImageMissing("crop outside the page")
    crop = page.crop((left, top, right, bottom)).convert("RGB")
    draw = ImageDraw.Draw(crop)
    frame = (_px(x, dpi) - left, _px(y, dpi) - top, _px(x + w, dpi) - left, _px(y + h, dpi) - top)
    draw.rectangle(frame, outline=HIGHLIGHT, width=max(2, _px(0.6, dpi)))
    if crop.width > CROP_MAX_WIDTH:
        scale = CROP_MAX_WIDTH / crop.width
        crop = crop.resize((CROP_MAX_WIDTH, max(1, round(crop.height * scale))))
    return _png(crop)


def page_view(
    path: Path, dpi: float | None, highlight: Box | None = None, warp: str | None = None
) -> bytes:
    """PNG of the whole page scaled to :data:`PAGE_WIDTH`, with ``highlight`` framed."""
    page = load(path, warp).convert("RGB")
    dpi = dpi or DEFAULT_DPI
    if highlight is not None:
        x, y, w, h = highlight
        draw = ImageDraw.Draw(page)
        draw.rectangle(
            (_px(x, dpi), _px(y, dpi), _px(x + w, dpi), _px(y + h, dpi)),
            outline=HIGHLIGHT,
            width=max(3, _px(0.8, dpi)),
        )
    if page.width > PAGE_WIDTH:
        page = page.resize((PAGE_WIDTH, max(1, round(page.height * PAGE_WIDTH / page.width))))
    return _png(page)
