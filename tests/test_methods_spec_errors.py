"""Specs of the other document kinds are validated like questionnaires: file, line, what to fix."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from pyzbar import pyzbar

from forms.api import build, print_form
from forms.kinds import load_document
from forms.pageid import PageId
from forms.spec import SpecError
from palaute.cli import main
from palaute.errors import ExitCode, InputError


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "spec.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems(tmp_path: Path, text: str) -> list[InputError]:
    with pytest.raises(SpecError) as info:
        load_document(write(tmp_path, text))
    return info.value.problems


def test_unknown_kind_names_the_line_and_the_kinds(tmp_path: Path) -> None:
    (problem,) = problems(
        tmp_path,
        """\
        form:
          kind: poster
          id: t
          title: T
          language: fi
        items:
          - {id: q1, type: text, question: "Mitä?"}
        """,
    )
    assert problem.key == "spec.bad_kind" and problem.params["line"] == 2
    message = problem.message("en")
    assert "traffic_light" in message and "word_task" in message and "spec.yaml:2" in message


def test_poster_errors(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        """\
        form:
          kind: traffic_light
          id: t
          title: T
          language: fi
          paper: A5
          colour: red
        items:
          - {id: v1, text: "Väite yksi"}
          - {id: v1, text: "Väite kaksi"}
          - {id: v3}
        """,
    )
    keys = {(p.key, p.params["line"]) for p in found}
    assert ("spec.bad_paper", 6) in keys
    assert ("spec.unknown_key", 7) in keys
    assert ("spec.duplicate_id", 10) in keys
    assert ("spec.missing", 11) in keys
    assert all(p.message("fi").startswith(str(tmp_path / "spec.yaml") + ":") for p in found)


def test_cards_face_and_grid_are_checked(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        """\
        form:
          kind: cards
          id: k
          title: Kortit
          language: fi
          per_sheet: 5
        items:
          - {id: a, text: "Mietin…", face: grumpy}
        """,
    )
    keys = {(p.key, p.params["line"]) for p in found}
    assert keys == {("spec.bad_choice", 6), ("spec.bad_choice", 8)}
    assert "happy" in next(p for p in found if p.params["line"] == 8).message("en")


def test_flyer_needs_date_and_time(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        """\
        form:
          kind: flyer
          id: paiva
          title: ASIAKASPALAUTEPÄIVÄ
          language: fi
          office: Sosiaalitoimistossa
          address: Katu 1
        """,
    )
    assert {(p.key, p.params["key"]) for p in found} == {
        ("spec.missing", "date"),
        ("spec.missing", "time"),
    }


def test_sentence_lines_are_checked(tmp_path: Path) -> None:
    (problem,) = problems(
        tmp_path,
        """\
        form:
          kind: sentence_completion
          id: s
          title: Jatka lausetta
          language: fi
        items:
          - {id: a, text: "Minua on auttanut…", lines: 40}
        """,
    )
    assert problem.key == "spec.bad_number" and problem.params["line"] == 7


def test_plain_strings_get_ids(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        form:
          kind: word_task
          id: sanat
          title: Sanat
          language: sv
        items:
          - försörjningsstöd
          - serviceplan
        """,
    )
    template = build(path).template
    assert [f.id for f in template.fields()] == ["s01", "s02"]
    assert template.fields().__next__().options[0].label == "begriplig"


def test_too_long_word_is_a_layout_error(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        form:
          kind: traffic_light
          id: t
          title: T
          language: fi
          paper: A4
        items:
          - "Sosiaalitoimistopalvelukokonaisuusuudistussuunnitelmatyöryhmäkokous on hyvä"
        """,
    )
    with pytest.raises(InputError) as info:
        print_form(path, tmp_path / "out.pdf")
    assert info.value.key == "layout.word_too_wide"
    assert not (tmp_path / "out.pdf").exists()


def test_cli_reports_kind_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(
        tmp_path,
        """\
        form:
          kind: rating_line
          id: j
          title: Jana
          language: fi
        items: []
        """,
    )
    assert main(["--lang", "en", "print", str(path), "-o", str(tmp_path / "o.pdf")]) == (
        ExitCode.BAD_INPUT
    )
    assert "spec.yaml:6" in capsys.readouterr().err


@pytest.mark.parametrize("paper", ["A4", "A3", "A2"])
def test_posters_print_on_every_paper(tmp_path: Path, paper: str) -> None:
    path = write(
        tmp_path,
        f"""\
        form:
          kind: plus_minus
          id: pm
          title: Plussat ja miinukset
          language: en
          paper: {paper}
        items:
          - Were you treated as a person?
        """,
    )
    printed = print_form(path, tmp_path / "out.pdf")
    assert printed.template.meta["paper"] == paper
    width, height = {"A4": (210, 297), "A3": (297, 420), "A2": (420, 594)}[paper]
    assert (printed.template.page_width, printed.template.page_height) == (width, height)
    doc = pdfium.PdfDocument(str(tmp_path / "out.pdf"))
    try:
        sizes = [tuple(round(v * 25.4 / 72) for v in page.get_size()) for page in doc]
        assert len(sizes) == printed.pages
        if paper == "A2":
            # tiled on A3 sheets: four sheets, the QR (top right of the poster) on one of them
            assert sizes == [(297, 420)] * 4
            ids = [
                PageId.decode(code.data)
                for page in doc
                for code in pyzbar.decode(page.render(scale=150 / 72).to_pil().convert("L"))
            ]
            assert ids == [PageId(printed.template.version, 1)]
        else:
            assert sizes == [(width, height)]
    finally:
        doc.close()


def test_plain_string_items_are_located_by_their_own_line(tmp_path: Path) -> None:
    (problem,) = problems(
        tmp_path,
        """\
        form:
          kind: word_task
          id: sanat
          title: Sanat
          language: fi
        items:
          - hyvinvointi
          - lakisääteinen
          - "minimi ☃"
        """,
    )
    assert problem.key == "spec.missing_glyph" and problem.params["line"] == 9


def test_a_poster_spec_is_not_a_questionnaire(tmp_path: Path) -> None:
    from forms.spec import load_spec

    from .conftest import LAYOUTS

    with pytest.raises(SpecError) as info:
        load_spec(LAYOUTS / "plussat_ja_miinukset.yaml")
    (problem,) = [p for p in info.value.problems if p.key == "spec.not_questionnaire"]
    assert problem.params["kind"] == "plus_minus" and problem.params["line"] == 4
