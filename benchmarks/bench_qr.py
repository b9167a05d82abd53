"""Reading the QR page ID on damaged sheets: zbar, zxing-cpp, and zbar with zxing-cpp behind it.

Filled pages of the seed questionnaire (printed with serials, filled by the sample generator,
rasterised with pypdfium2 at 300 dpi, no scanner effects) are damaged the way real sheets are,
each kind at graded strengths: pen strokes and scribbles across the code, a fold crease, a coffee
ring, a staple, a punch hole, toner streaks, heavy JPEG, blur, a 150 dpi black-and-white scan
thresholded too light or too dark, dithered black-and-white, the code cut off at the paper's
edge, faded toner, skew and quarter turns.  Each page then goes through the reader's own
identification: corner marks, the QR where the template puts it (``identify.qr_at``), else the
whole scan (``identify.qr_anywhere``), once per decoder line-up:

* zbar:         pyzbar alone, with its blurred and thresholded variants (the reader before)
* zxing:        zxing-cpp alone
* zbar+zxing:   pyzbar first, zxing-cpp only where pyzbar finds nothing

A read is correct only when the decoded page ID is the page's own (form version, page, serial);
any other decoded ID counts as wrong.  Time is the decoding alone (marks are found once per page
and shared), in ms per page on one core.  Pages no line-up could read then go through
``read_page``: identified by layout (flagged), left for the clerk, or wrongly identified.

Run: .venv/bin/python benchmarks/bench_qr.py [--respondents 6] [--seed 3] [--only KIND ...]
"""

from __future__ import annotations

import argparse
import io
import math
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from forms.api import print_form
from forms.pageid import PageId
from forms.template import Box
from samples.generate import iter_pages
from scanner.config import DEFAULT
from scanner.identify import ZBAR, ZXING, QrDecoder, qr_anywhere, qr_at
from scanner.ink import remove_feed_streaks
from scanner.read_page import read_page
from scanner.register import MM_PER_INCH, find_markers, fit
from scanner.templates import TemplateSet

ROOT = Path(__file__).resolve().parent.parent
SEED_FORM = ROOT / "layouts" / "asiakaspalautekysely.yaml"
SOURCE_DPI = 300  # pages are drawn and damaged at this resolution, then "scanned"
SCAN_DPI = 200  # the usual office scan; the black-and-white kinds say their own

LINEUPS: dict[str, tuple[QrDecoder, ...]] = {
    "zbar": (ZBAR,),
    "zxing": (ZXING,),
    "zbar+zxing": (ZBAR, ZXING),
}

Damage = Callable[[np.ndarray, Box, float, np.random.Generator], tuple[np.ndarray, int]]


# -- finishing: how an office scanner delivers the damaged sheet --------------------------------
def scan(img: np.ndarray, dpi: int = SCAN_DPI, quality: int = 85, noise: float = 2.0) -> np.ndarray:
    """The 300 dpi sheet as a greyscale JPEG scan at ``dpi``."""
    out = resample(img, dpi)
    rng = np.random.default_rng(int(out[::97, ::89].sum()))
    noisy = out.astype(np.float32) + rng.normal(0, noise, out.shape).astype(np.float32)
    return jpeg(np.clip(noisy, 0, 255).astype(np.uint8), quality)


def resample(img: np.ndarray, dpi: int) -> np.ndarray:
    f = dpi / SOURCE_DPI
    return cv2.resize(img, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)


def jpeg(img: np.ndarray, quality: int) -> np.ndarray:
    _ok, data = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, quality])
    return cv2.imdecode(data, cv2.IMREAD_GRAYSCALE)


def px(mm: float) -> int:
    return round(mm * SOURCE_DPI / MM_PER_INCH)


def qr_point(box: Box, rng: np.random.Generator, inset: float = 0.15) -> tuple[int, int]:
    x, y, w, h = box
    u, v = rng.uniform(inset, 1 - inset, 2)
    return px(x + u * w), px(y + v * h)


