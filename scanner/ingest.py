"""Scan files → greyscale page images, one page at a time.

``iter_pages(path)`` streams the pages of one scan file (PDF, TIFF, JPEG, PNG): only the page being
handed out is decoded, so a 1,000-page batch costs no more memory than one page.

PDF pages that are a single scanner image are not re-rendered: the embedded image is pulled out
with pikepdf at its own resolution (JPEG, CCITT G4, JBIG2, JPEG 2000, Flate); anything else (vector
pages, mixed pages, images whose decoding fails) is rendered with pypdfium2 at ``RENDER_DPI``.

Problems with a whole file (unknown type, empty, corrupt, encrypted, no pages) raise
:class:`palaute.errors.InputError`.  A problem with one page (too large, too small, undecodable)
does not stop the file: the page is handed out as a :class:`SourcePage` with ``error`` set and no
image, so the batch records the rejection and goes on.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import logging
import os
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from palaute.errors import InputError

log = logging.getLogger(__name__)

RENDER_DPI = 200  # vector and mixed PDF pages are rendered at this resolution
A4_MM = (210.0, 297.0)
MIN_DPI, MAX_DPI = 50.0, 1200.0  # a resolution outside this range is treated as missing
MIN_SIDE_PX = 400  # smaller than an A4 page at 50 dpi: not a scanned page
MAX_PIXELS = 80_000_000  # an A3 page at 600 dpi is 70 Mpx; anything larger is refused undecoded

SUFFIXES = frozenset({".pdf", ".tif", ".tiff", ".jpg", ".jpeg", ".png"})


class Method:
    """How a page image was obtained (stored with the page, useful when a scan reads badly)."""

    EMBEDDED = "embedded"  # a PDF page's single image, pulled out undecoded-by-renderer
    RENDERED = "rendered"  # a PDF page rasterised with pypdfium2
    IMAGE = "image"  # a TIFF frame, JPEG or PNG file


@dataclass(frozen=True)
class SourcePage:
    source: Path
    index: int  # 0-based page index within the file
    image: np.ndarray | None  # 2-D uint8 greyscale; None when the page was refused
    dpi: float
    method: str  # Method.*, plus the codec for embedded images, e.g. "embedded:jpeg"
    dpi_estimated: bool = False  # True when the file gave no usable resolution
    error: str | None = None  # catalogue key when the page was refused
    error_params: dict[str, Any] = field(default_factory=dict)
    encoded: Encoded | None = None  # the page still compressed (``iter_pages(defer=True)``)

    @property
    def ok(self) -> bool:
        return self.error is None and (self.image is not None or self.encoded is not None)


@dataclass(frozen=True)
class Encoded:
    """A PDF page's embedded image as a small self-contained file (JPEG, or CCITT G4 in a TIFF
    wrapper), not yet decoded: ``decode`` turns it into the page image wherever it is needed
    (in a reader process, so that only these bytes travel between processes)."""

    data: bytes
    width: int
    height: int
    rotate: int  # the page's /Rotate, degrees clockwise


def decode(page: SourcePage) -> SourcePage:
    """``page`` with its image decoded, when ``iter_pages(defer=True)`` left it encoded.

    Gives the same image as ``iter_pages`` would have; when the embedded image turns out to be
    undecodable, the page is rendered with pypdfium2 (as ``iter_pages`` does) or refused."""
    if page.encoded is None or page.image is not None:
        return page
    grey = _decode_file(page.encoded)
    if grey is not None:
        return dataclasses.replace(page, image=grey, encoded=None)
    log.info("%s page %d: embedded image not decoded, rendering", page.source, page.index + 1)
    renderer = _Renderer(page.source)
    try:
        return renderer.render(page.index)
    finally:
        renderer.close()


# -- files -------------------------------------------------------------------------------------


def scan_files(paths: Iterable[Path | str]) -> list[Path]:
    """Expand folders (recursively, sorted) into the scan files they hold; keep files as given.

    A named file is kept whatever its suffix (so an unknown type is reported, not skipped); inside
    folders only files with a known suffix are taken, hidden files are ignored.
    """
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                rel = child.relative_to(path)
                if any(part.startswith(".") for part in rel.parts):
                    continue
                if child.is_file() and child.suffix.lower() in SUFFIXES:
                    found.append(child)
        elif path.exists():
            found.append(path)
        else:
            raise InputError("scanner.input.not_found", file=str(path))
    return found


def file_sha256(path: Path) -> str:
    """The file's content hash: the same scan file is never read twice."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def sniff(path: Path) -> str:
    """The file's type from its first bytes: 'pdf', 'tiff', 'jpeg' or 'png'."""
    try:
        with path.open("rb") as fh:
            head = fh.read(1024)
    except OSError as exc:
        raise InputError("scanner.input.unreadable", file=str(path), error=str(exc)) from exc
    if not head:
        raise InputError("scanner.input.empty", file=str(path))
    if b"%PDF-" in head:
        return "pdf"
    if head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):
        return "tiff"
    if head[:3] == b"\xff\xd8\xff":
        return "jpeg"
    if head[:8] == b"\x89PNG\r\n\x1a\n":
        return "png"
    raise InputError("scanner.input.unknown_type", file=str(path))


