"""Every spec validation error names the file and line and says what to fix."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from forms.spec import SpecError, load_spec
from palaute.cli import main
from palaute.errors import ExitCode, InputError

GOOD = """\
form:
  id: test
  title: Testilomake
  language: fi
items:
  - id: q1
    type: yesno
    question: Toimiiko?
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "spec.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems(tmp_path: Path, text: str) -> list[InputError]:
    with pytest.raises(SpecError) as info:
        load_spec(write(tmp_path, text))
    return info.value.problems


def test_good_spec_loads(tmp_path: Path) -> None:
    spec = load_spec(write(tmp_path, GOOD))
    assert [q.id for q in spec.questions()] == ["q1"]


CASES = [
    # (description, yaml, expected key, expected line)
    (
        "unknown key",
        GOOD.replace("    question: Toimiiko?", "    question: Toimiiko?\n    colour: red"),
        "spec.unknown_key",
        9,
    ),
    ("missing question text", GOOD.replace("    question: Toimiiko?\n", ""), "spec.missing", 6),
    ("missing title", GOOD.replace("  title: Testilomake\n", ""), "spec.missing", 2),
    (
        "duplicate question id",
        GOOD + "  - id: q1\n    type: text\n    question: Taas?\n",
        "spec.duplicate_id",
        9,
    ),
    ("bad id", GOOD.replace("id: q1", "id: Q-1"), "spec.bad_id", 6),
    ("unknown type", GOOD.replace("type: yesno", "type: slider"), "spec.bad_type", 7),
    ("bad language", GOOD.replace("language: fi", "language: de"), "spec.bad_language", 4),
    (
        "empty scale",
        GOOD
        + "  - id: q2\n    type: likert\n    question: Väitteet\n    scale: []\n    statements: [Hyvä]\n",
        "spec.empty_list",
        12,
    ),
    (
        "scale of one",
        GOOD
        + "  - id: q2\n    type: likert\n    question: Väitteet\n    scale: [{value: 1, label: Kyllä}]\n    statements: [Hyvä]\n",
        "spec.bad_scale_size",
        12,
    ),
    (
        "no statements",
        GOOD
        + "  - id: q2\n    type: likert\n    question: Väitteet\n    scale: [{value: 1, label: A}, {value: 2, label: B}]\n",
        "spec.empty_list",
        9,
    ),
    (
        "option without label",
        GOOD
        + "  - id: q2\n    type: choice\n    question: Mikä?\n    options:\n      - {value: a}\n",
        "spec.missing",
        13,
    ),
    (
        "duplicate option value",
        GOOD
        + "  - id: q2\n    type: choice\n    question: Mikä?\n    options:\n      - {value: a, label: A}\n      - {value: a, label: B}\n",
        "spec.duplicate_value",
        14,
    ),
    (
        "bad text lines",
        GOOD + "  - id: q2\n    type: text\n    question: Kerro\n    lines: 0\n",
        "spec.bad_lines",
        12,
    ),
    (
        "follow-up on an impossible answer",
        GOOD.replace(
            "    question: Toimiiko?",
            "    question: Toimiiko?\n    followup:\n      label: Miksi\n      when: maybe",
        ),
        "spec.bad_when",
        11,
    ),
    (
        "not a boolean",
        GOOD
        + "  - id: q2\n    type: choice\n    question: Mikä?\n    multiple: often\n    options: [{value: a, label: A}]\n",
        "spec.not_bool",
        12,
    ),
    ("no items", "form:\n  id: t\n  title: T\n  language: fi\nitems: []\n", "spec.no_items", 5),
    (
        "duplicate yaml key",
        GOOD.replace("  language: fi", "  language: fi\n  language: sv"),
        "spec.duplicate_key",
        5,
    ),
    ("unprintable character", GOOD.replace("Toimiiko?", "Toimiiko? ✓✓"), "spec.missing_glyph", 8),
    (
        "yaml syntax",
        GOOD.replace("    question: Toimiiko?", "    question: [Toimiiko?"),
        "spec.yaml_syntax",
        0,
    ),
]


@pytest.mark.parametrize(("what", "text", "key", "line"), CASES, ids=[c[0] for c in CASES])
def test_each_error_names_file_line_and_fix(
    tmp_path: Path, what: str, text: str, key: str, line: int
) -> None:
    try:
        load_spec(write(tmp_path, text))
    except SpecError as exc:
        found = exc.problems
    except InputError as exc:
        found = [exc]
    else:
        pytest.fail(f"{what}: no error raised")
    keys = [p.key for p in found]
    assert key in keys, keys
    problem = found[keys.index(key)]
    for lang in ("fi", "sv", "en"):
        message = problem.message(lang)
        assert "spec.yaml" in message
        assert "\n" not in message
    if line:
        assert problem.params["line"] == line, problem.message("en")


def test_all_problems_reported_together(tmp_path: Path) -> None:
    text = GOOD.replace("type: yesno", "type: yesno\n    colour: red").replace(
        "language: fi", "language: xx"
    )
    assert {p.key for p in problems(tmp_path, text)} == {"spec.unknown_key", "spec.bad_language"}


def test_cli_bad_spec_gives_error_lines_and_no_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = write(tmp_path, GOOD.replace("type: yesno", "type: slider"))
    out = tmp_path / "out.pdf"
    code = main(["--lang", "en", "print", str(spec), "-o", str(out)])
    assert code == ExitCode.BAD_INPUT
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "spec.yaml:7" in err[0] and "slider" in err[0]
    assert list(tmp_path.iterdir()) == [spec]


def test_cli_unknown_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        ["--lang", "en", "print", str(tmp_path / "missing.yaml"), "-o", str(tmp_path / "o.pdf")]
    )
    assert code == ExitCode.BAD_INPUT
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "missing.yaml" in err[0] and "not found" in err[0]
    assert not (tmp_path / "o.pdf").exists()


def test_cli_malformed_yaml(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = write(tmp_path, "form: {id: x\nitems: [")
    code = main(["--lang", "en", "print", str(spec), "-o", str(tmp_path / "o.pdf")])
    assert code == ExitCode.BAD_INPUT
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "YAML" in err[0]
    assert not (tmp_path / "o.pdf").exists()


def test_cli_question_taller_than_a_page(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    long_text = " ".join(["Hyvin pitkä kysymys, joka ei lopu koskaan."] * 120)
    spec = write(
        tmp_path, GOOD + f"  - id: q2\n    type: text\n    question: {long_text}\n    lines: 20\n"
    )
    code = main(["--lang", "en", "print", str(spec), "-o", str(tmp_path / "o.pdf")])
    assert code == ExitCode.BAD_INPUT
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "q2" in err[0] and "taller than a page" in err[0]
    assert not any(p.suffix == ".pdf" for p in tmp_path.iterdir())