# -- damage over the code -----------------------------------------------------------------------
def pen(img: np.ndarray, box: Box, strokes: float, rng: np.random.Generator) -> tuple:
    """Ballpoint strokes across the code (someone crossing it out, or writing over it)."""
    out = img.copy()
    width = max(1, px(0.5))
    for _ in range(int(strokes)):
        a, b = qr_point(box, rng, -0.1), qr_point(box, rng, -0.1)
        mid = ((a[0] + b[0]) // 2 + int(rng.integers(-20, 21)), (a[1] + b[1]) // 2)
        pts = np.array([a, mid, b], np.int32).reshape(-1, 1, 2)
        cv2.polylines(out, [pts], False, int(rng.integers(30, 70)), width, cv2.LINE_AA)
    return scan(out), SCAN_DPI


def scribble(img: np.ndarray, box: Box, share: float, rng: np.random.Generator) -> tuple:
    """A dense zigzag scribble (about a stroke a millimetre) over ``share`` of the code's width."""
    out = img.copy()
    x, y, w, h = box
    x0 = x + rng.uniform(0, 1 - share) * w
    pts = [
        (px(x0 + share * w * (k % 2) + rng.uniform(-0.5, 0.5)), px(y + k + rng.uniform(-0.3, 0.3)))
        for k in range(round(h) + 1)
    ]
    cv2.polylines(out, [np.array(pts, np.int32).reshape(-1, 1, 2)], False, 45, px(0.5), cv2.LINE_AA)
    return scan(out), SCAN_DPI


def fold(img: np.ndarray, box: Box, strength: float, rng: np.random.Generator) -> tuple:
    """A crease through the code: a shadow band, a bright edge and the two halves shifted a
    little against each other."""
    _x, y, _w, h = box
    out = img.astype(np.float32)
    cy = px(y + rng.uniform(0.3, 0.7) * h)
    rows = np.arange(out.shape[0], dtype=np.float32)
    s = SOURCE_DPI / MM_PER_INCH
    shade = strength * np.exp(-(((rows - cy) / (0.8 * s)) ** 2))
    light = 0.4 * strength * np.exp(-(((rows - cy - 1.2 * s) / (0.5 * s)) ** 2))
    out *= np.clip(1.0 - shade + light, 0, 1.05)[:, None]
    shift = round(strength * 0.4 * s)  # the paper does not lie flat across the crease
    out[cy:] = np.roll(out[cy:], shift, axis=0)
    out[cy : cy + shift] = out[cy - 1]
    return scan(np.clip(out, 0, 255).astype(np.uint8)), SCAN_DPI


def coffee(img: np.ndarray, box: Box, darkness: float, rng: np.random.Generator) -> tuple:
    """A coffee ring over the code: a faint disc with a darker rim."""
    cx, cy = qr_point(box, rng, 0.2)
    r = px(rng.uniform(9, 14))
    out = img.astype(np.float32)
    y0, x0 = max(0, cy - 2 * r), max(0, cx - 2 * r)
    window = out[y0 : cy + 2 * r, x0 : cx + 2 * r]
    yy, xx = np.ogrid[: window.shape[0], : window.shape[1]]
    d = np.sqrt((xx + x0 - cx) ** 2 + (yy + y0 - cy) ** 2) / r
    disc = np.where(d < 1, darkness * 0.5, 0.0)
    rim = darkness * np.exp(-(((d - 1) / 0.04) ** 2))
    window *= 1 - np.clip(disc + rim, 0, 0.9)
    return scan(np.clip(out, 0, 255).astype(np.uint8)), SCAN_DPI


def staple(img: np.ndarray, box: Box, count: float, rng: np.random.Generator) -> tuple:
    """Staples (or their marks) across the code, with a light shadow beside."""
    out = img.copy()
    for _ in range(int(count)):
        a = qr_point(box, rng, 0.0)
        angle = rng.uniform(0, math.pi)
        half = px(6)
        b = (round(a[0] + 2 * half * math.cos(angle)), round(a[1] + 2 * half * math.sin(angle)))
        cv2.line(out, (a[0] + 4, a[1] + 5), (b[0] + 4, b[1] + 5), 170, px(1.2), cv2.LINE_AA)
        cv2.line(out, a, b, 60, px(0.7), cv2.LINE_AA)
    return scan(out), SCAN_DPI


def punch(img: np.ndarray, box: Box, diameter: float, rng: np.random.Generator) -> tuple:
    """A punched hole in the code, dark where the scanner's lid shows through."""
    out = img.copy()
    cv2.circle(out, qr_point(box, rng, 0.1), px(diameter / 2), 35, -1, cv2.LINE_AA)
    return scan(out), SCAN_DPI


def streak_dark(img: np.ndarray, box: Box, width: float, rng: np.random.Generator) -> tuple:
    """A dark toner streak down the page through the code."""
    out = img.copy()
    x0 = qr_point(box, rng, 0.1)[0]
    out[:, x0 : x0 + max(1, px(width))] = np.minimum(out[:, x0 : x0 + max(1, px(width))], 90)
    return scan(out), SCAN_DPI


def streak_light(img: np.ndarray, box: Box, width: float, rng: np.random.Generator) -> tuple:
    """A band without toner (an empty drum stripe) through the code."""
    out = img.copy()
    x0 = qr_point(box, rng, 0.1)[0]
    band = out[:, x0 : x0 + max(1, px(width))].astype(np.float32)
    out[:, x0 : x0 + max(1, px(width))] = (255 - (255 - band) * 0.25).astype(np.uint8)
    return scan(out), SCAN_DPI


def cut(img: np.ndarray, box: Box, share: float, rng: np.random.Generator) -> tuple:
    """The sheet fed askew into the scanner: the scan ends ``share`` of the way into the code
    (from its right-hand side: the code sits at the top right corner)."""
    x, _y, w, _h = box
    right = px(x + (1 - share) * w)
    return scan(img[:, :right]), SCAN_DPI


# -- damage over the whole page (the scanner's or the printer's) -------------------------------
def heavy_jpeg(img: np.ndarray, box: Box, quality: float, rng: np.random.Generator) -> tuple:
    return scan(img, quality=int(quality)), SCAN_DPI


def blur(img: np.ndarray, box: Box, sigma_mm: float, rng: np.random.Generator) -> tuple:
    s = sigma_mm * SOURCE_DPI / MM_PER_INCH
    return scan(cv2.GaussianBlur(img, (0, 0), s)), SCAN_DPI


def threshold(img: np.ndarray, box: Box, level: float, rng: np.random.Generator) -> tuple:
    """A 150 dpi black-and-white scan thresholded at ``level`` (low: too light, high: too dark)
    of toner black at 40 on paper at 235, through the scanner's optics."""
    printed = 235.0 - (255.0 - img.astype(np.float32)) * (195.0 / 255.0)
    grey = resample(cv2.GaussianBlur(printed, (0, 0), 0.12 * SOURCE_DPI / MM_PER_INCH), 150)
    return np.where(grey < level, 0, 255).astype(np.uint8), 150


def dither(img: np.ndarray, box: Box, dpi: float, rng: np.random.Generator) -> tuple:
    """A black-and-white scan in "photo" mode: Floyd-Steinberg error diffusion."""
    grey = Image.fromarray(resample(img, int(dpi)))
    buf = io.BytesIO()
    grey.convert("1").save(buf, "PNG")
    return np.asarray(Image.open(buf).convert("L")), int(dpi)


def faded(img: np.ndarray, box: Box, black: float, rng: np.random.Generator) -> tuple:
    """Faded toner on greyish paper: black prints at ``black``, paper at 230."""
    out = 230.0 - (255.0 - img.astype(np.float32)) * (230.0 - black) / 255.0
    return scan(np.clip(out, 0, 255).astype(np.uint8)), SCAN_DPI


def skew(img: np.ndarray, box: Box, degrees: float, rng: np.random.Generator) -> tuple:
    h, w = img.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), degrees * rng.choice((-1, 1)), 1.0)
    return scan(cv2.warpAffine(img, m, (w, h), borderValue=255)), SCAN_DPI


