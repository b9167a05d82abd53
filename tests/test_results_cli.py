"""`palaute report` and `palaute bulletin` from the command line, on demo data."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest

from palaute.cli import main
from palaute.errors import ExitCode


def page_count(path: Path) -> int:
    doc = pdfium.PdfDocument(path)
    try:
        return len(doc)
    finally:
        doc.close()


def test_report_and_bulletin_on_demo_data(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "raportti.pdf"
    code = main(
        ["report", "--demo-data", "60", "-o", str(out), "--from", "2026-03-01", "--min-group", "3"]
    )
    assert code == ExitCode.OK and page_count(out) > 3
    assert "raportti.pdf" in capsys.readouterr().out
    changes = tmp_path / "muutokset.txt"
    changes.write_text("Lisäämme puhelinaikoja.\n", encoding="utf-8")
    bulletin = tmp_path / "tiedote.pdf"
    code = main(["bulletin", "--demo-data", "60", "-o", str(bulletin), "--changes", str(changes)])
    assert code == ExitCode.OK and page_count(bulletin) == 1


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--demo-data", "10", "--from", "2026-02-30"], "2026-02-30"),
        (["--demo-data", "10", "--from", "2026-04-01", "--to", "2026-03-01"], "2026-04-01"),
        (["--demo-data", "10", "--form", "muu"], "asiakaspalautekysely_sv"),
        (["--demo-data", "10", "--min-group", "0"], "--min-group 0"),
        (["--demo-data", "0"], "--demo-data 0"),
        (["--demo-data", "10", "--from", "2030-01-01"], "ei ole yhtään vastausta"),
    ],
)
def test_clear_errors(
    argv: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "x.pdf"
    code = main(["--lang", "fi", "report", "-o", str(out), *argv])
    assert code == ExitCode.BAD_INPUT
    assert message in capsys.readouterr().err
    assert not out.exists()


@pytest.mark.parametrize("argv", [["--survey", "kysely.db"], []])
def test_missing_survey_is_named(
    argv: list[str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    code = main(["--lang", "en", "report", "-o", "x.pdf", *argv])
    assert code == ExitCode.STORE
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and ("kysely.db" if argv else "survey.sqlite") in err[0]
    assert not (tmp_path / "x.pdf").exists() and not (tmp_path / "kysely.db").exists()


def test_bulletin_needs_a_readable_changes_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "ei-ole.txt"
    code = main(
        [
            "--lang",
            "en",
            "bulletin",
            "--demo-data",
            "10",
            "-o",
            str(tmp_path / "b.pdf"),
            "--changes",
            str(missing),
        ]
    )
    assert code == ExitCode.BAD_INPUT
    assert "ei-ole.txt" in capsys.readouterr().err
