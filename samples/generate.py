"""Generate a batch of filled, scanned questionnaires with ground truth.

:func:`generate` writes scan files and ``truth.json`` to a folder; :class:`Batch` streams the pages
(image as the reader would receive it, plus truth) without writing anything, for benchmarks that
run the reader over thousands of pages.

Randomness is split by purpose so that results are stable: answers depend only on the seed and the
respondent number (not on the profile or the format), the ink on a page only on the respondent and
page, and the scanner effects on the position of the sheet in the stack.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from forms.template import Template
from palaute.errors import InputError
from samples import effects, scanner_sim, synthetic, visibility, writers
from samples.answers import HANDS, FieldPlan, Hands, Persona, plan_answers
from samples.effects import Record
from samples.filler import fill_page
from samples.scanner_sim import PROFILES, Profile
from samples.source import FormSource, PdfFormSource
from samples.truth import (
    BLANK_BACK,
    BLANK_SHEET,
    FORM,
    OTHER_FORM,
    FieldTruth,
    GroundTruth,
    PageTruth,
    RespondentTruth,
)

log = logging.getLogger(__name__)

DPIS = (150, 200, 300, 600)

# Stream identifiers that keep the random draws for different purposes independent.
_ANSWERS, _HANDLING, _INK, _SCAN, _BATCH, _PRINT = 1, 2, 3, 4, 5, 6


@dataclass
class Sheet:
    kind: str
    respondent: int | None = None
    form_page: int | None = None
    copy: int = 0
    back_of: int | None = None  # for a blank back: index of its front in the sheet list


@dataclass
class SamplePage:
    """One scanned page: the image a reader receives, its truth, and the truths of its fields."""

    image: np.ndarray  # (H, W, 3) RGB, (H, W) grey uint8, or (H, W) bool bilevel (True = white)
    truth: PageTruth
    fields: list[FieldTruth] = field(default_factory=list)
    quality: int | None = None  # JPEG quality the writer encodes with (None: lossless/bilevel)


@dataclass
class _Respondent:
    truth: RespondentTruth
    persona: Persona
    plans: dict[str, FieldPlan]


def _check(fmt: str, profile: str, respondents: int, dpi: int) -> Profile:
    if fmt not in writers.FORMATS:
        raise InputError("samples.bad_format", format=fmt, choices=", ".join(writers.FORMATS))
    if profile not in PROFILES:
        raise InputError("samples.bad_profile", profile=profile, choices=", ".join(PROFILES))
    if respondents < 1:
        raise InputError("samples.bad_respondents", count=respondents)
    if not 72 <= dpi <= 1200:
        raise InputError("samples.bad_dpi", dpi=dpi)
    return PROFILES[profile]


class Batch:
    """A planned batch: respondents' answers and the order of sheets in the scanned stack."""

    def __init__(
        self,
        source: FormSource,
        respondents: int,
        seed: int,
        fmt: str = "pdf-jpeg",
        profile: str | Profile = "default",
        dpi: int = 200,
        hands: str | Hands = "typical",
    ) -> None:
        if isinstance(hands, str):
            if hands not in HANDS:
                raise InputError("samples.bad_hands", hands=hands, choices=", ".join(HANDS))
            hands = HANDS[hands]
        self.hands = hands
        if isinstance(profile, Profile):  # a custom profile (tests, experiments)
            _check(fmt, "default", respondents, dpi)
            self.profile = profile
        else:
            self.profile = _check(fmt, profile, respondents, dpi)
        self.source = source
        self.template: Template = source.template
        self.seed = seed
        self.fmt = fmt
        self.dpi = dpi
        rng = np.random.default_rng([seed, _BATCH])
        self.colour = self._colour_mode(rng)
        self.gray_method = "green" if rng.random() < 0.15 else "luma"
        self.duplex = bool(rng.random() < self.profile.duplex)
        if respondents > source.copies and source.serial(0) is not None:
            log.warning(
                "%d respondents share %d serialised copies: serials repeat",
                respondents,
                source.copies,
            )
        self.respondents = [self._respondent(r) for r in range(1, respondents + 1)]
        self.sheets = self._stack(rng)
        self._other = synthetic.synthetic_template("toinen-lomake", "Hakemus / ilmoitus")

    # -- planning -------------------------------------------------------------------------
    def _colour_mode(self, rng: np.random.Generator) -> str:
        bilevel_images, colour = rng.random(), rng.random()  # always two draws: stable streams
        if self.fmt in writers.BILEVEL_FORMATS:
            return "bilevel"
        if self.fmt == "images" and bilevel_images < 0.15 and self.profile.name != "none":
            return "bilevel"
        return "rgb" if colour < self.profile.colour else "gray"

    def _respondent(self, number: int) -> _Respondent:
        rng = np.random.default_rng([self.seed, _ANSWERS, number])
        persona = Persona.random(rng)
        plans = plan_answers(self.template, persona, rng, self.hands)
        pages = [p.number for p in self.template.pages]
        handling = np.random.default_rng([self.seed, _HANDLING, number])
        missing: list[int] = []
        if len(pages) > 1 and handling.random() < self.profile.missing_page:
            gone = int(handling.choice(pages))
            pages.remove(gone)
            missing.append(gone)
        if len(pages) > 1 and handling.random() < self.profile.out_of_order:
            if handling.random() < 0.3:
                pages.reverse()
            else:
                i, j = (int(v) for v in handling.choice(len(pages), 2, replace=False))
                pages[i], pages[j] = pages[j], pages[i]
        copy = (number - 1) % self.source.copies
        truth = RespondentTruth(
            respondent=number,
            serial=self.source.serial(copy),
            pen=persona.pen,
            hand="cursive" if persona.hand.cursive else Path(persona.hand.font).stem,
            pages=pages,
            missing_pages=missing,
            fields=[p.truth for p in plans],
        )
        return _Respondent(truth, persona, {p.truth.field_id: p for p in plans})

    def _stack(self, rng: np.random.Generator) -> list[Sheet]:
        fronts: list[Sheet] = []
        for resp in self.respondents:
            copy = (resp.truth.respondent - 1) % self.source.copies
            for page in resp.truth.pages:
                fronts.append(Sheet(FORM, resp.truth.respondent, page, copy))
        if rng.random() < self.profile.other_form:
            fronts.insert(int(rng.integers(0, len(fronts) + 1)), Sheet(OTHER_FORM))
        if rng.random() < self.profile.blank_sheet:
            fronts.insert(int(rng.integers(0, len(fronts) + 1)), Sheet(BLANK_SHEET))
        if not self.duplex:
            return fronts
        stack: list[Sheet] = []
        for sheet in fronts:
            stack.append(sheet)
            stack.append(
                Sheet(BLANK_BACK, sheet.respondent, None, sheet.copy, back_of=len(stack) - 1)
            )
        return stack

    # -- drawing --------------------------------------------------------------------------
    def _front_image(
        self, sheet: Sheet, printed: dict[str, object] | None
    ) -> tuple[np.ndarray, PageTruth, list[FieldTruth], np.ndarray | None]:
        """The sheet as it goes into the scanner, its truth, its fields' truths, and (for a form
        page) the same printed page without ink."""
        truth = PageTruth(
            file="",
            index=0,
            kind=sheet.kind,
            respondent=sheet.respondent,
            form_page=sheet.form_page,
            serial=None,
            rotation=0,
            dpi=self.dpi,
            colour=self.colour,
        )
        if sheet.kind == FORM and sheet.respondent is not None and sheet.form_page is not None:
            resp = self.respondents[sheet.respondent - 1]
            page = self.template.page(sheet.form_page)
            base = self.source.render(sheet.copy, sheet.form_page, self.dpi)
            if printed:
                base = effects.printing(base, printed, self.dpi)
            ink = np.random.default_rng([self.seed, _INK, sheet.respondent, sheet.form_page])
            img, strays = fill_page(
                base, self.template, page, resp.plans, resp.persona, ink, self.dpi
            )
            truth.serial = resp.truth.serial
            truth.version = self.template.version
            truth.strays = strays
            fields = [resp.plans[f.id].truth for f in page.fields if f.id in resp.plans]
            return img, truth, fields, base
        if sheet.kind == OTHER_FORM:
            rng = np.random.default_rng([self.seed, _INK, 0, 0])
            if rng.random() < 0.4:  # some other paper altogether: no markers, no QR code
                return (
                    synthetic.render_letter(
                        self.dpi, (self.template.page_width, self.template.page_height)
                    ),
                    truth,
                    [],
                    None,
                )
            persona = Persona.random(rng)
            plans = {
                p.truth.field_id: p for p in plan_answers(self._other, persona, rng, self.hands)
            }
            base = synthetic.render_page(self._other, 1, self.dpi)
            if printed:
                base = effects.printing(base, printed, self.dpi)
            img, _ = fill_page(
                base, self._other, self._other.pages[0], plans, persona, rng, self.dpi
            )
            truth.version = self._other.version
            return img, truth, [], None
        return self._white(), truth, [], None

    def _white(self) -> np.ndarray:
        s = self.dpi / 25.4
        h, w = round(self.template.page_height * s), round(self.template.page_width * s)
        return np.full((h, w, 3), 255, np.uint8)

    def pages(self, encode: bool = True) -> Iterator[SamplePage]:
        """Every scanned page in stack order.

        With ``encode`` the image is exactly what a reader would decode from the output file
        (JPEG artefacts included); without it, the image the writer is about to encode.
        """
        fronts: dict[int, np.ndarray] = {}
        for i, sheet in enumerate(self.sheets):
            scan_rng = np.random.default_rng([self.seed, _SCAN, i])
            fields: list[FieldTruth] = []
            blank: np.ndarray | None = None
            if sheet.kind == BLANK_BACK and sheet.back_of is not None:
                front = fronts.pop(sheet.back_of, None)
                img = (
                    self._white()
                    if front is None
                    else effects.show_through(front, float(scan_rng.uniform(0.02, 0.07)))
                )
                truth = PageTruth(
                    "", 0, BLANK_BACK, sheet.respondent, None, None, 0, self.dpi, self.colour
                )
            else:
                print_rng = np.random.default_rng([self.seed, _PRINT, i])
                printed = scanner_sim.plan_printing(print_rng, self.profile)
                if sheet.kind == BLANK_SHEET:
                    printed = None
                img, truth, fields, blank = self._front_image(sheet, printed)
                if printed:
                    truth.degradations = [printed]
                if self.duplex:
                    fronts[i] = img
            drawn = img
            if self.colour != "rgb":  # a greyscale scanner: the sensor sees grey from the start
                img = effects.to_gray(img, self.gray_method)
            plan = scanner_sim.plan_scan(
                scan_rng, self.profile, (self.template.page_width, self.template.page_height)
            )
            matrix, size = scanner_sim.page_transform(img.shape, plan, self.dpi)
            truth.size = [size[0], size[1]]
            truth.transform = [[round(float(v), 5) for v in row] for row in matrix[:2]]
            img = scanner_sim.apply(img, plan, self.dpi)
            truth.rotation = plan.rotation
            quality, bilevel = self._colour_choice(scan_rng)
            out = self._convert(img, bilevel)
            colour_recs = scanner_sim.colour_record(self.colour, self.gray_method, bilevel, quality)
            if blank is not None and fields and bilevel is not None:
                # the same sheet without ink through the same scanner: what survived the scan?
                # (only a bilevel threshold erases light ink; grey scans keep it)
                paper = blank
                if self.colour != "rgb":
                    blank = effects.to_gray(blank, self.gray_method)
                blank = scanner_sim.apply(blank, plan, self.dpi)
                blank_out = self._convert(blank, bilevel)
                page = self.template.page(truth.form_page or 0)
                visibility.settle(page, fields, out, blank_out, matrix, drawn, paper, self.dpi)
            gray = [r for r in colour_recs if r["name"] == "gray"]
            rest = [r for r in colour_recs if r["name"] != "gray"]
            truth.degradations = truth.degradations + gray + plan.records() + rest  # as applied
            truth.expect, truth.accept = expected_page_status(truth)
            if encode and quality is not None:
                out = writers.decode(writers.encode_jpeg(out, self.dpi, quality))
            yield SamplePage(out, truth, fields, quality)

    def _colour_choice(self, rng: np.random.Generator) -> tuple[int | None, Record | None]:
        """JPEG quality (None for bilevel) and the bilevel setting (None unless bilevel)."""
        if self.colour == "bilevel":
            return None, scanner_sim.plan_bilevel(rng, self.profile)
        quality = int(rng.integers(self.profile.jpeg_quality[0], self.profile.jpeg_quality[1] + 1))
        return quality, None

    def _convert(self, img: np.ndarray, bilevel: Record | None) -> np.ndarray:
        """The scanner's colour mode.  An Otsu setting gets the level it used written into it,
        so that a second image (the blank sheet) is converted the same way."""
        out = img
        if self.colour in ("gray", "bilevel"):
            out = effects.to_gray(img, self.gray_method)
        if self.colour == "bilevel" and bilevel is not None:
            if bilevel["method"] == "otsu" and "level" not in bilevel:
                bilevel["level"] = effects.otsu_level(out)
            out = effects.bilevel(out, bilevel, self.dpi)
        return out

    def ground_truth(self, profile_name: str) -> GroundTruth:
        return GroundTruth(
            form_id=self.template.form_id,
            version=self.template.version,
            seed=self.seed,
            profile=profile_name,
            format=self.fmt,
            dpi=self.dpi,
            respondents=[r.truth for r in self.respondents],
            batch={
                "duplex": self.duplex,
                "colour": self.colour,
                "gray_method": self.gray_method,
                "sheets": len(self.sheets),
                "copies_in_form": self.source.copies,
                "hands": self.hands.name,
            },
        )


