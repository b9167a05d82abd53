"""Layout: a validated spec becomes page geometry, with no drawing.

The result is a list of pages, each a list of simple primitives (text runs, rectangles, lines)
and the template fields, all in millimetres from the page's top-left.  The renderer only draws
what is here, and tests check the geometry directly.

Items flow down the pages as blocks.  A block is never split: a question with its options, one
Likert row, one text box.  When a Likert matrix continues on a new page its scale header is
repeated above the first row there.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from forms import fonts
from forms.geometry import DEFAULT_STYLE, Style
from forms.shapes import RGB, Circle, Fill, Frame, IdPlacement, Marker, Polyline
from forms.spec import (
    ChoiceQuestion,
    FollowUp,
    FormSpec,
    Heading,
    Instruction,
    LikertQuestion,
    MethodSpec,
    PageBreak,
    TextQuestion,
)
from forms.template import Box, Field, FieldKind, Mark, Option, Page, Template
from forms.tiling import TilePlan
from palaute import i18n
from palaute.errors import InputError

Align = Literal["left", "center", "right"]


@dataclass(frozen=True)
class Text:
    x: float  # anchor (left, centre or right edge, per align)
    y: float  # baseline
    text: str
    size: float  # points
    bold: bool = False
    italic: bool = False
    align: Align = "left"
    grey: float = 0.0  # 0 black ... 1 white
    colour: RGB | None = None  # overrides grey when set

    def box(self) -> Box:
        width = fonts.width_mm(self.text, self.size, self.bold, self.italic)
        ascent, descent = fonts.ascent_descent_mm(self.size)
        left = {"left": self.x, "center": self.x - width / 2, "right": self.x - width}[self.align]
        return (left, self.y - ascent, width, ascent + descent)

    def moved(self, dy: float) -> Text:
        return replace(self, y=self.y + dy)


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    line_pt: float = 1.0
    grey: float = 0.0

    def box(self) -> Box:
        return (self.x, self.y, self.w, self.h)

    def moved(self, dy: float) -> Rect:
        return replace(self, y=self.y + dy)


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    line_pt: float = 0.5
    grey: float = 0.0

    def box(self) -> Box:
        return (
            min(self.x1, self.x2),
            min(self.y1, self.y2),
            abs(self.x2 - self.x1),
            abs(self.y2 - self.y1),
        )

    def moved(self, dy: float) -> Line:
        return replace(self, y1=self.y1 + dy, y2=self.y2 + dy)


Primitive = Text | Rect | Line | Fill | Frame | Circle | Polyline | Marker


@dataclass
class Block:
    """A piece of the flow that is never split; y is relative to the block's top."""

    height: float
    prims: list[Primitive] = field(default_factory=list)
    fields: list[Field] = field(default_factory=list)
    gap_before: float = 0.0
    repeat_header: Block | None = None  # printed first when this block starts a page
    label: str = ""  # for error messages: which question this is


@dataclass(frozen=True)
class PageLayout:
    number: int
    prims: tuple[Primitive, ...]
    fields: tuple[Field, ...]
    # None: the style's four corner marks and one page ID at the style's QR box (questionnaires,
    # posters).  Otherwise exactly these: feedback cards carry marks and an ID per card, and the
    # flyer none at all.
    marks: tuple[Mark, ...] | None = None
    ids: tuple[IdPlacement, ...] | None = None


@dataclass(frozen=True)
class FormLayout:
    spec: FormSpec  # for the other kinds: their common part only (no items)
    style: Style
    pages: tuple[PageLayout, ...]
    template: Template
    tiles: TilePlan | None = None  # a poster larger than the printer's paper: printed in tiles
    method: MethodSpec | None = None  # the full spec of a kind other than questionnaire


def _shift_box(box: Box, dy: float) -> Box:
    return (box[0], box[1] + dy, box[2], box[3])


def _shift_field(f: Field, dy: float) -> Field:
    return replace(
        f,
        box=_shift_box(f.box, dy),
        options=tuple(replace(o, box=_shift_box(o.box, dy)) for o in f.options),
    )


