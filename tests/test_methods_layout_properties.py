"""Layout invariants of the other document kinds over random content: every field inside the
printable area, clear of marks, QR codes and other fields; or a clear layout error."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forms.geometry import PRINTER_MARGIN, inside, overlaps
from forms.kinds.cards import Card, CardsSpec
from forms.kinds.cards import layout as cards_layout
from forms.kinds.poster import PosterItem, PosterSpec
from forms.kinds.poster import layout as poster_layout
from forms.kinds.rating_line import RatingLineSpec, RatingQuestion
from forms.kinds.rating_line import layout as rating_layout
from forms.kinds.sentence_completion import SentenceSpec, Starter
from forms.kinds.sentence_completion import layout as sentence_layout
from forms.kinds.word_task import Term, WordTaskSpec
from forms.kinds.word_task import layout as word_layout
from forms.layout import FormLayout
from palaute.errors import InputError

WORDS = "sosiaalitoimisto palvelu asiakas hyvä aika tieto päätös apu työntekijä äiti "
WORDS += "kyllä ei selkeä nopeasti riittävästi ymmärrettävä ja tai on oli…"
sentence = st.lists(st.sampled_from(WORDS.split()), min_size=1, max_size=25).map(" ".join)
BASE = {
    "id": "t",
    "title": "Testi",
    "language": "fi",
    "organisation": "Toimisto",
    "source": "t.yaml",
}
FAST = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check(layout: FormLayout) -> None:
    t = layout.template
    printable = (
        PRINTER_MARGIN,
        PRINTER_MARGIN,
        t.page_width - 2 * PRINTER_MARGIN,
        t.page_height - 2 * PRINTER_MARGIN,
    )
    for printed in layout.pages:
        pages = [p for p in t.pages if any(f in printed.fields for f in p.fields)]
        keep_out = [m.box for p in pages for m in p.marks] + [p.qr for p in pages if p.marks]
        fields = list(printed.fields)
        for i, f in enumerate(fields):
            assert inside(f.box, printable), f.id
            assert f.box[2] > 5 and f.box[3] > 5, f.id
            for box in keep_out:
                assert not overlaps(f.box, box), f.id
            for other in fields[i + 1 :]:
                assert not overlaps(f.box, other.box), (f.id, other.id)
            for option in f.options:
                assert inside(option.box, f.box)


@FAST
@given(
    kind=st.sampled_from(["traffic_light", "plus_minus", "service_poster"]),
    paper=st.sampled_from(["A4", "A3", "A2"]),
    texts=st.lists(sentence, min_size=1, max_size=3),
)
def test_posters(kind: str, paper: str, texts: list[str]) -> None:
    items = tuple(PosterItem(f"v{i}", t) for i, t in enumerate(texts))
    spec = PosterSpec(kind=kind, paper=paper, **BASE, instruction="Liimaa tarra.", items=items)
    layout = poster_layout(spec)
    assert len(layout.pages) == len(texts)
    check(layout)


@FAST
@given(terms=st.lists(sentence, min_size=1, max_size=60))
def test_word_task(terms: list[str]) -> None:
    spec = WordTaskSpec(
        kind="word_task",
        paper="A4",
        **BASE,
        instruction="Rastita.",
        terms=tuple(Term(f"s{i}", t) for i, t in enumerate(terms)),
    )
    layout = word_layout(spec)
    assert sum(len(p.fields) for p in layout.pages) == len(terms)
    check(layout)


@FAST
@given(starters=st.lists(st.tuples(sentence, st.integers(1, 12)), min_size=1, max_size=20))
def test_sentence_completion(starters: list[tuple[str, int]]) -> None:
    spec = SentenceSpec(
        kind="sentence_completion",
        paper="A4",
        **BASE,
        instruction="Jatka.",
        starters=tuple(Starter(f"l{i}", t, n) for i, (t, n) in enumerate(starters)),
    )
    check(sentence_layout(spec))


@FAST
@given(questions=st.lists(sentence, min_size=1, max_size=12))
def test_rating_line(questions: list[str]) -> None:
    spec = RatingLineSpec(
        kind="rating_line",
        paper="A4",
        **BASE,
        instruction="Rastita.",
        low="huono",
        high="hyvä",
        questions=tuple(RatingQuestion(f"j{i}", q) for i, q in enumerate(questions)),
    )
    check(rating_layout(spec))


@FAST
@given(
    texts=st.lists(
        st.lists(st.sampled_from(WORDS.split()), min_size=1, max_size=6).map(" ".join),
        min_size=1,
        max_size=14,
    ),
    per_sheet=st.sampled_from([2, 4, 6]),
)
def test_cards(texts: list[str], per_sheet: int) -> None:
    spec = CardsSpec(
        kind="cards",
        paper="A4",
        **BASE,
        per_sheet=per_sheet,
        cards=tuple(Card(f"c{i}", t, "happy") for i, t in enumerate(texts)),
    )
    try:
        layout = cards_layout(spec)
    except InputError as exc:  # a starter too long for its card is a clear error
        assert exc.key == "layout.too_tall"
        return
    assert len(layout.template.pages) == len(texts)
    check(layout)
