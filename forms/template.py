"""The template contract: the geometry of a printed form, shared by the printer and the reader.

A template says, for one version of one form, where every page's registration marks, QR code and
fields are.  Units are millimetres with the origin at the page's top-left corner, x to the right
and y downwards, so that a scan (rows top to bottom) maps onto it without flipping.

The template is plain JSON (see docs/template.md); this module is the only place that reads or
writes it.  The version hash is derived from the content, so the same spec always yields the same
version and any change to wording or geometry yields a new one.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

SCHEMA = "palaute.template/1"

# x, y, width, height in millimetres; origin top-left.
Box = tuple[float, float, float, float]

# How a field is read:
#   single    one option expected (boxes or yes/no); two marks are "multiple"
#   multiple  any number of option boxes may be marked
#   likert    one printed number in a row is circled (or ticked, crossed, underlined)
#   text      a free-text area: written or blank, cropped for transcription
#   line      a rating line: the mark's position along it, 0-100
#   zone      an area of a poster where stickers are stuck or tally marks drawn: counted
FieldKind = Literal["single", "multiple", "likert", "text", "line", "zone"]
FIELD_KINDS: tuple[str, ...] = ("single", "multiple", "likert", "text", "line", "zone")

# Colours a zone may carry (the traffic-light vote's zones, and sticker colours).
ZONE_COLOURS: tuple[str, ...] = ("green", "yellow", "red", "blue")

# Keys added after the first release of the schema.  They are left out of the JSON when they
# hold their default, so that templates of forms that do not use them (and their version
# hashes) stay exactly as they were.
_OPTIONAL_FIELD_KEYS = ("colour",)

# The name of the template file attached inside every printed PDF.
ATTACHMENT_NAME = "template.json"

# Registration marks are ArUco markers from this dictionary; marker id i sits at corner i
# (0 top-left, 1 top-right, 2 bottom-right, 3 bottom-left), which fixes orientation.
ARUCO_DICTIONARY = "DICT_4X4_50"


_NUMBER_LIST = re.compile(r"\[\s*((?:-?[\d.]+,?\s*)+)\]")


class TemplateError(ValueError):
    """A template file that does not follow the contract."""


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    box: Box  # where a mark for this option is expected (the checkbox, or the area to circle)


@dataclass(frozen=True)
class Field:
    id: str  # unique within the form, e.g. "q4.03"; export column name
    question: str  # the question it belongs to, e.g. "q4"
    kind: FieldKind
    label: str  # what the respondent read: statement, question text or write-in prompt
    box: Box  # the whole field, used for crops and local re-alignment
    options: tuple[Option, ...] = ()
    lines: int = 0  # text fields: printed writing lines
    parent: str | None = None  # write-ins and follow-ups: the field they belong to
    parent_value: str | None = None  # ...and the parent's answer that makes them relevant
    hint: str | None = None  # conditional hint printed with it ("if you answered no, ...")
    colour: str | None = None  # zones: the colour it stands for (ZONE_COLOURS); else None


@dataclass(frozen=True)
class Mark:
    id: int  # ArUco id == corner index
    box: Box


@dataclass(frozen=True)
class Page:
    number: int  # 1-based
    marks: tuple[Mark, ...]
    qr: Box
    id_text: Box
    fields: tuple[Field, ...] = ()


@dataclass(frozen=True)
class Template:
    form_id: str
    title: str
    language: str
    kind: str  # questionnaire, poster, word_task, ...
    page_width: float
    page_height: float
    pages: tuple[Page, ...]
    version: str = ""  # filled by with_version(); 8 upper-case hex digits
    schema: str = SCHEMA
    meta: dict[str, str] = field(default_factory=dict)  # organisation, month, year, ...
    # A digest of everything printed on the pages (texts, lines, pictures), so that any change
    # of printed wording makes a new version even where no field moves.
    print_digest: str = ""

    # -- identity -------------------------------------------------------------------------
    def content_hash(self) -> str:
        data = self.to_dict()
        data.pop("version", None)
        canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:8].upper()

    def with_version(self) -> Template:
        """The same template, rounded as JSON stores it, with its version hash filled in
        (so that a template read back from JSON compares equal to the one printed)."""
        rounded = Template.from_dict(self.to_dict())
        return replace(rounded, version=rounded.content_hash())

    # -- lookups --------------------------------------------------------------------------
    def page(self, number: int) -> Page:
        for p in self.pages:
            if p.number == number:
                return p
        raise KeyError(f"form {self.form_id} has no page {number}")

    def fields(self) -> Iterator[Field]:
        """Every field in form order (page by page, top to bottom as laid out)."""
        for p in self.pages:
            yield from p.fields

    def field(self, field_id: str) -> Field:
        for f in self.fields():
            if f.id == field_id:
                return f
        raise KeyError(f"form {self.form_id} has no field {field_id}")

    # -- JSON -----------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = _round(asdict(self))
        for page in data["pages"]:
            for f in page["fields"]:
                for key in _OPTIONAL_FIELD_KEYS:
                    if f.get(key) is None:
                        f.pop(key, None)
        return data

    def to_json(self) -> str:
        data = self.to_dict()
        ordered = {
            "schema": data.pop("schema"),
            "form_id": data.pop("form_id"),
            "version": data.pop("version"),
        }
        ordered.update(data)
        text = json.dumps(ordered, ensure_ascii=False, indent=1)
        # Keep each box on one line: [x, y, w, h] reads better than four lines.
        return (
            _NUMBER_LIST.sub(
                lambda m: "[" + ", ".join(m.group(1).split()).replace(",,", ",") + "]", text
            )
            + "\n"
        )

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Template:
        if data.get("schema") != SCHEMA:
            raise TemplateError(
                f"unsupported template schema {data.get('schema')!r}; expected {SCHEMA}"
            )
        try:
            pages = tuple(_page_from(p) for p in data["pages"])
            return cls(
                form_id=str(data["form_id"]),
                title=str(data["title"]),
                language=str(data["language"]),
                kind=str(data["kind"]),
                page_width=float(data["page_width"]),
                page_height=float(data["page_height"]),
                pages=pages,
                version=str(data.get("version", "")),
                schema=SCHEMA,
                meta={str(k): str(v) for k, v in data.get("meta", {}).items()},
                print_digest=str(data.get("print_digest", "")),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise TemplateError(f"template is missing or has a bad value: {exc}") from exc

    @classmethod
    def from_json(cls, text: str) -> Template:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise TemplateError(f"template is not valid JSON: {exc}") from exc
        return cls.from_dict(data)

    @classmethod
    def load(cls, path: Path) -> Template:
        return cls.from_json(path.read_text(encoding="utf-8"))


# A card is cut this far outside its marks, QR and fields.
CARD_MARGIN_MM = 3.0


def card_area(page: Page) -> Box:
    """The card around a card page's marks, QR and fields (template millimetres)."""
    boxes = [m.box for m in page.marks] + [page.qr, page.id_text] + [f.box for f in page.fields]
    x0 = min(b[0] for b in boxes) - CARD_MARGIN_MM
    y0 = min(b[1] for b in boxes) - CARD_MARGIN_MM
    x1 = max(b[0] + b[2] for b in boxes) + CARD_MARGIN_MM
    y1 = max(b[1] + b[3] for b in boxes) + CARD_MARGIN_MM
    return (x0, y0, x1 - x0, y1 - y0)


