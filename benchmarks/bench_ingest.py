"""Ingest speed and memory: pages per second of ``scanner.ingest.iter_pages`` alone.

* a 200 dpi greyscale JPEG PDF (one embedded JPEG per page, as office scanners write them);
* a 300 dpi bilevel CCITT G4 PDF;
* peak resident memory while streaming a 1,000-page PDF, measured in a fresh process and sampled
  after 10, 100 and 1,000 pages: streaming keeps it flat.

Run: ``.venv/bin/python benchmarks/bench_ingest.py`` (about a minute).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scanner.ingest import iter_pages  # noqa: E402


def build_pdf(path: Path, pages: int, dpi: int, codec: str, variants: int = 8) -> Path:
    """``pages`` pages, each its own image stream (cycling through a few different images)."""
    import pikepdf

    from tests import scanfiles as sf

    images = [sf.page_image(dpi, str(n), seed=n) for n in range(variants)]
    encoded = []
    for img in images:
        if codec == "jpeg":
            encoded.append(sf.jpeg_bytes(img, quality=80))
        else:
            encoded.append(sf._g4_strip(img))
    pdf = pikepdf.new()
    height, width = images[0].shape
    for n in range(pages):
        data = encoded[n % variants]
        common = {
            "Type": pikepdf.Name.XObject,
            "Subtype": pikepdf.Name.Image,
            "Width": width,
            "Height": height,
            "ColorSpace": pikepdf.Name.DeviceGray,
        }
        if codec == "jpeg":
            xobj = pdf.make_stream(
                data, **common, BitsPerComponent=8, Filter=pikepdf.Name.DCTDecode
            )
        else:
            xobj = pdf.make_stream(
                data,
                **common,
                BitsPerComponent=1,
                Filter=pikepdf.Name.CCITTFaxDecode,
                DecodeParms=pikepdf.Dictionary(K=-1, Columns=width, Rows=height, BlackIs1=True),
            )
        sf._place(pdf, xobj, width, height, dpi)
    pdf.save(path)
    return path


def maxrss_mb() -> float:
    """Peak resident memory of this process (VmHWM: unlike ru_maxrss, not inherited over exec)."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def speed(path: Path) -> tuple[int, float, str]:
    start = time.perf_counter()
    count, method = 0, ""
    for page in iter_pages(path):
        assert page.ok, page.error
        count += 1
        method = page.method
    return count, count / (time.perf_counter() - start), method


def child_rss(path: Path) -> None:
    """Runs in a fresh process: stream every page, report peak RSS at a few points."""
    marks = {}
    before = maxrss_mb()
    for page in iter_pages(path):
        n = page.index + 1
        if n in (10, 100, 1000) or n % 1000 == 0:
            marks[n] = round(maxrss_mb(), 1)
    print(json.dumps({"start_mb": round(before, 1), "peak_mb_after_pages": marks}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=100, help="pages per speed test")
    parser.add_argument("--rss-pages", type=int, default=1000)
    parser.add_argument("--child-rss", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_rss:
        child_rss(args.child_rss)
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        jpeg = build_pdf(folder / "jpeg200.pdf", args.pages, 200, "jpeg")
        g4 = build_pdf(folder / "g4300.pdf", args.pages, 300, "g4")
        for label, path in (("200 dpi JPEG PDF", jpeg), ("300 dpi G4 PDF", g4)):
            count, rate, method = speed(path)
            size = path.stat().st_size / count / 1024
            print(f"{label}: {count} pages, {rate:.1f} pages/s ({method}, {size:.0f} KiB/page)")
        big = build_pdf(folder / "big.pdf", args.rss_pages, 200, "jpeg")
        out = subprocess.run(
            [sys.executable, __file__, "--child-rss", str(big)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        result = json.loads(out)
        print(
            f"{args.rss_pages}-page 200 dpi JPEG PDF ({big.stat().st_size / 2**20:.0f} MiB): "
            f"peak RSS {result['start_mb']} MiB at start, after pages "
            + ", ".join(f"{n}: {mb} MiB" for n, mb in result["peak_mb_after_pages"].items())
        )


if __name__ == "__main__":
    main()
