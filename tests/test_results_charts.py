"""Charts draw exactly the bars of the data: count, widths and the diverging centre."""

from __future__ import annotations

import pytest

from palaute.results import charts, stats

from .results_fixtures import hand_built


def _rects(chart: charts.Chart) -> list[tuple[float, float]]:
    (ax,) = chart.figure.axes
    return [(p.get_x(), p.get_width()) for p in ax.patches]


def test_likert_diverging_bars_match_the_data() -> None:
    s = stats.summarise(hand_built())
    chart = charts.likert_chart(s.likert, "fi")
    rects = _rects(chart)
    assert len(rects) == len(chart.bars) == 2 * 5  # one bar per statement and scale point
    for (x, w), bar in zip(rects, chart.bars, strict=True):
        assert x == pytest.approx(bar.left) and w == pytest.approx(bar.width)
    a = s.likert[0]  # counts 2 3 1 0 1 of 7
    by_label = {b.category: b for b in chart.bars if b.row == a.statement}
    neutral = by_label["En osaa sanoa"]
    assert neutral.width == pytest.approx(100 / 7)
    assert neutral.left == pytest.approx(-50 / 7)  # centred on zero
    partly = by_label["Osittain samaa mieltä"]
    fully = by_label["Täysin samaa mieltä"]
    assert partly.left == pytest.approx(50 / 7) and partly.width == pytest.approx(300 / 7)
    assert fully.left == pytest.approx(partly.right) and fully.width == pytest.approx(200 / 7)
    assert by_label["Täysin eri mieltä"].right == pytest.approx(
        by_label["Osittain eri mieltä"].left
    )
    assert by_label["Osittain eri mieltä"].right == pytest.approx(neutral.left)
    # Agreement lies right of the centre, disagreement left.
    agree_total = sum(b.width for b in by_label.values() if b.left >= neutral.right - 1e-9)
    assert agree_total == pytest.approx(a.agree_pct)
    assert sum(b.width for b in by_label.values()) == pytest.approx(100.0)
    labels = [tick.get_text() for tick in chart.figure.axes[0].get_yticklabels()]
    assert any("Aukioloajat" in label for label in labels)
    chart.close()


def test_reversed_scale_still_puts_agreement_right() -> None:
    s = stats.summarise(hand_built()).likert[0]
    import dataclasses

    flipped = dataclasses.replace(
        s,
        values=tuple(reversed(s.values)),
        labels=tuple(reversed(s.labels)),
        counts=tuple(reversed(s.counts)),
        agree_first=False,
    )
    assert flipped.agree_pct == pytest.approx(s.agree_pct)
    left = {i: (x, w) for i, x, w in charts.likert_segments(s)}
    right = {i: (x, w) for i, x, w in charts.likert_segments(flipped)}
    for i in range(5):
        assert right[4 - i] == pytest.approx(left[i])


def test_choice_bars_are_percentages_of_respondents() -> None:
    s = stats.summarise(hand_built())
    q1 = s.choices[0]
    chart = charts.choice_chart(q1, "fi")
    rects = _rects(chart)
    assert len(rects) == 3
    assert [w for _, w in rects] == pytest.approx([600 / 7, 200 / 7, 100 / 7])
    assert [b.count for b in chart.bars] == [6, 2, 1]


def test_yes_no_chart_has_two_bars() -> None:
    q2 = stats.summarise(hand_built()).choices[1]
    rects = _rects(charts.choice_chart(q2, "sv"))
    assert [w for _, w in rects] == pytest.approx([500 / 7, 200 / 7])


def test_weeks_chart_heights() -> None:
    s = stats.summarise(hand_built())
    chart = charts.weeks_chart(s.weeks, "en")
    (ax,) = chart.figure.axes
    assert [p.get_height() for p in ax.patches] == [6, 2]
    assert [tick.get_text() for tick in ax.get_xticklabels()] == ["wk 10", "wk 11"]


def test_comparison_chart_two_bars_per_statement() -> None:
    data = hand_built()
    c = stats.compare(data, data, min_group=6)
    chart = charts.comparison_chart(c, "fi")
    rects = _rects(chart)
    assert len(rects) == 4
    widths = [w for _, w in rects]
    assert widths[0] == pytest.approx(500 / 7) and widths[1] == pytest.approx(500 / 7)
    assert widths[2:] == [0.0, 0.0]  # hidden: only 5 answered statement b


def test_png_is_written() -> None:
    chart = charts.weeks_chart(stats.summarise(hand_built()).weeks, "fi")
    assert chart.png(dpi=50).startswith(b"\x89PNG")


def test_four_point_scale_has_no_neutral_and_centres_on_the_split() -> None:
    import dataclasses

    from .results_fixtures import small_template

    data = hand_built()
    f = small_template().field("q4_a")
    four = dataclasses.replace(f, options=f.options[:2] + f.options[3:])  # 1 2 4 5
    s = stats.likert_stats(data.responses, four)
    assert s.counts == (2, 3, 0, 1) and s.neutral == 0 and s.agree == 5 and s.disagree == 1
    chart = charts.likert_chart([s], "fi")
    assert len(_rects(chart)) == 4
    disagree = [b for b in chart.bars if b.right <= 1e-9 and b.width > 0]
    agree = [b for b in chart.bars if b.left >= -1e-9 and b.width > 0]
    assert sum(b.width for b in disagree) == pytest.approx(100 / 6)
    assert sum(b.width for b in agree) == pytest.approx(500 / 6)