def page_count(path: Path) -> int:
    """How many pages the file holds, without decoding any (raises InputError like iter_pages)."""
    kind = sniff(path)
    if kind == "pdf":
        with _open_pdf(path) as pdf:
            return len(pdf.pages)
    with _open_image(path) as im:
        return _frame_count(im) or 0


def iter_pages(
    path: Path | str, skip: frozenset[int] = frozenset(), *, defer: bool = False
) -> Iterator[SourcePage]:
    """Yield the pages of one scan file in order, decoding one at a time.

    Pages whose index is in ``skip`` are not decoded nor yielded (used to resume a batch).
    With ``defer``, a PDF page that is a single JPEG or CCITT image is handed out undecoded
    (``SourcePage.encoded``, no image): ``decode`` finishes it, in whichever process reads it.
    """
    path = Path(path)
    kind = sniff(path)
    if kind == "pdf":
        yield from _pdf_pages(path, skip, defer)
    else:
        yield from _image_pages(path, skip)


# -- helpers shared by every kind ------------------------------------------------------------


def estimate_dpi(width: int, height: int) -> float:
    """Resolution of an A4 page scanned at ``width`` × ``height`` pixels (either orientation)."""
    long_px, short_px = max(width, height), min(width, height)
    return round((long_px / (A4_MM[1] / 25.4) + short_px / (A4_MM[0] / 25.4)) / 2, 1)


def _usable_dpi(value: Any) -> float | None:
    try:
        dpi = float(value[0] if isinstance(value, tuple | list) else value)
    except (TypeError, ValueError, IndexError):
        return None
    return round(dpi, 1) if MIN_DPI <= dpi <= MAX_DPI else None


def _size_problem(path: Path, index: int, width: int, height: int) -> SourcePage | None:
    if width * height > MAX_PIXELS:
        return _refused(
            path, index, "scanner.input.too_large", width=width, height=height, limit=MAX_PIXELS
        )
    if min(width, height) < MIN_SIDE_PX:
        return _refused(path, index, "scanner.input.too_small", width=width, height=height)
    return None


def _refused(path: Path, index: int, key: str, **params: Any) -> SourcePage:
    params = {"file": str(path), "page": index + 1, **params}
    log.info("%s page %d refused: %s %s", path, index + 1, key, params)
    return SourcePage(path, index, None, 0.0, "", error=key, error_params=params)


