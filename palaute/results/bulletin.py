"""The results bulletin (tiedote): one A4 page for the notice board and the client mailing.

Plain words and large type: how many answered, the three things that work best, the three that
most need to improve, and what the office will change, in the staff's own words.  The seed guide
asks for something concrete about changes, so that respondents see they were heard.

The page always stays one page: when the staff's text is long, the type is made a little smaller
(never below a readable minimum) until everything fits.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Frame, Paragraph, Table, TableStyle

from forms import fonts
from palaute.i18n import t
from palaute.results import stats, text
from palaute.results.data import SurveyData
from palaute.results.report import write_atomically

log = logging.getLogger(__name__)

PAGE_W, PAGE_H = A4
MARGIN = 18 * mm
BAND = 24 * mm
FOOTER = 16 * mm
GOOD = colors.HexColor("#1b6e3a")
IMPROVE = colors.HexColor("#a3391f")
CHANGE = colors.HexColor("#2166ac")
SCALES = (1.2, 1.1, 1.0, 0.93, 0.86, 0.8, 0.74, 0.68)  # body 18 pt at most, 10 pt at least


@dataclass(frozen=True)
class Finding:
    statement: str
    share_tenths: int  # "about k in 10"
    percent: float
    n: int


@dataclass(frozen=True)
class BulletinContent:
    respondents: int
    period: tuple[dt.date, dt.date] | None
    strengths: tuple[Finding, ...]
    improvements: tuple[Finding, ...]
    changes: str
    too_few: bool


def findings(
    data: SurveyData, min_group: int = stats.DEFAULT_MIN_GROUP, top: int = 3
) -> BulletinContent:
    """The main findings: statements most agreed with, and those most disagreed with.

    Statements answered by fewer than ``min_group`` people are not used; the lists do not
    overlap.
    """
    summary = stats.summarise(data)
    usable = [s for s in summary.likert if s.n >= min_group]
    best = sorted(usable, key=lambda s: (-s.agree_pct, s.disagree_pct))[:top]
    chosen = {s.field_id for s in best}
    worst = sorted(
        (s for s in usable if s.field_id not in chosen),
        key=lambda s: (-s.disagree_pct, s.agree_pct),
    )[:top]
    return BulletinContent(
        respondents=summary.respondents,
        period=data.period(),
        strengths=tuple(_finding(s, s.agree_pct) for s in best),
        improvements=tuple(_finding(s, s.disagree_pct) for s in worst),
        changes="",
        too_few=summary.respondents < min_group,
    )


def _finding(s: stats.LikertStats, pct: float) -> Finding:
    return Finding(s.statement, round(pct / 10), pct, s.n)


class _Styles:
    def __init__(self, scale: float) -> None:
        fonts.register()
        r, b = fonts.REGULAR, fonts.BOLD

        def style(name: str, font: str, size: float, **kw: Any) -> ParagraphStyle:
            return ParagraphStyle(
                name, fontName=font, fontSize=size * scale, leading=size * scale * 1.3, **kw
            )

        self.title = style("title", b, 30, spaceAfter=8 * scale)
        self.intro = style("intro", r, 16, spaceAfter=6 * scale)
        self.heading = style("heading", b, 19, spaceBefore=10 * scale, spaceAfter=5 * scale)
        self.item = style("item", b, 15, leftIndent=16, spaceBefore=4 * scale)
        self.share = style("share", r, 13.5, leftIndent=16, textColor=colors.HexColor("#333333"))
        self.body = style("body", r, 15, spaceAfter=5 * scale)
        self.bullet = style("bullet", r, 15, leftIndent=18, bulletIndent=2, spaceAfter=3 * scale)


def _heading(label: str, colour: Any, style: ParagraphStyle) -> Flowable:
    """A heading with a coloured bar on its left."""
    table = Table([[Paragraph(escape(label), style)]], colWidths=[PAGE_W - 2 * MARGIN])
    table.setStyle(
        TableStyle(
            [
                ("LINEBEFORE", (0, 0), (0, 0), 5, colour),
                ("LEFTPADDING", (0, 0), (0, 0), 9),
                ("TOPPADDING", (0, 0), (0, 0), 0),
                ("BOTTOMPADDING", (0, 0), (0, 0), 0),
            ]
        )
    )
    table.spaceBefore = style.spaceBefore
    table.spaceAfter = style.spaceAfter
    return table


def _changes_flowables(changes: str, st: _Styles, lang: str) -> list[Flowable]:
    out: list[Flowable] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            out.append(Paragraph(escape(" ".join(paragraph)), st.body))
            paragraph.clear()

    for raw in changes.strip().splitlines():
        line = raw.strip()
        if not line:
            flush()
        elif line[:1] in "-•*–":
            flush()
            out.append(Paragraph(escape(line[1:].strip()), st.bullet, bulletText="•"))
        else:
            paragraph.append(line)
    flush()
    if not out:
        out.append(Paragraph(escape(t("results.bulletin_no_changes", lang)), st.body))
    return out


def _story(content: BulletinContent, lang: str, scale: float) -> list[Flowable]:
    st = _Styles(scale)

    def tr(key: str, **params: Any) -> str:
        return t(key, lang, **params)

    period = (
        f"{text.date(content.period[0], lang)} – {text.date(content.period[1], lang)}"
        if content.period
        else tr("results.no_period")
    )
    story: list[Flowable] = [
        Paragraph(escape(tr("results.bulletin_title")), st.title),
        Paragraph(
            escape(tr("results.bulletin_intro", n=content.respondents, period=period)), st.intro
        ),
    ]
    if content.too_few:
        story.append(Paragraph(escape(tr("results.bulletin_too_few")), st.body))
    else:
        for key, colour, items, share_key in (
            ("results.bulletin_strengths", GOOD, content.strengths, "results.bulletin_agree_share"),
            (
                "results.bulletin_improve",
                IMPROVE,
                content.improvements,
                "results.bulletin_disagree_share",
            ),
        ):
            if not items:
                continue
            story.append(_heading(tr(key), colour, st.heading))
            for f in items:
                story.append(Paragraph(escape(f.statement), st.item))
                if f.share_tenths == 0 and share_key == "results.bulletin_disagree_share":
                    share = tr("results.bulletin_under_one")
                else:
                    share = tr(share_key, k=f.share_tenths)
                story.append(Paragraph(escape(share), st.share))
    story.append(_heading(tr("results.bulletin_changes"), CHANGE, st.heading))
    story += _changes_flowables(content.changes, st, lang)
    return story


def _fits(story: list[Flowable], width: float, height: float) -> bool:
    used = 0.0
    for flowable in story:
        _, h = flowable.wrap(width, height)
        used += h + flowable.getSpaceBefore() + flowable.getSpaceAfter()
        if used > height:
            return False
    return True


def render_bulletin(
    data: SurveyData,
    changes: str = "",
    *,
    min_group: int = stats.DEFAULT_MIN_GROUP,
    lang: str | None = None,
) -> bytes:
    """The bulletin as one-page PDF bytes, in the form's language unless ``lang`` is given."""
    if min_group < 1:
        raise ValueError("min_group must be at least 1")
    language = lang or data.language
    content = findings(data, min_group)
    content = BulletinContent(
        content.respondents,
        content.period,
        content.strengths,
        content.improvements,
        changes,
        content.too_few,
    )
    frame_w = PAGE_W - 2 * MARGIN
    frame_h = PAGE_H - BAND - FOOTER - 12 * mm
    story: list[Flowable] = []
    for scale in SCALES:
        story = _story(content, language, scale)
        if _fits(story, frame_w, frame_h):
            break
    else:
        log.warning("bulletin text is too long for one page even in the smallest type; cut")

    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=A4, lang=language)
    canvas.setTitle(t("results.bulletin_kicker", language))
    canvas.setAuthor(data.organisation_name)
    _frame_decorations(canvas, data.organisation_name, language)
    frame = Frame(
        MARGIN, FOOTER + 4 * mm, frame_w, frame_h, leftPadding=0, rightPadding=0, showBoundary=0
    )
    for flowable in story:
        if not frame.add(flowable, canvas):
            break  # never a second page
    canvas.showPage()
    canvas.save()
    return buf.getvalue()