def expected_page_status(truth: PageTruth) -> tuple[str, list[str]]:
    """What a perfect reader says about a page, and what else is no mistake.

    A form page is read; it may be flagged when the scan is hard (a staple over a corner marker,
    a stain, a sideways feed, strong skew, dithering, low resolution).  Blank backs and sheets are
    blank.  A page of another palaute form is rejected (unknown version); other paper has no page
    ID at all, so unidentified is no mistake either.
    """
    if truth.kind == FORM:
        names = {d["name"]: d for d in truth.degradations}
        hard = (
            "staple" in names
            or "stain" in names
            or truth.rotation in (90, 270)
            or abs(names.get("geometry", {}).get("skew_deg", 0.0)) > 2.0
            or names.get("bilevel", {}).get("method") == "dither"
            or truth.dpi <= 150
        )
        return "read", ["flagged"] if hard else []
    if truth.kind in (BLANK_BACK, BLANK_SHEET):
        return "blank", []
    return "rejected", [] if truth.version else ["unidentified"]


def iter_pages(
    form_pdf: Path,
    respondents: int,
    seed: int,
    fmt: str = "pdf-jpeg",
    profile: str = "default",
    dpi: int = 200,
    hands: str = "typical",
) -> Iterator[SamplePage]:
    """Stream the pages of a batch without writing files (images as a reader would decode them)."""
    batch = Batch(PdfFormSource(form_pdf), respondents, seed, fmt, profile, dpi, hands)
    yield from batch.pages(encode=True)