def turned(img: np.ndarray, box: Box, degrees: float, rng: np.random.Generator) -> tuple:
    """A quarter turn, with a pen stroke across the code (a clean code is read at any angle)."""
    marked, dpi = pen(img, box, 1, rng)
    return np.ascontiguousarray(np.rot90(marked, int(degrees) // 90)), dpi


DAMAGES: dict[str, tuple[Damage, tuple[float, ...], str]] = {
    "none": (lambda img, box, s, rng: (scan(img), SCAN_DPI), (0,), "-"),
    "pen": (pen, (2, 4, 6, 8), "strokes"),
    "scribble": (scribble, (0.15, 0.25, 0.35), "of width"),
    "fold": (fold, (0.5, 0.7, 0.9), "shade"),
    "coffee": (coffee, (0.35, 0.5, 0.65), "rim darkness"),
    "staple": (staple, (1, 2, 3), "staples"),
    "punch": (punch, (4.0, 5.5, 7.0), "mm hole"),
    "streak-dark": (streak_dark, (0.5, 1.0, 2.0), "mm"),
    "streak-light": (streak_light, (0.5, 1.0, 2.0), "mm"),
    "jpeg": (heavy_jpeg, (40, 30, 20), "quality"),
    "blur": (blur, (0.2, 0.25, 0.3, 0.35), "mm sigma"),
    "bilevel-light": (threshold, (65, 58, 52), "threshold"),
    "bilevel-dark": (threshold, (210, 218, 224), "threshold"),
    "dither": (dither, (200, 150), "dpi"),
    "cut": (cut, (0.0, 0.05, 0.1), "of code cut"),
    "faded": (faded, (165, 195, 215), "black level"),
    "skew": (skew, (3, 4, 5), "degrees"),
    "turned": (turned, (90, 180, 270), "degrees"),
}


@dataclass
class Cell:
    pages: int = 0
    right: dict[str, int] = field(default_factory=dict)
    wrong: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    unread: list[tuple[np.ndarray, int, PageId]] = field(default_factory=list)


def identify(
    grey: np.ndarray, dpi: float, templates: TemplateSet, decoders: tuple[QrDecoder, ...]
) -> tuple[PageId | None, float]:
    """The reader's identification (as in ``read_page``) with ``decoders``; the decoding time."""
    config = DEFAULT
    grey = remove_feed_streaks(grey, config)
    found = find_markers(grey, dpi, config)
    page = next(iter(templates.values())).pages[0]
    registration = fit(found, page.marks, dpi, config) if len(found) >= 2 else None
    start = time.process_time()
    page_id = None
    if registration is not None and registration.error_mm <= config.reject_registration_error_mm:
        page_id = qr_at(grey, registration, page.qr, config, decoders)
    if page_id is None:
        page_id = qr_anywhere(grey, dpi, config, decoders)
    return page_id, time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=6)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--only", nargs="*", choices=list(DAMAGES), default=None)
    args = parser.parse_args()
    cv2.setNumThreads(1)
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "form.pdf"
        print_form(SEED_FORM, pdf, copies=args.respondents, serials=True)
        templates = TemplateSet.from_pdf(pdf)
        template = next(iter(templates.values()))
        pages = []
        for sample in iter_pages(pdf, args.respondents, args.seed, "images", "none", SOURCE_DPI):
            t = sample.truth
            assert t.version is not None and t.form_page is not None
            grey = cv2.cvtColor(sample.image, cv2.COLOR_RGB2GRAY)
            pages.append((grey, PageId(t.version, t.form_page, t.serial)))
    kinds = args.only or list(DAMAGES)
    print(f"{len(pages)} pages per row; read rate (wrong IDs) and decoding ms/page, one core\n")
    print(
        f"| damage | strength | {' | '.join(LINEUPS)} | "
        + " | ".join(f"ms {n}" for n in LINEUPS)
        + " |"
    )
    print("|---|---|" + "---|" * (2 * len(LINEUPS)))
    totals = {name: [0, 0] for name in LINEUPS}
    unread_all: list[tuple[str, np.ndarray, int, PageId]] = []
    for kind in kinds:
        damage, strengths, unit = DAMAGES[kind]
        for strength in strengths:
            cell = Cell()
            for i, (grey, truth) in enumerate(pages):
                rng = np.random.default_rng([args.seed, i, kinds.index(kind), int(strength * 100)])
                qr = template.page(truth.page).qr
                image, dpi = damage(grey, qr, strength, rng)
                cell.pages += 1
                read_any = False
                for name, decoders in LINEUPS.items():
                    got, seconds = identify(image, dpi, templates, decoders)
                    cell.seconds[name] = cell.seconds.get(name, 0.0) + seconds
                    ok = got == truth
                    read_any |= ok
                    cell.right[name] = cell.right.get(name, 0) + ok
                    cell.wrong[name] = cell.wrong.get(name, 0) + (got is not None and not ok)
                if not read_any:
                    unread_all.append((f"{kind} {strength:g}", image, dpi, truth))
            rates = []
            for name in LINEUPS:
                wrong = f" ({cell.wrong[name]} wrong)" if cell.wrong[name] else ""
                rates.append(f"{100 * cell.right[name] / cell.pages:.0f} %{wrong}")
                if kind != "none":
                    totals[name][0] += cell.right[name]
                    totals[name][1] += cell.pages
            times = [f"{1000 * cell.seconds[n] / cell.pages:.1f}" for n in LINEUPS]
            label = f"{strength:g} {unit}" if unit != "-" else "-"
            print(f"| {kind} | {label} | {' | '.join(rates)} | {' | '.join(times)} |", flush=True)
    overall = " | ".join(f"{100 * r / max(n, 1):.1f} %" for r, n in totals.values())
    print(f"| all damaged | | {overall} | | | |")
    fallback(unread_all, templates)


def fallback(unread: list[tuple[str, np.ndarray, int, PageId]], templates: TemplateSet) -> None:
    """Pages whose QR no decoder read, through the whole reader: by layout, clerk, or wrong."""
    outcomes: dict[str, int] = {}
    for label, image, dpi, truth in unread:
        result, _ = read_page(image, dpi, templates)
        ident = result.identity
        if ident is None or ident.version is None:
            outcome = f"left for the clerk ({result.reason}): {label}"
        elif (ident.version, ident.page) != (truth.version, truth.page):
            outcome = f"WRONG page ({label}: {ident.page} for {truth.page})"
        elif ident.serial is not None and ident.serial != truth.serial:
            outcome = f"WRONG serial ({label})"
        else:
            outcome = f"identified by {ident.source}, {result.status} ({result.reason})"
        if ident is not None and ident.source == "qr":  # read by the whole reader after all
            outcome = f"read by read_page ({label})"
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    print(f"\n{len(unread)} pages no decoder read, through read_page:")
    for outcome, count in sorted(outcomes.items()):
        print(f"  {count:4d}  {outcome}")


if __name__ == "__main__":
    main()
