"""The results report: a PDF in the form's language, for staff, management and the board.

Contents, in order: a title page (organisation, form, period, respondents); how the material was
collected and checked; every question as printed, with its chart and table (n, %, and the median
for statements) and the free-text answers that belong to it (typed-up text, or the scanned crop
where nobody has typed it up yet); responses per week; results by form language and by month
(groups under the anonymity limit hidden, and the report says so); and, when asked, a comparison
with an earlier period.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    Image,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from forms import fonts
from palaute.i18n import t
from palaute.results import charts, stats, text
from palaute.results.data import SurveyData
from palaute.results.posters import BREAKDOWN, PosterStats, posters_counted

log = logging.getLogger(__name__)

PAGE_W, PAGE_H = A4
MARGIN = 20 * mm
CONTENT_W = PAGE_W - 2 * MARGIN
CHART_DPI = 150
MAX_CHART_H = 215 * mm
ROWS_PER_CHART = 18  # statements per diverging chart; more go on a second chart
T = TypeVar("T")
ACCENT = colors.HexColor("#2166ac")
RULE = colors.HexColor("#b8c7d9")
ZEBRA = colors.HexColor("#f2f5f9")


@dataclass(frozen=True)
class ReportResult:
    pdf: Path
    pages: int
    respondents: int
    posters: int | None = None  # posters counted, when the survey is a poster survey


class _Styles:
    def __init__(self) -> None:
        fonts.register()
        r, b = fonts.REGULAR, fonts.BOLD
        self.title = ParagraphStyle("title", fontName=b, fontSize=26, leading=32, spaceAfter=8)
        self.subtitle = ParagraphStyle("subtitle", fontName=r, fontSize=15, leading=20)
        self.fact = ParagraphStyle("fact", fontName=r, fontSize=12, leading=18)
        self.h1 = ParagraphStyle(
            "h1", fontName=b, fontSize=15, leading=19, spaceBefore=10, spaceAfter=6
        )
        self.h2 = ParagraphStyle(
            "h2", fontName=b, fontSize=11.5, leading=15, spaceBefore=8, spaceAfter=4
        )
        self.body = ParagraphStyle("body", fontName=r, fontSize=10, leading=14, spaceAfter=6)
        self.note = ParagraphStyle(
            "note", fontName=r, fontSize=8.5, leading=11, textColor=colors.HexColor("#555555")
        )
        self.cell = ParagraphStyle("cell", fontName=r, fontSize=8, leading=10)
        self.head = ParagraphStyle("head", fontName=b, fontSize=7, leading=8.5)
        self.head_c = ParagraphStyle("head_c", parent=self.head, alignment=TA_CENTER)


def _p(content: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(content), style)


def _chart_image(chart: charts.Chart, width: float = CONTENT_W) -> Image:
    png = chart.png(dpi=CHART_DPI)
    w_in, h_in = chart.figure.get_size_inches()
    chart.close()
    height = width * float(h_in) / float(w_in)
    if height > MAX_CHART_H:  # never taller than a page: shrink it whole
        width, height = width * MAX_CHART_H / height, MAX_CHART_H
    return Image(io.BytesIO(png), width=width, height=height)


def _chunks(items: Sequence[T], size: int) -> list[Sequence[T]]:
    return [items[i : i + size] for i in range(0, len(items), size)] or [items]


def _table(rows: list[list[Any]], widths: Sequence[float], numeric_from: int = 1) -> Table:
    table = Table(rows, colWidths=list(widths), repeatRows=1, hAlign="LEFT")
    style = [
        ("FONT", (0, 0), (-1, -1), fonts.REGULAR, 8),
        ("FONT", (0, 0), (-1, 0), fonts.BOLD, 7.5),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (numeric_from, 0), (-1, -1), "CENTER"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, ACCENT),
        ("LINEBELOW", (0, -1), (-1, -1), 0.5, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]
    for i in range(2, len(rows), 2):
        style.append(("BACKGROUND", (0, i), (-1, i), ZEBRA))
    table.setStyle(TableStyle(style))
    return table


class _Builder:
    def __init__(
        self,
        data: SurveyData,
        lang: str,
        min_group: int,
        compare_with: SurveyData | None,
        created: dt.date,
    ) -> None:
        self.data = data
        self.lang = lang
        self.min_group = min_group
        self.compare_with = compare_with
        self.created = created
        self.s = _Styles()
        self.summary = stats.summarise(data)

    def tr(self, key: str, **params: Any) -> str:
        return t(key, self.lang, **params)

    # -- parts --------------------------------------------------------------------------------
    def title_page(self) -> list[Flowable]:
        s, d = self.s, self.data
        period = d.period()
        out: list[Flowable] = [Spacer(1, 45 * mm)]
        out.append(_p(self.tr("results.report_title"), s.title))
        out.append(_p(d.template.title, s.subtitle))
        out.append(Spacer(1, 18 * mm))
        if period:
            start, end = (text.date(x, self.lang) for x in period)
            out.append(_p(self.tr("results.title_period", start=start, end=end), s.fact))
        else:
            out.append(_p(self.tr("results.no_period"), s.fact))
        out.append(_p(self.tr("results.title_respondents", n=self.summary.respondents), s.fact))
        out.append(Spacer(1, 8 * mm))
        created = text.date(self.created, self.lang)
        out.append(_p(self.tr("results.title_created", date=created), s.note))
        out.append(PageBreak())
        return out

    def method(self) -> list[Flowable]:
        s, m = self.s, self.data.method()
        out: list[Flowable] = [_p(self.tr("results.method_heading"), s.h1)]
        # A poster survey counts votes on posters, not questionnaires: say what was counted.
        counted = posters_counted([sec.poster for sec in self.summary.sections])
        posters = counted is not None
        out.append(
            _p(
                self.tr(
                    "results.method_posters" if posters else "results.method_sheets",
                    sheets=m.sheets if counted is None else counted,
                    first=text.date(m.first_scan, self.lang),
                    last=text.date(m.last_scan, self.lang),
                ),
                s.body,
            )
        )
        if m.pages_rejected:
            out.append(_p(self.tr("results.method_rejected", pages=m.pages_rejected), s.body))
        out.append(
            _p(
                self.tr(
                    "results.method_flagged", flagged=m.fields_flagged, reviewed=m.fields_reviewed
                ),
                s.body,
            )
        )
        unresolved = sum(x.unresolved for x in self.summary.likert) + sum(
            x.unresolved for x in self.summary.choices
        )
        if unresolved:
            out.append(_p(self.tr("results.method_unresolved", count=unresolved), s.body))
        if m.texts_written:
            out.append(
                _p(
                    self.tr(
                        "results.method_texts",
                        written=m.texts_written,
                        transcribed=m.texts_transcribed,
                    ),
                    s.body,
                )
            )
        likert = self.summary.likert
        if likert:
            first = likert[0]
            out.append(
                _p(
                    self.tr(
                        "results.method_percentages",
                        first=first.labels[0].lower(),
                        last=first.labels[-1].lower(),
                        last_value=first.values[-1],
                    ),
                    s.body,
                )
            )
        out.append(_p(self.tr("results.method_anonymity", min_group=self.min_group), s.body))
        if self.summary.respondents < self.min_group and not posters:  # votes have no persons
            out.append(_p(self.tr("results.method_few", min_group=self.min_group), s.body))
        return out

    def likert_section(self, number: int, rows: Sequence[stats.LikertStats]) -> list[Flowable]:
        s = self.s
        heading = _p(f"{number}. {self.tr('results.statements_heading')}", s.h1)
        images = [
            _chart_image(charts.likert_chart(part, self.lang))
            for part in _chunks(rows, ROWS_PER_CHART)
        ]
        labels = rows[0].labels
        head = [
            Paragraph(self.tr("results.table_statement"), s.head),
            Paragraph(self.tr("results.table_n"), s.head_c),
            *(Paragraph(escape(label), s.head_c) for label in labels),
            Paragraph(self.tr("results.table_median"), s.head_c),
        ]
        body: list[list[Any]] = [head]
        for r in rows:
            body.append(
                [
                    _p(r.statement, s.cell),
                    str(r.n),
                    *(text.percent(p, self.lang) if r.n else "–" for p in r.percentages),
                    text.number(r.median, self.lang),
                ]
            )
        k = len(labels)
        stmt_w = 56 * mm
        rest = CONTENT_W - stmt_w - 10 * mm - 18 * mm
        widths = [stmt_w, 10 * mm, *([rest / k] * k), 18 * mm]
        out: list[Flowable] = [KeepTogether([heading, images[0]]), *images[1:], Spacer(1, 4 * mm)]
        out.append(_table(body, widths))
        unresolved = sum(r.unresolved for r in rows)
        if unresolved:
            out.append(Spacer(1, 2 * mm))
            out.append(_p(self.tr("results.unresolved_note", count=unresolved), s.note))
        return out

    def choice_section(self, number: int, c: stats.ChoiceStats) -> list[Flowable]:
        s = self.s
        heading = _p(f"{number}. {c.label}", s.h1)
        chart = _chart_image(charts.choice_chart(c, self.lang))
        body: list[list[Any]] = [
            [
                self.tr("results.table_option"),
                self.tr("results.table_count"),
                self.tr("results.table_percent"),
            ]
        ]
        for label, count, pct in zip(c.labels, c.counts, c.percentages, strict=True):
            body.append([_p(label, s.cell), str(count), text.percent(pct, self.lang)])
        key = "results.answered_multiple" if c.kind == "multiple" else "results.answered"
        table = _table(body, [90 * mm, 25 * mm, 25 * mm])
        parts: list[Flowable] = [heading, chart, Spacer(1, 2 * mm), table, Spacer(1, 1.5 * mm)]
        parts.append(_p(self.tr(key, n=c.n), s.note))
        if c.unresolved:
            parts.append(_p(self.tr("results.unresolved_note", count=c.unresolved), s.note))
        return [CondPageBreak(70 * mm), KeepTogether(parts)]

    def line_section(self, number: int, ln: stats.LineStats) -> list[Flowable]:
        s = self.s
        summary = self.tr(
            "results.line_summary",
            n=ln.n,
            median=text.number(ln.median, self.lang),
            mean=text.number(ln.mean, self.lang),
        )
        chart = _chart_image(charts.line_chart(ln, self.lang))
        return [
            CondPageBreak(60 * mm),
            KeepTogether([_p(f"{number}. {ln.label}", s.h1), chart, _p(summary, s.body)]),
        ]

    def poster_section(self, number: int, p: PosterStats) -> list[Flowable]:
        s = self.s
        if not p.pages:
            heading = _p(f"{number}. {p.statement}", s.h1)
            return [KeepTogether([heading, _p(self.tr("results.poster_not_counted"), s.note)])]
        # The votes by sticker colour and tally marks, where the reader counted them: only the
        # kinds that occur on any of the survey's posters (the same columns for every statement),
        # so that a plain green-yellow-red vote keeps a narrow table.
        polls = [sec.poster for sec in self.summary.sections if sec.poster is not None]
        kinds = [k for k in BREAKDOWN if any(z.parts.get(k, 0) for q in polls for z in q.zones)]
        body: list[list[Any]] = [
            [
                self.tr("results.table_zone"),
                self.tr("results.table_votes"),
                self.tr("results.table_percent"),
                *(_p(self.tr(f"results.table_part_{k}"), s.head_c) for k in kinds),
            ]
        ]
        for zone, pct in zip(p.zones, p.percentages, strict=True):
            body.append(
                [
                    _p(zone.label, s.cell),
                    str(zone.votes),
                    text.percent(pct, self.lang),
                    *(str(zone.parts.get(k, 0)) for k in kinds),
                ]
            )
        part_w = min(22 * mm, 60 * mm / len(kinds)) if kinds else 0
        label_w = (90 if not kinds else 60) * mm
        parts: list[Flowable] = [
            _p(f"{number}. {p.statement}", s.h1),
            _chart_image(charts.poster_chart(p, self.lang)),
            Spacer(1, 2 * mm),
            _table(body, [label_w, 22 * mm, 22 * mm, *([part_w] * len(kinds))]),
            Spacer(1, 1.5 * mm),
            _p(self.tr("results.poster_votes", votes=p.total, pages=p.pages), s.note),
        ]
        if p.unresolved:
            parts.append(_p(self.tr("results.poster_unresolved", count=p.unresolved), s.note))
        return [CondPageBreak(70 * mm), KeepTogether(parts)]

    def word_task_section(self, number: int, w: stats.WordTask) -> list[Flowable]:
        s = self.s
        heading = _p(f"{number}. {self.tr('results.word_task_heading')}", s.h1)
        body: list[list[Any]] = [
            [
                self.tr("results.table_term"),
                self.tr("results.table_n"),
                self.tr("results.table_understandable"),
                self.tr("results.table_needs_explaining"),
            ]
        ]
        for term in w.terms:
            body.append(
                [
                    _p(term.label, s.cell),
                    str(term.n),
                    text.percent(100 - term.needs_explaining_pct if term.n else 0.0, self.lang),
                    text.percent(term.needs_explaining_pct, self.lang),
                ]
            )
        out: list[Flowable] = [
            heading,
            _p(self.tr("results.word_task_intro"), s.body),
            _chart_image(charts.word_task_chart(w, self.lang)),
            Spacer(1, 2 * mm),
            _table(body, [80 * mm, 20 * mm, 30 * mm, 30 * mm]),
        ]
        if w.unresolved:
            out.append(_p(self.tr("results.unresolved_note", count=w.unresolved), s.note))
        return out

    def texts_section(self, ts: stats.TextStats, standalone: int | None) -> list[Flowable]:
        s = self.s
        if standalone is not None:
            heading = _p(f"{standalone}. {ts.label}", s.h1)
        else:
            heading = _p(self.tr("results.free_texts_heading", label=ts.label), s.h2)
        count = len(ts.answers)
        intro = _p(
            self.tr("results.texts_count", n=count) if count else self.tr("results.no_texts"),
            s.note,
        )
        out: list[Flowable] = [CondPageBreak(30 * mm), heading, intro, Spacer(1, 1.5 * mm)]
        crops: list[bytes] = []
        for a in ts.answers:
            if a.text:
                out.append(PlainAnswer(a.text))
            elif a.crop_png:
                crops.append(a.crop_png)
        if crops:
            out.append(Spacer(1, 2 * mm))
            out.append(_p(self.tr("results.not_transcribed"), s.note))
            for png in crops:
                out.append(_crop(png))
        return out

    def weeks_section(self) -> list[Flowable]:
        s = self.s
        weeks = self.summary.weeks
        if not weeks:
            return []
        out: list[Flowable] = [CondPageBreak(80 * mm)]
        out.append(_p(self.tr("results.weeks_heading"), s.h1))
        out.append(_chart_image(charts.weeks_chart(weeks, self.lang)))
        body: list[list[Any]] = [
            [self.tr("results.table_week"), self.tr("results.table_responses")]
        ]
        for w in weeks:
            body.append([self.tr("results.week_short", week=w.week) + f"/{w.year}", str(w.count)])
        body.append([self.tr("results.table_total"), str(sum(w.count for w in weeks))])
        out.append(Spacer(1, 3 * mm))
        out.append(_table(body, [40 * mm, 30 * mm]))
        return out

    def breakdown_section(
        self, by: str, heading_key: str, label: Callable[[str], str]
    ) -> list[Flowable]:
        s = self.s
        b = stats.breakdown(self.data, by, min_group=self.min_group)
        if len(b.groups) + len(b.hidden) < 2:
            return []  # one group is the whole survey: nothing to break down
        out: list[Flowable] = [CondPageBreak(60 * mm), _p(self.tr(heading_key), s.h1)]
        if by == "language":  # the report's own language first
            groups = sorted(b.groups, key=lambda g: (g.key != self.data.language, g.key))
            b = stats.Breakdown(b.by, b.min_group, tuple(groups), b.hidden)
        if b.groups:
            out.append(_p(self.tr("results.breakdown_intro"), s.body))
            head = [Paragraph(self.tr("results.table_statement"), s.head)]
            head += [Paragraph(escape(f"{label(g.key)} (n={g.n})"), s.head_c) for g in b.groups]
            body: list[list[Any]] = [head]
            for i, f in enumerate(g for g in self.data.fields() if g.kind == "likert"):
                row: list[Any] = [_p(f.label, s.cell)]
                for g in b.groups:
                    lk = g.likert[i]
                    row.append(text.percent(lk.agree_pct, self.lang) if lk.n else "–")
                body.append(row)
            stmt_w = 80 * mm
            col = (CONTENT_W - stmt_w) / max(1, len(b.groups))
            out.append(_table(body, [stmt_w, *([col] * len(b.groups))]))
        else:
            out.append(_p(self.tr("results.breakdown_none", min_group=self.min_group), s.body))
        if b.hidden and b.groups:
            out.append(Spacer(1, 2 * mm))
            out.append(
                _p(
                    self.tr(
                        "results.breakdown_hidden",
                        count=len(b.hidden),
                        min_group=self.min_group,
                        groups=", ".join(label(k) for k in b.hidden),
                    ),
                    s.note,
                )
            )
        return out

    def comparison_section(self, earlier: SurveyData) -> list[Flowable]:
        s = self.s
        label_a, label_b = (_period(d, self.lang) for d in (earlier, self.data))
        c = stats.compare(earlier, self.data, self.min_group, label_a=label_a, label_b=label_b)
        out: list[Flowable] = [PageBreak()]
        out.append(_p(self.tr("results.compare_heading", a=label_a, b=label_b), s.h1))
        out.append(
            _p(
                self.tr("results.compare_intro", n_a=c.respondents_a, n_b=c.respondents_b),
                s.body,
            )
        )
        for part in _chunks(c.rows, ROWS_PER_CHART):
            chunk = replace(c, rows=tuple(part))
            out.append(_chart_image(charts.comparison_chart(chunk, self.lang)))
        body: list[list[Any]] = [
            [
                Paragraph(self.tr("results.table_statement"), s.head),
                Paragraph(escape(label_a), s.head_c),
                Paragraph(escape(label_b), s.head_c),
                Paragraph(self.tr("results.compare_change"), s.head_c),
            ]
        ]
        for r in c.rows:
            body.append(
                [
                    _p(r.statement, s.cell),
                    text.percent(r.agree_a, self.lang),
                    text.percent(r.agree_b, self.lang),
                    text.signed(r.change, self.lang),
                ]
            )
        out.append(Spacer(1, 3 * mm))
        out.append(_table(body, [86 * mm, 28 * mm, 28 * mm, 28 * mm]))
        if c.any_hidden:
            out.append(Spacer(1, 2 * mm))
            out.append(_p(self.tr("results.compare_hidden", min_group=self.min_group), s.note))
        return out

    # -- whole --------------------------------------------------------------------------------
    def story(self) -> list[Flowable]:
        story = self.title_page() + self.method()
        first = 1
        if self.summary.word_task is not None:
            story += self.word_task_section(1, self.summary.word_task)
            first = 2
        for number, sec in enumerate(self.summary.sections, start=first):
            if sec.likert:
                story += self.likert_section(number, sec.likert)
            elif sec.choice is not None:
                story += self.choice_section(number, sec.choice)
            elif sec.line is not None:
                story += self.line_section(number, sec.line)
            elif sec.poster is not None:
                story += self.poster_section(number, sec.poster)
            for i, ts in enumerate(sec.texts):
                standalone = (
                    number if (i == 0 and ts.parent is None and not _has_main(sec)) else None
                )
                story += self.texts_section(ts, standalone)
        story += self.weeks_section()
        story += self.breakdown_section(
            "language",
            "results.breakdown_language_heading",
            lambda code: text.language_name(code, self.lang),
        )
        story += self.breakdown_section("month", "results.breakdown_month_heading", _month_label)
        if self.compare_with is not None:
            story += self.comparison_section(self.compare_with)
        return story


def _has_main(sec: stats.Section) -> bool:
    return (
        bool(sec.likert) or sec.choice is not None or sec.line is not None or sec.poster is not None
    )


def _month_label(key: str) -> str:
    year, month = key.split("-")
    return f"{int(month)}/{year}"


def _period(data: SurveyData, lang: str) -> str:
    period = data.period()
    if period is None:
        return "–"
    a, b = period
    if a.year == b.year and (a.month, b.month) in ((1, 12),):
        return str(a.year)
    return f"{text.date(a, lang)} – {text.date(b, lang)}"


class PlainAnswer(Flowable):
    """One free-text answer as a dash and plain wrapped lines.

    Much lighter than a Paragraph (no markup to parse), which matters when a large survey has
    thousands of written answers.
    """

    def __init__(self, content: str, size: float = 9.0, leading: float = 12.0) -> None:
        super().__init__()
        self.content = " ".join(content.split())
        self.size = size
        self.leading = leading
        self.indent = 10.0
        self.lines: list[str] = []

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.lines = _wrap_points(self.content, avail_width - self.indent, self.size)
        self.width = avail_width
        self.height = len(self.lines) * self.leading + 1.0
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        self.wrap(avail_width, avail_height)
        fit = int((avail_height - 1.0) // self.leading)
        if fit < 1 or fit >= len(self.lines):
            return []
        head = PlainAnswer(" ".join(self.lines[:fit]), self.size, self.leading)
        tail = PlainAnswer(" ".join(self.lines[fit:]), self.size, self.leading)
        tail.bullet = False
        return [head, tail]

    bullet = True

    def draw(self) -> None:
        canvas = self.canv
        top = self.height - self.size
        if self.bullet:
            canvas.setFont(fonts.REGULAR, self.size)
            canvas.drawString(0, top, "–")
        text_object = canvas.beginText(self.indent, top)
        text_object.setFont(fonts.REGULAR, self.size, self.leading)
        text_object.textLines(self.lines)
        canvas.drawText(text_object)


def _wrap_points(content: str, width: float, size: float) -> list[str]:
    if stringWidth(content, fonts.REGULAR, size) <= width:
        return [content]  # most answers are one line
    lines: list[str] = []
    current = ""
    for word in content.split():
        candidate = f"{current} {word}" if current else word
        if current and stringWidth(candidate, fonts.REGULAR, size) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines or [""]


def _crop(png: bytes) -> Flowable:
    reader = ImageReader(io.BytesIO(png))
    w, h = reader.getSize()
    width = 90 * mm
    img = Image(io.BytesIO(png), width=width, height=width * h / w)
    img.hAlign = "LEFT"
    return img


def render_report(
    data: SurveyData,
    *,
    min_group: int = stats.DEFAULT_MIN_GROUP,
    compare_with: SurveyData | None = None,
    created: dt.date | None = None,
    lang: str | None = None,
) -> tuple[bytes, int]:
    """The report as PDF bytes, and its page count.  ``lang`` defaults to the form's language."""
    pdf, pages, _ = _render(
        data, min_group=min_group, compare_with=compare_with, created=created, lang=lang
    )
    return pdf, pages


