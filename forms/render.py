"""Rendering: draw a FormLayout with reportlab, one master or N personalised copies.

Each page's questions are drawn once as a PDF form XObject and reused by every copy, so that a
thousand personalised copies cost little more than their QR codes.  Output is deterministic
(reportlab's invariant mode, a content-derived document ID): the same input gives the same bytes.
The template travels inside the PDF as the attached file ``template.json``.
"""

from __future__ import annotations

import io
import logging
import os
import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pikepdf
import qrcode
from qrcode.constants import ERROR_CORRECT_H
from reportlab.pdfgen.canvas import Canvas

from forms import fonts
from forms.geometry import Style
from forms.layout import FormLayout, Line, PageLayout, Primitive, Rect, Text
from forms.pageid import PageId
from forms.shapes import Circle, Fill, Frame, IdPlacement, Marker, Polyline
from forms.template import (
    ARUCO_DICTIONARY,
    ATTACHMENT_NAME,
    Template,
)
from forms.tiling import Tile, TilePlan

log = logging.getLogger(__name__)

MM = 72.0 / 25.4  # points per millimetre


@cache
def aruco_bits(marker_id: int) -> tuple[tuple[bool, ...], ...]:
    """The marker's cells (True = black), border included, from OpenCV's own dictionary."""
    import cv2

    dictionary = cv2.aruco.getPredefinedDictionary(getattr(cv2.aruco, ARUCO_DICTIONARY))
    image = cv2.aruco.generateImageMarker(dictionary, marker_id, 6)
    return tuple(tuple(bool(v < 128) for v in row) for row in image)


def qr_matrix(payload: str) -> list[list[bool]]:
    qr = qrcode.QRCode(version=3, error_correction=ERROR_CORRECT_H, border=0)
    qr.add_data(payload)
    qr.make(fit=False)
    return [list(row) for row in qr.get_matrix()]


