"""Scoring a reader against the truth: exact, flagged, wrong and missing fields."""

from __future__ import annotations

from samples.score import EXACT, FLAGGED, MISSING, WRONG, merge, outcome, score_fields
from samples.truth import FieldTruth
from scanner.results import FieldResult, FieldStatus, Value


def result(field_id: str, value: Value, status: FieldStatus, review: bool = False) -> FieldResult:
    return FieldResult(field_id, value, 0.9, status, "", (0, 0, 1, 1), needs_review=review)


def truth(field_id: str, kind: str, value: Value, expect: str, **kw: object) -> FieldTruth:
    return FieldTruth(field_id, 1, kind, value, expect, **kw)  # type: ignore[arg-type]


def test_outcomes() -> None:
    t = truth("q4", "likert", "2", "ok", intended="2", style="circle")
    assert outcome(t, result("q4", "2", FieldStatus.OK)) == EXACT
    assert outcome(t, result("q4", "3", FieldStatus.OK)) == WRONG
    assert outcome(t, result("q4", None, FieldStatus.EMPTY)) == WRONG
    assert outcome(t, result("q4", None, FieldStatus.AMBIGUOUS)) == FLAGGED
    assert outcome(t, result("q4", "2", FieldStatus.CORRECTED, review=True)) == FLAGGED
    assert outcome(t, None) == MISSING
    fill = truth("q2", "single", None, "ambiguous", accept=["ok"], intended="yes", style="fill")
    assert outcome(fill, result("q2", "yes", FieldStatus.OK)) == FLAGGED
    assert outcome(fill, result("q2", "no", FieldStatus.OK)) == WRONG
    line = truth("q8", "line", 40.0, "ok", intended=40.0)
    assert outcome(line, result("q8", 42.5, FieldStatus.OK)) == EXACT
    assert outcome(line, result("q8", 50.0, FieldStatus.OK)) == WRONG
    text = truth("q5", "text", "Palvelu oli hyvää", "written")
    assert outcome(text, result("q5", None, FieldStatus.WRITTEN)) == EXACT
    assert outcome(text, result("q5", None, FieldStatus.BLANK)) == WRONG
    many = truth("q1", "multiple", ["a", "c"], "ok")
    assert outcome(many, result("q1", ["c", "a"], FieldStatus.OK)) == EXACT


def test_score_by_style_and_merge() -> None:
    truths = [
        truth("a", "likert", "1", "ok", style="circle"),
        truth("b", "likert", None, "multiple", style="two:circle+circle", accept=["ambiguous"]),
        truth("c", "likert", "3", "ok", style="tick"),
    ]
    results = [
        result("a", "1", FieldStatus.OK),
        result("b", None, FieldStatus.MULTIPLE, review=True),
        result("c", "4", FieldStatus.OK),
    ]
    s = score_fields(truths, results)
    assert s.counts == {EXACT: 2, WRONG: 1}
    assert s.by_style["tick"][WRONG] == 1
    total = merge([s, s])
    assert total.total == 6 and len(total.wrong) == 2
    assert total.summary()["wrong"] == round(2 / 6, 4)


def test_score_batch_with_a_perfect_and_a_careless_reader() -> None:
    from samples.generate import Batch
    from samples.score import score_batch
    from samples.source import SyntheticFormSource
    from scanner.results import FieldStatus, PageIdentity, PageResult, PageStatus

    batch = Batch(SyntheticFormSource(), 3, 5, "images", "clean", 100)
    truth = batch.ground_truth("clean")
    truth.pages = [p.truth for p in batch.pages(encode=False)]
    for i, p in enumerate(truth.pages):
        p.file, p.index = f"scan_{i + 1:04d}.jpg", 0

    def perfect(careless: bool) -> list[PageResult]:
        out = []
        for p in truth.pages:
            resp = next(r for r in truth.respondents if r.respondent == p.respondent)
            fields = tuple(
                result(f.field_id, "1" if careless else f.value, FieldStatus(f.expect))
                for f in resp.fields
                if f.page == p.form_page
            )
            ident = PageIdentity(p.version, p.form_page, p.serial, p.rotation, "qr", 1.0)
            status = PageStatus(p.expect)
            out.append(PageResult(p.file, p.index, status, "", ident, fields=fields))
        return out

    good = score_batch(truth, perfect(False))
    assert good.pages == {EXACT: len(truth.pages)} and not good.identity_errors
    assert good.fields.counts[EXACT] == good.fields.total > 0
    bad = score_batch(truth, perfect(True))
    assert bad.fields.counts[WRONG] > 0
    assert score_batch(truth, []).pages == {MISSING: len(truth.pages)}
