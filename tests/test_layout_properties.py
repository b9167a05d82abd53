"""Layout invariants over random specs: nothing overlaps, nothing leaves the printable area or
touches the marks and QR, nothing is split across pages, the Likert header repeats."""

from __future__ import annotations

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from forms.geometry import PRINTER_MARGIN, inside, overlaps
from forms.layout import FormLayout, Text, layout_form
from forms.spec import (
    Choice,
    ChoiceQuestion,
    FollowUp,
    FormSpec,
    Heading,
    Instruction,
    LikertQuestion,
    PageBreak,
    Statement,
    TextQuestion,
)
from palaute.errors import InputError

WORDS = "sosiaalitoimisto palvelu asiakas hyvä aika tieto päätös apu työntekijä äiti öljy "
WORDS += "kyllä ei selkeä nopeasti riittävästi ymmärrettävä Åland ja tai on oli"
word = st.sampled_from(WORDS.split())
sentence = st.lists(word, min_size=1, max_size=30).map(" ".join)
short = st.lists(word, min_size=1, max_size=3).map(" ".join)


@st.composite
def questions(draw: st.DrawFn, n: int) -> object:
    qid = f"q{n}"
    kind = draw(
        st.sampled_from(["choice", "yesno", "likert", "text", "heading", "instruction", "break"])
    )
    hint = draw(st.one_of(st.none(), sentence))
    if kind == "heading":
        return Heading(draw(sentence))
    if kind == "instruction":
        return Instruction(draw(sentence))
    if kind == "break":
        return PageBreak()
    if kind == "text":
        return TextQuestion(qid, draw(sentence), draw(st.integers(1, 12)), hint)
    if kind == "likert":
        points = draw(st.integers(2, 7))
        scale = tuple(Choice(str(i + 1), draw(short)) for i in range(points))
        count = draw(st.integers(1, 25))
        statements = tuple(Statement(f"s{i}", draw(sentence)) for i in range(count))
        return LikertQuestion(qid, draw(sentence), scale, statements, hint)
    follow = None
    if draw(st.booleans()):
        follow = FollowUp(f"{qid}_more", draw(sentence), draw(st.integers(1, 5)), None)
    if kind == "yesno":
        opts = (Choice("yes", "Kyllä"), Choice("no", "Ei"))
        return ChoiceQuestion(qid, draw(sentence), opts, False, None, hint, follow, "horizontal")
    count = draw(st.integers(1, 8))
    opts = tuple(
        Choice(f"o{i}", draw(sentence.filter(lambda s: len(s) < 60))) for i in range(count)
    )
    other = Choice("other", "Muu, mikä?") if draw(st.booleans()) else None
    return ChoiceQuestion(qid, draw(sentence), opts, draw(st.booleans()), other, hint, follow)


@st.composite
def specs(draw: st.DrawFn) -> FormSpec:
    count = draw(st.integers(1, 14))
    items = tuple(draw(questions(i + 1)) for i in range(count))
    header = (("Kuukausi", ""), ("Vuosi", "")) if draw(st.booleans()) else ()
    return FormSpec(
        id="random",
        title=draw(st.lists(word, min_size=1, max_size=6).map(" ".join)),
        language=draw(st.sampled_from(["fi", "sv", "en"])),
        organisation=draw(st.one_of(st.just(""), short)),
        items=items,
        header=header,
        intro=draw(st.one_of(st.just(""), sentence)),
        thanks=draw(st.one_of(st.just(""), sentence)),
    )


def _layout(spec: FormSpec) -> FormLayout:
    try:
        return layout_form(spec)
    except InputError as exc:
        # Only "this cannot fit" is acceptable for a random spec.
        assert exc.key.startswith("layout."), exc.key
        assume(False)
        raise


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(specs())
def test_layout_invariants(spec: FormSpec) -> None:
    layout = _layout(spec)
    style = layout.style
    printable = (
        PRINTER_MARGIN,
        PRINTER_MARGIN,
        style.page_width - 2 * PRINTER_MARGIN,
        style.page_height - 2 * PRINTER_MARGIN,
    )
    content = (style.content_left, style.content_top, style.content_width, style.content_height)
    keep_out = style.keep_out()
    for page in layout.template.pages:
        answer_areas = [o.box for f in page.fields for o in f.options]
        answer_areas += [f.box for f in page.fields if f.kind == "text"]
        # every field inside the content area (so clear of marks and QR), never split
        for f in page.fields:
            assert inside(f.box, content), (f.id, f.box)
            for o in f.options:
                assert inside(o.box, f.box), (f.id, o.value)
        # answer areas never overlap one another
        for i, a in enumerate(answer_areas):
            for b in answer_areas[i + 1 :]:
                assert not overlaps(a, b), (a, b)
    for page in layout.pages:
        template_page = layout.template.page(page.number)
        areas = [o.box for f in template_page.fields for o in f.options]
        areas += [f.box for f in template_page.fields if f.kind == "text"]
        digits = {
            (round(o.box[0] + o.box[2] / 2, 2))
            for f in template_page.fields
            if f.kind == "likert"
            for o in f.options
        }
        for prim in page.prims:
            box = prim.box()
            assert inside(box, printable), (prim, box)
            for k in keep_out:
                assert not overlaps(box, k), (prim, k)
            if isinstance(prim, Text):
                is_digit = (
                    prim.align == "center" and prim.text.isdigit() and round(prim.x, 2) in digits
                )
                if not is_digit:
                    for area in areas:
                        assert not overlaps(box, area, tolerance=0.05), (prim.text, area)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(specs())
def test_likert_header_repeats_on_each_page(spec: FormSpec) -> None:
    layout = _layout(spec)
    for q in spec.questions():
        if not isinstance(q, LikertQuestion):
            continue
        label_words = q.scale[0].label.split()
        for page in layout.pages:
            rows = [f for f in page.fields if f.question == q.id]
            if not rows:
                continue
            first_row_top = min(f.box[1] for f in rows)
            texts_above = [p for p in page.prims if isinstance(p, Text) and p.y < first_row_top]
            assert any(p.text.split()[0] == label_words[0] for p in texts_above if p.text), (
                page.number
            )


@settings(max_examples=30, deadline=None)
@given(specs())
def test_layout_is_deterministic(spec: FormSpec) -> None:
    first = _layout(spec)
    assert layout_form(spec).template.to_json() == first.template.to_json()
    assert first.template.version == first.template.content_hash()
