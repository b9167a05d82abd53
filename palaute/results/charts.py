"""Charts for the report: matplotlib figures (Agg, no pyplot state) plus the numbers drawn.

Every chart function returns a ``Chart``: the figure and one ``Bar`` per rectangle drawn, in the
order they were added to the axes, so a test can compare ``ax.patches`` with the data.

- Likert statements: diverging stacked bars.  The neutral middle point ("can't say") is centred on
  zero, agreement grows to the right and disagreement to the left, so the statements can be
  compared at a glance.
- Yes/no and choice questions: horizontal bars, % of respondents.
- Poster statements: one bar per zone in the zone's own colour, % of the statement's votes.
- Responses per ISO week: vertical bars.
- Two periods: paired horizontal bars of % agree.
"""

from __future__ import annotations

import io
import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from palaute.i18n import t
from palaute.results.posters import PosterStats
from palaute.results.stats import (
    ChoiceStats,
    Comparison,
    LikertStats,
    LineStats,
    WeekCount,
    WordTask,
)

# Colours: blue for agreement, red-orange for disagreement, grey in the middle
# (readable for the common colour-vision deficiencies, and in greyscale by lightness).
AGREE = ("#2166ac", "#67a9cf", "#a6cfe6")  # strongest first
DISAGREE = ("#b2182b", "#ef8a62", "#f4b69a")
NEUTRAL = "#cfcfcf"
BAR = "#2166ac"
BAR_LIGHT = "#9ecae1"
TEXT = "#222222"
WIDTH_IN = 7.0  # fits the report's text column


@dataclass(frozen=True)
class Bar:
    row: str  # the statement, option or week the bar belongs to
    category: str  # scale label, "count", period label ...
    left: float
    width: float
    count: int | None = None  # respondents behind the bar, where it is a share

    @property
    def right(self) -> float:
        return self.left + self.width


@dataclass(frozen=True)
class Chart:
    figure: Figure
    bars: tuple[Bar, ...]

    def png(self, dpi: int = 150) -> bytes:
        """The chart as PNG bytes (the figure is kept; call close() when done)."""
        buf = io.BytesIO()
        self.figure.savefig(buf, format="png", dpi=dpi)
        return buf.getvalue()

    def close(self) -> None:
        self.figure.clear()


def _figure(height_in: float) -> tuple[Figure, Axes]:
    """A report-wide figure ``height_in`` inches high with one styled axes."""
    fig = Figure(figsize=(WIDTH_IN, height_in), layout="constrained")
    FigureCanvasAgg(fig)  # attaches itself: savefig works without pyplot's global state
    ax = fig.add_subplot()
    _style(ax)
    return fig, ax


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width)) or text


def _style(ax: Axes) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(colors=TEXT, labelsize=8)


def _percent_ticks(ax: Axes) -> None:
    """0 % to 100 % along x, every 20 points."""
    ax.set_xticks(range(0, 101, 20), [f"{v} %" for v in range(0, 101, 20)])


def _row_labels(ax: Axes, rows: int, labels: Sequence[str], fontsize: float) -> None:
    """``rows`` horizontal-bar rows labelled from the top down (y runs bottom-up).

    ``rows`` is kept apart from ``labels``: an empty chart still has room for one row."""
    ax.set_ylim(-0.6, rows - 0.4)
    ax.set_yticks(range(rows), list(reversed(labels)), fontsize=fontsize)


def likert_segments(s: LikertStats) -> list[tuple[int, float, float]]:
    """(printed index, left, width) per scale point, in drawing order from left to right.

    Disagreement lies left of zero, agreement right of it, the neutral point straddles zero.
    """
    pct = list(s.percentages)
    k = len(pct)
    side = k // 2
    order = list(range(k)) if s.agree_first else list(reversed(range(k)))
    agree_idx = order[:side]  # strongest agreement first
    disagree_idx = list(reversed(order[-side:])) if side else []  # strongest disagreement first
    half = pct[order[side]] / 2 if k % 2 else 0.0
    segments: list[tuple[int, float, float]] = []
    # Left side: from the strongest disagreement (far left) towards the middle.
    left = -half - sum(pct[i] for i in disagree_idx)
    for i in disagree_idx:
        segments.append((i, left, pct[i]))
        left += pct[i]
    if k % 2:
        segments.append((order[side], -half, 2 * half))
    # Right side: from the middle outwards, partial agreement first.
    left = half
    for i in reversed(agree_idx):
        segments.append((i, left, pct[i]))
        left += pct[i]
    return segments


