"""The page ID carried by every printed page's QR code (and as small text beside it).

Format version 1:  ``P1.<VERSION>.<PAGE>[.<SERIAL>]``

* ``P1``       format version; a reader rejects formats it does not know
* VERSION  the form version hash, 8 upper-case hex digits (see Template.content_hash)
* PAGE     page number, 1-based, two or more decimal digits
* SERIAL   optional copy serial, six or more decimal digits; absent on a photocopy master

Feedback cards (forms/kinds/cards.py) are printed several to a sheet and cut apart, and each card
carries its own QR.  Their PAGE is ``100 × sheet + slot`` (slot 1-99, left to right, top to
bottom), e.g. ``P1.1A2B3C4D.103`` is card 3 of sheet 1; the template has one page per card under
that number (``card_page`` / ``card_slot`` convert).  The format itself is unchanged, so readers of
format 1 read card IDs as they are.

Only upper-case letters, digits and dots are used, so the payload fits QR's compact
alphanumeric mode and stays short enough for a small code with high error correction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

FORMAT = "P1"
_PATTERN = re.compile(r"^P1\.([0-9A-F]{8})\.(\d{2,4})(?:\.(\d{6,9}))?$")


class PageIdError(ValueError):
    """A QR payload that is not a palaute page ID (or of a format this version cannot read)."""


CARD_SLOTS = 100  # card page numbers: CARD_SLOTS * sheet + slot


def card_page(sheet: int, slot: int) -> int:
    """The page number carried by card ``slot`` (1-based) of printed sheet ``sheet`` (1-based)."""
    if not 1 <= slot < CARD_SLOTS or not 1 <= sheet <= 99:
        raise PageIdError(f"card slot {slot} of sheet {sheet} is out of range")
    return CARD_SLOTS * sheet + slot


def card_slot(page: int) -> tuple[int, int]:
    """(sheet, slot) of a card page number; PageIdError for a number that is not a card's."""
    sheet, slot = divmod(page, CARD_SLOTS)
    if sheet < 1 or slot < 1:
        raise PageIdError(f"page {page} is not a card page")
    return sheet, slot


@dataclass(frozen=True, order=True)
class PageId:
    version: str
    page: int
    serial: int | None = None

    def encode(self) -> str:
        if not re.fullmatch(r"[0-9A-F]{8}", self.version):
            raise PageIdError(f"form version must be 8 upper-case hex digits, not {self.version!r}")
        if not 1 <= self.page <= 9999:
            raise PageIdError(f"page number out of range: {self.page}")
        text = f"{FORMAT}.{self.version}.{self.page:02d}"
        if self.serial is not None:
            if not 0 <= self.serial <= 999_999_999:
                raise PageIdError(f"serial out of range: {self.serial}")
            text += f".{self.serial:06d}"
        return text

    @classmethod
    def decode(cls, payload: str | bytes) -> PageId:
        if isinstance(payload, bytes):
            payload = payload.decode("ascii", errors="replace")
        text = payload.strip()
        m = _PATTERN.match(text)
        if not m:
            if text.startswith("P") and "." in text and not text.startswith(FORMAT + "."):
                raise PageIdError(f"page ID format {text.split('.')[0]!r} is not supported")
            raise PageIdError(f"not a palaute page ID: {text[:40]!r}")
        serial = int(m.group(3)) if m.group(3) is not None else None
        return cls(version=m.group(1), page=int(m.group(2)), serial=serial)

    def human(self) -> str:
        """The same ID as printed beside the QR, readable to a clerk assigning a page by hand."""
        return self.encode()
