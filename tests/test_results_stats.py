"""Counting on hand-built data: exact counts, medians, percentages, weeks, anonymity."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from palaute.results import stats
from palaute.results.data import synthetic
from scanner.results import FieldStatus

from .results_fixtures import hand_built, seed_template, small_template


def test_likert_counts_percentages_median() -> None:
    s = stats.summarise(hand_built())
    a, b = s.likert
    assert a.statement == "Aukioloajat ovat riittävät"
    assert a.counts == (2, 3, 1, 0, 1)
    assert a.n == 7 and a.unresolved == 0
    assert a.median == 2.0 and a.median_label() == "Osittain samaa mieltä"
    assert a.agree == 5 and a.neutral == 1 and a.disagree == 1
    assert a.agree_pct == pytest.approx(500 / 7)
    assert sum(a.percentages) == pytest.approx(100.0)
    # One answer flagged and not reviewed is left out; the reviewed one counts.
    assert b.counts == (1, 1, 0, 2, 1)
    assert b.n == 5 and b.unresolved == 1
    assert b.median == 4.0
    assert b.disagree_pct == pytest.approx(60.0)


def test_even_sample_median_falls_between_points() -> None:
    data = hand_built()
    data = data.with_responses(data.responses[:6])  # q4_a: 1 1 2 2 2 3
    a = stats.summarise(data).likert[0]
    assert a.median == 2.0
    data = data.with_responses(data.responses[:4])  # 1 1 2 2
    a = stats.summarise(data).likert[0]
    assert a.median == 1.5 and a.median_label() == ""


def test_yes_no_and_multiple_choice() -> None:
    s = stats.summarise(hand_built())
    q1, q2 = s.choices
    assert q2.values == ("yes", "no") and q2.counts == (5, 2) and q2.n == 7
    assert q2.percentages[0] == pytest.approx(500 / 7)
    # Multiple choice: percentages of respondents, so they may add up to over 100.
    assert q1.counts == (6, 2, 1) and q1.n == 7
    assert q1.percentages == pytest.approx((600 / 7, 200 / 7, 100 / 7))
    assert sum(q1.percentages) > 100


def test_free_texts_transcribed_or_cropped() -> None:
    s = stats.summarise(hand_built())
    (q5,) = [t for t in s.texts if t.field_id == "q5"]
    assert [a.respondent for a in q5.answers] == ["R001", "R003", "R006"]
    assert q5.transcribed == 2
    assert q5.answers[1].text is None and q5.answers[1].crop_png
    # Texts are listed with the question they belong to.
    q2_section = next(sec for sec in s.sections if sec.question == "q2")
    assert [t.field_id for t in q2_section.texts] == ["q2_miksi"]


def test_responses_per_iso_week_include_empty_weeks() -> None:
    data = hand_built()
    assert [(w.week, w.count) for w in stats.responses_per_week(data.responses)] == [
        (10, 6),
        (11, 2),
    ]
    late = dataclasses.replace(data.responses[-1], scanned=dt.date(2026, 3, 25))  # week 13
    weeks = stats.responses_per_week((*data.responses[:-1], late))
    assert [(w.week, w.count) for w in weeks] == [(10, 6), (11, 1), (12, 0), (13, 1)]


def test_iso_week_across_new_year() -> None:
    data = hand_built()
    rs = [dataclasses.replace(r, scanned=dt.date(2026, 12, 31)) for r in data.responses[:2]]
    rs.append(dataclasses.replace(data.responses[2], scanned=dt.date(2027, 1, 4)))
    weeks = stats.responses_per_week(rs)
    assert [(w.year, w.week, w.count) for w in weeks] == [(2026, 53, 2), (2027, 1, 1)]


def test_breakdown_hides_small_groups_and_says_so() -> None:
    data = hand_built()
    b = stats.breakdown(data, "week", min_group=2)
    assert [g.key for g in b.groups] == ["2026-W10", "2026-W11"] and not b.hidden
    assert b.groups[0].n == 6 and b.groups[0].likert[0].counts == (2, 3, 1, 0, 0)
    # Week 11 has 2 respondents: hidden.  Week 10 alone would give week 11 away (the totals are
    # shown too), so it is hidden as well.
    b = stats.breakdown(data, "week", min_group=5)
    assert not b.groups and b.hidden == ("2026-W10", "2026-W11") and b.any_hidden
    with pytest.raises(ValueError):
        stats.breakdown(data, "week", min_group=0)


def test_hidden_groups_together_reach_the_limit() -> None:
    data = hand_built()
    sizes = {"a": 3, "b": 2, "c": 3}  # respondents 0-2 → a, 3-4 → b, 5-7 → c
    groups = {r.respondent: k for k, r in zip("aaabbccc", data.responses, strict=True)}
    assert {k: list(groups.values()).count(k) for k in "abc"} == sizes
    b = stats.breakdown(data, lambda r: groups[r.respondent], min_group=3)
    # b (2) is too small; hiding it alone would let "total − a − c" reveal it, so the next
    # smallest group (a, 3) is hidden too: together 5 ≥ 3.
    assert [g.key for g in b.groups] == ["c"] and b.hidden == ("a", "b")
    b = stats.breakdown(data, lambda r: groups[r.respondent], min_group=2)
    assert [g.key for g in b.groups] == ["a", "b", "c"]


def test_breakdown_by_form_language() -> None:
    fi = seed_template()
    sv = seed_template("asiakaspalautekysely_sv")
    data = synthetic(fi, 60, seed=3, extra_templates=(sv,))
    b = stats.breakdown(data, "language", min_group=5)
    keys = [g.key for g in b.groups] + list(b.hidden)
    assert set(keys) == {"fi", "sv"}
    for g in b.groups:
        assert g.n >= 5
    assert sum(g.n for g in b.groups) + 0 <= 60
    big = stats.breakdown(data, "language", min_group=1000)
    assert not big.groups and set(big.hidden) == {"fi", "sv"}


def test_filters_by_date_and_form() -> None:
    data = hand_built()
    assert len(data.between(dt.date(2026, 3, 9), None).responses) == 2
    assert len(data.between(None, dt.date(2026, 3, 8)).responses) == 6
    assert len(data.for_form("pieni").responses) == 8
    with pytest.raises(KeyError):
        data.for_form("toinen")
    m = data.method()
    assert m.sheets == 8 and m.first_scan == dt.date(2026, 3, 2)
    assert m.fields_flagged == 2 and m.fields_reviewed == 1
    assert m.texts_written == 3 and m.texts_transcribed == 2


def test_compare_two_periods() -> None:
    t = small_template()
    early = hand_built()
    later = early.with_responses(
        dataclasses.replace(r, scanned=r.scanned.replace(year=2027)) for r in early.responses
    )
    # Later period: everyone fully agrees with statement a.
    later = later.with_responses(
        dataclasses.replace(
            r,
            answers={
                **r.answers,
                "q4_a": dataclasses.replace(r.answers["q4_a"], value="1", status=FieldStatus.OK),
            },
        )
        for r in later.responses
    )
    c = stats.compare(early, later, min_group=5, label_a="2026", label_b="2027")
    row_a, row_b = c.rows
    assert row_a.agree_a == pytest.approx(500 / 7) and row_a.agree_b == pytest.approx(100.0)
    assert row_a.change == pytest.approx(100 - 500 / 7)
    assert row_b.change == pytest.approx(0.0)
    assert c.label_a == "2026" and t.form_id == "pieni"
    strict = stats.compare(early, later, min_group=6)
    assert strict.rows[1].agree_a is None and strict.rows[1].change is None
    assert strict.any_hidden


def test_synthetic_is_deterministic_and_plausible() -> None:
    t = seed_template()
    a = synthetic(t, 300, seed=5)
    b = synthetic(t, 300, seed=5)
    assert a == b
    assert synthetic(t, 300, seed=6) != a
    s = stats.summarise(a)
    assert s.respondents == 300
    for lk in s.likert:
        assert 200 < lk.n <= 300
        assert max(lk.counts) > 1.5 * min(lk.counts)  # skewed, not uniform
    assert sum(t_.transcribed for t_ in s.texts) > 50
    assert any(a_.crop_png for t_ in s.texts for a_ in t_.answers)
    texts = [a_.text for t_ in s.texts for a_ in t_.answers if a_.text]
    assert any("ä" in x for x in texts)
