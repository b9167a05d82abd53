"""The client-feedback-day flyer (asiakaspalautepäivä), from the seed guide's announcement:
office, address, date and time come from the spec, the rest of the wording from the catalogue
(palaute/locale/*/methods.json) unless the spec gives its own.  Printed only, never read: the
page has no registration marks and no QR (its template page has no marks and empty QR boxes)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from forms import fonts
from forms.kinds.common import build_layout, finish, read_head, style_for, text_block
from forms.kinds.faces import face
from forms.layout import FormLayout, PageLayout, Primitive, Text
from forms.shapes import ZONE_RGB, Circle, Fill
from forms.spec import Checker, MethodSpec
from forms.template import Page
from palaute import i18n
from palaute.errors import InputError

FLYER = "flyer"
KIND_NAMES = (FLYER,)
_DEFAULT_POINTS = ("methods.flyer_point_1", "methods.flyer_point_2", "methods.flyer_point_3")


@dataclass(frozen=True)
class FlyerSpec(MethodSpec):
    office: str = ""
    address: str = ""
    date: str = ""
    time: str = ""
    points: tuple[str, ...] = ()
    coffee: bool = True
    carried_out_by: str = ""
    organisers: str = ""


@dataclass(frozen=True)
class FlyerGeometry:
    band: float = 40.0  # the coloured headline band...
    band_inset: float = 10.0  # ...this far from the paper's edges
    headline_pt: float = 34.0
    office_pt: float = 22.0
    address_pt: float = 16.0
    when_pt: float = 20.0
    point_pt: float = 18.0
    coffee_pt: float = 20.0
    small_pt: float = 11.5
    motto_pt: float = 24.0
    bullet_r: float = 2.2
    face_r: float = 11.0
    left: float = 22.0
    gap: float = 10.0

    def fitted(self, step: float) -> FlyerGeometry:
        """Spacing scaled by ``step`` squared, type sizes by ``step`` (never below 11 pt)."""
        sizes = {k: max(11.0, v * step) for k, v in self.__dict__.items() if k.endswith("_pt")}
        gaps = {"gap": self.gap * step * step, "face_r": self.face_r * step}
        return replace(self, **sizes, **gaps)


GEOMETRY = FlyerGeometry()
BLUE = ZONE_RGB["blue"]


def load(data: Any, path: Path, kind: str) -> FlyerSpec:
    check = Checker(path)
    keys = {"office", "address", "date", "time", "coffee", "carried_out_by", "organisers"}
    form, base = read_head(check, data, path, kind, keys)
    values = {k: check.text(form, k, "form") for k in ("office", "address", "date", "time")}
    optional = {
        k: check.text(form, k, "form", required=False) for k in ("carried_out_by", "organisers")
    }
    coffee = form.get("coffee", True)
    if not isinstance(coffee, bool):
        check.fail("spec.not_bool", form.line_of("coffee"), key="coffee", where="form")
        coffee = True
    points: list[str] = []
    raw = data.get("items")
    if raw is not None:
        if not isinstance(raw, list) or not all(isinstance(p, str) for p in raw):
            check.fail("spec.flyer_points", data.line_of("items"))
        else:
            points = [" ".join(p.split()) for p in raw]
    finish(check)
    if not points:
        points = [i18n.t(key, base["language"]) for key in _DEFAULT_POINTS]
    return FlyerSpec(**base, **values, **optional, points=tuple(points), coffee=coffee)


# Longer wording (another language, a long address) first closes up the spacing, then shrinks
# the type a little; the floor is FIT_STEPS' last entry.
FIT_STEPS = (1.0, 0.9, 0.8)


def layout(spec: MethodSpec) -> FormLayout:
    assert isinstance(spec, FlyerSpec)
    style = style_for(spec.paper)
    for step in FIT_STEPS:
        g = GEOMETRY.fitted(step)
        prims, bottom = _compose(spec, style, g)
        if bottom <= style.page_height - g.band_inset:
            page = PageLayout(1, tuple(prims), (), marks=(), ids=())
            empty = (0.0, 0.0, 0.0, 0.0)
            return build_layout(spec, style, [page], [Page(1, (), empty, empty)])
    raise InputError("layout.too_tall", file=spec.source, question="flyer")


def _compose(spec: FlyerSpec, style: Any, g: FlyerGeometry) -> tuple[list[Primitive], float]:
    """The flyer's primitives and how far down the page they reach."""
    lang = spec.language
    width = style.page_width - 2 * g.left
    i = g.band_inset
    prims: list[Primitive] = [Fill(i, i, style.page_width - 2 * i, g.band, BLUE, radius=4.0)]
    head, head_h = text_block(
        spec, spec.title, g.left, 0, width, g.headline_pt, True, "center", (1.0, 1.0, 1.0)
    )
    prims += [p.moved(i + (g.band - head_h) / 2) for p in head]
    y = i + g.band + g.gap

    def centred(text: str, size: float, bold: bool = False, colour: Any = None) -> None:
        nonlocal y
        block, h = text_block(spec, text, g.left, y, width, size, bold, "center", colour)
        prims.extend(block)
        y += h + 2.0

    centred(spec.office, g.office_pt, bold=True)
    centred(spec.address, g.address_pt)
    centred(f"{spec.date}, {spec.time}", g.when_pt, bold=True, colour=BLUE)
    y += g.gap
    for point in spec.points:
        block, h = text_block(spec, point, g.left + 10.0, y, width - 10.0, g.point_pt, bold=True)
        first = block[0]
        centre_y = first.y - 0.36 * g.point_pt * fonts.PT if isinstance(first, Text) else y
        prims.append(Circle(g.left + 3.0, centre_y, g.bullet_r, 0.5, None, BLUE))
        prims.extend(block)
        y += h + 5.0
    y += g.gap / 2
    for n, mood in enumerate(("happy", "thinking", "talking")):
        prims += face(mood, style.page_width / 2 + (n - 1) * 38.0, y + g.face_r + 4.0, g.face_r)
    y += 2 * g.face_r + 4.0 + g.gap + 4.0
    if spec.coffee:
        centred(i18n.t("methods.flyer_coffee", lang), g.coffee_pt, bold=True)
        y += g.gap / 2
    centred(i18n.t("methods.flyer_confidential", lang), g.small_pt)
    if spec.carried_out_by:
        centred(spec.carried_out_by, g.small_pt)
    y += g.gap / 2
    centred(i18n.t("methods.flyer_motto", lang), g.motto_pt, bold=True, colour=BLUE)
    if spec.organisers:
        y += g.gap / 2
        centred(i18n.t("methods.flyer_organisers", lang), g.small_pt, bold=True)
        centred(spec.organisers, g.small_pt)
    return prims, y
