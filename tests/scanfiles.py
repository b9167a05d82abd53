"""Builders of real scan files (PDF, TIFF, JPEG, PNG) for the ingest tests and benchmark."""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path

import cv2
import numpy as np
import pikepdf
from PIL import Image

A4_MM = (210.0, 297.0)


def page_image(dpi: int = 200, label: str = "1", seed: int = 0) -> np.ndarray:
    """A white A4 page at ``dpi`` with a frame, some text lines and a label: something to compare."""
    width = round(A4_MM[0] / 25.4 * dpi)
    height = round(A4_MM[1] / 25.4 * dpi)
    img = np.full((height, width), 255, np.uint8)
    s = dpi / 200
    cv2.rectangle(
        img,
        (int(60 * s), int(60 * s)),
        (width - int(60 * s), height - int(60 * s)),
        0,
        max(1, int(3 * s)),
    )
    rng = np.random.default_rng(seed)
    for row in range(12):
        y = int((200 + row * 120) * s)
        length = int(rng.integers(400, 1200) * s)
        cv2.putText(
            img,
            "Palvelu oli " + "x" * (length // int(40 * s)),
            (int(120 * s), y),
            cv2.FONT_HERSHEY_SIMPLEX,
            1.2 * s,
            0,
            max(1, int(2 * s)),
        )
    cv2.putText(
        img,
        label,
        (int(1200 * s), int(2000 * s)),
        cv2.FONT_HERSHEY_SIMPLEX,
        6 * s,
        0,
        max(1, int(12 * s)),
    )
    return img


def jpeg_bytes(img: np.ndarray, quality: int = 85) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(img).save(buf, format="JPEG", quality=quality)
    return buf.getvalue()


def image_pdf(path: Path, images: Iterable[np.ndarray], dpi: float, codec: str = "jpeg") -> Path:
    """A PDF with one embedded image per page, sized so that the image has ``dpi``.

    ``codec``: "jpeg" (DCTDecode), "jpx" (JPXDecode), "flate", or "g4" (CCITT group 4, bilevel).
    """
    pdf = pikepdf.new()
    for img in images:
        _add_image_page(pdf, img, dpi, codec)
    pdf.save(path)
    return path


def repeated_image_pdf(
    path: Path, img: np.ndarray, dpi: float, pages: int, codec: str = "jpeg"
) -> Path:
    """A long PDF whose pages all show the same image stream (small on disk, decoded per page)."""
    pdf = pikepdf.new()
    xobj = _image_xobject(pdf, img, codec)
    for _ in range(pages):
        _place(pdf, xobj, img.shape[1], img.shape[0], dpi)
    pdf.save(path)
    return path


def _add_image_page(pdf: pikepdf.Pdf, img: np.ndarray, dpi: float, codec: str) -> None:
    _place(pdf, _image_xobject(pdf, img, codec), img.shape[1], img.shape[0], dpi)


def _place(pdf: pikepdf.Pdf, xobj: pikepdf.Object, width: int, height: int, dpi: float) -> None:
    w_pt, h_pt = width / dpi * 72, height / dpi * 72
    page = pdf.add_blank_page(page_size=(w_pt, h_pt))
    page.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=xobj))
    page.Contents = pdf.make_stream(f"q {w_pt:.4f} 0 0 {h_pt:.4f} 0 0 cm /Im0 Do Q".encode())


def _image_xobject(pdf: pikepdf.Pdf, img: np.ndarray, codec: str) -> pikepdf.Object:
    height, width = img.shape
    common = {
        "Type": pikepdf.Name.XObject,
        "Subtype": pikepdf.Name.Image,
        "Width": width,
        "Height": height,
    }
    if codec == "jpeg":
        return pdf.make_stream(
            jpeg_bytes(img),
            **common,
            ColorSpace=pikepdf.Name.DeviceGray,
            BitsPerComponent=8,
            Filter=pikepdf.Name.DCTDecode,
        )
    if codec == "jpeg-rgb":  # a colour scan: the same page on slightly yellow paper
        rgb = np.dstack([img, img, (img.astype(np.int16) * 0.9).astype(np.uint8)])
        buf = io.BytesIO()
        Image.fromarray(rgb, "RGB").save(buf, format="JPEG", quality=85)
        return pdf.make_stream(
            buf.getvalue(),
            **common,
            ColorSpace=pikepdf.Name.DeviceRGB,
            BitsPerComponent=8,
            Filter=pikepdf.Name.DCTDecode,
        )
    if codec == "jpx":
        buf = io.BytesIO()
        Image.fromarray(img).save(buf, format="JPEG2000", quality_mode="rates", quality_layers=[20])
        return pdf.make_stream(buf.getvalue(), **common, Filter=pikepdf.Name.JPXDecode)
    if codec == "flate":
        stream = pdf.make_stream(
            img.tobytes(), **common, ColorSpace=pikepdf.Name.DeviceGray, BitsPerComponent=8
        )
        return stream
    if codec == "g4":
        data = _g4_strip(img)
        return pdf.make_stream(
            data,
            **common,
            ColorSpace=pikepdf.Name.DeviceGray,
            BitsPerComponent=1,
            Filter=pikepdf.Name.CCITTFaxDecode,
            DecodeParms=pikepdf.Dictionary(K=-1, Columns=width, Rows=height, BlackIs1=True),
        )
    if codec == "broken":  # claims to be JBIG2 but holds garbage: decoding fails, rendering is used
        return pdf.make_stream(
            b"\x00garbage" * 10,
            **common,
            ColorSpace=pikepdf.Name.DeviceGray,
            BitsPerComponent=1,
            Filter=pikepdf.Name.JBIG2Decode,
        )
    raise ValueError(codec)


def _g4_strip(img: np.ndarray) -> bytes:
    """CCITT G4 data of a bilevel image (via a one-strip TIFF written by libtiff)."""
    buf = io.BytesIO()
    bilevel = Image.fromarray(img).point(lambda v: 255 if v >= 128 else 0).convert("1")
    bilevel.save(buf, format="TIFF", compression="group4", tiffinfo={278: img.shape[0]})
    buf.seek(0)
    with Image.open(buf) as tif:
        offsets = tif.tag_v2[273]
        counts = tif.tag_v2[279]
    raw = buf.getvalue()
    assert len(offsets) == 1, "expected one strip"
    return raw[offsets[0] : offsets[0] + counts[0]]


def vector_pdf(path: Path, pages: int = 2) -> Path:
    """A born-digital PDF (text and lines, no images), as a printed form would be."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4)
    for n in range(pages):
        c.setLineWidth(2)
        c.rect(40, 40, A4[0] - 80, A4[1] - 80)
        c.setFont("Helvetica", 24)
        c.drawString(100, 700, f"Sivu {n + 1}")
        c.showPage()
    c.save()
    return path


def tiff(
    path: Path, images: list[np.ndarray], dpi: int, compression: str = "tiff_lzw", mode: str = "L"
) -> Path:
    pil = []
    for img in images:
        im = Image.fromarray(img)
        if mode == "1":
            im = im.point(lambda v: 255 if v >= 128 else 0).convert("1")
        elif mode == "RGB":
            im = im.convert("RGB")
        pil.append(im)
    pil[0].save(path, save_all=True, append_images=pil[1:], compression=compression, dpi=(dpi, dpi))
    return path


def still(path: Path, img: np.ndarray, dpi: int | None, fmt: str) -> Path:
    im = Image.fromarray(img)
    kwargs = {"dpi": (dpi, dpi)} if dpi else {}
    im.save(path, format=fmt, **kwargs)
    return path