class _Page:
    """Drawing in millimetres from the top-left, on a reportlab canvas (points, bottom-left)."""

    def __init__(self, canvas: Canvas, height_mm: float) -> None:
        self.c = canvas
        self.h = height_mm

    def y(self, y_mm: float) -> float:
        return (self.h - y_mm) * MM

    def primitive(self, p: Primitive) -> None:
        c = self.c
        if isinstance(p, Text):
            if p.colour is not None:
                c.setFillColorRGB(*p.colour)
            else:
                c.setFillGray(p.grey)
            c.setFont(fonts.font_name(p.bold, p.italic), p.size)
            draw = {
                "left": c.drawString,
                "center": c.drawCentredString,
                "right": c.drawRightString,
            }[p.align]
            draw(p.x * MM, self.y(p.y), p.text)
        elif isinstance(p, Rect):
            c.setStrokeGray(p.grey)
            c.setLineWidth(p.line_pt)
            c.rect(p.x * MM, self.y(p.y + p.h), p.w * MM, p.h * MM, stroke=1, fill=0)
        elif isinstance(p, Line):
            c.setStrokeGray(p.grey)
            c.setLineWidth(p.line_pt)
            c.line(p.x1 * MM, self.y(p.y1), p.x2 * MM, self.y(p.y2))
        else:
            self.shape(p)

    def shape(self, p: Fill | Frame | Circle | Polyline | Marker) -> None:
        c = self.c
        if isinstance(p, Fill):
            c.setFillColorRGB(*p.colour)
            c.roundRect(
                p.x * MM, self.y(p.y + p.h), p.w * MM, p.h * MM, p.radius * MM, stroke=0, fill=1
            )
        elif isinstance(p, Frame):
            c.setStrokeColorRGB(*p.colour)
            c.setLineWidth(p.line_pt)
            c.roundRect(
                p.x * MM, self.y(p.y + p.h), p.w * MM, p.h * MM, p.radius * MM, stroke=1, fill=0
            )
        elif isinstance(p, Circle):
            if p.fill is not None:
                c.setFillColorRGB(*p.fill)
            if p.stroke is not None:
                c.setStrokeColorRGB(*p.stroke)
                c.setLineWidth(p.line_pt)
            c.circle(
                p.cx * MM,
                self.y(p.cy),
                p.r * MM,
                stroke=int(p.stroke is not None),
                fill=int(p.fill is not None),
            )
        elif isinstance(p, Polyline):
            c.setStrokeColorRGB(*p.colour)
            c.setLineWidth(p.line_pt)
            c.setLineCap(1)
            c.setLineJoin(1)
            path = c.beginPath()
            (x0, y0), *rest = p.points
            path.moveTo(x0 * MM, self.y(y0))
            for x, y in rest:
                path.lineTo(x * MM, self.y(y))
            c.drawPath(path, stroke=1, fill=0)
            c.setLineCap(0)
            c.setLineJoin(0)
        elif isinstance(p, Marker):
            self.cells(p.x, p.y, p.size / 6, aruco_bits(p.id))

    def cells(
        self, x: float, y: float, cell: float, bits: list[list[bool]] | tuple[tuple[bool, ...], ...]
    ) -> None:
        """Black cells of a bit matrix, merged into horizontal runs (fewer, cleaner rectangles)."""
        c = self.c
        c.setFillGray(0)
        path = c.beginPath()
        for r, row in enumerate(bits):
            col = 0
            n = len(row)
            while col < n:
                if row[col]:
                    start = col
                    while col < n and row[col]:
                        col += 1
                    path.rect(
                        (x + start * cell) * MM,
                        self.y(y + (r + 1) * cell),
                        (col - start) * cell * MM,
                        cell * MM,
                    )
                else:
                    col += 1
        c.drawPath(path, stroke=0, fill=1)

    def marks(self, style: Style, page: PageLayout) -> None:
        if page.marks is None:
            for marker_id, (x, y, w, _) in enumerate(style.mark_boxes()):
                self.cells(x, y, w / 6, aruco_bits(marker_id))
        else:
            for mark in page.marks:
                x, y, w, _ = mark.box
                self.cells(x, y, w / 6, aruco_bits(mark.id))

    def page_id(self, style: Style, pid: PageId) -> None:
        x, y, _, _ = style.qr_box()
        self.cells(x, y, style.qr_module, qr_matrix(pid.encode()))
        tx, ty, tw, th = style.id_text_box()
        self.c.setFillGray(0.25)
        self.c.setFont(fonts.font_name(), style.page_id_pt)
        self.c.drawRightString((tx + tw) * MM, self.y(ty + th - 0.6), pid.human())

    def placed_id(self, placement: IdPlacement, pid: PageId) -> None:
        """A page ID at a given box (feedback cards: one per card)."""
        matrix = qr_matrix(pid.encode())
        x, y, w, _ = placement.qr
        self.cells(x, y, w / len(matrix), matrix)
        tx, ty, tw, th = placement.text
        self.c.setFillGray(0.25)
        self.c.setFont(fonts.font_name(), placement.text_pt)
        self.c.drawRightString((tx + tw) * MM, self.y(ty + th - 0.6), pid.human())


def render_pdf_bytes(
    layout: FormLayout,
    copies: int = 1,
    serials: bool = False,
    first_serial: int = 1,
    progress: Callable[[int], None] | None = None,
) -> bytes:
    """The PDF as bytes: ``copies`` × the form's pages, each copy serialised if ``serials``."""
    style = layout.style
    template = layout.template
    buffer = io.BytesIO()
    canvas = Canvas(
        buffer,
        pagesize=(style.page_width * MM, style.page_height * MM),
        invariant=1,
        pageCompression=1,
    )
    canvas.setTitle(template.title)
    canvas.setAuthor(template.meta.get("organisation", ""))
    canvas.setSubject(f"{template.form_id} {template.version}")
    canvas.setCreator("palaute")
    fonts.register()
    if layout.tiles is not None:
        _render_tiles(canvas, layout, copies, serials, first_serial, progress)
        canvas.save()
        return _attach_template(buffer.getvalue(), template)
    for page in layout.pages:
        # The static part of each page, drawn once and placed on every copy.
        canvas.beginForm(f"p{page.number}")
        drawer = _Page(canvas, style.page_height)
        drawer.marks(style, page)
        for prim in page.prims:
            drawer.primitive(prim)
        canvas.endForm()
    for copy in range(copies):
        serial = first_serial + copy if serials else None
        for page in layout.pages:
            canvas.doForm(f"p{page.number}")
            drawer = _Page(canvas, style.page_height)
            if page.ids is None:
                drawer.page_id(style, PageId(template.version, page.number, serial))
            else:
                for placement in page.ids:
                    drawer.placed_id(placement, PageId(template.version, placement.page, serial))
            canvas.showPage()
        if progress is not None:
            progress(len(layout.pages))
    canvas.save()
    return _attach_template(buffer.getvalue(), template)


