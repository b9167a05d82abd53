"""Ingest: real files of every accepted kind, and every kind of bad file."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pikepdf
import pypdfium2 as pdfium
import pytest
from PIL import Image

from palaute.errors import InputError
from scanner.ingest import decode, estimate_dpi, iter_pages, page_count, scan_files
from tests import scanfiles as sf


def _rendered(pdf: Path, index: int, dpi: float) -> np.ndarray:
    doc = pdfium.PdfDocument(str(pdf))
    try:
        arr = doc[index].render(scale=dpi / 72, grayscale=True).to_numpy()
    finally:
        doc.close()
    return arr[:, :, 0] if arr.ndim == 3 else arr


@pytest.mark.parametrize(
    ("codec", "dpi", "method"),
    [
        ("jpeg", 200, "embedded:jpeg"),
        ("jpeg-rgb", 300, "embedded:jpeg"),
        ("jpx", 150, "embedded:jpx"),
        ("flate", 200, "embedded:flate"),
        ("g4", 300, "embedded:ccitt"),
    ],
)
def test_pdf_embedded_image_is_pulled_out(
    tmp_path: Path, codec: str, dpi: int, method: str
) -> None:
    images = [sf.page_image(dpi, "1"), sf.page_image(dpi, "2", seed=1)]
    pdf = sf.image_pdf(tmp_path / f"{codec}.pdf", images, dpi, codec)
    pages = list(iter_pages(pdf))
    assert [p.index for p in pages] == [0, 1]
    for page in pages:
        assert page.ok and page.method == method
        assert page.dpi == pytest.approx(dpi, abs=0.5)
        assert page.image is not None and page.image.dtype == np.uint8
        assert page.image.shape == images[page.index].shape
        # The same pixels pdfium shows when it renders the page at the image's resolution.
        ref = _rendered(pdf, page.index, dpi)
        h, w = min(ref.shape[0], page.image.shape[0]), min(ref.shape[1], page.image.shape[1])
        assert np.abs(ref[:h, :w].astype(int) - page.image[:h, :w]).mean() < 3


def test_undecodable_embedded_image_falls_back_to_rendering(tmp_path: Path) -> None:
    pdf = sf.image_pdf(tmp_path / "jbig2.pdf", [sf.page_image(200)], 200, "broken")
    (page,) = iter_pages(pdf)
    assert page.ok and page.method == "rendered" and page.dpi == 200


@pytest.mark.parametrize(
    ("codec", "dpi", "deferred"),
    [("jpeg", 200, True), ("jpeg-rgb", 300, True), ("g4", 300, True), ("flate", 200, False)],
)
def test_deferred_pages_decode_to_the_same_image(
    tmp_path: Path, codec: str, dpi: int, deferred: bool
) -> None:
    """The batch sends a JPEG or G4 page to its reader process still compressed; decoded there,
    it is the page ``iter_pages`` gives (other kinds are decoded at once)."""
    images = [sf.page_image(dpi, "1"), sf.page_image(dpi, "2", seed=1)]
    pdf = sf.image_pdf(tmp_path / f"{codec}.pdf", images, dpi, codec)
    with pikepdf.open(pdf, allow_overwriting_input=True) as doc:
        doc.pages[1].obj.Rotate = 270
        doc.save(pdf)
    plain = list(iter_pages(pdf))
    later = list(iter_pages(pdf, defer=True))
    assert [p.index for p in later] == [0, 1]
    for now, page in zip(plain, later, strict=True):
        assert page.ok and (page.image is None) == deferred and (page.encoded is None) != deferred
        assert (
            page.encoded is None
            or len(page.encoded.data) < page.encoded.width * page.encoded.height
        )
        done = decode(page)
        assert done.encoded is None and done.image is not None and now.image is not None
        assert np.array_equal(done.image, now.image)
        assert (done.dpi, done.method) == (now.dpi, now.method)


def test_a_deferred_page_that_cannot_be_decoded_is_rendered(tmp_path: Path) -> None:
    pdf = sf.image_pdf(tmp_path / "j.pdf", [sf.page_image(200)], 200, "jpeg")
    with pikepdf.open(pdf, allow_overwriting_input=True) as doc:
        (name,) = list(doc.pages[0].Resources.XObject.keys())
        doc.pages[0].Resources.XObject[name].write(
            b"\xff\xd8\xff garbage", filter=pikepdf.Name.DCTDecode
        )
        doc.save(pdf)
    (page,) = iter_pages(pdf, defer=True)
    assert page.encoded is not None and page.image is None
    done = decode(page)
    assert done.ok and done.method == "rendered" and done.dpi == 200 and done.image is not None
    assert done.image.shape == pytest.approx((2339, 1654), abs=2)


def test_vector_pdf_is_rendered_at_200_dpi(tmp_path: Path) -> None:
    pdf = sf.vector_pdf(tmp_path / "printed.pdf", pages=2)
    pages = list(iter_pages(pdf))
    assert len(pages) == 2
    for page in pages:
        assert page.ok and page.method == "rendered" and page.dpi == 200
        assert page.image is not None
        assert page.image.shape == pytest.approx((2339, 1654), abs=2)
        assert int(page.image.min()) < 50 and int(page.image.max()) > 250


def test_rotated_pdf_page_is_turned_like_a_viewer_shows_it(tmp_path: Path) -> None:
    pdf = sf.image_pdf(tmp_path / "r.pdf", [sf.page_image(200)], 200, "jpeg")
    with pikepdf.open(pdf, allow_overwriting_input=True) as doc:
        doc.pages[0].obj.Rotate = 90
        doc.save(pdf)
    (page,) = iter_pages(pdf)
    assert page.image is not None and page.image.shape == (1654, 2339)


@pytest.mark.parametrize(
    ("compression", "mode", "dpi"),
    [("group4", "1", 300), ("tiff_lzw", "L", 200), ("tiff_lzw", "RGB", 150), ("group4", "1", 600)],
)
def test_multipage_tiff(tmp_path: Path, compression: str, mode: str, dpi: int) -> None:
    count = 3 if dpi < 600 else 2
    images = [sf.page_image(dpi, str(n), seed=n) for n in range(count)]
    path = sf.tiff(tmp_path / "scan.tif", images, dpi, compression, mode)
    assert page_count(path) == count
    pages = list(iter_pages(path))
    assert [p.index for p in pages] == list(range(count))
    for page in pages:
        assert page.ok and page.method == "image" and page.dpi == dpi and not page.dpi_estimated
        assert page.image is not None and page.image.ndim == 2
        assert np.abs(page.image.astype(int) - images[page.index]).mean() < 8


@pytest.mark.parametrize(("fmt", "suffix"), [("JPEG", ".jpg"), ("PNG", ".png")])
def test_still_images_with_and_without_resolution(tmp_path: Path, fmt: str, suffix: str) -> None:
    img = sf.page_image(300)
    with_dpi = sf.still(tmp_path / f"a{suffix}", img, 300, fmt)
    without = sf.still(tmp_path / f"b{suffix}", img, None, fmt)
    (a,) = iter_pages(with_dpi)
    (b,) = iter_pages(without)
    assert a.dpi == 300 and not a.dpi_estimated
    assert b.dpi == pytest.approx(300, abs=1) and b.dpi_estimated


def test_resume_skips_pages_without_decoding(tmp_path: Path) -> None:
    pdf = sf.image_pdf(tmp_path / "a.pdf", [sf.page_image(150, str(n)) for n in range(4)], 150)
    assert [p.index for p in iter_pages(pdf, skip=frozenset({0, 2}))] == [1, 3]


def test_estimate_dpi_from_a4_size() -> None:
    assert estimate_dpi(2480, 3508) == pytest.approx(300, abs=0.5)
    assert estimate_dpi(3508, 2480) == pytest.approx(300, abs=0.5)
    assert estimate_dpi(1240, 1754) == pytest.approx(150, abs=0.5)


def test_folders_are_walked_in_sorted_order(tmp_path: Path) -> None:
    img = sf.page_image(150)
    (tmp_path / "b").mkdir()
    (tmp_path / ".hidden").mkdir()
    for name in ("b/2.png", "b/10.png", "a.jpg", ".hidden/x.png", "notes.txt"):
        path = tmp_path / name
        if path.suffix == ".txt":
            path.write_text("x")
        else:
            sf.still(path, img, 150, "PNG" if path.suffix == ".png" else "JPEG")
    found = [p.relative_to(tmp_path).as_posix() for p in scan_files([tmp_path])]
    assert found == ["a.jpg", "b/10.png", "b/2.png"]
    with pytest.raises(InputError) as err:
        scan_files([tmp_path / "nothing-here"])
    assert err.value.key == "scanner.input.not_found"


# -- bad input ----------------------------------------------------------------------------------


def _file_error(path: Path) -> InputError:
    with pytest.raises(InputError) as err:
        list(iter_pages(path))
    assert err.value.params["file"] == str(path)
    assert str(path) in err.value.message("en")
    return err.value


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")
    assert _file_error(path).key == "scanner.input.empty"


def test_unknown_file_type(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    path.write_text("this is not a scan")
    assert _file_error(path).key == "scanner.input.unknown_type"


def test_encrypted_pdf(tmp_path: Path) -> None:
    plain = sf.image_pdf(tmp_path / "plain.pdf", [sf.page_image(150)], 150)
    path = tmp_path / "locked.pdf"
    with pikepdf.open(plain) as pdf:
        pdf.save(path, encryption=pikepdf.Encryption(user="salainen", owner="omistaja"))
    assert _file_error(path).key == "scanner.input.encrypted"


def test_pdf_without_pages(tmp_path: Path) -> None:
    path = tmp_path / "nopages.pdf"
    pikepdf.new().save(path)
    assert _file_error(path).key == "scanner.input.no_pages"


def test_corrupt_pdf(tmp_path: Path) -> None:
    path = tmp_path / "corrupt.pdf"
    path.write_bytes(b"%PDF-1.7\n" + b"\x00\xff garbage " * 50)
    assert _file_error(path).key == "scanner.input.corrupt"


def test_truncated_pdf_refuses_the_lost_pages_and_keeps_the_rest(tmp_path: Path) -> None:
    images = [sf.page_image(200, str(n), seed=n) for n in range(3)]
    whole = sf.image_pdf(tmp_path / "whole.pdf", images, 200)
    data = whole.read_bytes()
    path = tmp_path / "truncated.pdf"
    path.write_bytes(data[: int(len(data) * 0.6)])
    pages = list(iter_pages(path))
    good = [p for p in pages if p.ok]
    bad = [p for p in pages if not p.ok]
    assert good and bad
    assert good[0].index == 0
    for page in bad:
        assert page.error == "scanner.input.page_unreadable"
        assert (
            page.error_params["file"] == str(path) and page.error_params["page"] == page.index + 1
        )


def test_truncated_tiff_and_jpeg(tmp_path: Path) -> None:
    images = [sf.page_image(300, str(n), seed=n) for n in range(2)]
    tif = sf.tiff(tmp_path / "whole.tif", images, 300, "group4", "1")
    cut = tmp_path / "cut.tif"
    cut.write_bytes(tif.read_bytes()[: tif.stat().st_size // 2])
    pages = list(iter_pages(cut))
    assert pages[0].ok and not pages[-1].ok
    jpg = sf.still(tmp_path / "whole.jpg", images[0], 300, "JPEG")
    cutj = tmp_path / "cut.jpg"
    cutj.write_bytes(jpg.read_bytes()[: jpg.stat().st_size // 2])
    (page,) = iter_pages(cutj)
    assert page.error == "scanner.input.page_unreadable" and page.error_params["page"] == 1


def test_one_pixel_image_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "dot.png"
    Image.new("L", (1, 1), 255).save(path)
    (page,) = iter_pages(path)
    assert not page.ok and page.error == "scanner.input.too_small"


def _png_header_only(path: Path, width: int, height: int) -> Path:
    """A PNG that declares ``width`` × ``height`` (what a decompression bomb does) and no pixels."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    idat = zlib.compress(b"")
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    path.write_bytes(data)
    return path


