"""`palaute demo` (what `make demo` runs) does the whole job on a small sample."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from palaute.cli import main
from palaute.errors import ExitCode


def test_demo_runs_every_step(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "demo"
    assert main(["--lang", "en", "demo", "--out", str(out), "--respondents", "3"]) == ExitCode.OK
    printed = capsys.readouterr().out
    for name in ("lomake.pdf", "survey.sqlite", "vastaukset.csv", "raportti.pdf", "tiedote.pdf"):
        assert (out / name).is_file(), name
    with (out / "vastaukset.csv").open(encoding="utf-8-sig") as handle:
        assert len(list(csv.DictReader(handle))) == 3
    assert "Done: 3 respondents." in printed
    assert "wait for review" in printed