def likert_chart(rows: Sequence[LikertStats], lang: str) -> Chart:
    """Diverging stacked bars, one row per statement, in the order given (top to bottom)."""
    n_rows = max(1, len(rows))
    fig, ax = _figure(1.3 + 0.42 * n_rows)
    bars: list[Bar] = []
    extent = 10.0
    colour_of: dict[int, str] = {}
    legend_order: list[int] = []
    for y, s in enumerate(rows):
        points = len(s.counts)
        printed_colours = _printed_colours(points, s.agree_first)
        ypos = n_rows - 1 - y
        for i, left, width in likert_segments(s):
            colour_of.setdefault(i, printed_colours[i])
            if y == 0:
                legend_order.append(i)
            ax.barh(ypos, width, left=left, height=0.7, color=printed_colours[i], linewidth=0)
            bars.append(Bar(s.statement, s.labels[i], left, width, s.counts[i]))
            if width >= 6:
                shade = "white" if printed_colours[i] in (AGREE[0], DISAGREE[0]) else TEXT
                ax.text(
                    left + width / 2,
                    ypos,
                    f"{round(width)}",
                    ha="center",
                    va="center",
                    fontsize=7,
                    color=shade,
                )
            extent = max(extent, abs(left), abs(left + width))
    limit = min(100.0, math.ceil((extent + 2) / 10) * 10)
    ax.set_xlim(-limit, limit)
    ax.axvline(0, color="#555555", linewidth=0.8)
    ticks = [v for v in range(-int(limit), int(limit) + 1, 20 if limit > 50 else 10)]
    ax.set_xticks(ticks, [f"{abs(v)} %" for v in ticks])
    statements = [f"{_wrap(s.statement, 42)}  (n={s.n})" for s in rows]
    _row_labels(ax, n_rows, statements or [""], fontsize=8)
    ax.set_xlabel(t("results.chart_likert_axis", lang), fontsize=8, color=TEXT)
    if rows:
        labels = rows[0].labels
        handles = [Patch(color=colour_of[i], label=labels[i]) for i in legend_order]
        fig.legend(
            handles=handles,
            loc="outside upper center",
            ncol=len(handles),
            fontsize=7,
            frameon=False,
            handlelength=1.2,
            columnspacing=1.0,
        )
    return Chart(fig, tuple(bars))


def _printed_colours(points: int, agree_is_first: bool) -> list[str]:
    """Colour per printed scale point."""
    side = points // 2
    agree = _shades(AGREE, side)  # strongest first
    disagree = _shades(DISAGREE, side)  # strongest first
    middle = [NEUTRAL] if points % 2 else []
    colours = agree + middle + list(reversed(disagree))
    return colours if agree_is_first else list(reversed(colours))


def _shades(palette: tuple[str, ...], count: int) -> list[str]:
    if count <= 0:
        return []
    if count == 1:
        return [palette[0]]
    if count == 2:
        return [palette[0], palette[1]]
    return [palette[min(i, len(palette) - 1)] for i in range(count)]


def choice_chart(s: ChoiceStats, lang: str) -> Chart:
    """One horizontal bar per option: % of respondents who chose it."""
    k = max(1, len(s.values))
    fig, ax = _figure(0.7 + 0.38 * k)
    bars = []
    pct = s.percentages
    for row, (label, count, p) in enumerate(zip(s.labels, s.counts, pct, strict=True)):
        ypos = k - 1 - row
        ax.barh(ypos, p, height=0.6, color=BAR, linewidth=0)
        label_text = f"{round(p)} %  ({count})"
        if p > 80:  # no room to the right: write it inside the bar
            ax.text(p - 1.5, ypos, label_text, va="center", ha="right", fontsize=8, color="white")
        else:
            ax.text(p + 1.0, ypos, label_text, va="center", fontsize=8, color=TEXT)
        bars.append(Bar(label, "percent", 0.0, p, count))
    ax.set_xlim(0, 105)
    _percent_ticks(ax)
    _row_labels(ax, k, [_wrap(label, 34) for label in s.labels], fontsize=8)
    ax.set_xlabel(t("results.chart_choice_axis", lang, n=s.n), fontsize=8, color=TEXT)
    return Chart(fig, tuple(bars))


def line_chart(s: LineStats, lang: str) -> Chart:
    """A rating line's marks per tenth of the line, from the dissatisfied end to the satisfied."""
    fig, ax = _figure(2.0)
    bars = []
    step = 100 / max(1, len(s.bins))
    for i, count in enumerate(s.bins):
        left = i * step
        ax.bar(left + step / 2, count, width=step * 0.85, color=BAR, linewidth=0)
        bars.append(
            Bar(f"{left:.0f}-{left + step:.0f}", "count", left + step * 0.075, step * 0.85, count)
        )
        if count:
            ax.text(
                left + step / 2, count, f"{count}", ha="center", va="bottom", fontsize=7, color=TEXT
            )
    ax.set_xlim(0, 100)
    ax.set_xticks(range(0, 101, 10), [f"{v}" for v in range(0, 101, 10)], fontsize=7)
    ax.set_ylim(0, max(s.bins, default=0) * 1.2 + 1)
    ax.set_xlabel(t("results.chart_line_axis", lang, n=s.n), fontsize=8, color=TEXT)
    return Chart(fig, tuple(bars))