class _Builder:
    """Builds blocks for one spec.  Keeps the running question number."""

    def __init__(self, spec: FormSpec, style: Style) -> None:
        self.spec = spec
        self.s = style
        self.number = 0
        self.lang = spec.language

    # -- text helpers ---------------------------------------------------------------------
    def paragraph(
        self,
        text: str,
        size: float,
        top: float,
        x: float | None = None,
        width: float | None = None,
        bold: bool = False,
        italic: bool = False,
    ) -> tuple[list[Primitive], float]:
        """Wrapped lines starting at ``top``; returns the primitives and the height used."""
        x = self.s.content_left if x is None else x
        width = self.s.content_width if width is None else width
        lines = fonts.wrap(text, width, size, bold, italic)
        for line in lines:
            for word in line.split():
                if fonts.width_mm(word, size, bold, italic) > width:
                    raise InputError(
                        "layout.word_too_wide",
                        file=self.spec.source,
                        word=word,
                        width=f"{width:.0f}",
                    )
        step = size * self.s.leading * fonts.PT
        ascent, _ = fonts.ascent_descent_mm(size)
        prims: list[Primitive] = [
            Text(x, top + ascent + i * step, line, size, bold, italic)
            for i, line in enumerate(lines)
        ]
        return prims, len(lines) * step

    def question_title(self, text: str, hint: str | None) -> tuple[list[Primitive], float]:
        prims: list[Primitive] = []
        y = 0.0
        if hint:
            p, h = self.paragraph(hint, self.s.body_pt, y, italic=True)
            prims += p
            y += h + 1.5
        self.number += 1
        label = f"{self.number}) {text}" if self.spec.numbering else text
        p, h = self.paragraph(label, self.s.question_pt, y, bold=True)
        prims += p
        return prims, y + h + self.s.after_question_text

    # -- blocks ---------------------------------------------------------------------------
    def blocks(self) -> list[Block | PageBreak]:
        out: list[Block | PageBreak] = []
        if self.spec.header:
            out.append(self.header_fields())
        if self.spec.intro:
            prims, h = self.paragraph(self.spec.intro, self.s.body_pt, 0.0)
            out.append(Block(h, prims, gap_before=self.s.question_gap / 2, label="intro"))
        for item in self.spec.items:
            if isinstance(item, PageBreak):
                out.append(item)
            elif isinstance(item, Heading):
                prims, h = self.paragraph(item.text, self.s.heading_pt, 0.0, bold=True)
                out.append(Block(h, prims, gap_before=self.s.question_gap, label=item.text))
            elif isinstance(item, Instruction):
                prims, h = self.paragraph(item.text, self.s.body_pt, 0.0)
                out.append(Block(h, prims, gap_before=self.s.question_gap / 2, label=item.text))
            elif isinstance(item, ChoiceQuestion):
                out += self.choice(item)
            elif isinstance(item, LikertQuestion):
                out += self.likert(item)
            elif isinstance(item, TextQuestion):
                out.append(self.text_question(item))
        if self.spec.thanks:
            prims, h = self.paragraph(self.spec.thanks, self.s.question_pt, 0.0, bold=True)
            out.append(Block(h, prims, gap_before=self.s.question_gap * 1.5, label="thanks"))
        return out

    def header_fields(self) -> Block:
        """Header lines such as month and year: printed values, or lines to write on."""
        s = self.s
        x = s.content_left
        size = s.body_pt
        ascent, _ = fonts.ascent_descent_mm(size)
        baseline = ascent + 1.0
        prims: list[Primitive] = []
        for label, value in self.spec.header:
            prims.append(Text(x, baseline, f"{label}:", size, bold=True))
            x += fonts.width_mm(f"{label}:", size, bold=True) + 2.0
            if value:
                prims.append(Text(x, baseline, value, size))
                x += fonts.width_mm(value, size) + 8.0
            else:
                prims.append(Line(x, baseline + 1.0, x + 30.0, baseline + 1.0, 0.6))
                x += 38.0
            if x > s.content_right:
                raise InputError("layout.header_too_wide", file=self.spec.source)
        return Block(baseline + 2.0, prims, label="header")

    def choice(self, q: ChoiceQuestion) -> list[Block | PageBreak]:
        s = self.s
        prims, y = self.question_title(q.text, q.hint)
        options: list[Option] = []
        fields: list[Field] = []
        box = s.checkbox
        ascent, _ = fonts.ascent_descent_mm(s.option_pt)
        x0 = s.content_left + 2.0
        top = y
        entries = list(q.options) + ([q.other] if q.other else [])
        row = 0
        for i, opt in enumerate(entries):
            if q.layout == "horizontal":
                bx = x0 + i * s.yesno_gap
                by = top + (s.option_row - box) / 2
            else:
                bx = x0
                by = top + row * s.option_row + (s.option_row - box) / 2
            row_top = by - (s.option_row - box) / 2
            prims.append(Rect(bx, by, box, box, 1.2))
            baseline = by + box / 2 + ascent / 2 - 0.3
            label_x = bx + box + 3.0
            prims.append(Text(label_x, baseline, opt.label, s.option_pt))
            options.append(Option(opt.value, opt.label, (bx, by, box, box)))
            label_end = label_x + fonts.width_mm(opt.label, s.option_pt)
            if (
                q.layout == "horizontal"
                and i + 1 < len(entries)
                and label_end > x0 + (i + 1) * s.yesno_gap - 2
            ):
                raise InputError("layout.option_too_wide", file=self.spec.source, question=q.id)
            if label_end > s.content_right:
                raise InputError("layout.option_too_wide", file=self.spec.source, question=q.id)
            if q.other is not None and opt is q.other:
                line_x = label_end + 3.0
                if s.content_right - line_x < 40.0:
                    raise InputError("layout.option_too_wide", file=self.spec.source, question=q.id)
                prims.append(
                    Line(line_x, baseline + 1.0, s.content_right, baseline + 1.0, 0.6, 0.35)
                )
                fields.append(
                    Field(
                        id=f"{q.id}_{q.other.value}",
                        question=q.id,
                        kind="text",
                        label=opt.label,
                        box=(line_x, row_top, s.content_right - line_x, s.option_row),
                        lines=1,
                        parent=q.id,
                        parent_value=q.other.value,
                    )
                )
            if q.layout != "horizontal":
                row += 1
        rows = 1 if q.layout == "horizontal" else row
        height = top + rows * s.option_row
        kind: FieldKind = "multiple" if q.multiple else "single"
        if q.layout == "horizontal":
            last = options[-1].box
            right = last[0] + last[2] + 3.0 + fonts.width_mm(entries[-1].label, s.option_pt) + 1.0
        else:
            right = (
                max(o.box[0] + o.box[2] for o in options)
                + 3.0
                + max(fonts.width_mm(e.label, s.option_pt) for e in entries)
                + 1.0
            )
        field_box = (x0 - 1.0, top, right - x0 + 1.0, rows * s.option_row)
        main = Field(
            id=q.id,
            question=q.id,
            kind=kind,
            label=q.text,
            box=field_box,
            options=tuple(options),
            hint=q.hint,
        )
        block = Block(height, prims, [main, *fields], gap_before=s.question_gap, label=q.id)
        out: list[Block | PageBreak] = [block]
        if q.followup is not None:
            out.append(self.followup(q.id, q.followup))
        return out

    def text_box(self, top: float, lines: int) -> tuple[list[Primitive], Box]:
        s = self.s
        height = lines * s.text_line + 2.0
        x, w = s.content_left, s.content_width
        prims: list[Primitive] = [Rect(x, top, w, height, 0.5, 0.55)]
        for i in range(1, lines + 1):
            y = top + 1.0 + i * s.text_line - 1.5
            if i < lines or lines == 1:
                prims.append(Line(x + 3.0, y, x + w - 3.0, y, 0.4, 0.7))
        return prims, (x, top, w, height)

    def followup(self, parent: str, f: FollowUp) -> Block:
        prims, y = self.paragraph(f.label, self.s.body_pt, 0.0, italic=True)
        y += 1.0
        box_prims, box = self.text_box(y, f.lines)
        field_ = Field(
            id=f.id,
            question=parent,
            kind="text",
            label=f.label,
            box=box,
            lines=f.lines,
            parent=parent,
            parent_value=f.when,
            hint=f.label,
        )
        return Block(y + box[3], prims + box_prims, [field_], gap_before=3.0, label=f.id)

    def text_question(self, q: TextQuestion) -> Block:
        prims, y = self.question_title(q.text, q.hint)
        box_prims, box = self.text_box(y, q.lines)
        field_ = Field(
            id=q.id, question=q.id, kind="text", label=q.text, box=box, lines=q.lines, hint=q.hint
        )
        return Block(
            y + box[3], prims + box_prims, [field_], gap_before=self.s.question_gap, label=q.id
        )

    # -- Likert ---------------------------------------------------------------------------
    def likert_columns(self, q: LikertQuestion) -> tuple[float, list[float]]:
        s = self.s
        n = len(q.scale)
        centres = [s.content_right - (n - i - 0.5) * s.likert_spacing for i in range(n)]
        statement_width = (
            centres[0] - s.likert_spacing / 2 - s.likert_statement_gap - s.content_left
        )
        return statement_width, centres

    def likert_header(self, q: LikertQuestion) -> Block:
        s = self.s
        _, centres = self.likert_columns(q)
        col = s.likert_spacing - 1.5
        prims: list[Primitive] = []
        height = 0.0
        step = s.body_pt * s.leading * fonts.PT
        ascent, _ = fonts.ascent_descent_mm(s.body_pt)
        wrapped = [fonts.wrap(c.label, col, s.body_pt) for c in q.scale]
        depth = max(len(w) for w in wrapped)
        for c, lines in zip(centres, wrapped, strict=True):
            for word in " ".join(lines).split():
                if fonts.width_mm(word, s.body_pt) > col:
                    raise InputError(
                        "layout.scale_label_too_wide",
                        file=self.spec.source,
                        question=q.id,
                        word=word,
                    )
            # bottom-align labels so they sit right above their digits
            offset = (depth - len(lines)) * step
            for i, line in enumerate(lines):
                prims.append(Text(c, offset + ascent + i * step, line, s.body_pt, align="center"))
        height = depth * step + 1.5
        prims.append(Line(s.content_left, height, s.content_right, height, 0.5, 0.6))
        return Block(height + 0.5, prims, label=q.id)

    def likert_row(self, q: LikertQuestion, index: int) -> Block:
        s = self.s
        statement = q.statements[index]
        width, centres = self.likert_columns(q)
        text_prims, text_h = self.paragraph(statement.text, s.body_pt, 0.0, width=width)
        height = max(s.likert_row_min, text_h + 3.0)
        # centre the statement text vertically in the row
        dy = (height - text_h) / 2
        prims: list[Primitive] = [p.moved(dy) for p in text_prims]
        ascent, _ = fonts.ascent_descent_mm(s.digit_pt)
        baseline = height / 2 + ascent / 2 - 0.2
        box_w = s.likert_spacing - 2.0
        options = []
        for c, choice in zip(centres, q.scale, strict=True):
            prims.append(Text(c, baseline, choice.value, s.digit_pt, bold=True, align="center"))
            options.append(
                Option(choice.value, choice.label, (c - box_w / 2, 0.5, box_w, height - 1.0))
            )
        prims.append(Line(s.content_left, height, s.content_right, height, 0.3, 0.75))
        left = centres[0] - s.likert_spacing / 2
        field_ = Field(
            id=f"{q.id}_{statement.id}",
            question=q.id,
            kind="likert",
            label=statement.text,
            box=(left, 0.0, s.content_right - left, height),
            options=tuple(options),
            hint=q.hint if index == 0 else None,
        )
        return Block(height, prims, [field_], label=f"{q.id}_{statement.id}")

    def likert(self, q: LikertQuestion) -> list[Block | PageBreak]:
        title_prims, title_h = self.question_title(q.text, q.hint)
        header = self.likert_header(q)
        rows = [self.likert_row(q, i) for i in range(len(q.statements))]
        # The question, its scale header and its first rows stay together (no orphan row).
        keep = min(len(rows), self.s.likert_keep_rows)
        prims = title_prims + [p.moved(title_h) for p in header.prims]
        fields: list[Field] = []
        y = title_h + header.height
        for row in rows[:keep]:
            prims += [p.moved(y) for p in row.prims]
            fields += [_shift_field(f, y) for f in row.fields]
            y += row.height
        out: list[Block | PageBreak] = [
            Block(y, prims, fields, gap_before=self.s.question_gap, label=q.id)
        ]
        for row in rows[keep:]:
            row.repeat_header = header
            out.append(row)
        return out


