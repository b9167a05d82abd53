"""The reader on marks and scans the sample generator does not make (``samples/foreign.py``).

Real pages: the printed seed form rasterised with pypdfium2, answers drawn with the foreign set's
own pens and marks, its own scanner simulation, read by ``scanner.read_page.read_page``.  Odd
marks may go to the clerk but are never read as a confident wrong answer; plain clear marks are
read without a flag.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from samples.foreign import Blank, Case, cases, judge, make_page
from scanner.read_page import read_page
from scanner.templates import TemplateSet

CASES = {c.name: c for c in cases()}


@pytest.fixture(scope="module")
def templates(seed_pdf: Path) -> TemplateSet:
    return TemplateSet.from_pdf(seed_pdf)


@pytest.fixture(scope="module")
def blank(seed_pdf: Path) -> Blank:
    return Blank(seed_pdf)


def verdicts(
    blank: Blank, templates: TemplateSet, case: Case, page: int, seed: int
) -> list[tuple[str, str, bool, str]]:
    """(field id, mark drawn, plain mark?, verdict) for every mark field of the page."""
    template = next(iter(templates.values()))
    image, dpi, truths = make_page(blank, template, case, page, seed)
    result, _ = read_page(image, float(dpi), templates)
    by_id = {r.field_id: r for r in result.fields}
    out = []
    for t in truths:
        r = by_id[t.field_id]
        out.append((t.field_id, t.mark, t.plain, judge(t, str(r.status), r.value, r.needs_review)))
    return out


@pytest.mark.parametrize(
    ("name", "page", "seed"),
    [
        # the answer written in the right margin instead of circled: was a confident empty row
        ("mark:margin_number", 2, 14002),
        # a tick just left of the box, not in it: was a confident empty field
        ("mark:check_beside", 1, 13011),
        # background removal on a scanner with light fall-off: one empty box's printed outline
        # came out thicker than the others' and was read as a confident answer
        ("scan:bg_removal", 1, 27001),
    ],
)
def test_odd_marks_are_never_silent_errors(
    blank: Blank, templates: TemplateSet, name: str, page: int, seed: int
) -> None:
    got = verdicts(blank, templates, CASES[name], page, seed)
    silent = [v for v in got if v[3] == "silent"]
    assert not silent, silent
    odd = [v for v in got if v[1] not in ("none", "circle", "tick", "cross")]
    if name.startswith("mark:"):
        assert odd and all(v[3] == "flagged" for v in odd), odd


def test_plain_marks_are_read_without_flags(blank: Blank, templates: TemplateSet) -> None:
    got = verdicts(blank, templates, CASES["plain"], 2, 7)
    plain = [v for v in got if v[2]]
    assert len(plain) == 16
    assert all(v[3] == "exact" for v in plain), [v for v in plain if v[3] != "exact"]
