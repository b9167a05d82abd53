"""``palaute scan`` and the batch runner on real files and a real SQLite survey.

The real per-page reader is written separately; until then these tests inject a fake one
(``storekit.fake_read``, which reads an identity drawn into the page) into ``run_batch``.  The CLI
tests run the real entry point with ``scanner.read_page.read_page``.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

import scanner.batch as batch_module
from palaute.cli import main
from palaute.errors import ExitCode
from palaute.store import Survey
from scanner.batch import run_batch
from scanner.ingest import SourcePage, scan_files
from scanner.results import PageStatus
from tests import scanfiles as sf
from tests.storekit import (
    coded_page,
    crashing_read,
    failing_read,
    fake_read,
    make_bad_files,
    make_batch,
    make_template,
    printed_pdf,
    stranger_read,
)

TESTS = Path(__file__).parent


@pytest.fixture
def survey(tmp_path: Path) -> Survey:
    s = Survey.open(tmp_path / "kysely.sqlite")
    s.add_template(make_template())
    return s


def test_batch_reads_stores_and_groups(tmp_path: Path, survey: Survey) -> None:
    expected = make_batch(tmp_path / "scans")
    done: list[int] = []
    report = run_batch(
        scan_files([tmp_path / "scans"]),
        survey,
        survey.templates(),
        jobs=2,
        reader=fake_read,
        progress=done.append,
    )
    assert sum(done) == expected["pages"] == report.pages_stored
    assert report.pages_by_status == {"read": expected["read"], "blank": expected["blank"]}
    assert not report.rejected
    assert report.fields_flagged == 3  # q2 on each page 1 is unsure (serial 4 lacks page 1)
    grouping = survey.assign_respondents()
    assert grouping.respondents == expected["respondents"]
    assert grouping.missing_pages == expected["missing"]
    assert grouping.blanks == expected["blank"]
    assert [(r.serial, r.missing_pages) for r in survey.respondents()] == [
        (1, ()),
        (2, ()),
        (3, ()),
        (4, (1,)),
    ]
    assert all(f.status == "done" for f in survey.scan_files())
    read = survey.pages(status=PageStatus.READ)
    assert {p.ingest_method for p in read} == {"embedded:jpeg", "image"}
    assert {p.dpi for p in read} == {200.0, 300.0}
    for page in read:
        assert page.image_path is not None and (survey.images_dir / page.image_path).is_file()
        assert page.image_kind == "normalised"
    assert all(p.image_path is None for p in survey.pages(status=PageStatus.BLANK))
    assert len(survey.flagged_fields()) == 3


def test_same_files_twice_change_nothing(tmp_path: Path, survey: Survey) -> None:
    make_batch(tmp_path / "scans")
    files = scan_files([tmp_path / "scans"])
    run_batch(files, survey, survey.templates(), reader=fake_read)
    survey.assign_respondents()
    before = survey.counts()
    # A copy of the same scan under another name is the same content.
    copy = tmp_path / "kopio.pdf"
    copy.write_bytes(files[0].read_bytes())
    report = run_batch([*files, copy, copy], survey, survey.templates(), reader=fake_read)
    survey.assign_respondents()
    assert report.files_skipped == 4 and report.pages_stored == 0
    assert survey.counts() == before


def test_bad_files_are_reported_and_the_batch_goes_on(tmp_path: Path, survey: Survey) -> None:
    expected = make_batch(tmp_path / "scans")
    make_bad_files(tmp_path / "scans")
    report = run_batch(
        scan_files([tmp_path / "scans"]), survey, survey.templates(), reader=fake_read
    )
    assert report.rejected
    by_file = {Path(r.file).name: r.key for r in report.file_rejections}
    assert by_file == {
        "03-tyhja.pdf": "scanner.input.empty",
        "04-muistio.pdf": "scanner.input.unknown_type",
        "05-salattu.pdf": "scanner.input.encrypted",
    }
    truncated = [r for r in report.page_rejections if r.file.endswith("06-katkennut.pdf")]
    assert truncated and all(r.key == "scanner.input.page_unreadable" for r in truncated)
    assert report.pages_by_status["read"] >= expected["read"] + 1  # the truncated file's page 1
    statuses = {Path(f.path).name: f.status for f in survey.scan_files()}
    assert statuses["05-salattu.pdf"] == "rejected" and statuses["01-aamu.pdf"] == "done"


def test_an_unforeseen_ingest_failure_rejects_only_that_file(
    tmp_path: Path, survey: Survey, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_batch(tmp_path / "scans")
    files = scan_files([tmp_path / "scans"])
    real = batch_module.iter_pages

    def flaky(
        path: Path, skip: frozenset[int] = frozenset(), **options: bool
    ) -> Iterator[SourcePage]:
        if path.suffix == ".tif":
            raise RuntimeError("a decoder bug")
        return real(path, skip, **options)

    monkeypatch.setattr(batch_module, "iter_pages", flaky)
    report = run_batch(files, survey, survey.templates(), reader=fake_read)
    (rejected,) = report.file_rejections
    assert rejected.key == "scanner.input.unexpected" and rejected.file.endswith(".tif")
    assert "RuntimeError: a decoder bug" in rejected.params["error"]
    assert report.pages_by_status["read"] == 4  # the PDF was read


def test_a_page_whose_embedded_image_is_damaged_is_rendered_by_the_reader_process(
    tmp_path: Path, survey: Survey
) -> None:
    """PDF pages travel to the reader processes still compressed and are decoded there; one
    that turns out undecodable is rendered there instead, as ingest does in-process."""
    import pikepdf

    base = sf.page_image(150)
    pdf = sf.image_pdf(tmp_path / "a.pdf", [coded_page(base, 1, n) for n in (12, 13)], 150)
    with pikepdf.open(pdf, allow_overwriting_input=True) as doc:
        (name,) = list(doc.pages[1].Resources.XObject.keys())
        doc.pages[1].Resources.XObject[name].write(
            b"\xff\xd8\xff garbage", filter=pikepdf.Name.DCTDecode
        )
        doc.save(pdf)
    report = run_batch([pdf], survey, survey.templates(), jobs=2, reader=fake_read)
    assert report.pages_stored == 2 and not report.page_rejections
    pages = sorted(survey.pages(), key=lambda p: p.page_index)
    assert [(p.ingest_method, p.dpi) for p in pages] == [
        ("embedded:jpeg", 150.0),
        ("rendered", 200.0),
    ]
    assert pages[0].status == PageStatus.READ


def test_a_reader_failure_rejects_only_that_page(tmp_path: Path, survey: Survey) -> None:
    base = sf.page_image(150)
    pdf = sf.image_pdf(
        tmp_path / "a.pdf",
        [coded_page(base, 1, 12), coded_page(base, 1, 13), coded_page(base, 1, 14)],
        150,
    )
    report = run_batch([pdf], survey, survey.templates(), jobs=2, reader=failing_read)
    assert [(r.page, r.key) for r in report.page_rejections] == [(2, "scanner.reader_failed")]
    assert report.pages_by_status == {"read": 2, "rejected": 1}


def test_pages_the_reader_cannot_place_keep_the_scan_for_the_clerk(
    tmp_path: Path, survey: Survey
) -> None:
    base = sf.page_image(300)
    pdf = sf.image_pdf(tmp_path / "a.pdf", [coded_page(base, 1, 5), coded_page(base, 9, 5)], 300)
    run_batch([pdf], survey, survey.templates(), reader=fake_read)
    (lost,) = survey.pages(status=PageStatus.UNIDENTIFIED)
    assert lost.image_kind == "scan" and lost.image_path is not None
    with Image.open(survey.images_dir / lost.image_path) as im:
        assert im.size == pytest.approx((1240, 1754), abs=2)  # reduced to 150 dpi


def test_a_reading_for_an_unknown_version_is_refused_not_fatal(
    tmp_path: Path, survey: Survey
) -> None:
    base = sf.page_image(150)
    pdf = sf.image_pdf(tmp_path / "a.pdf", [coded_page(base, 1, n) for n in (12, 13, 14)], 150)
    report = run_batch([pdf], survey, survey.templates(), reader=stranger_read)
    assert [(r.page, r.key) for r in report.page_rejections] == [(2, "store.unknown_version")]
    assert survey.counts().pages == 3


def test_a_crashed_worker_loses_no_page_for_good(tmp_path: Path, survey: Survey) -> None:
    base = sf.page_image(150)
    pages = [coded_page(base, 1, n) for n in range(10, 17)]
    pdf = sf.image_pdf(tmp_path / "a.pdf", pages, 150)
    other = sf.image_pdf(tmp_path / "b.pdf", [coded_page(base, 1, n) for n in (20, 21)], 150)
    report = run_batch([pdf, other], survey, survey.templates(), jobs=2, reader=crashing_read)
    crashed = [r for r in report.page_rejections if r.key == "scanner.reader_crashed"]
    assert crashed and all(r.file == str(pdf) for r in crashed)
    files = {Path(f.path).name: f.status for f in survey.scan_files()}
    assert files == {"a.pdf": "reading", "b.pdf": "done"}  # the pool was replaced for b.pdf
    # Run again with a reader that does not crash: the lost pages are read, nothing twice.
    report = run_batch([pdf, other], survey, survey.templates(), jobs=2, reader=fake_read)
    assert report.pages_stored == len(crashed) and report.files_skipped == 1
    assert survey.counts().pages == 9
    assert all(f.status == "done" for f in survey.scan_files())


RESUME_SCRIPT = """
import sys
from pathlib import Path
from palaute.store import Survey
import scanner.batch as batch_module
from scanner.batch import run_batch
from scanner.ingest import SourcePage, scan_files
from tests.storekit import slow_read
if __name__ == "__main__":  # reader processes are spawned: they import this file
    with Survey.open(sys.argv[1]) as survey:
        run_batch(scan_files([Path(sys.argv[2])]), survey, survey.templates(), jobs=2, reader=slow_read)
