"""A method's form printed, filled by the generator, scanned into a survey through the CLI, and
the stored answers turned back into page results for ``samples.score``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from palaute.cli import main
from palaute.store import Survey
from samples.score import BatchScore, score_batch
from samples.truth import GroundTruth
from scanner.results import FieldResult, PageIdentity, PageResult


@dataclass(frozen=True)
class MethodBatch:
    directory: Path
    form: Path
    survey: Path
    batch: Path
    truth: GroundTruth


def run(
    layout: Path,
    directory: Path,
    respondents: int,
    seed: int,
    survey: Path | None = None,
    hands: str = "typical",
) -> MethodBatch:
    """print → samples fill → scan, as a clerk would type them (default profile); into
    ``survey`` when given (several methods in one survey), else a survey of its own.
    ``hands="messy"`` draws unclear answers (two marks, corrections) far more often."""
    directory.mkdir(parents=True, exist_ok=True)
    form, batch = directory / "form.pdf", directory / "batch"
    survey = survey or directory / "survey.sqlite"
    copies = str(respondents)
    argv = ["print", str(layout), "-o", str(form), "--copies", copies, "--serials"]
    assert main([*argv, "--survey", str(survey)]) == 0
    fill = ["samples", "fill", str(form), "--respondents", copies, "--seed", str(seed)]
    fill += ["--hands", hands]
    assert main([*fill, "-o", str(batch)]) == 0
    assert main(["scan", str(batch), "--survey", str(survey), "--jobs", "1"]) == 0
    return MethodBatch(directory, form, survey, batch, GroundTruth.load(batch / "truth.json"))


def stored_results(survey_path: Path) -> list[PageResult]:
    """Every stored page with its fields, as the reader's page results (for scoring)."""
    with Survey.open(survey_path, create=False) as survey:
        files = {f.id: Path(f.path).name for f in survey.scan_files()}
        results = []
        for page in survey.pages():
            fields = tuple(
                FieldResult(
                    f.field_id, f.value, f.confidence, f.status, f.reason, f.crop, f.needs_review
                )
                for f in survey.page_fields(page.id)
            )
            identity = PageIdentity(
                page.version,
                page.page_number,
                page.serial,
                page.rotation or 0,
                page.identity_source or "none",
                page.confidence or 0.0,
            )
            results.append(
                PageResult(
                    files[page.file_id],
                    page.page_index,
                    page.status,
                    page.reason,
                    identity,
                    page.registration_error_mm,
                    fields,
                )
            )
    return results


def score(run_: MethodBatch) -> BatchScore:
    return score_batch(run_.truth, stored_results(run_.survey))