def test_huge_image_is_refused_before_decoding(tmp_path: Path) -> None:
    png = _png_header_only(tmp_path / "huge.png", 20_000, 20_000)  # 400 Mpx if decoded
    assert _file_error(png).key == "scanner.input.too_large_file"
    below_pillow_limit = _png_header_only(tmp_path / "big.png", 9_000, 9_000)  # 81 Mpx
    (page,) = iter_pages(below_pillow_limit)
    assert page.error == "scanner.input.too_large" and page.error_params["width"] == 9_000
    pdf = sf.image_pdf(tmp_path / "huge.pdf", [np.full((100, 100), 255, np.uint8)], 200, "flate")
    with pikepdf.open(pdf, allow_overwriting_input=True) as doc:
        image = doc.pages[0].Resources.XObject.Im0
        image.Width, image.Height = 20_000, 20_000
        doc.save(pdf)
    (page,) = iter_pages(pdf)
    assert page.error == "scanner.input.too_large" and page.error_params["width"] == 20_000


def test_huge_vector_page_is_refused_before_rendering(tmp_path: Path) -> None:
    pdf = sf.vector_pdf(tmp_path / "poster.pdf", pages=1)
    with pikepdf.open(pdf, allow_overwriting_input=True) as doc:
        doc.pages[0].obj.MediaBox = [0, 0, 14400, 14400]
        doc.save(pdf)
    (page,) = iter_pages(pdf)
    assert page.error == "scanner.input.too_large"