def to_grey(im: Image.Image) -> np.ndarray:
    """Any Pillow image → 2-D uint8 greyscale (white paper stays white)."""
    if im.mode in ("I;16", "I;16B", "I;16L", "I"):
        arr = np.asarray(im, dtype=np.uint32)
        top = 65535 if im.mode.startswith("I;16") else max(int(arr.max()), 1)
        return (arr * 255 // top).astype(np.uint8)
    if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
        im = im.convert("RGBA")
        background = Image.new("RGBA", im.size, (255, 255, 255, 255))
        im = Image.alpha_composite(background, im)
    if im.mode != "L":
        im = im.convert("L")
    return np.ascontiguousarray(np.asarray(im, dtype=np.uint8))


# -- TIFF, JPEG, PNG --------------------------------------------------------------------------


def _open_image(path: Path) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            return Image.open(path)
    except Image.DecompressionBombError as exc:
        raise InputError("scanner.input.too_large_file", file=str(path), limit=MAX_PIXELS) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise InputError("scanner.input.corrupt", file=str(path), error=str(exc)) from exc


def _frame_count(im: Image.Image) -> int | None:
    """Frames in the file, or None when a damaged file cannot say (frames are then walked)."""
    try:
        return int(getattr(im, "n_frames", 1))
    except (OSError, ValueError, TypeError, SyntaxError, EOFError):
        return None


def _image_pages(path: Path, skip: frozenset[int]) -> Iterator[SourcePage]:
    # Pillow reports damaged metadata as Python warnings; log them instead of printing them.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for page in _image_frames(path, skip):
            for w in caught:
                log.info("%s page %d: %s", path, page.index + 1, w.message)
            caught.clear()
            yield page


def _image_frames(path: Path, skip: frozenset[int]) -> Iterator[SourcePage]:
    with _open_image(path) as im:
        frames = _frame_count(im)
        index = -1
        while frames is None or index + 1 < frames:
            index += 1
            try:
                im.seek(index)
            except EOFError:
                if frames is None:
                    return  # the end of a file whose frames could not be counted up front
                yield _refused(path, index, "scanner.input.page_unreadable", error="EOF")
                return
            except (OSError, ValueError, TypeError, SyntaxError) as exc:
                yield _refused(path, index, "scanner.input.page_unreadable", error=str(exc))
                return  # later frames cannot be reached either
            if index in skip:
                continue
            width, height = im.size  # from the header: nothing decoded yet
            problem = _size_problem(path, index, width, height)
            if problem is not None:
                yield problem
                continue
            try:
                frame = im if frames != 1 else ImageOps.exif_transpose(im)
                frame.load()
                grey = to_grey(frame)
            except (
                OSError,
                ValueError,
                SyntaxError,
                TypeError,
                Image.DecompressionBombError,
            ) as exc:
                yield _refused(path, index, "scanner.input.page_unreadable", error=str(exc))
                continue
            dpi = _usable_dpi(im.info.get("dpi"))
            yield SourcePage(
                path,
                index,
                grey,
                dpi if dpi is not None else estimate_dpi(width, height),
                Method.IMAGE,
                dpi_estimated=dpi is None,
            )


# -- PDF --------------------------------------------------------------------------------------

_CODECS = {
    "/DCTDecode": "jpeg",
    "/CCITTFaxDecode": "ccitt",
    "/JBIG2Decode": "jbig2",
    "/JPXDecode": "jpx",
    "/FlateDecode": "flate",
    "/LZWDecode": "lzw",
}
# Operators a scanner's page may contain besides drawing its image: graphics state, and an
# invisible OCR text layer (text render mode 3).
_STATE_OPS = frozenset({"q", "Q", "cm", "gs", "w", "J", "j", "M", "d", "ri", "i"})
_TEXT_OPS = frozenset(
    {"BT", "ET", "Tf", "Td", "TD", "Tm", "T*", "Tj", "TJ", "'", '"', "Tc", "Tw", "Tz", "TL", "Ts"}
    | {"Tr", "g", "G", "rg", "RG", "k", "K", "cs", "CS", "sc", "scn", "SC", "SCN"}
)


def _open_pdf(path: Path) -> Any:
    import pikepdf

    try:
        pdf = pikepdf.open(path)
    except pikepdf.PasswordError as exc:
        raise InputError("scanner.input.encrypted", file=str(path)) from exc
    except (pikepdf.PdfError, OSError, ValueError) as exc:
        raise InputError("scanner.input.corrupt", file=str(path), error=str(exc)) from exc
    return pdf


def _pdf_pages(path: Path, skip: frozenset[int], defer: bool) -> Iterator[SourcePage]:
    import pikepdf

    with _open_pdf(path) as pdf:
        try:
            count = len(pdf.pages)
        except pikepdf.PdfError as exc:
            raise InputError("scanner.input.corrupt", file=str(path), error=str(exc)) from exc
        if count == 0:
            raise InputError("scanner.input.no_pages", file=str(path))
        renderer = _Renderer(path)
        try:
            for index in range(count):
                if index in skip:
                    continue
                try:
                    page = pdf.pages[index]
                    yield _pdf_page(path, index, page, renderer, defer)
                except (pikepdf.PdfError, KeyError, ValueError, TypeError, OSError) as exc:
                    yield _refused(path, index, "scanner.input.page_unreadable", error=str(exc))
        finally:
            renderer.close()


def _pdf_page(
    path: Path, index: int, page: Any, renderer: _Renderer, defer: bool = False
) -> SourcePage:
    single = _single_image(page)
    if single is not None:
        xobj, (width_pt, height_pt) = single
        width, height = int(xobj.Width), int(xobj.Height)
        problem = _size_problem(path, index, width, height)
        if problem is not None:
            return problem
        codec = _codec(xobj)
        rotate = int(page.obj.get("/Rotate", 0)) % 360
        dpi_x = width / (width_pt / 72.0)
        dpi_y = height / (height_pt / 72.0)
        dpi = _usable_dpi(round((dpi_x + dpi_y) / 2, 1))
        embedded = SourcePage(
            path,
            index,
            None,
            dpi if dpi is not None else estimate_dpi(width, height),
            f"{Method.EMBEDDED}:{codec}",
            dpi_estimated=dpi is None,
        )
        encoded = _encoded(xobj, codec, rotate) if defer else None
        if encoded is not None:
            return dataclasses.replace(embedded, encoded=encoded)
        grey = _decode_embedded(xobj, codec)
        if grey is not None and grey.shape == (height, width):
            if rotate:
                grey = np.ascontiguousarray(np.rot90(grey, k=-(rotate // 90)))
            return dataclasses.replace(embedded, image=grey)
        log.info("%s page %d: embedded %s image not decoded, rendering", path, index + 1, codec)
    return renderer.render(index, page)


def _encoded(xobj: Any, codec: str, rotate: int) -> Encoded | None:
    """The embedded image as a file that ``_decode_file`` reads, for JPEG and CCITT images
    that ``_decode_embedded`` would decode the same way; None for anything else."""
    import pikepdf
    from pikepdf import PdfImage

    if codec == "jpeg":
        if _jpeg_refused(xobj):
            return None
        data = xobj.read_raw_bytes()
    elif codec == "ccitt":
        buffer = io.BytesIO()
        try:
            if PdfImage(xobj).extract_to(stream=buffer) != ".tif":
                return None
        except (pikepdf.PdfError, ValueError, NotImplementedError, TypeError, KeyError):
            return None
        data = buffer.getvalue()
    else:
        return None
    return Encoded(bytes(data), int(xobj.Width), int(xobj.Height), rotate)


def _jpeg_refused(xobj: Any) -> bool:
    """A JPEG image the plain decoder would get wrong (CMYK, a /Decode array): rendered."""
    colourspace = str(xobj.get("/ColorSpace", ""))
    return "CMYK" in colourspace or xobj.get("/Decode") is not None


def _decode_file(encoded: Encoded) -> np.ndarray | None:
    """Decode an ``Encoded`` page image to upright greyscale; None when it cannot be.

    JPEG is decoded by OpenCV straight into an array (the same pixels as Pillow's, without
    Pillow's copy out of its own image memory); anything else, or a JPEG OpenCV refuses, by
    Pillow as ``_decode_embedded`` does."""
    grey: np.ndarray | None = None
    if encoded.data[:3] == b"\xff\xd8\xff":
        import cv2

        flags = cv2.IMREAD_GRAYSCALE | cv2.IMREAD_IGNORE_ORIENTATION
        grey = cv2.imdecode(np.frombuffer(encoded.data, np.uint8), flags)
    if grey is None:
        try:
            with Image.open(io.BytesIO(encoded.data)) as im:
                im.draft("L", im.size)
                grey = to_grey(im)
        except (OSError, ValueError, SyntaxError, TypeError, Image.DecompressionBombError) as exc:
            log.info("embedded image could not be decoded: %s", exc)
            return None
    if grey.shape != (encoded.height, encoded.width):
        return None
    if encoded.rotate:
        grey = np.ascontiguousarray(np.rot90(grey, k=-(encoded.rotate // 90)))
    return grey


def _codec(xobj: Any) -> str:
    import pikepdf

    filters = xobj.get("/Filter")
    if filters is None:
        return "raw"
    names = [str(f) for f in filters] if isinstance(filters, pikepdf.Array) else [str(filters)]
    if not names:
        return "raw"
    return _CODECS.get(names[-1], names[-1].lstrip("/").lower())


def _single_image(page: Any) -> tuple[Any, tuple[float, float]] | None:
    """The page's one image XObject and its size in points, when the page is only that image."""
    import pikepdf

    resources = page.obj.get("/Resources")
    xobjects = resources.get("/XObject") if resources is not None else None
    if xobjects is None:
        return None
    try:
        ops = pikepdf.parse_content_stream(page)
    except pikepdf.PdfError:
        return None
    drawn: list[str] = []
    matrix: list[float] | None = None
    invisible_text = False
    for instr in ops:
        op = str(instr.operator)
        if op == "Do":
            drawn.append(str(instr.operands[0]))
        elif op == "cm":
            matrix = [float(v) for v in instr.operands]
        elif op == "Tr":
            invisible_text = int(instr.operands[0]) == 3
        elif op in ("Tj", "TJ", "'", '"'):
            if not invisible_text:
                return None
        elif op not in _STATE_OPS and op not in _TEXT_OPS:
            return None  # paths, shadings, inline images: a vector or mixed page
    if len(drawn) != 1 or matrix is None:
        return None
    xobj = xobjects.get(drawn[0])
    if xobj is None or xobj.get("/Subtype") != "/Image" or xobj.get("/ImageMask", False):
        return None
    a, b, c, d, _e, _f = matrix
    if abs(b) > 1e-6 or abs(c) > 1e-6 or a <= 0 or d <= 0:
        return None  # rotated or mirrored placement: let the renderer deal with it
    box = [float(v) for v in page.obj.get("/MediaBox", [0, 0, 0, 0])]
    page_w, page_h = box[2] - box[0], box[3] - box[1]
    if page_w <= 0 or page_h <= 0 or a < 0.9 * page_w or d < 0.9 * page_h:
        return None  # the image does not cover the page
    return xobj, (a, d)


def _decode_embedded(xobj: Any, codec: str) -> np.ndarray | None:
    """Decode an embedded image to greyscale; None when it cannot be (the page is then rendered)."""
    import pikepdf
    from pikepdf import PdfImage

    try:
        if codec == "jpeg":
            if _jpeg_refused(xobj):
                return None
            with Image.open(io.BytesIO(xobj.read_raw_bytes())) as im:
                im.draft("L", im.size)
                return to_grey(im)
        pil = PdfImage(xobj).as_pil_image()
        return to_grey(pil)
    except (pikepdf.PdfError, OSError, ValueError, NotImplementedError, SyntaxError) as exc:
        log.info("embedded %s image could not be decoded: %s", codec, exc)
        return None
    except Exception as exc:  # pikepdf raises a variety of types for unsupported images
        log.info("embedded %s image could not be decoded (%s): %s", codec, type(exc).__name__, exc)
        return None


class _Renderer:
    """pypdfium2 document opened on first use (most scanner PDFs never need it)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._doc: Any = None

    def render(self, index: int, page: Any = None) -> SourcePage:
        """Render page ``index`` (``page``: the same page opened with pikepdf, if at hand)."""
        import pypdfium2 as pdfium

        if page is not None:
            box = [float(v) for v in page.obj.get("/MediaBox", [0, 0, 0, 0])]
            width = round(abs(box[2] - box[0]) / 72.0 * RENDER_DPI)
            height = round(abs(box[3] - box[1]) / 72.0 * RENDER_DPI)
            problem = _size_problem(self.path, index, width, height)
            if problem is not None:
                return problem
        try:
            if self._doc is None:
                self._doc = pdfium.PdfDocument(os.fspath(self.path))
            pdf_page = self._doc[index]
            try:
                if page is None:
                    size = pdf_page.get_size()
                    width = round(size[0] / 72.0 * RENDER_DPI)
                    height = round(size[1] / 72.0 * RENDER_DPI)
                    problem = _size_problem(self.path, index, width, height)
                    if problem is not None:
                        return problem
                bitmap = pdf_page.render(scale=RENDER_DPI / 72.0, grayscale=True)
                arr = bitmap.to_numpy()
            finally:
                pdf_page.close()
        except (pdfium.PdfiumError, OSError, ValueError) as exc:
            return _refused(self.path, index, "scanner.input.page_unreadable", error=str(exc))
        if arr.ndim == 3:
            arr = arr[:, :, 0]
        return SourcePage(
            self.path,
            index,
            np.ascontiguousarray(arr, dtype=np.uint8),
            float(RENDER_DPI),
            Method.RENDERED,
        )

    def close(self) -> None:
        if self._doc is not None:
            self._doc.close()
            self._doc = None
