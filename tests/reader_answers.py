"""Two respondents' answers to the seed questionnaire, covering every kind of mark."""

from __future__ import annotations

from scanner.results import FieldStatus

from .reader_fixtures import Answer, Expect

L = "q4_"

FIRST: dict[int, list[Answer]] = {
    1: [
        Answer("q1", "tick", ("aikuissosiaalityo", "muu")),
        Answer("q1_muu", "text", text="kela asiat"),
        Answer("q2", "tick", ("yes",)),
        Answer("q2_perustelu", "text", text="Sain apua nopeasti, kiitos"),
        Answer("q3", "cross", ("no",)),
    ],
    2: [
        Answer(L + "aukioloajat", "circle", ("1",)),
        Answer(L + "puhelinajat", "circle", ("2",)),
        Answer(L + "sijainti", "circle", ("3",)),
        Answer(L + "yhteys", "circle", ("4",)),
        Answer(L + "odotustilat", "circle", ("5",)),
        Answer(L + "laitteet", "tick", ("2",)),
        Answer(L + "tieto_sijainti", "cross", ("4",)),
        Answer(L + "tieto_palvelu", "underline", ("3",)),
        Answer(L + "asiantuntevaa", "two_circles", ("1", "2")),
        Answer(L + "kohtelu", "correction", ("2", "4")),
        Answer(L + "aikaa", "slash", ("5",)),
        # neuvonta left empty
        Answer(L + "paatokset", "circle", ("1",)),
        Answer(L + "osallisuus", "correction", ("5", "3")),
        # tarpeet left empty
        Answer(L + "elamantilanne", "circle", ("3",)),
    ],
    3: [
        Answer("q5", "text", text="Enemman puhelinaikoja"),
        Answer("q7", "tick", ("yes", "no")),
    ],
}

SECOND: dict[int, list[Answer]] = {
    1: [
        Answer("q1", "tick", ("lapsiperheet", "aikuissosiaalityo")),
        Answer("q2", "fill", ("no",)),
        Answer("q3", "tick", ("yes",)),
        Answer("q3_lisatieto", "text", text="ei mitaan"),
    ],
    2: [
        Answer(L + "aukioloajat", "circle", ("5",)),
        Answer(L + "puhelinajat", "tick", ("4",)),
        Answer(L + "sijainti", "cross", ("1",)),
        Answer(L + "kohtelu", "circle", ("2",)),
        Answer(L + "tarpeet", "circle", ("4",)),
    ],
    3: [
        Answer("q6", "text", text="Hyva palvelu"),
        Answer("q7", "cross", ("no",)),
        Answer("q7_parannus", "text", text="selkeammat ohjeet"),
    ],
}

# Outcomes that are acceptable besides the obvious one (a person will look at them).
REVIEW_OK = {FieldStatus.AMBIGUOUS, FieldStatus.MULTIPLE}

__all__ = ["FIRST", "REVIEW_OK", "SECOND", "Expect"]
