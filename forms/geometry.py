"""Paper geometry and type sizes: every measurement the layout uses, in one place.

Sizes are chosen for real respondents, many of them elderly or poor readers: large type, digits
far apart with room to circle them, big boxes.  Everything printed stays at least 5 mm from the
paper edge, inside what ordinary office printers can print.
"""

from __future__ import annotations

from dataclasses import dataclass

from forms.template import Box

A4 = (210.0, 297.0)
PRINTER_MARGIN = 5.0  # nothing is printed closer to the edge than this


@dataclass(frozen=True)
class Style:
    page_width: float = A4[0]
    page_height: float = A4[1]

    # Registration marks (ArUco) in the four corners, and the QR page ID at the top right.
    mark_size: float = 10.0
    mark_inset: float = 7.0  # from the paper edge to the mark's outer edge
    qr_module: float = 0.6  # mm per QR module (>= 0.5 mm reads at 150 dpi)
    qr_version: int = 3  # fixed so every page's QR is the same size, serial or not
    qr_quiet: float = 2.4  # white margin around the QR (4 modules)

    # Where questions flow.  The band above holds marks, QR and the form's title.
    content_left: float = 20.0
    content_right: float = 190.0
    content_top: float = 33.0
    content_bottom: float = 274.0

    # Type sizes in points.
    title_pt: float = 15.0
    organisation_pt: float = 11.0
    heading_pt: float = 13.0
    question_pt: float = 12.0
    body_pt: float = 11.0  # the floor for anything a respondent must read
    option_pt: float = 12.0
    digit_pt: float = 15.0  # Likert numbers to circle
    footer_pt: float = 9.0
    page_id_pt: float = 6.0
    leading: float = 1.25  # line height as a multiple of the type size

    # Answer areas, millimetres.
    checkbox: float = 6.0
    option_row: float = 10.0  # height of one choice option line
    yesno_gap: float = 45.0  # distance between the yes and no boxes
    likert_spacing: float = 19.6  # between option centres (>= 15)
    likert_row_min: float = 12.0
    likert_keep_rows: int = 3  # rows kept with the question and its scale header
    likert_statement_gap: float = 3.0  # between statement text and the first digit's area
    text_line: float = 9.5  # ruled line spacing in free-text boxes (room for handwriting)
    question_gap: float = 7.0  # vertical space between questions
    after_question_text: float = 2.0

    @property
    def content_width(self) -> float:
        return self.content_right - self.content_left

    @property
    def content_height(self) -> float:
        return self.content_bottom - self.content_top

    @property
    def qr_size(self) -> float:
        return (17 + 4 * self.qr_version) * self.qr_module

    def mark_boxes(self) -> tuple[Box, Box, Box, Box]:
        """ArUco marker boxes; index = marker id = corner (TL, TR, BR, BL)."""
        s, i = self.mark_size, self.mark_inset
        right = self.page_width - i - s
        bottom = self.page_height - i - s
        return ((i, i, s, s), (right, i, s, s), (right, bottom, s, s), (i, bottom, s, s))

    def qr_box(self) -> Box:
        size = self.qr_size
        x = self.page_width - self.mark_inset - self.mark_size - 2 * self.qr_quiet - size
        return (x, self.mark_inset, size, size)

    def id_text_box(self) -> Box:
        x, y, w, h = self.qr_box()
        return (x - 8.0, y + h + 0.8, w + 8.0, 2.6)

    def header_box(self) -> Box:
        """Band for organisation and title on page 1, clear of the top marks and the QR."""
        left = self.mark_inset + self.mark_size + 3.0
        right = self.qr_box()[0] - self.qr_quiet - 1.0
        return (
            max(left, self.content_left),
            self.mark_inset,
            right - max(left, self.content_left),
            self.content_top - self.mark_inset - 2.0,
        )

    def footer_baseline(self) -> float:
        return self.page_height - self.mark_inset - self.mark_size / 2 + 1.0

    def keep_out(self) -> list[Box]:
        """Areas that no content may touch: marks and QR with their quiet zones."""
        q = self.qr_quiet
        boxes = [(x - 2, y - 2, w + 4, h + 4) for x, y, w, h in self.mark_boxes()]
        x, y, w, h = self.qr_box()
        boxes.append((x - q, y - q, w + 2 * q, h + 2 * q))
        return boxes


DEFAULT_STYLE = Style()


def overlaps(a: Box, b: Box, tolerance: float = 1e-6) -> bool:
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    return (
        ax < bx + bw - tolerance
        and bx < ax + aw - tolerance
        and ay < by + bh - tolerance
        and by < ay + ah - tolerance
    )


def inside(inner: Box, outer: Box, tolerance: float = 1e-6) -> bool:
    ix, iy, iw, ih = inner
    ox, oy, ow, oh = outer
    return (
        ix >= ox - tolerance
        and iy >= oy - tolerance
        and ix + iw <= ox + ow + tolerance
        and iy + ih <= oy + oh + tolerance
    )