def _render(
    data: SurveyData,
    *,
    min_group: int,
    compare_with: SurveyData | None,
    created: dt.date | None,
    lang: str | None,
) -> tuple[bytes, int, stats.Summary]:
    """The PDF, its page count and the summary it was built from (for the caller's message)."""
    if min_group < 1:
        raise ValueError("min_group must be at least 1")
    language = lang or data.language
    builder = _Builder(data, language, min_group, compare_with, created or dt.date.today())
    title = f"{t('results.report_title', language)} – {data.template.title}"
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=18 * mm,
        bottomMargin=20 * mm,
        title=title,
        author=data.organisation_name,
        lang=language,
    )

    def footer(canvas: Any, document: Any) -> None:
        canvas.saveState()
        canvas.setFont(fonts.REGULAR, 7.5)
        canvas.setFillColor(colors.HexColor("#666666"))
        canvas.drawString(
            MARGIN,
            11 * mm,
            t("results.page_footer", language, title=data.template.title, page=document.page),
        )
        canvas.setStrokeColor(RULE)
        canvas.line(MARGIN, 14 * mm, PAGE_W - MARGIN, 14 * mm)
        canvas.restoreState()

    def title_band(canvas: Any, document: Any) -> None:
        canvas.saveState()
        canvas.setFillColor(ACCENT)
        canvas.rect(0, PAGE_H - 28 * mm, PAGE_W, 28 * mm, stroke=0, fill=1)
        canvas.setFillColor(colors.white)
        canvas.setFont(fonts.BOLD, 13)
        canvas.drawString(MARGIN, PAGE_H - 17 * mm, data.organisation_name)
        canvas.restoreState()

    doc.build(builder.story(), onFirstPage=title_band, onLaterPages=footer)
    log.info("report: %d pages, %d respondents", doc.page, len(data.responses))
    return buf.getvalue(), int(doc.page), builder.summary


def write_report(
    data: SurveyData,
    out: Path,
    *,
    min_group: int = stats.DEFAULT_MIN_GROUP,
    compare_with: SurveyData | None = None,
    created: dt.date | None = None,
    lang: str | None = None,
) -> ReportResult:
    """Write the report to ``out`` (atomically: a failure leaves no half-written file)."""
    pdf, pages, summary = _render(
        data, min_group=min_group, compare_with=compare_with, created=created, lang=lang
    )
    write_atomically(out, pdf)
    counted = posters_counted([sec.poster for sec in summary.sections])
    return ReportResult(out, pages, len(data.responses), counted)


def write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