def read_template_from_pdf(pdf_path: Path) -> Template:
    """The template attached to a PDF printed by palaute: the one reader of that attachment."""
    import pikepdf

    from palaute.errors import InputError

    try:
        with pikepdf.open(pdf_path) as pdf:
            spec = pdf.attachments.get(ATTACHMENT_NAME)
            if spec is None:
                raise InputError("template.not_attached", file=str(pdf_path))
            data = spec.get_file().read_bytes()
    except FileNotFoundError:
        raise InputError("template.file_not_found", file=str(pdf_path)) from None
    except (pikepdf.PdfError, OSError) as exc:
        raise InputError("template.bad_pdf", file=str(pdf_path), problem=str(exc)) from None
    try:
        return Template.from_json(data.decode("utf-8"))
    except (TemplateError, UnicodeDecodeError) as exc:
        raise InputError("template.bad_template", file=str(pdf_path), problem=str(exc)) from None


def _box(v: Any) -> Box:
    x, y, w, h = (float(a) for a in v)
    return (x, y, w, h)


def _page_from(p: dict[str, Any]) -> Page:
    return Page(
        number=int(p["number"]),
        marks=tuple(Mark(id=int(m["id"]), box=_box(m["box"])) for m in p["marks"]),
        qr=_box(p["qr"]),
        id_text=_box(p["id_text"]),
        fields=tuple(_field_from(f) for f in p.get("fields", [])),
    )


def _field_from(f: dict[str, Any]) -> Field:
    kind = f["kind"]
    if kind not in FIELD_KINDS:
        raise TemplateError(f"unknown field kind {kind!r} in field {f.get('id')}")
    colour = f.get("colour")
    if colour is not None and colour not in ZONE_COLOURS:
        raise TemplateError(f"unknown zone colour {colour!r} in field {f.get('id')}")
    return Field(
        id=str(f["id"]),
        question=str(f["question"]),
        kind=kind,
        label=str(f.get("label", "")),
        box=_box(f["box"]),
        options=tuple(
            Option(value=str(o["value"]), label=str(o["label"]), box=_box(o["box"]))
            for o in f.get("options", [])
        ),
        lines=int(f.get("lines", 0)),
        parent=f.get("parent"),
        parent_value=f.get("parent_value"),
        hint=f.get("hint"),
        colour=colour,
    )


def _round(obj: Any) -> Any:
    """Round floats so that the JSON (and so the version hash) is stable across platforms."""
    if isinstance(obj, float):
        return round(obj, 3)
    if isinstance(obj, dict):
        return {k: _round(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_round(v) for v in obj]
    return obj
