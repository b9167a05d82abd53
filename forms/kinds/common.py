"""What the method kinds share: paper sizes, reading the ``form:`` block and item lists, wrapped
text, the header band, and turning pages into a FormLayout with its template."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from forms import fonts
from forms.geometry import DEFAULT_STYLE, Style
from forms.layout import Align, FormLayout, PageLayout, Primitive, Text, print_digest
from forms.shapes import RGB
from forms.spec import LANGUAGES, Checker, FormSpec, MethodSpec, SpecError
from forms.template import Box, Mark, Page, Template
from forms.yamlsource import LineDict, LineList
from palaute import i18n
from palaute.errors import InputError

# Paper sizes in millimetres, portrait.
PAPERS: dict[str, tuple[float, float]] = {
    "A4": (210.0, 297.0),
    "A3": (297.0, 420.0),
    "A2": (420.0, 594.0),
}
BASE_FORM_KEYS = {"kind", "id", "title", "language", "organisation", "paper"}


def style_for(paper: str) -> Style:
    """The page style for a paper size: marks, QR and margins grow with the paper, so that a
    phone photo of a poster taken from a few steps away still finds them."""
    width, height = PAPERS[paper]
    if paper == "A4":
        return DEFAULT_STYLE
    scale = width / PAPERS["A4"][0]
    return replace(
        DEFAULT_STYLE,
        page_width=width,
        page_height=height,
        mark_size=10.0 * scale,
        mark_inset=7.0 * scale,
        qr_module=0.6 * scale,
        qr_quiet=2.4 * scale,
        content_left=20.0 * scale,
        content_right=width - 20.0 * scale,
        content_top=33.0 * scale,
        content_bottom=height - 23.0 * scale,
        page_id_pt=6.0 * scale,
        footer_pt=9.0 * scale,
    )


# -- reading specs ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One item of a method's list: its id, its text, the mapping it came from (if any)."""

    id: str
    text: str
    line: int
    data: LineDict | None


def read_head(
    check: Checker,
    data: Any,
    path: Path,
    kind: str,
    extra_keys: set[str],
    papers: tuple[str, ...] = ("A4",),
    items: bool = True,
) -> tuple[LineDict, dict[str, Any]]:
    """Check the top level and the ``form:`` block common to every kind.

    Returns the form mapping (for the kind's own keys) and the MethodSpec keyword arguments.
    Raises SpecError at once when the document is not even shaped like a spec.
    """
    if not isinstance(data, LineDict):
        raise SpecError([InputError("spec.not_mapping", file=str(path), line=1, where="spec")])
    check.keys(data, {"form", "items"} if items else {"form"}, "spec")
    form = check.mapping(data.get("form"), data.line_of("form"), "form")
    if form is None:
        raise SpecError(check.problems)
    check.keys(form, BASE_FORM_KEYS | extra_keys, f"form ({kind})")
    form_id = check.new_id(form.get("id"), form.line_of("id"), "form")
    title = check.text(form, "title", "form")
    language = check.text(form, "language", "form")
    if language and language not in LANGUAGES:
        check.fail(
            "spec.bad_language",
            form.line_of("language"),
            value=language,
            allowed=", ".join(LANGUAGES),
        )
    if language in LANGUAGES:
        check.language = language
    paper = str(form.get("paper", papers[0]))
    if paper not in papers:
        check.fail(
            "spec.bad_paper",
            form.line_of("paper"),
            value=paper,
            kind=kind,
            allowed=", ".join(papers),
        )
        paper = papers[0]
    base = {
        "kind": kind,
        "id": form_id,
        "title": title,
        "language": language if language in LANGUAGES else "fi",
        "organisation": check.text(form, "organisation", "form", required=False),
        "paper": paper,
        "source": str(path),
    }
    return form, base


