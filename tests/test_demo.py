"""`palaute demo` (what `make demo` runs) does the whole job on a small sample."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from palaute.cli import main
from palaute.errors import ExitCode

from .conftest import ROOT


@pytest.mark.parametrize("respondents", [None, 3], ids=["bundled sample", "new sample"])
def test_demo_runs_every_step(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], respondents: int | None
) -> None:
    out = tmp_path / "demo"
    argv = ["--lang", "en", "demo", "--out", str(out)]
    if respondents is None:
        truth = json.loads((ROOT / "samples" / "batch" / "truth.json").read_text(encoding="utf-8"))
        expected = len(truth["respondents"])
    else:
        argv += ["--respondents", str(respondents)]
        expected = respondents
    assert main(argv) == ExitCode.OK
    printed = capsys.readouterr().out
    for name in ("lomake.pdf", "survey.sqlite", "vastaukset.csv", "raportti.pdf", "tiedote.pdf"):
        assert (out / name).is_file(), name
    with (out / "vastaukset.csv").open(encoding="utf-8-sig") as handle:
        assert len(list(csv.DictReader(handle))) == expected
    assert f"Done: {expected} respondents." in printed
    assert "wait for review" in printed
    assert ("bundled sample" in printed) == (respondents is None)
