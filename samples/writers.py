"""Output files as office scanners write them.

* ``pdf-jpeg``  one multi-page PDF, each page one JPEG image embedded as is (DCTDecode)
* ``pdf-g4``    one multi-page PDF, each page one CCITT Group 4 bilevel image (CCITTFaxDecode)
* ``tiff-g4``   one multi-page TIFF, Group 4 compressed
* ``images``    a folder of files, one per page: JPEG for colour and grey, PNG for bilevel

Pages are given as numpy arrays: (H, W, 3) uint8 RGB, (H, W) uint8 grey, or (H, W) bool bilevel
(True = white).  Files are deterministic: the same pages give byte-identical output.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Protocol

import numpy as np
from PIL import Image
from PIL.TiffImagePlugin import TiffImageFile

FORMATS = ("pdf-jpeg", "pdf-g4", "tiff-g4", "images")
BILEVEL_FORMATS = ("pdf-g4", "tiff-g4")


class PageWriter(Protocol):
    def add(self, img: np.ndarray, dpi: int, quality: int | None) -> tuple[str, int]:
        """Write one page; return (file name relative to the batch folder, 0-based page index)."""
        ...

    def close(self) -> list[str]:
        """Finish; return the names of the files written."""
        ...


def encode_jpeg(img: np.ndarray, dpi: int, quality: int) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(img).save(buf, "JPEG", quality=quality, dpi=(dpi, dpi), optimize=False)
    return buf.getvalue()


def decode(data: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(data)))


def encode_g4(img: np.ndarray) -> tuple[bytes, int, int]:
    """Raw CCITT G4 data of a bilevel image (one strip), with its width and height."""
    pil = Image.fromarray(img).convert("1") if img.dtype != bool else Image.fromarray(img)
    buf = io.BytesIO()
    pil.save(buf, "TIFF", compression="group4", strip_size=1 << 30)
    tif = Image.open(io.BytesIO(buf.getvalue()))
    assert isinstance(tif, TiffImageFile)
    offsets = tif.tag_v2[273]
    counts = tif.tag_v2[279]
    offsets = offsets if isinstance(offsets, tuple) else (offsets,)
    counts = counts if isinstance(counts, tuple) else (counts,)
    if len(offsets) != 1:
        raise RuntimeError("expected a single G4 strip")
    data = buf.getvalue()[offsets[0] : offsets[0] + counts[0]]
    return data, pil.width, pil.height


def _pil(img: np.ndarray) -> Image.Image:
    if img.dtype == bool:
        return Image.fromarray(img).convert("1")
    return Image.fromarray(img)


class PdfJpegWriter:
    def __init__(self, path: Path) -> None:
        import pikepdf

        self.path = path
        self.pdf = pikepdf.new()
        self.count = 0

    def _add_image(
        self, stream_data: bytes, width: int, height: int, dpi: int, extra: dict[str, object]
    ) -> None:
        import pikepdf
        from pikepdf import Name

        image = pikepdf.Stream(self.pdf, stream_data)
        image.Type = Name.XObject
        image.Subtype = Name.Image
        image.Width = width
        image.Height = height
        for key, value in extra.items():
            image[Name("/" + key)] = value
        w_pt, h_pt = width * 72.0 / dpi, height * 72.0 / dpi
        content = pikepdf.Stream(self.pdf, f"q {w_pt:.3f} 0 0 {h_pt:.3f} 0 0 cm /Im0 Do Q".encode())
        page = pikepdf.Dictionary(
            Type=Name.Page,
            MediaBox=[0, 0, round(w_pt, 3), round(h_pt, 3)],
            Resources=pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image)),
            Contents=content,
        )
        self.pdf.pages.append(pikepdf.Page(page))
        self.count += 1

    def add(self, img: np.ndarray, dpi: int, quality: int | None) -> tuple[str, int]:
        from pikepdf import Name

        data = encode_jpeg(img, dpi, quality or 85)
        space = Name.DeviceRGB if img.ndim == 3 else Name.DeviceGray
        extra = {"ColorSpace": space, "BitsPerComponent": 8, "Filter": Name.DCTDecode}
        self._add_image(data, img.shape[1], img.shape[0], dpi, extra)
        return self.path.name, self.count - 1

    def close(self) -> list[str]:
        self.pdf.save(self.path, deterministic_id=True)
        self.pdf.close()
        return [self.path.name]


class PdfG4Writer(PdfJpegWriter):
    def add(self, img: np.ndarray, dpi: int, quality: int | None) -> tuple[str, int]:
        import pikepdf
        from pikepdf import Name

        data, width, height = encode_g4(img)
        # Pillow codes G4 as MinIsBlack (a 1 bit is white), the opposite of the PDF default
        parms = pikepdf.Dictionary(K=-1, Columns=width, Rows=height, BlackIs1=True)
        extra = {
            "ColorSpace": Name.DeviceGray,
            "BitsPerComponent": 1,
            "Filter": Name.CCITTFaxDecode,
            "DecodeParms": parms,
        }
        self._add_image(data, width, height, dpi, extra)
        return self.path.name, self.count - 1


class TiffG4Writer:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.pages: list[Image.Image] = []
        self.dpi = 200

    def add(self, img: np.ndarray, dpi: int, quality: int | None) -> tuple[str, int]:
        pil = _pil(img if img.dtype == bool else img > 127)
        pil.info["dpi"] = (dpi, dpi)
        self.pages.append(pil)
        self.dpi = dpi
        return self.path.name, len(self.pages) - 1

    def close(self) -> list[str]:
        if not self.pages:
            return []
        first, rest = self.pages[0], self.pages[1:]
        first.save(
            self.path,
            "TIFF",
            compression="group4",
            save_all=True,
            append_images=rest,
            dpi=(self.dpi, self.dpi),
        )
        return [self.path.name]


class ImageDirWriter:
    def __init__(self, folder: Path, prefix: str = "scan") -> None:
        self.folder = folder
        self.prefix = prefix
        self.names: list[str] = []

    def add(self, img: np.ndarray, dpi: int, quality: int | None) -> tuple[str, int]:
        n = len(self.names) + 1
        if img.dtype == bool:
            name = f"{self.prefix}_{n:04d}.png"
            _pil(img).save(self.folder / name, "PNG", dpi=(dpi, dpi))
        else:
            name = f"{self.prefix}_{n:04d}.jpg"
            (self.folder / name).write_bytes(encode_jpeg(img, dpi, quality or 85))
        self.names.append(name)
        return name, 0

    def close(self) -> list[str]:
        return list(self.names)


def writer_for(fmt: str, out_dir: Path, stem: str = "scan") -> PageWriter:
    if fmt == "pdf-jpeg":
        return PdfJpegWriter(out_dir / f"{stem}.pdf")
    if fmt == "pdf-g4":
        return PdfG4Writer(out_dir / f"{stem}.pdf")
    if fmt == "tiff-g4":
        return TiffG4Writer(out_dir / f"{stem}.tif")
    if fmt == "images":
        return ImageDirWriter(out_dir, stem)
    raise ValueError(f"unknown output format {fmt!r}")