def _paginate(
    spec: FormSpec, style: Style, items: list[Block | PageBreak]
) -> list[tuple[list[Primitive], list[Field]]]:
    pages: list[tuple[list[Primitive], list[Field]]] = [([], [])]
    y = style.content_top
    at_top = True

    def new_page() -> None:
        nonlocal y, at_top
        pages.append(([], []))
        y = style.content_top
        at_top = True

    def place(block: Block, top: float) -> None:
        prims, fields = pages[-1]
        prims.extend(p.moved(top) for p in block.prims)
        fields.extend(_shift_field(f, top) for f in block.fields)

    for item in items:
        if isinstance(item, PageBreak):
            if not at_top:
                new_page()
            continue
        needed = item.height + (0.0 if at_top else item.gap_before)
        header_h = item.repeat_header.height if item.repeat_header else 0.0
        if item.height + header_h > style.content_height:
            raise InputError("layout.too_tall", file=spec.source, question=item.label)
        if y + needed > style.content_bottom:
            new_page()
            needed = item.height
        if at_top and item.repeat_header is not None:
            place(item.repeat_header, y)
            y += item.repeat_header.height
        top = y + (0.0 if at_top else item.gap_before)
        place(item, top)
        y = top + item.height
        at_top = False
    if not pages[-1][0] and len(pages) > 1:
        pages.pop()
    return pages


