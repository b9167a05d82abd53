"""Short Finnish comments of the kind clients write on a social-services feedback form."""

from __future__ import annotations

import numpy as np

WRITE_INS = (
    "Vammaispalvelut",
    "Asumisasiat",
    "Päihdepalvelut",
    "Velkaneuvonta",
    "Kuntouttava työtoiminta",
    "Maahanmuuttajapalvelut",
    "Vanhuspalvelut",
    "Lastensuojelu",
    "Omaishoito",
    "Sosiaalinen luototus",
    "Kela-asiat",
    "Työllisyyspalvelut",
    "Ehkäisevä toimeentulotuki",
    "Perheneuvola",
    "asunto",
    "en muista",
)

REASONS = (
    "Sain apua nopeasti.",
    "Hakemus käsiteltiin ajallaan.",
    "Työntekijä oli ystävällinen ja kuunteli.",
    "Päätös tuli mutta en ymmärrä sitä.",
    "Jouduin odottamaan liian kauan.",
    "Sain vain osan siitä mitä hain.",
    "Hyvä palvelu, kiitos!",
    "Hain toimeentulotukea, sain päätöksen kahdessa päivässä.",
    "Kukaan ei vastannut puhelimeen.",
    "Liitteitä pyydettiin monta kertaa.",
    "Asia hoitui hyvin.",
    "Ei auttanut yhtään",
)

MORE_INFO = (
    "Mitä seuraavaksi tapahtuu?",
    "Kuka on minun työntekijäni nyt?",
    "Milloin saan päätöksen?",
    "Tietoa muutoksenhausta.",
    "Kirjallinen ohje olisi hyvä.",
    "Että soitetaanko minulle.",
    "Enemmän tietoa Kelan ja kunnan eroista.",
    "Aikataulu.",
)

IMPROVEMENTS = (
    "Enemmän aikaa asiakkaille",
    "Puhelinaikoja lisää",
    "Lisää työntekijöitä",
    "Nopeampi käsittely",
    "Selkeämpää kieltä päätöksiin",
    "Aukioloajat pidemmiksi, myös iltaisin.",
    "Sama työntekijä koko ajan.",
    "Odotustilaan lehtiä ja vettä",
    "Tulostin ei toimi!!",
    "Ajanvaraus netissä olisi kätevä.",
    "Ei mitään, kaikki hyvin.",
    "Enemmän ymmärrystä ja vähemmän kiirettä.",
    "Tulkkipalvelua useammin",
    "Takaisinsoitto luvattuun aikaan.",
)

GENERAL = (
    "Palvelu oli hyvää",
    "Kiitos avusta!",
    "Työntekijät ovat mukavia mutta kiireisiä.",
    "Ruusuja Mervi-sosiaaliohjaajalle :)",
    "Tuntuu ettei kukaan välitä.",
    "Hyvä että kysytään asiakkaiden mielipidettä.",
    "Päätökset tulevat liian myöhään, vuokra myöhässä.",
    "Asiallista ja ystävällistä palvelua, kiitos.",
    "Jonotin tunnin, ei hyvä.",
    "Olen ollut tyytyväinen.",
    "Sosiaalityöntekijä vaihtuu liian usein. Joudun aina kertomaan kaiken alusta.",
    "Neuvonta oli hyödyllistä.",
    "Äiti sai myös apua, kiitos.",
    "ok",
)

INSTRUCTIONS = (
    "Liian monta liitettä.",
    "Selkokielinen ohje.",
    "Ohjeet myös ruotsiksi ja englanniksi.",
    "Esimerkki täytetystä hakemuksesta.",
    "Lista tarvittavista liitteistä.",
    "Netissä ohje on vaikea löytää.",
)

SHORT = ("-", "ei", "ok", "—", "en tiedä", "x")

MARGIN_NOTES = (
    "?",
    "en tiedä",
    "ks. toinen puoli",
    "!!",
    "???",
    "vaikea sanoa",
    "kiitos",
    "ei koske minua",
)


# Swedish and English forms get comments in their language (write-ins, then general comments).
OTHER_LANGUAGES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "sv": (
        ("Handikappservice", "Boende", "Skuldrådgivning", "Missbrukarvård", "Äldreomsorg", "FPA"),
        (
            "Bra service, tack!",
            "Mer tid för klienterna.",
            "Jag fick vänta för länge på beslutet.",
            "Svårt att nå socialarbetaren per telefon.",
            "Vänlig och kunnig personal.",
            "Beslutet var svårt att förstå.",
            "Öppettiderna borde vara längre.",
            "Tack för hjälpen.",
        ),
    ),
    "en": (
        (
            "Disability services",
            "Housing",
            "Debt advice",
            "Substance abuse services",
            "Elderly care",
        ),
        (
            "Good service, thank you!",
            "More time for clients.",
            "I waited too long for the decision.",
            "Hard to reach my social worker by phone.",
            "Friendly and helpful staff.",
            "The decision letter was hard to understand.",
            "Longer opening hours please.",
            "An interpreter would have helped.",
        ),
    ),
}


def comment_for(label: str, rng: np.random.Generator, one_line: bool, language: str = "fi") -> str:
    """A comment that fits the prompt ``label`` (a write-in gets a short name of a service)."""
    if language in OTHER_LANGUAGES:
        write_ins, general = OTHER_LANGUAGES[language]
        return str(rng.choice(write_ins if one_line else general))
    low = label.lower()
    if one_line:
        pool: tuple[str, ...] = WRITE_INS
    elif "perustel" in low:
        pool = REASONS
    elif "lisätieto" in low:
        pool = MORE_INFO
    elif "ohje" in low:
        pool = INSTRUCTIONS
    elif "parantaisit" in low or "parantaa" in low:
        pool = IMPROVEMENTS
    else:
        pool = GENERAL + IMPROVEMENTS
    text = str(rng.choice(pool))
    if not one_line and rng.random() < 0.3:  # a longer answer: two thoughts
        joint = "" if text[-1] in ".!?)" else "."
        text = f"{text}{joint} {rng.choice(GENERAL + REASONS)}"
    return text
