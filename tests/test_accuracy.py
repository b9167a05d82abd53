"""Reader accuracy on a generated batch of the seed questionnaire, scored against ground truth.

The issue's goals on 200 respondents are: silent errors <= 1 per 1,000 fields, flags <= 3 %,
every form page identified or flagged and none assigned to the wrong form, page or respondent,
free text >= 99 % of written fields detected and <= 2 % of blank ones called written.  Here a
smaller batch (30 respondents, two scan formats) is held to the same goals with a margin for its
size; ``benchmarks/bench_accuracy.py`` measures the full figures and their breakdowns.

Flags are counted two ways: every field sent to a person, and only those the ground truth does
not itself call unclear (two marks, a blacked-in option, a mark between two digits: a perfect
reader must flag those, and the generator draws them in about 3 % of fields).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from forms.api import print_form
from samples import iter_pages
from samples.score import FLAGGED, WRONG, identity_ok, outcome
from samples.truth import FORM
from scanner.read_page import read_page
from scanner.results import FieldStatus, PageStatus
from scanner.templates import TemplateSet

ROOT = Path(__file__).resolve().parent.parent
SEED_FORM = ROOT / "layouts" / "asiakaspalautekysely.yaml"
RESPONDENTS = 30
SEED = 11  # not a seed the reader's thresholds were tuned on
REVIEW_BY_TRUTH = {FieldStatus.MULTIPLE.value, FieldStatus.AMBIGUOUS.value}


@pytest.fixture(scope="module")
def form(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, TemplateSet]:
    pdf = tmp_path_factory.mktemp("accuracy") / "form.pdf"
    print_form(SEED_FORM, pdf, copies=RESPONDENTS, serials=True)
    return pdf, TemplateSet.from_pdf(pdf)


@pytest.mark.parametrize(("fmt", "dpi"), [("pdf-jpeg", 200), ("pdf-g4", 300)])
def test_reader_meets_the_accuracy_goals(
    form: tuple[Path, TemplateSet], fmt: str, dpi: int
) -> None:
    pdf, templates = form
    fields: Counter[str] = Counter()
    text: Counter[str] = Counter()
    wrong: list[str] = []
    page_problems: list[str] = []
    for number, page in enumerate(iter_pages(pdf, RESPONDENTS, SEED, fmt, "default", dpi)):
        result, _ = read_page(page.image, float(dpi), templates, index=number)
        truth = page.truth
        read = result.status in (PageStatus.READ, PageStatus.FLAGGED)
        if truth.kind == FORM:
            if read and not identity_ok(truth, result):
                page_problems.append(f"page {number} on the wrong form/page/respondent")
            elif not read and result.status != PageStatus.UNIDENTIFIED:
                page_problems.append(f"form page {number} {result.status} ({result.reason})")
        elif read:
            page_problems.append(f"page {number}, a {truth.kind}, read as a form page")
        by_id = {r.field_id: r for r in result.fields}
        for t in page.fields:
            r = by_id.get(t.field_id)
            o = outcome(t, r)
            fields[o] += 1
            if o == FLAGGED and t.expect not in REVIEW_BY_TRUTH:
                fields["avoidable flag"] += 1
            if o == WRONG and r is not None:
                wrong.append(f"{t.field_id} {t.style}: {t.expect}/{t.value} -> {r.status}/{r.value}")
            if t.kind == "text" and r is not None and FieldStatus.BLANK.value not in t.accept:
                text[f"{t.expect}:n"] += 1
                text[f"{t.expect}:{r.status}"] += 1

    total = sum(v for k, v in fields.items() if k != "avoidable flag")
    assert total > 600
    assert not page_problems
    # <= 2 per 1,000 on this sample (the goal is 1 per 1,000 on 200 respondents).
    assert len(wrong) <= 2 * total / 1000, wrong
    assert fields["avoidable flag"] / total <= 0.04, fields
    assert fields[FLAGGED] / total <= 0.08, fields
    assert text["written:written"] >= 0.98 * text["written:n"], text
    assert text["blank:written"] <= 0.03 * text["blank:n"], text
