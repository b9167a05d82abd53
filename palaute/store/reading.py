"""How the scans of a registered form are read, for the message shown when it is added.

Most forms are read page by page by ``palaute scan``.  Two kinds are not quite like that:

- **feedback cards** (``cards``): several cards share a printed sheet.  Each card has its own
  marks and QR code, and its template page keeps the sheet's coordinates, so the store keeps one
  blank per card (its sheet with the other cards clipped away); cards are cut apart, filled in
  and scanned one by one, and each is read as a free-text answer.
- **posters** with sticker or tally ``zone`` fields: their results come from photos counted by
  ``palaute stickers``; ``palaute scan`` has nothing to read on them.
"""

from __future__ import annotations

from forms.template import Template

CARDS_KIND = "cards"
# Kinds whose pages each stand alone (a card, a poster page): a respondent is never missing pages.
SINGLE_PAGE_KINDS = frozenset({CARDS_KIND, "traffic_light", "plus_minus"})
READ_BY_SCAN = ""  # the usual case: nothing to add
READ_CARDS = "store.forms.read_cards"
READ_STICKERS = "store.forms.read_stickers"


def how_read(template: Template) -> str:
    """A catalogue key (palaute/locale/*/store.json, parameter ``pdf``) saying how this form's
    answers are read, or ``READ_BY_SCAN`` ("") for a form ``palaute scan`` reads as it is."""
    if template.kind == CARDS_KIND:
        return READ_CARDS
    if any(f.kind == "zone" for f in template.fields()):
        return READ_STICKERS
    return READ_BY_SCAN