def _frame_decorations(canvas: Canvas, organisation: str, lang: str) -> None:
    canvas.saveState()
    canvas.setFillColor(CHANGE)
    canvas.rect(0, PAGE_H - BAND, PAGE_W, BAND, stroke=0, fill=1)
    canvas.setFillColor(colors.white)
    canvas.setFont(fonts.BOLD, 17)
    canvas.drawString(MARGIN, PAGE_H - BAND + 9 * mm, t("results.bulletin_kicker", lang))
    if organisation:
        canvas.setFont(fonts.REGULAR, 13)
        canvas.drawRightString(PAGE_W - MARGIN, PAGE_H - BAND + 9 * mm, organisation)
    canvas.setStrokeColor(colors.HexColor("#b8c7d9"))
    canvas.line(MARGIN, FOOTER, PAGE_W - MARGIN, FOOTER)
    canvas.setFillColor(colors.HexColor("#333333"))
    canvas.setFont(fonts.REGULAR, 11)
    footer = t("results.bulletin_footer", lang, organisation=organisation).lstrip(" ·")
    canvas.drawString(MARGIN, FOOTER - 6 * mm, footer)
    canvas.restoreState()


def write_bulletin(
    data: SurveyData,
    out: Path,
    changes: str = "",
    *,
    min_group: int = stats.DEFAULT_MIN_GROUP,
    lang: str | None = None,
) -> Path:
    write_atomically(out, render_bulletin(data, changes, min_group=min_group, lang=lang))
    return out
