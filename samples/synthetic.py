"""A small stand-in questionnaire, drawn without the form renderer.

Used by the tests (a template whose geometry is known exactly) and as the "page of another form"
that sometimes turns up in a scanned stack.  The drawing follows the template contract: ArUco
markers at the corners, a QR code with the page ID, checkboxes, printed Likert digits, ruled lines.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from forms.pageid import PageId
from forms.template import Field, Mark, Option, Page, Template
from samples.strokes import MM_PER_INCH

A4 = (210.0, 297.0)
_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def _marks(width: float, height: float) -> tuple[Mark, ...]:
    s, m = 10.0, 8.0
    return (
        Mark(0, (m, m, s, s)),
        Mark(1, (width - m - s, m, s, s)),
        Mark(2, (width - m - s, height - m - s, s, s)),
        Mark(3, (m, height - m - s, s, s)),
    )


def _boxes(
    prefix: str, labels: list[tuple[str, str]], x: float, y: float, step: float
) -> tuple[Option, ...]:
    return tuple(
        Option(value, label, (x + i * step, y, 5.0, 5.0)) for i, (value, label) in enumerate(labels)
    )


def synthetic_template(
    form_id: str = "synteettinen", title: str = "Asiakaspalautekysely (testi)"
) -> Template:
    """A two-page questionnaire with every field kind, conditional follow-ups and write-ins."""
    w, h = A4
    yes_no = [("kylla", "Kyllä"), ("ei", "Ei")]
    p1_fields = [
        Field(
            "q1",
            "q1",
            "multiple",
            "Missä asioissa olet asioinut?",
            (20, 45, 170, 12),
            _boxes(
                "q1",
                [("aikuis", "Aikuissosiaalityö"), ("lapsi", "Lapsiperheet"), ("muu", "Muu")],
                22,
                50,
                55,
            ),
        ),
        Field(
            "q1.muu",
            "q1",
            "text",
            "muu, mikä?",
            (130, 58, 60, 8),
            lines=1,
            parent="q1",
            parent_value="muu",
        ),
        Field(
            "q2",
            "q2",
            "single",
            "Saitko palvelua?",
            (20, 72, 170, 12),
            _boxes("q2", yes_no, 22, 77, 40),
        ),
        Field(
            "q2.perustelu",
            "q2",
            "text",
            "Voit halutessasi perustella vastauksesi",
            (20, 90, 170, 24),
            lines=3,
            parent="q2",
        ),
        Field(
            "q3",
            "q3",
            "single",
            "Tiedätkö miten asia jatkuu?",
            (20, 122, 170, 12),
            _boxes("q3", yes_no, 22, 127, 40),
        ),
        Field(
            "q3.lisatieto",
            "q3",
            "text",
            "Jos vastasit ei, millaista lisätietoa olisit kaivannut?",
            (20, 140, 170, 24),
            lines=3,
            parent="q3",
            parent_value="ei",
        ),
        Field("q8", "q8", "line", "Kuinka tyytyväinen olet?", (40, 185, 130, 6)),
    ]
    likert = []
    for i in range(8):
        y = 58 + i * 20
        opts = tuple(
            Option(str(v), str(v), (105 + (v - 1) * 17 - 3, y - 3.5, 7, 7)) for v in range(1, 6)
        )
        likert.append(
            Field(
                f"q4.{i + 1:02d}", "q4", "likert", f"Väittämä {i + 1}", (20, y - 6, 180, 12), opts
            )
        )
    p2_fields = [
        *likert,
        Field("q5", "q5", "text", "Mitä parantaisit palveluissa?", (20, 232, 170, 30), lines=4),
    ]
    template = Template(
        form_id=form_id,
        title=title,
        language="fi",
        kind="questionnaire",
        page_width=w,
        page_height=h,
        pages=(
            Page(1, _marks(w, h), (165, 22, 18, 18), (150, 41, 35, 3), tuple(p1_fields)),
            Page(2, _marks(w, h), (165, 22, 18, 18), (150, 41, 35, 3), tuple(p2_fields)),
        ),
    )
    return template.with_version()


@cache
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.truetype(_FONT, size)
    except OSError:
        return ImageFont.load_default()


def render_page(
    template: Template, number: int, dpi: float, serial: int | None = None
) -> np.ndarray:
    """An RGB image of a blank printed page of ``template`` at ``dpi``."""
    s = dpi / MM_PER_INCH
    width, height = round(template.page_width * s), round(template.page_height * s)
    img = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(img)
    page = template.page(number)

    def px(box: tuple[float, float, float, float]) -> tuple[int, int, int, int]:
        x, y, w, h = box
        return round(x * s), round(y * s), round((x + w) * s), round((y + h) * s)

    label_font = _font(max(8, round(3.2 * s)))
    draw.text((20 * s, 20 * s), template.title, fill=0, font=_font(max(8, round(5 * s))))
    for f in page.fields:
        fx, fy, fw, fh = f.box
        if f.kind == "likert":
            draw.text((fx * s, (fy + 3) * s), f.label, fill=0, font=label_font)
            for o in f.options:
                cx, cy = o.box[0] + o.box[2] / 2, o.box[1] + o.box[3] / 2
                draw.text(
                    (cx * s, cy * s), o.label, fill=0, font=_font(max(8, round(4 * s))), anchor="mm"
                )
        elif f.kind in ("single", "multiple"):
            draw.text((fx * s, fy * s), f.label, fill=0, font=label_font)
            for o in f.options:
                draw.rectangle(px(o.box), outline=0, width=max(1, round(0.3 * s)))
                draw.text(((o.box[0] + 7) * s, o.box[1] * s), o.label, fill=0, font=label_font)
        elif f.kind == "text":
            if f.lines <= 1:
                draw.text(((fx - 25) * s, (fy + 2) * s), f.label, fill=0, font=label_font)
            else:
                draw.text((fx * s, (fy - 5) * s), f.label, fill=0, font=label_font)
            pitch = fh / max(f.lines, 1)
            for i in range(max(f.lines, 1)):
                yy = (fy + (i + 1) * pitch) * s
                draw.line(
                    [(fx * s, yy), ((fx + fw) * s, yy)], fill=80, width=max(1, round(0.2 * s))
                )
        elif f.kind == "line":
            draw.text((fx * s, (fy - 6) * s), f.label, fill=0, font=label_font)
            yy = (fy + fh / 2) * s
            draw.line([(fx * s, yy), ((fx + fw) * s, yy)], fill=0, width=max(1, round(0.4 * s)))
            for xx in (fx, fx + fw):
                draw.line(
                    [(xx * s, yy - 2 * s), (xx * s, yy + 2 * s)],
                    fill=0,
                    width=max(1, round(0.4 * s)),
                )
    out = np.asarray(img).copy()
    _draw_marks(out, page, s)
    _draw_qr(out, template, page, s, serial)
    return np.repeat(out[:, :, None], 3, axis=2)


def _draw_marks(img: np.ndarray, page: Page, s: float) -> None:
    dictionary = cv2.aruco.getPredefinedDictionary(cv2.aruco.DICT_4X4_50)
    for m in page.marks:
        x, y, w, _ = m.box
        size = round(w * s)
        marker = cv2.aruco.generateImageMarker(dictionary, m.id, size)
        x0, y0 = round(x * s), round(y * s)
        img[y0 : y0 + size, x0 : x0 + size] = marker


def _draw_qr(img: np.ndarray, template: Template, page: Page, s: float, serial: int | None) -> None:
    import qrcode

    payload = PageId(template.version, page.number, serial).encode()
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_H, border=0, box_size=1)
    qr.add_data(payload)
    qr.make(fit=True)
    modules = np.array(qr.get_matrix(), dtype=bool)
    x, y, w, _ = page.qr
    size = round(w * s)
    cells = cv2.resize(
        (~modules).astype(np.uint8) * 255, (size, size), interpolation=cv2.INTER_NEAREST
    )
    x0, y0 = round(x * s), round(y * s)
    img[y0 : y0 + size, x0 : x0 + size] = cells
    cv2.putText(
        img,
        payload,
        (round(page.id_text[0] * s), round((page.id_text[1] + 2.5) * s)),
        cv2.FONT_HERSHEY_SIMPLEX,
        0.08 * s,
        0,
        max(1, round(0.1 * s)),
        cv2.LINE_AA,
    )


def write_form_pdf(
    path: Path, template: Template, copies: int = 1, first_serial: int | None = None
) -> Path:
    """A printable PDF of the synthetic form (page images) with ``<name>.template.json`` beside it."""
    from samples.writers import PdfJpegWriter

    writer = PdfJpegWriter(path)
    for copy in range(copies):
        serial = None if first_serial is None else first_serial + copy
        for page in template.pages:
            writer.add(render_page(template, page.number, 300, serial), 300, 95)
    writer.close()
    beside = path.with_name(path.stem + ".template.json")
    beside.write_text(template.to_json(), encoding="utf-8")
    return path


LETTER_LINES = (
    "Hakemus toimeentulotuesta",
    "",
    "Hakijan nimi: ______________________   Henkilötunnus: ______________",
    "Osoite: _____________________________________________________________",
    "",
    "Perheen tulot ja varat kuukaudessa (euroa)",
    "Palkkatulot ______   Kelan etuudet ______   Muut tulot ______",
    "",
    "Asumismenot: vuokra ______ vesimaksu ______ sähkö ______",
    "",
    "Liitteet: tiliotteet kahdelta kuukaudelta, vuokrasopimus, päätökset",
    "muista etuuksista. Puutteellinen hakemus voi viivästyttää käsittelyä.",
    "",
    "Vakuutan antamani tiedot oikeiksi.",
    "",
    "Paikka ja aika ____________________   Allekirjoitus ____________________",
)


def render_letter(dpi: float, page_mm: tuple[float, float] = A4) -> np.ndarray:
    """An RGB page of some other paper (an application form) with no markers and no QR code."""
    s = dpi / MM_PER_INCH
    width, height = round(page_mm[0] * s), round(page_mm[1] * s)
    img = Image.new("RGB", (width, height), (255, 255, 255))
    draw = ImageDraw.Draw(img)
    font = _font(max(8, round(3.6 * s)))
    y = 30.0
    for i, line in enumerate(LETTER_LINES):
        draw.text(
            (25 * s, y * s),
            line,
            fill=(0, 0, 0),
            font=_font(max(8, round(6 * s))) if i == 0 else font,
        )
        y += 10.0 if i == 0 else 8.0
    draw.rectangle(
        (25 * s, (y + 5) * s, 185 * s, (y + 60) * s),
        outline=(0, 0, 0),
        width=max(1, round(0.3 * s)),
    )
    return np.asarray(img).copy()