def generate(
    form_pdf: Path,
    out_dir: Path,
    respondents: int,
    seed: int,
    fmt: str = "pdf-jpeg",
    profile: str = "default",
    dpi: int = 200,
    source: FormSource | None = None,
    hands: str = "typical",
) -> GroundTruth:
    """Write a scanned batch and its ``truth.json`` into ``out_dir``; return the truth."""
    batch = Batch(source or PdfFormSource(form_pdf), respondents, seed, fmt, profile, dpi, hands)
    return write_batch(batch, out_dir)


STALE = ("scan.pdf", "scan.tif", "scan_*.jpg", "scan_*.png", "truth.json")


def write_batch(batch: Batch, out_dir: Path) -> GroundTruth:
    """Write ``batch`` into ``out_dir`` (files of an earlier batch there are replaced)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for pattern in STALE:  # a smaller earlier batch must not leave pages behind
        for old in out_dir.glob(pattern):
            old.unlink()
    writer = writers.writer_for(batch.fmt, out_dir)
    truth = batch.ground_truth(batch.profile.name)
    for page in batch.pages(encode=False):
        page.truth.file, page.truth.index = writer.add(page.image, batch.dpi, page.quality)
        truth.pages.append(page.truth)
    truth.files = writer.close()
    truth.save(out_dir / "truth.json")
    log.info(
        "wrote %d pages for %d respondents to %s", len(truth.pages), len(truth.respondents), out_dir
    )
    return truth