def read_entries(
    check: Checker,
    data: LineDict,
    kind: str,
    keys: set[str],
    id_prefix: str,
    text_key: str = "text",
    max_count: int = 60,
) -> list[Entry]:
    """The ``items:`` list: each entry a plain string or a mapping with ``id`` and ``text_key``
    (plus the kind's own keys).  Plain strings get ids ``<prefix>01``, ``<prefix>02``, ..."""
    raw = data.get("items")
    line = data.line_of("items")
    if not isinstance(raw, list) or not raw:
        check.fail("spec.no_items", line)
        return []
    if len(raw) > max_count:
        check.fail("spec.too_many_items", line, count=len(raw), max=max_count, kind=kind)
    out: list[Entry] = []
    for n, item in enumerate(raw, start=1):
        item_line = raw.line_of_item(n - 1) if isinstance(raw, LineList) else line
        if isinstance(item, str):
            text = " ".join(item.split())
            missing = fonts.missing_glyphs(text)
            if missing:
                check.fail("spec.missing_glyph", item_line, chars=" ".join(sorted(missing)))
            out.append(
                Entry(check.new_id(f"{id_prefix}{n:02d}", item_line, kind), text, item_line, None)
            )
            continue
        mapping = check.mapping(item, item_line, f"items[{n}]")
        if mapping is None:
            continue
        check.keys(mapping, {"id", text_key} | keys, f"{kind} items[{n}]")
        raw_id = mapping.get("id", f"{id_prefix}{n:02d}")
        entry_id = check.new_id(raw_id, mapping.line_of("id"), f"{kind} items[{n}]")
        text = check.text(mapping, text_key, f"{kind} items[{n}]")
        out.append(Entry(entry_id, text, mapping.line, mapping))
    return out


def read_int(
    check: Checker, data: LineDict, key: str, where: str, default: int, low: int, high: int
) -> int:
    value = data.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        check.fail("spec.bad_number", data.line_of(key), key=key, where=where, low=low, high=high)
        return default
    return value


def read_choice(
    check: Checker, data: LineDict, key: str, where: str, allowed: tuple[str, ...]
) -> str:
    value = str(data.get(key, allowed[0]))
    if value not in allowed:
        check.fail(
            "spec.bad_choice",
            data.line_of(key),
            key=key,
            where=where,
            value=value,
            allowed=", ".join(allowed),
        )
        return allowed[0]
    return value


def finish(check: Checker) -> None:
    if check.problems:
        raise SpecError(check.problems)


# -- laying out --------------------------------------------------------------------------------


def wrap_checked(
    spec: MethodSpec, text: str, width: float, size: float, bold: bool = False
) -> list[str]:
    """Word-wrapped lines; a single word wider than the line is an error naming the word."""
    lines = fonts.wrap(text, width, size, bold)
    for word in text.split():
        if fonts.width_mm(word, size, bold) > width:
            raise InputError(
                "layout.word_too_wide", file=spec.source, word=word, width=f"{width:.0f}"
            )
    return lines


def text_block(
    spec: MethodSpec,
    text: str,
    x: float,
    top: float,
    width: float,
    size: float,
    bold: bool = False,
    align: Align = "left",
    colour: RGB | None = None,
    leading: float = 1.2,
) -> tuple[list[Primitive], float]:
    """Wrapped text starting at ``top``: primitives and the height used.  ``x`` is the left edge
    of the column whatever the alignment."""
    lines = wrap_checked(spec, text, width, size, bold)
    step = size * leading * fonts.PT
    ascent, _ = fonts.ascent_descent_mm(size)
    anchor = {"left": x, "center": x + width / 2, "right": x + width}[align]
    prims: list[Primitive] = [
        Text(anchor, top + ascent + i * step, line, size, bold, align=align, colour=colour)
        for i, line in enumerate(lines)
    ]
    return prims, len(lines) * step


def header_band(spec: MethodSpec, style: Style, title: str, title_pt: float) -> list[Primitive]:
    """Organisation and title in the band between the top marks and the QR."""
    hx, hy, hw, hh = style.header_box()
    prims: list[Primitive] = []
    y = hy + 1.0
    org_pt = title_pt * 0.75
    if spec.organisation:
        ascent, _ = fonts.ascent_descent_mm(org_pt)
        prims.append(Text(hx, y + ascent, spec.organisation, org_pt, bold=True, grey=0.25))
        y += org_pt * 1.25 * fonts.PT + 0.5
    lines = wrap_checked(spec, title, hw, title_pt, bold=True)
    step = title_pt * 1.2 * fonts.PT
    if y + len(lines) * step > hy + hh:
        raise InputError("layout.title_too_long", file=spec.source)
    ascent, _ = fonts.ascent_descent_mm(title_pt)
    for i, line in enumerate(lines):
        prims.append(Text(hx, y + ascent + i * step, line, title_pt, bold=True))
    return prims