def _chrome(spec: FormSpec, style: Style, number: int, count: int) -> list[Primitive]:
    """Title band and footer: the parts every page has besides its questions."""
    prims: list[Primitive] = []
    hx, hy, hw, hh = style.header_box()
    if number == 1:
        y = hy + 1.0
        if spec.organisation:
            ascent, _ = fonts.ascent_descent_mm(style.organisation_pt)
            prims.append(Text(hx, y + ascent, spec.organisation, style.organisation_pt, bold=True))
            y += style.organisation_pt * style.leading * fonts.PT + 1.0
        lines = fonts.wrap(spec.title, hw, style.title_pt, bold=True)
        step = style.title_pt * style.leading * fonts.PT
        ascent, _ = fonts.ascent_descent_mm(style.title_pt)
        if y + len(lines) * step > hy + hh:
            raise InputError("layout.title_too_long", file=spec.source)
        for i, line in enumerate(lines):
            prims.append(Text(hx, y + ascent + i * step, line, style.title_pt, bold=True))
    else:
        ascent, _ = fonts.ascent_descent_mm(style.footer_pt)
        title = spec.title
        while fonts.width_mm(title, style.footer_pt) > hw and len(title) > 10:
            title = title[: len(title) - 4] + "…"
        prims.append(Text(hx, hy + 4.0 + ascent, title, style.footer_pt, grey=0.3))
    footer = i18n.t("form.page_of", spec.language, page=number, pages=count)
    prims.append(
        Text(
            style.page_width / 2,
            style.footer_baseline(),
            footer,
            style.footer_pt,
            align="center",
            grey=0.3,
        )
    )
    return prims