def poster_chart(p: PosterStats, lang: str) -> Chart:
    """A poster statement: one bar per zone in the zone's colour, % of the statement's votes."""
    k = max(1, len(p.zones))
    fig, ax = _figure(0.7 + 0.38 * k)
    bars = []
    for row, (zone, pct) in enumerate(zip(p.zones, p.percentages, strict=True)):
        ypos = k - 1 - row
        ax.barh(ypos, pct, height=0.6, color=zone.colour, linewidth=0)
        ax.text(pct + 1.0, ypos, f"{round(pct)} %  ({zone.votes})", va="center", fontsize=8)
        bars.append(Bar(zone.label, "percent", 0.0, pct, zone.votes))
    ax.set_xlim(0, 115)
    _percent_ticks(ax)
    _row_labels(ax, k, [_wrap(z.label, 34) for z in p.zones], fontsize=8)
    ax.set_xlabel(t("results.chart_poster_axis", lang, n=p.total), fontsize=8, color=TEXT)
    return Chart(fig, tuple(bars))


def word_task_chart(w: WordTask, lang: str) -> Chart:
    """% of respondents who said each term needs explaining, the most in need first."""
    k = max(1, len(w.terms))
    fig, ax = _figure(0.7 + 0.28 * k)
    bars = []
    for row, term in enumerate(w.terms):
        ypos = k - 1 - row
        p = term.needs_explaining_pct
        ax.barh(ypos, p, height=0.6, color=DISAGREE[1], linewidth=0)
        ax.text(
            p + 1.0,
            ypos,
            f"{round(p)} %  ({term.needs_explaining}/{term.n})",
            va="center",
            fontsize=7,
            color=TEXT,
        )
        bars.append(Bar(term.label, "percent", 0.0, p, term.needs_explaining))
    ax.set_xlim(0, 110)
    _percent_ticks(ax)
    _row_labels(ax, k, [_wrap(term.label, 34) for term in w.terms], fontsize=7)
    ax.set_xlabel(t("results.chart_word_task_axis", lang), fontsize=8, color=TEXT)
    return Chart(fig, tuple(bars))


def weeks_chart(weeks: Sequence[WeekCount], lang: str) -> Chart:
    """Responses per ISO week."""
    fig, ax = _figure(2.2)
    bars = []
    for x, w in enumerate(weeks):
        ax.bar(x, w.count, width=0.7, color=BAR, linewidth=0)
        bars.append(Bar(w.label, "count", float(x) - 0.35, 0.7, w.count))
        if len(weeks) <= 20:
            ax.text(x, w.count, f"{w.count}", ha="center", va="bottom", fontsize=7, color=TEXT)
    step = max(1, math.ceil(len(weeks) / 16))
    ax.set_xticks(
        range(0, len(weeks), step),
        [t("results.week_short", lang, week=w.week) for w in weeks[::step]],
        fontsize=7,
    )
    top = max((w.count for w in weeks), default=1)
    ax.set_ylim(0, top * 1.15 + 1)
    ax.set_ylabel(t("results.chart_responses_axis", lang), fontsize=8, color=TEXT)
    return Chart(fig, tuple(bars))


def comparison_chart(c: Comparison, lang: str) -> Chart:
    """% agree per statement in two periods: a light bar (earlier) above a dark one (later)."""
    n_rows = max(1, len(c.rows))
    fig, ax = _figure(1.1 + 0.5 * n_rows)
    bars = []
    for y, row in enumerate(c.rows):
        base = n_rows - 1 - y
        for offset, value, colour, label in (
            (0.18, row.agree_a, BAR_LIGHT, c.label_a),
            (-0.18, row.agree_b, BAR, c.label_b),
        ):
            width = value if value is not None else 0.0
            ax.barh(base + offset, width, height=0.34, color=colour, linewidth=0)
            text = f"{round(value)} %" if value is not None else "–"
            ax.text(width + 1, base + offset, text, va="center", fontsize=6.5, color=TEXT)
            bars.append(Bar(row.statement, label, 0.0, width))
    ax.set_xlim(0, 112)
    _percent_ticks(ax)
    _row_labels(ax, n_rows, [_wrap(r.statement, 42) for r in c.rows], fontsize=8)
    ax.set_xlabel(t("results.chart_compare_axis", lang), fontsize=8, color=TEXT)
    fig.legend(
        handles=[Patch(color=BAR_LIGHT, label=c.label_a), Patch(color=BAR, label=c.label_b)],
        loc="outside upper center",
        ncol=2,
        fontsize=7,
        frameon=False,
    )
    return Chart(fig, tuple(bars))
