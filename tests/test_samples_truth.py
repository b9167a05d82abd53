"""The ground truth follows the reader's conventions and describes the stack that was produced."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest

from forms.template import Template
from samples.answers import HANDS, Persona, plan_answers
from samples.generate import Batch
from samples.scanner_sim import PROFILES
from samples.source import PdfFormSource, SyntheticFormSource
from samples.synthetic import synthetic_template
from samples.truth import EXPECT_STATUSES, PAGE_KINDS, GroundTruth


def check_field_conventions(template: Template, truth: GroundTruth) -> None:
    for resp in truth.respondents:
        assert [f.field_id for f in resp.fields] == [f.id for f in template.fields()]
        for ft in resp.fields:
            f = template.field(ft.field_id)
            values = [o.value for o in f.options]
            assert ft.expect in EXPECT_STATUSES
            assert set(ft.accept) <= set(EXPECT_STATUSES)
            if f.kind in ("single", "likert"):
                assert ft.value is None or ft.value in values
                assert (ft.value is not None) == (ft.expect in ("ok", "corrected"))
                assert ft.expect in ("ok", "empty", "multiple", "corrected", "ambiguous")
            elif f.kind == "multiple":
                assert ft.value is None or (
                    isinstance(ft.value, list) and ft.value == sorted(ft.value)
                )
                assert ft.value is None or set(ft.value) <= set(values)
                assert (ft.value is None) == (ft.expect in ("empty", "ambiguous"))
            elif f.kind == "text":
                assert ft.expect in ("written", "blank")
                if ft.expect == "written":
                    assert isinstance(ft.value, str) and ft.value.strip()
                else:
                    assert ft.value is None
            elif f.kind == "line":
                assert ft.value is None or (isinstance(ft.value, float) and 0 <= ft.value <= 100)
            assert set(ft.cancelled) <= set(ft.marked)


def test_truth_follows_the_reader_conventions_on_the_printed_form(seed_pdf: Path) -> None:
    source = PdfFormSource(seed_pdf)
    batch = Batch(source, 12, 3, "pdf-jpeg", "harsh", 100)
    truth = batch.ground_truth("harsh")
    truth.pages = [p.truth for p in batch.pages(encode=False)]
    check_field_conventions(source.template, truth)
    # serials come from the printed QR codes, copy by copy
    assert [r.serial for r in truth.respondents[:3]] == [1, 2, 1]


def test_pages_account_for_every_sheet() -> None:
    source = SyntheticFormSource(copies=2, first_serial=500)
    profile = PROFILES["harsh"]
    batch = Batch(source, 15, 8, "tiff-g4", profile, 100)
    pages = [p.truth for p in batch.pages(encode=False)]
    assert {p.kind for p in pages} <= set(PAGE_KINDS)
    forms = Counter((p.respondent, p.form_page) for p in pages if p.kind == "form")
    for resp in batch.respondents:
        t = resp.truth
        assert sorted(t.pages + t.missing_pages) == [1, 2]
        for page in (1, 2):
            assert forms[(t.respondent, page)] == (0 if page in t.missing_pages else 1)
    expected = {
        "form": "read",
        "blank_back": "blank",
        "blank_sheet": "blank",
        "other_form": "rejected",
    }
    for p in pages:
        assert p.expect == expected[p.kind]
        assert set(p.accept) <= {"flagged", "unidentified"}
        assert p.rotation in (0, 90, 180, 270)
        assert p.dpi == 100 and p.colour == "bilevel"
        names = [d["name"] for d in p.degradations]
        assert next(n for n in names if n != "printing") == "gray" and "bilevel" in names
        if p.rotation:
            assert {"name": "fed_rotated", "rotation": p.rotation} in p.degradations
    if batch.duplex:
        assert all(p.kind == "blank_back" for p in pages[1::2])
    # doodles and margin notes keep clear of the fields, markers and QR code
    template = source.template
    for p in pages:
        if p.kind != "form" or p.form_page is None:
            continue
        page = template.page(p.form_page)
        boxes = [page.qr, *(m.box for m in page.marks), *(f.box for f in page.fields)]
        for stray in p.strays:
            x, y, w, h = stray.box
            for bx, by, bw, bh in boxes:
                assert x + w <= bx or bx + bw <= x or y + h <= by or by + bh <= y, (
                    stray,
                    (bx, by, bw, bh),
                )
    for p in pages:
        if p.kind == "form":
            assert p.serial == 500 + (p.respondent - 1) % 2  # type: ignore[operator]


def test_truth_json_round_trip(tmp_path: Path) -> None:
    batch = Batch(SyntheticFormSource(), 3, 2, "images", "default", 100)
    truth = batch.ground_truth("default")
    truth.pages = [p.truth for p in batch.pages(encode=False)]
    truth.save(tmp_path / "truth.json")
    again = GroundTruth.load(tmp_path / "truth.json")
    assert again.to_dict() == truth.to_dict()


def test_follow_ups_are_filled_mostly_when_the_parent_asks_for_them() -> None:
    template = synthetic_template()
    rng = np.random.default_rng(0)
    relevant = Counter[bool]()
    filled = Counter[bool]()
    for _ in range(400):
        plans = {
            p.truth.field_id: p
            for p in plan_answers(template, Persona.random(rng), rng, HANDS["messy"])
        }
        parent = plans["q3"].truth.intended
        follow = plans["q3.lisatieto"].truth
        key = parent == "ei"
        relevant[key] += 1
        filled[key] += follow.expect == "written"
    assert filled[True] / relevant[True] > 0.6
    assert filled[False] / relevant[False] < 0.1


def test_answer_styles_are_varied() -> None:
    template = synthetic_template()
    rng = np.random.default_rng(1)
    styles = Counter[str]()
    expects = Counter[str]()
    for _ in range(300):
        for plan in plan_answers(template, Persona.random(rng), rng, HANDS["messy"]):
            styles[plan.truth.style.split(":")[0]] += 1
            expects[plan.truth.expect] += 1
    for style in (
        "circle",
        "tick",
        "cross",
        "underline",
        "slash",
        "two",
        "correction",
        "oval_wide",
        "fill",
    ):
        assert styles[style] > 0, style
    for expect in ("ok", "empty", "multiple", "corrected", "ambiguous", "written", "blank"):
        assert expects[expect] > 0, expect


def test_answers_do_not_depend_on_profile_or_format() -> None:
    a = Batch(SyntheticFormSource(), 4, 9, "pdf-jpeg", "clean", 100)
    b = Batch(SyntheticFormSource(), 4, 9, "tiff-g4", "harsh", 150)
    assert [r.truth.fields for r in a.respondents] == [r.truth.fields for r in b.respondents]


@pytest.mark.parametrize(
    "bad", [{"fmt": "gif"}, {"profile": "rough"}, {"respondents": 0}, {"dpi": 10}]
)
def test_bad_arguments_raise_input_errors(bad: dict[str, object]) -> None:
    from palaute.errors import InputError

    args: dict[str, object] = {
        "respondents": 1,
        "seed": 1,
        "fmt": "images",
        "profile": "default",
        "dpi": 100,
    }
    args.update(bad)
    with pytest.raises(InputError):
        Batch(SyntheticFormSource(), **args)  # type: ignore[arg-type]


def test_docs_name_every_truth_key() -> None:
    from dataclasses import fields as dataclass_fields

    from samples.truth import FieldTruth, PageTruth, RespondentTruth

    from .conftest import ROOT

    text = (ROOT / "docs" / "samples.md").read_text(encoding="utf-8")
    for cls in (FieldTruth, PageTruth, RespondentTruth):
        for f in dataclass_fields(cls):
            assert f"`{f.name}`" in text, (cls.__name__, f.name)
    for status in ("ok", "empty", "multiple", "corrected", "ambiguous", "written", "blank"):
        assert f"`{status}`" in text, status


def test_bundled_batch_is_complete() -> None:
    from .conftest import ROOT

    folder = ROOT / "samples" / "batch"
    truth = GroundTruth.load(folder / "truth.json")
    template = Template.load(folder / "form.template.json")
    assert truth.version == template.version
    doc = pdfium.PdfDocument(str(folder / truth.files[0]))
    assert len(doc) == len(truth.pages)
    doc.close()
    check_field_conventions(template, truth)


def test_marks_lost_in_the_scan_are_expected_as_the_image_shows(seed_pdf: Path) -> None:
    source = PdfFormSource(seed_pdf)
    clean = Batch(source, 4, 3, "images", "none", 100)
    list(clean.pages(encode=False))
    assert not any(f.lost for r in clean.respondents for f in r.truth.fields)
    # pale pencil and light blue pens under a bilevel threshold lose some marks
    batch = Batch(source, 12, 1, "pdf-g4", "default", 100)
    list(batch.pages(encode=False))
    lost = [f for r in batch.respondents for f in r.truth.fields if f.lost]
    assert lost
    for f in lost:
        assert f.expect in ("empty", "blank", "ok", "ambiguous")
        if f.expect in ("empty", "blank"):
            assert f.value is None and f.accept