def print_digest(pages: Sequence[PageLayout]) -> str:
    """A digest of every primitive drawn on the pages (see Template.print_digest)."""
    digest = hashlib.sha256()
    for page in pages:
        digest.update(f"page {page.number}\n".encode())
        for prim in page.prims:
            digest.update(repr(prim).encode("utf-8") + b"\n")
    return digest.hexdigest()[:16]


def layout_form(spec: FormSpec, style: Style = DEFAULT_STYLE) -> FormLayout:
    """Turn a validated spec into pages of geometry and the template that describes them."""
    builder = _Builder(spec, style)
    flowed = _paginate(spec, style, builder.blocks())
    count = len(flowed)
    pages: list[PageLayout] = []
    template_pages: list[Page] = []
    marks = tuple(Mark(i, box) for i, box in enumerate(style.mark_boxes()))
    for number, (prims, fields) in enumerate(flowed, start=1):
        all_prims = _chrome(spec, style, number, count) + prims
        pages.append(PageLayout(number, tuple(all_prims), tuple(fields)))
        template_pages.append(
            Page(
                number=number,
                marks=marks,
                qr=style.qr_box(),
                id_text=style.id_text_box(),
                fields=tuple(fields),
            )
        )
    meta = {"organisation": spec.organisation}
    meta.update({label: value for label, value in spec.header})
    template = Template(
        form_id=spec.id,
        title=spec.title,
        language=spec.language,
        kind="questionnaire",
        page_width=style.page_width,
        page_height=style.page_height,
        pages=tuple(template_pages),
        meta=meta,
        print_digest=print_digest(pages),
    ).with_version()
    return FormLayout(spec, style, tuple(pages), template)