def footer(style: Style, text: str) -> Text:
    return Text(
        style.page_width / 2,
        style.footer_baseline(),
        text,
        style.footer_pt,
        align="center",
        grey=0.3,
    )


def default_page(style: Style, number: int, fields: tuple[Any, ...]) -> Page:
    """A template page with the style's corner marks and QR."""
    return Page(
        number=number,
        marks=tuple(Mark(i, box) for i, box in enumerate(style.mark_boxes())),
        qr=style.qr_box(),
        id_text=style.id_text_box(),
        fields=fields,
    )


def build_layout(
    spec: MethodSpec,
    style: Style,
    pages: list[PageLayout],
    template_pages: list[Page] | None = None,
    meta: dict[str, str] | None = None,
) -> FormLayout:
    """The FormLayout and its versioned template.  Unless given, each printed page is one
    template page with the style's marks and QR."""
    if template_pages is None:
        template_pages = [default_page(style, p.number, p.fields) for p in pages]
    info = {"organisation": spec.organisation, "paper": spec.paper}
    info.update(meta or {})
    template = Template(
        form_id=spec.id,
        title=spec.title,
        language=spec.language,
        kind=spec.kind,
        page_width=style.page_width,
        page_height=style.page_height,
        pages=tuple(template_pages),
        meta=info,
        print_digest=print_digest(pages),
    ).with_version()
    common = FormSpec(
        id=spec.id,
        title=spec.title,
        language=spec.language,
        organisation=spec.organisation,
        items=(),
        numbering=False,
        source=spec.source,
    )
    return FormLayout(common, style, tuple(pages), template, method=spec)


def content_box(style: Style) -> Box:
    return (
        style.content_left,
        style.content_top,
        style.content_right - style.content_left,
        style.content_bottom - style.content_top,
    )


@dataclass
class Row:
    """A piece of a sheet that is never split across pages; y relative to its top."""

    height: float
    prims: list[Primitive]
    fields: list[Any]
    gap_before: float = 0.0
    label: str = ""


def _moved_field(f: Any, dy: float) -> Any:
    def shift(box: Box) -> Box:
        return (box[0], box[1] + dy, box[2], box[3])

    return replace(
        f, box=shift(f.box), options=tuple(replace(o, box=shift(o.box)) for o in f.options)
    )


def flow(
    spec: MethodSpec,
    style: Style,
    rows: list[Row],
    first_top: float,
    repeat: Row | None = None,
) -> list[tuple[list[Primitive], list[Any]]]:
    """Rows down the pages from ``first_top`` (page 1) or the content top (later pages);
    ``repeat`` (a column header) is printed at the top of every page before the rows."""
    pages: list[tuple[list[Primitive], list[Any]]] = []
    y = 0.0

    def new_page(top: float) -> None:
        nonlocal y
        pages.append(([], []))
        y = top
        if repeat is not None:
            place(repeat, y)
            y += repeat.height

    def place(row: Row, top: float) -> None:
        prims, fields = pages[-1]
        prims.extend(p.moved(top) for p in row.prims)
        fields.extend(_moved_field(f, top) for f in row.fields)

    new_page(first_top)
    at_top = True
    for row in rows:
        if row.height > style.content_bottom - style.content_top - (repeat.height if repeat else 0):
            raise InputError("layout.too_tall", file=spec.source, question=row.label)
        gap = 0.0 if at_top else row.gap_before
        if y + gap + row.height > style.content_bottom:
            new_page(style.content_top)
            gap = 0.0
        place(row, y + gap)
        y += gap + row.height
        at_top = False
    return pages


def sheet_pages(
    spec: MethodSpec,
    style: Style,
    title_pt: float,
    intro: list[Primitive],
    flowed: list[tuple[list[Primitive], list[Any]]],
) -> list[PageLayout]:
    """Flowed rows as pages: the title band and "page n/N" on each, the intro on the first."""
    pages: list[PageLayout] = []
    for number, (prims, fields) in enumerate(flowed, start=1):
        chrome: list[Primitive] = header_band(spec, style, spec.title, title_pt)
        chrome.append(
            footer(style, i18n.t("form.page_of", spec.language, page=number, pages=len(flowed)))
        )
        if number == 1:
            chrome += intro
        pages.append(PageLayout(number, tuple(chrome + prims), tuple(fields)))
    return pages