"""


def children(pid: int) -> list[int]:
    """Processes whose parent is ``pid`` (Linux /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def test_a_killed_batch_resumes_without_loss_or_duplicates(tmp_path: Path, survey: Survey) -> None:
    base = sf.page_image(150)
    scans = tmp_path / "scans"
    scans.mkdir()
    serial = 0
    for n in range(3):
        pages = []
        for _ in range(5):
            serial += 1
            pages += [coded_page(base, 1, serial), coded_page(base, 2, serial)]
        sf.image_pdf(scans / f"{n:02d}.pdf", pages, 150)
    total = 30
    script = tmp_path / "resume.py"
    script.write_text(RESUME_SCRIPT)
    env = {**os.environ, "PYTHONPATH": str(TESTS.parent)}
    proc = subprocess.Popen([sys.executable, str(script), str(survey.path), str(scans)], env=env)
    try:
        deadline = time.monotonic() + 60
        stored = 0
        while time.monotonic() < deadline and stored < 14:
            time.sleep(0.1)
            conn = sqlite3.connect(survey.path, timeout=5)
            stored = conn.execute("SELECT count(*) FROM pages").fetchone()[0]
            conn.close()
        assert proc.poll() is None, "the batch finished before it could be killed"
        workers = children(proc.pid)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    # the reader processes do not outlive the killed scan
    deadline = time.monotonic() + 10
    while any(Path(f"/proc/{pid}").exists() for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert workers and not [pid for pid in workers if Path(f"/proc/{pid}").exists()]
    interrupted = survey.counts().pages
    assert 14 <= interrupted < total
    report = run_batch(scan_files([scans]), survey, survey.templates(), jobs=2, reader=fake_read)
    assert report.pages_resumed + report.pages_stored == total - report.files_skipped * 10
    assert survey.counts().pages == total
    rows = survey.conn.execute(
        "SELECT count(*), count(DISTINCT file_id || ':' || page_index) FROM pages"
    ).fetchone()
    assert tuple(rows) == (total, total)
    assert all(f.status == "done" for f in survey.scan_files())
    assert survey.assign_respondents().respondents == 15
    assert survey.assign_respondents().missing_pages == 0


# -- the command line ---------------------------------------------------------------------------


def test_cli_scan_with_the_real_reader_entry_point(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = make_batch(tmp_path / "scans")
    make_bad_files(tmp_path / "scans")
    db = tmp_path / "kysely.sqlite"
    form = printed_pdf(tmp_path / "lomake.pdf", make_template())
    assert main(["--lang", "en", "forms", "add", str(form), "--survey", str(db)]) == 0
    assert "Added form testi" in capsys.readouterr().out
    code = main(["--lang", "en", "scan", str(tmp_path / "scans"), "--survey", str(db), "-j", "2"])
    out, err = capsys.readouterr()
    assert code == ExitCode.FINISHED_WITH_REJECTIONS
    lines = err.splitlines()
    for name in ("03-tyhja.pdf", "04-muistio.pdf", "05-salattu.pdf"):
        (line,) = [ln for ln in lines if name in ln]
        assert line.startswith("palaute: ")
    assert any("06-katkennut.pdf, page" in ln for ln in lines)
    assert "Files 6: read before 0, rejected 3." in out
    with Survey.open(db) as survey:
        assert survey.counts().pages >= expected["pages"] + 1
    # Nothing new the second time; a scan run again is harmless.
    code = main(["--lang", "en", "scan", str(tmp_path / "scans"), "--survey", str(db)])
    out, _ = capsys.readouterr()
    assert "Files 6: read before 3, rejected 3." in out
    assert code == ExitCode.FINISHED_WITH_REJECTIONS
    with Survey.open(db) as survey:
        assert survey.counts().pages >= expected["pages"] + 1


def test_cli_scan_of_the_folder_holding_the_survey_skips_its_page_images(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scans = tmp_path / "scans"
    make_batch(scans)
    db = scans / "kysely.sqlite"
    form = printed_pdf(tmp_path / "lomake.pdf", make_template())
    assert main(["forms", "add", str(form), "--survey", str(db)]) == 0
    for _ in range(2):
        main(["--lang", "en", "scan", str(scans), "--survey", str(db), "-j", "1"])
    with Survey.open(db) as survey:
        assert any(survey.images_dir.rglob("*.jpg"))
        assert [Path(f.path).name for f in survey.scan_files()] == ["01-aamu.pdf", "02-ilta.tif"]
    assert "Files 2: read before 2, rejected 0." in capsys.readouterr().out


def test_cli_scan_with_the_default_survey_in_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    make_batch(Path("scans"))
    printed_pdf(Path("lomake.pdf"), make_template())
    assert main(["forms", "add", "lomake.pdf"]) == 0
    assert main(["--lang", "en", "forms", "add", "lomake.pdf"]) == 0
    assert main(["--lang", "en", "forms", "list"]) == 0
    out = capsys.readouterr().out
    assert "was already in the survey" in out
    assert f"testi  {make_template().version}  Asiakaspalaute (2 p.)" in out
    main(["scan", "scans", "-j", "2"])
    assert main(["export", "--format", "xlsx"]) == 0
    assert (tmp_path / "survey.xlsx").is_file()
    capsys.readouterr()
    with Survey.open(tmp_path / "survey.sqlite", create=False) as survey:
        assert survey.images_dir == tmp_path / "survey.images"
        stored = [p for p in survey.pages() if p.image_path]
        assert stored
        for page in stored:
            assert page.image_path is not None and not Path(page.image_path).is_absolute()
            assert (survey.images_dir / page.image_path).is_file()


def test_cli_scan_interrupted_with_ctrl_c_resumes(tmp_path: Path) -> None:
    base = sf.page_image(300)
    scans = tmp_path / "scans"
    scans.mkdir()
    # Enough pages that the batch is still running when the interrupt arrives: these pages are
    # rejected (no marks, no QR), which takes the reader only milliseconds each.
    files = 10
    for n in range(files):
        pages = [coded_page(base, 1 + k % 2, 100 + n * 10 + k // 2) for k in range(20)]
        sf.image_pdf(scans / f"{n:02d}.pdf", pages, 300)
    total = 20 * files
    db = tmp_path / "kysely.sqlite"
    form = printed_pdf(tmp_path / "lomake.pdf", make_template())
    assert main(["forms", "add", str(form), "--survey", str(db)]) == 0
    cmd = [sys.executable, "-m", "palaute", "--lang", "en", "scan", str(scans)]
    cmd += ["--survey", str(db), "-j", "2"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 180  # a loaded machine starts the reader processes slowly
        stored = 0
        while time.monotonic() < deadline and stored < 10 and proc.poll() is None:
            time.sleep(0.05)
            conn = sqlite3.connect(db, timeout=5)
            stored = conn.execute("SELECT count(*) FROM pages").fetchone()[0]
            conn.close()
        if proc.poll() is not None:
            pytest.skip("the batch finished before it could be interrupted")
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    if proc.returncode != ExitCode.INTERRUPTED:
        with Survey.open(db) as survey:
            if survey.counts().pages == total:
                pytest.skip("the batch finished before the interrupt arrived")
    assert proc.returncode == ExitCode.INTERRUPTED, err
    assert "interrupted; work already saved is kept" in err
    assert "Traceback" not in err
    with Survey.open(db) as survey:
        interrupted = survey.counts().pages
    assert 10 <= interrupted < total
    code = main(["scan", str(scans), "--survey", str(db)])
    assert code in (ExitCode.OK, ExitCode.FINISHED_WITH_REJECTIONS)
    with Survey.open(db) as survey:
        assert survey.counts().pages == total
        assert all(f.status == "done" for f in survey.scan_files())


def test_cli_scan_without_forms_says_what_to_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_batch(tmp_path / "scans")
    code = main(
        ["--lang", "en", "scan", str(tmp_path / "scans"), "--survey", str(tmp_path / "s.sqlite")]
    )
    assert code == ExitCode.BAD_INPUT
    assert "palaute forms add" in capsys.readouterr().err


def test_the_bundled_sample_batch_end_to_end(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Print → forms add → scan → export with the real reader (where the tree has it)."""
    api = pytest.importorskip("forms.api")
    pytest.importorskip("scanner.templates")
    root = TESTS.parent
    batch = root / "samples" / "batch"
    layout = root / "layouts" / "asiakaspalautekysely.yaml"
    if not (batch / "truth.json").exists() or not layout.exists():
        pytest.skip("the sample batch is not in this tree")
    truth = json.loads((batch / "truth.json").read_text(encoding="utf-8"))
    printed = api.print_form(layout, tmp_path / "lomake.pdf")
    assert printed.template.version == truth["version"]
    db = tmp_path / "kysely.sqlite"
    assert main(["forms", "add", str(printed.pdf), "--survey", str(db)]) == 0
    code = main(["scan", str(batch), "--survey", str(db), "-j", "2"])
    assert code in (ExitCode.OK, ExitCode.FINISHED_WITH_REJECTIONS)
    out = tmp_path / "vastaukset.json"
    assert main(["export", "--format", "json", "--survey", str(db), "-o", str(out)]) == 0
    exported = json.loads(out.read_text(encoding="utf-8"))["respondents"]
    assert sorted(r["serial"] for r in exported) == sorted(
        r["serial"] for r in truth["respondents"]
    )
    forms = [p for p in truth["pages"] if p["kind"] == "form"]
    with Survey.open(db) as survey:
        assert survey.counts().pages == len(truth["pages"])
        read = [p for p in survey.pages() if p.status in (PageStatus.READ, PageStatus.FLAGGED)]
        assert len(read) == len(forms)
    capsys.readouterr()