def _render_tiles(
    canvas: Canvas,
    layout: FormLayout,
    copies: int,
    serials: bool,
    first_serial: int,
    progress: Callable[[int], None] | None,
) -> None:
    """Each poster page on several smaller sheets (forms/tiling.py), with overlap marks."""
    plan = layout.tiles
    assert plan is not None
    style = layout.style
    width, height = style.page_width, style.page_height
    canvas.setPageSize((plan.sheet_width * MM, plan.sheet_height * MM))
    for page in layout.pages:
        canvas.beginForm(f"p{page.number}", 0, 0, width * MM, height * MM)
        drawer = _Page(canvas, height)
        drawer.marks(style, page)
        for prim in page.prims:
            drawer.primitive(prim)
        canvas.endForm()
    m, sheet_h = plan.margin, plan.sheet_height
    for copy in range(copies):
        serial = first_serial + copy if serials else None
        for page in layout.pages:
            for n, tile in enumerate(plan.tiles, start=1):
                canvas.saveState()
                clip = canvas.beginPath()
                clip.rect(m * MM, (sheet_h - m - tile.h) * MM, tile.w * MM, tile.h * MM)
                canvas.clipPath(clip, stroke=0, fill=0)
                canvas.translate((m - tile.x) * MM, (sheet_h - m - (height - tile.y)) * MM)
                canvas.doForm(f"p{page.number}")
                _Page(canvas, height).page_id(
                    style, PageId(layout.template.version, page.number, serial)
                )
                canvas.restoreState()
                _overlap_marks(canvas, plan, tile, f"{page.number}: {n}/{len(plan.tiles)}")
                canvas.showPage()
            if progress is not None:
                progress(len(plan.tiles))


def _overlap_marks(canvas: Canvas, plan: TilePlan, tile: Tile, label: str) -> None:
    """In the sheet margin: where the neighbouring tiles' overlap begins (trim the later sheet
    along its overlap line and lay it over the earlier one), the tile's outline corners, and
    the tile's place in the grid."""
    m, sh = plan.margin, plan.sheet_height

    def y(v: float) -> float:
        return (sh - v) * MM

    canvas.setStrokeGray(0.2)
    canvas.setLineWidth(0.5)
    left, top, right, bottom = m, m, m + tile.w, m + tile.h
    tick = m * 0.6
    if tile.col + 1 < plan.cols:  # the next tile to the right starts here
        x = m + plan.tiles[0].w - plan.overlap
        for y0, y1 in ((top - tick, top - 1), (bottom + 1, bottom + tick)):
            canvas.line(x * MM, y(y0), x * MM, y(y1))
    if tile.row + 1 < plan.rows:  # the next tile below starts here
        v = m + plan.tiles[0].h - plan.overlap
        for x0, x1 in ((left - tick, left - 1), (right + 1, right + tick)):
            canvas.line(x0 * MM, y(v), x1 * MM, y(v))
    if tile.col > 0:  # trim this sheet along its left edge
        for y0, y1 in ((top - tick, top - 1), (bottom + 1, bottom + tick)):
            canvas.line(left * MM, y(y0), left * MM, y(y1))
    if tile.row > 0:  # trim along the top edge
        for x0, x1 in ((left - tick, left - 1), (right + 1, right + tick)):
            canvas.line(x0 * MM, y(top), x1 * MM, y(top))
    canvas.setFillGray(0.3)
    canvas.setFont(fonts.font_name(), 7)
    canvas.drawString(
        (left + 2) * MM, y(bottom + m * 0.6), f"{label} ({tile.row + 1}, {tile.col + 1})"
    )


def _attach_template(pdf_bytes: bytes, template: Template) -> bytes:
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        spec = pikepdf.AttachedFileSpec(
            pdf,
            template.to_json().encode("utf-8"),
            filename=ATTACHMENT_NAME,
            mime_type="application/json",
            description=f"palaute template {template.form_id} {template.version}",
        )
        pdf.attachments[ATTACHMENT_NAME] = spec
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, compress_streams=True)
        return out.getvalue()


def write_atomically(path: Path, data: bytes) -> None:
    """Write via a temporary file in the same folder, so a failure never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def template_path_for(pdf_path: Path) -> Path:
    """Where the template JSON is written beside a printed PDF: ``OUT.template.json``."""
    return pdf_path.with_name(pdf_path.stem + ".template.json")
