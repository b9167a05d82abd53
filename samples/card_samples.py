"""Filled feedback cards (palautekortit) with ground truth: cut apart and scanned one by one, or
scanned as whole printed sheets.

A cards PDF holds one A4 sheet per printed copy, six cards on a sheet, each card a template page
of its own (numbered ``100 × sheet + slot``) with its own marks and QR code.  Each card is either
written on in a generated hand (a comment fitting its sentence starter) or left blank.  In
``cards`` mode every card is cut out along its cut marks and laid on the scanner glass alone,
somewhere, slightly turned; in ``sheets`` mode the whole sheet is scanned uncut.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pypdfium2 as pdfium
from PIL import Image

from forms.template import Page, Template, card_area
from samples.handwriting import Hand, write
from samples.source import load_template
from samples.strokes import PENS, InkLayer
from samples.texts import comment_for

DPI = 200
WRITTEN_SHARE = 0.7
GLASS = 246  # the scanner lid's grey around a card
TRUTH_FILE = "truth.json"
MODES = ("cards", "sheets")


@dataclass(frozen=True)
class CardTruth:
    file: str
    page: int  # the card's template page number
    serial: int | None
    field_id: str
    written: bool
    text: str


@dataclass
class CardBatch:
    form: str
    version: str
    cards: list[CardTruth] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "form": self.form,
            "version": self.version,
            "cards": [asdict(c) for c in self.cards],
        }

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_dict(), ensure_ascii=False, indent=1) + "\n", "utf-8")


def _sheets(pdf: Path, dpi: int) -> list[np.ndarray]:
    doc = pdfium.PdfDocument(str(pdf))
    try:
        return [
            np.asarray(doc[i].render(scale=dpi / 72).to_pil().convert("RGB")).copy()
            for i in range(len(doc))
        ]
    finally:
        doc.close()


def _serials(pdf: Path, count: int) -> list[int | None]:
    """Each printed sheet's copy serial, read from its first card's QR (None on a master)."""
    from pyzbar import pyzbar

    from forms.pageid import PageId, PageIdError

    out: list[int | None] = []
    for sheet in _sheets(pdf, 150)[:count]:
        serial = None
        for code in pyzbar.decode(cv2.cvtColor(sheet, cv2.COLOR_RGB2GRAY)):
            try:
                serial = PageId.decode(code.data).serial
                break
            except PageIdError:
                continue
        out.append(serial)
    return out


def fill_sheet(
    sheet: np.ndarray, template: Template, rng: np.random.Generator, dpi: int
) -> list[tuple[Page, bool, str]]:
    """Write on some of the sheet's cards (in place); returns (card, written, text) per card."""
    pen = PENS[str(rng.choice(["ballpoint-black", "ballpoint-blue", "felt-black", "gel-blue"]))]
    layer = InkLayer(pen, sheet.shape[:2], dpi)
    out = []
    for page in template.pages:
        (f,) = [f for f in page.fields if f.kind == "text"]
        written = bool(rng.random() < WRITTEN_SHARE)
        text = ""
        if written:
            hand = Hand.random(rng)
            wanted = comment_for(f.label, rng, one_line=False, language=template.language)
            text = write(layer, rng, wanted, f.box, 4, hand)
        out.append((page, written, text))
    layer.apply(sheet)
    return out


def _on_glass(card: np.ndarray, rng: np.random.Generator, dpi: int) -> np.ndarray:
    """A cut card lying on an A4 scanner glass, somewhere, slightly turned."""
    h, w = round(297 / 25.4 * dpi), round(210 / 25.4 * dpi)
    glass = np.full((h, w), GLASS, np.uint8)
    angle = float(rng.uniform(-2.0, 2.0))
    ch, cw = card.shape
    matrix = cv2.getRotationMatrix2D((cw / 2, ch / 2), angle, 1.0)
    pad = 30
    matrix[:, 2] += pad
    turned = cv2.warpAffine(
        card, matrix, (cw + 2 * pad, ch + 2 * pad), borderMode=cv2.BORDER_CONSTANT, borderValue=0
    )
    inside = cv2.warpAffine(
        np.full_like(card, 255), matrix, (cw + 2 * pad, ch + 2 * pad), borderValue=0
    )
    y = int(rng.integers(20, h - turned.shape[0] - 20))
    x = int(rng.integers(20, w - turned.shape[1] - 20))
    region = glass[y : y + turned.shape[0], x : x + turned.shape[1]]
    region[inside > 127] = turned[inside > 127]
    return glass


def _noisy(grey: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    noise = np.empty(grey.shape, np.float32)
    cv2.setRNGSeed(int(rng.integers(1 << 30)))
    cv2.randn(noise, np.zeros(1), np.full(1, 2.5))
    return np.clip(grey.astype(np.float32) + noise, 0, 255).astype(np.uint8)


def write_cards(
    pdf: Path, out_dir: Path, seed: int = 1, mode: str = "cards", dpi: int = DPI
) -> CardBatch:
    """Every card of every sheet of the printed ``pdf``, filled and scanned (JPEG files in
    ``out_dir`` with ``truth.json``); returns the truth."""
    if mode not in MODES:
        raise ValueError(mode)
    template = load_template(pdf)
    out_dir.mkdir(parents=True, exist_ok=True)
    batch = CardBatch(template.form_id, template.version)
    sheets = _sheets(pdf, dpi)
    serials = _serials(pdf, len(sheets))
    s = dpi / 25.4
    for number, (sheet, serial) in enumerate(zip(sheets, serials, strict=True), start=1):
        rng = np.random.default_rng([seed, number])
        filled = fill_sheet(sheet, template, rng, dpi)
        grey = cv2.cvtColor(sheet, cv2.COLOR_RGB2GRAY)
        if mode == "sheets":
            name = f"sheet-{number:03d}.jpg"
            _save(_noisy(grey, rng), out_dir / name, dpi)
        for page, written, text in filled:
            if mode == "cards":
                x, y, w, h = (round(v * s) for v in card_area(page))
                name = f"card-{number:03d}-{page.number}.jpg"
                _save(
                    _noisy(_on_glass(grey[y : y + h, x : x + w], rng, dpi), rng),
                    out_dir / name,
                    dpi,
                )
            field_id = next(f.id for f in page.fields if f.kind == "text")
            batch.cards.append(CardTruth(name, page.number, serial, field_id, written, text))
    batch.save(out_dir / TRUTH_FILE)
    return batch


def _save(grey: np.ndarray, path: Path, dpi: int) -> None:
    Image.fromarray(grey).save(path, dpi=(dpi, dpi), quality=90)
