"""Every output format opens with the right page count; the same seed gives the same bytes."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pikepdf
import pypdfium2 as pdfium
import pytest
from PIL import Image

from palaute.cli import main
from palaute.errors import ExitCode
from samples import generate
from samples.generate import Batch, write_batch
from samples.source import SyntheticFormSource
from samples.synthetic import synthetic_template, write_form_pdf
from samples.truth import GroundTruth


@pytest.fixture(scope="module")
def synthetic_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_form_pdf(tmp_path_factory.mktemp("form") / "synthetic.pdf", synthetic_template())


def digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("fmt", ["pdf-jpeg", "pdf-g4", "tiff-g4", "images"])
def test_each_format_opens_with_the_right_page_count(
    seed_pdf: Path, tmp_path: Path, fmt: str
) -> None:
    truth = generate(seed_pdf, tmp_path, respondents=2, seed=4, fmt=fmt, profile="harsh", dpi=100)
    assert (tmp_path / "truth.json").exists()
    count = len(truth.pages)
    assert count >= 4
    if fmt.startswith("pdf"):
        doc = pdfium.PdfDocument(str(tmp_path / "scan.pdf"))
        assert len(doc) == count
        page = np.asarray(doc[0].render(scale=100 / 72, grayscale=True).to_pil().convert("L"))
        assert page.mean() > 150  # mostly white paper: the image polarity is right
        doc.close()
        with pikepdf.open(tmp_path / "scan.pdf") as pdf:
            image = pdf.pages[0].Resources.XObject.Im0
            want = "/DCTDecode" if fmt == "pdf-jpeg" else "/CCITTFaxDecode"
            assert str(image.Filter) == want
            if fmt == "pdf-jpeg":  # the scanner's JPEG bytes, embedded as they are
                assert image.read_raw_bytes()[:2] == b"\xff\xd8"
    elif fmt == "tiff-g4":
        with Image.open(tmp_path / "scan.tif") as tif:
            assert tif.n_frames == count
            assert tif.info.get("compression") == "group4"
    else:
        files = sorted(p for p in tmp_path.iterdir() if p.suffix in (".jpg", ".png"))
        assert len(files) == count
        assert [p.file for p in truth.pages] == [f.name for f in files]
    assert [p.index for p in truth.pages] == (
        list(range(count)) if fmt != "images" else [0] * count
    )


def test_the_same_seed_gives_byte_identical_files(seed_pdf: Path, tmp_path: Path) -> None:
    for fmt in ("pdf-jpeg", "tiff-g4"):
        a = generate(seed_pdf, tmp_path / f"a-{fmt}", 2, 21, fmt, "default", 100)
        b = generate(seed_pdf, tmp_path / f"b-{fmt}", 2, 21, fmt, "default", 100)
        assert digest(tmp_path / f"a-{fmt}") == digest(tmp_path / f"b-{fmt}")
        assert a.to_dict() == b.to_dict()
    c = generate(seed_pdf, tmp_path / "c", 2, 22, "pdf-jpeg", "default", 100)
    assert digest(tmp_path / "c")["scan.pdf"] != digest(tmp_path / "a-pdf-jpeg")["scan.pdf"]
    assert c.respondents[0].fields != a.respondents[0].fields


def test_streamed_pages_match_the_written_files(tmp_path: Path) -> None:
    batch = Batch(SyntheticFormSource(), 2, 6, "images", "default", 100)
    streamed = list(batch.pages(encode=True))
    truth = write_batch(Batch(SyntheticFormSource(), 2, 6, "images", "default", 100), tmp_path)
    assert [s.truth.to_dict() | {"file": "", "index": 0} for s in streamed] == [
        p.to_dict() | {"file": "", "index": 0} for p in truth.pages
    ]
    for sample, page in zip(streamed, truth.pages, strict=True):
        on_disk = np.asarray(Image.open(tmp_path / page.file))
        if sample.image.dtype == bool:
            on_disk = on_disk.astype(bool)
        assert np.array_equal(on_disk, sample.image)


def test_cli_fill_writes_a_batch(synthetic_pdf: Path, tmp_path: Path) -> None:
    out = tmp_path / "batch"
    code = main(
        [
            "samples",
            "fill",
            str(synthetic_pdf),
            "-n",
            "2",
            "--seed",
            "3",
            "-o",
            str(out),
            "--format",
            "pdf-g4",
            "--dpi",
            "100",
        ]
    )
    assert code == ExitCode.OK
    truth = GroundTruth.load(out / "truth.json")
    assert truth.format == "pdf-g4" and len(truth.respondents) == 2
    assert truth.files == ["scan.pdf"]


def test_cli_fill_reports_a_missing_form(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["samples", "fill", str(tmp_path / "none.pdf"), "-o", str(tmp_path / "out")])
    assert code == ExitCode.BAD_INPUT
    assert "none.pdf" in capsys.readouterr().err


def test_a_new_batch_replaces_an_earlier_one(tmp_path: Path) -> None:
    write_batch(Batch(SyntheticFormSource(), 3, 1, "images", "clean", 100), tmp_path)
    truth = write_batch(Batch(SyntheticFormSource(), 1, 1, "images", "clean", 100), tmp_path)
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == sorted([*truth.files, "truth.json"])


@pytest.mark.parametrize(
    ("fmt", "seed"),
    [("pdf-jpeg", 9), ("pdf-jpeg", 11), ("pdf-g4", 9), ("tiff-g4", 9), ("images", 9)],
)
def test_the_readers_ingest_sees_the_streamed_pixels(tmp_path: Path, fmt: str, seed: int) -> None:
    """What iter_pages streams is what scanner.ingest pulls out of the written files.

    Seed 11 scans in colour: the reader takes grey straight from the JPEG's luma, which differs
    from converting the decoded colour by a few levels at sharp colour edges.
    """
    import cv2

    from scanner.ingest import iter_pages as ingest_pages

    truth = write_batch(Batch(SyntheticFormSource(), 2, seed, fmt, "default", 100), tmp_path)
    streamed = list(Batch(SyntheticFormSource(), 2, seed, fmt, "default", 100).pages(encode=True))
    read = [page for name in truth.files for page in ingest_pages(tmp_path / name)]
    assert len(read) == len(streamed) == len(truth.pages)
    for page, sample in zip(read, streamed, strict=True):
        assert page.ok and round(page.dpi) == 100
        img = sample.image
        if img.dtype == bool:
            img = img.astype(np.uint8) * 255
        if img.ndim == 3:
            img = cv2.cvtColor(img, cv2.COLOR_RGB2GRAY)
        assert page.image is not None and page.image.shape == img.shape
        diff = np.abs(page.image.astype(int) - img.astype(int))
        if sample.image.ndim == 3:
            assert diff.mean() < 0.1 and np.percentile(diff, 99.9) <= 4
        else:
            assert diff.max() == 0


def test_other_kinds_of_form_fill_or_are_refused_clearly(tmp_path: Path) -> None:
    from forms.api import print_form
    from palaute.errors import InputError

    from .conftest import LAYOUTS

    line = tmp_path / "line.pdf"
    print_form(LAYOUTS / "arviointijana.yaml", line, copies=1)
    truth = generate(line, tmp_path / "line", 2, 1, "images", "none", 100)
    lines = [f for r in truth.respondents for f in r.fields if f.kind == "line"]
    assert lines and all(f.value is None or 0 <= f.value <= 100 for f in lines)
    cards = tmp_path / "cards.pdf"
    print_form(LAYOUTS / "palautekortit.yaml", cards, copies=1)
    with pytest.raises(InputError) as err:
        generate(cards, tmp_path / "cards", 2, 1, "images", "none", 100)
    assert err.value.key == "samples.unsupported_kind"
