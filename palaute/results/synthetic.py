"""A deterministic, plausible survey for demonstrations, tests and benchmarks.

Each Likert statement gets its own lean (most statements are liked, a few are not), yes/no
questions lean to "yes", some answers are left empty, a few are flagged for review (and some of
those already reviewed), and free-text answers are short Finnish sentences, most of them
transcribed, the rest waiting as a crop image.  The same template, size and seed always give the
same data.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import random
from functools import cache

from forms.template import Field, Template
from palaute.results.data import Answer, Response, SurveyData
from scanner.results import FieldStatus

DEFAULT_START = dt.date(2026, 3, 2)

_IMPROVE = (
    "Puhelinaikoja voisi olla enemmän.",
    "Toivoisin, että työntekijään saisi yhteyden nopeammin.",
    "Odotustilaan lisää istumapaikkoja ja lehtiä.",
    "Tulostin oli rikki, kun yritin tulostaa hakemusta.",
    "Päätökset tulevat liian hitaasti.",
    "Päätösten kieli on vaikeaa ymmärtää.",
    "Sähköinen asiointi pitäisi olla helpompaa.",
    "Aukioloajat voisivat olla myös iltaisin.",
    "Sama työntekijä koko ajan olisi hyvä.",
    "Enemmän aikaa keskustelulle.",
    "Neuvontaa liitteistä, mitä hakemukseen tarvitaan.",
    "Opasteet toimistoon ovat huonot.",
)
_OTHER = (
    "Kiitos ystävällisestä palvelusta!",
    "Työntekijä kuunteli ja ymmärsi tilanteeni.",
    "Ruusuja omalle työntekijälleni.",
    "Asiointi oli sujuvaa ja nopeaa.",
    "Risuja jonotuksesta puhelimessa.",
    "Koin tulleeni kohdatuksi ihmisenä.",
    "Hyvä että palautetta kysytään.",
    "Välillä tuntuu, ettei kukaan ehdi auttaa.",
    "Kahvi oli hyvää palautepäivänä.",
    "Toivon, että palaute otetaan todesta.",
)
_REASON = (
    "Sain apua nopeasti.",
    "Asia jäi vielä kesken.",
    "Hakemukseni käsiteltiin ajallaan.",
    "En saanut vastausta kysymykseeni.",
    "Työntekijä neuvoi hyvin.",
    "Jouduin odottamaan pitkään.",
)
_MISSING_INFO = (
    "Milloin päätös tulee?",
    "Kuka on oma työntekijäni nyt?",
    "Mitä liitteitä pitää vielä toimittaa?",
    "Miten voin hakea muutosta päätökseen?",
)
_GUIDANCE = (
    "Ohjeet selkokielellä.",
    "Esimerkki täytetystä hakemuksesta auttaisi.",
    "Lista tarvittavista liitteistä yhdelle sivulle.",
    "Ohjeet myös ruotsiksi ja englanniksi.",
)
_OTHER_SERVICE = ("Päihdepalvelut", "Asumisneuvonta", "Kuntouttava työtoiminta", "Velkaneuvonta")
_CLOSERS = ("", "", "", " Kiitos.", " Muuten kaikki hyvin.", " Tämä olisi tärkeää.")


def _pools(fields: list[Field]) -> dict[str, tuple[str, ...]]:
    """Which sentences each free-text field draws from: the first free-standing text question
    asks what to improve, later ones ask for anything else; follow-ups explain the answer."""
    pools: dict[str, tuple[str, ...]] = {}
    top_level = 0
    for f in fields:
        if f.kind != "text":
            continue
        if f.parent is None:
            pools[f.id] = _IMPROVE if top_level == 0 else _OTHER
            top_level += 1
        elif f.parent_value is None:
            pools[f.id] = _REASON
        elif f.parent_value not in ("yes", "no"):
            pools[f.id] = _OTHER_SERVICE
        elif any(w in f.label.lower() for w in ("ohje", "anvisning", "instruction")):
            pools[f.id] = _GUIDANCE
        else:
            pools[f.id] = _MISSING_INFO
    return pools


def _unit(text: str) -> float:
    digest = hashlib.sha256(text.encode()).digest()
    return int.from_bytes(digest[:4], "big") / 2**32


def _lean(seed: int, field_id: str) -> float:
    """How critical respondents are of a field, in [0, 1]: mostly set by the field itself (so
    that two periods or two languages look alike) with a little drift from the seed."""
    base = 0.8 * _unit(f"lean:{field_id}") ** 2  # most things are liked; a few are not
    drift = (_unit(f"{seed}:{field_id}") - 0.5) * 0.3
    return min(1.0, max(0.0, base + drift))


def _likert_weights(lean: float, points: int) -> list[float]:
    """Skewed weights over scale points in printed order (first = most agreeing).

    ``lean`` near 0 → most agree; near 1 → opinions split towards disagreement.
    """
    centre = 0.5 + lean * (points - 1) * 0.7  # position of the peak, in points
    weights = []
    for i in range(points):
        distance = abs(i - centre)
        weights.append(1.0 / (1.0 + distance * distance * 1.6))
    middle = points // 2
    if points % 2 == 1:
        weights[middle] *= 0.55  # "can't say" is less common than either lean
    return weights


@cache
def crop_image() -> bytes:
    """A small grey scan of a handwritten line (the same image every time)."""
    from PIL import Image, ImageDraw

    img = Image.new("L", (520, 90), 250)
    draw = ImageDraw.Draw(img)
    for y in (30, 60):
        draw.line([(6, y + 14), (514, y + 14)], fill=190, width=1)
    rng = random.Random(7)
    for y in (30, 60):
        x = 14
        while x < 420 + y:
            w = rng.randint(18, 54)
            pts = [(x + i * 3, y + rng.randint(-7, 7)) for i in range(w // 3)]
            draw.line(pts, fill=40, width=2)
            x += w + rng.randint(6, 14)
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=True)
    return buf.getvalue()


def _text(rng: random.Random, pool: tuple[str, ...]) -> str:
    first = rng.choice(pool)
    if pool is not _OTHER_SERVICE and rng.random() < 0.3:
        second = rng.choice(pool)
        if second != first:
            first = f"{first} {second}"
    if pool is not _OTHER_SERVICE:
        first += rng.choice(_CLOSERS)
    return first


def _answer_field(
    rng: random.Random, f: Field, answers: dict[str, Answer], lean: float, pool: tuple[str, ...]
) -> Answer | None:
    if f.kind == "text":
        if f.parent is not None:
            parent = answers.get(f.parent)
            parent_value = parent.value if parent else None
            if f.parent_value is not None:
                chosen = (
                    f.parent_value in parent_value
                    if isinstance(parent_value, list)
                    else parent_value == f.parent_value
                )
                if not chosen or rng.random() > 0.6:
                    return Answer(None, FieldStatus.BLANK)
            elif rng.random() > 0.25:
                return Answer(None, FieldStatus.BLANK)
        elif rng.random() > 0.3 + 0.1 * lean:
            return Answer(None, FieldStatus.BLANK)
        if rng.random() < 0.9:
            return Answer(None, FieldStatus.WRITTEN, reviewed=True, text=_text(rng, pool))
        return Answer(None, FieldStatus.WRITTEN, crop_png=crop_image())

    if rng.random() < 0.04:
        return Answer(None, FieldStatus.EMPTY)
    values = [o.value for o in f.options]
    if f.kind == "likert":
        value: str | list[str] | float = rng.choices(
            values, weights=_likert_weights(lean, len(values))
        )[0]
    elif f.kind == "single":
        if values[:2] == ["yes", "no"] and len(values) == 2:
            value = "yes" if rng.random() < 0.62 + 0.3 * (1 - lean) else "no"
        else:
            value = rng.choice(values)
    elif f.kind == "multiple":
        chance = (0.8, 0.22)  # the first service is the common one; "other" is rare
        picked = [v for i, v in enumerate(values) if rng.random() < (chance[i] if i < 2 else 0.07)]
        if not picked:
            return Answer([], FieldStatus.EMPTY)
        value = sorted(picked)
    else:  # line
        value = round(min(100.0, max(0.0, rng.gauss(70 - 30 * lean, 18))), 1)

    roll = rng.random()
    if roll < 0.012:
        # Flagged by the reader; two thirds already resolved by a clerk.
        status = FieldStatus.MULTIPLE if f.kind != "line" else FieldStatus.AMBIGUOUS
        if rng.random() < 0.67:
            return Answer(value, status, reviewed=True)
        return Answer(None, status)
    if roll < 0.02:
        return Answer(value, FieldStatus.CORRECTED)
    return Answer(value, FieldStatus.OK)


def build(
    template: Template,
    n: int,
    seed: int = 0,
    start: dt.date | None = None,
    weeks: int = 4,
    extra_templates: tuple[Template, ...] = (),
) -> SurveyData:
    """``n`` respondents scanned over ``weeks`` weeks from ``start``.

    With ``extra_templates`` (the same form in other languages) about one in seven respondents
    answers one of those instead of the primary form.
    """
    rng = random.Random(seed)
    start = start or DEFAULT_START
    days = max(1, weeks * 7)
    fields = list(template.fields())
    leans = {f.id: _lean(seed, f.id) for f in fields}
    pools = _pools(fields)
    responses = []
    for i in range(n):
        form = template
        if extra_templates and rng.random() < 1 / 7:
            form = rng.choice(extra_templates)
        # Busy days early in the period (the feedback day), a tail afterwards.
        day = min(days - 1, int(rng.expovariate(3.0 / days)))
        answers: dict[str, Answer] = {}
        for f in fields:
            a = _answer_field(rng, f, answers, leans[f.id], pools.get(f.id, _OTHER))
            if a is not None:
                answers[f.id] = a
        responses.append(
            Response(
                respondent=f"R{i + 1:05d}",
                scanned=start + dt.timedelta(days=day),
                answers=answers,
                form_id=form.form_id,
                form_version=form.version,
            )
        )
    responses.sort(key=lambda r: (r.scanned, r.respondent))
    return SurveyData(templates=(template, *extra_templates), responses=tuple(responses))
