"""Posters end to end: generated photos and colour scans (samples.poster_samples) are counted
into a real survey (``palaute stickers --survey``, ``palaute scan``), corrected at the desk and
shown in the report and the exports."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from palaute.cli import main
from palaute.review import queue
from palaute.review.queue import BadDecision
from palaute.store import Survey, accounts
from samples.poster_samples import PosterBatch, score, write_posters
from scanner.results import FieldStatus

from .conftest import LAYOUTS
from .pdfs import pdf_text
from .review_survey import PASSWORD, USER, desk_client, login


@dataclasses.dataclass(frozen=True)
class Counted:
    survey: Path
    truth: dict[str, PosterBatch]  # mode -> truth
    files: dict[str, Path]  # generated file name -> path


def _stored(survey: Path) -> dict[tuple[str, str], tuple[int | None, bool]]:
    """(file name, field id) -> (votes, flagged) as stored."""
    conn = sqlite3.connect(survey)
    try:
        rows = conn.execute(
            "SELECT s.path, f.field_id, f.value, f.needs_review FROM fields f"
            " JOIN pages p ON p.id = f.page_id JOIN scan_files s ON s.id = p.file_id"
        ).fetchall()
    finally:
        conn.close()
    return {
        (Path(path).name, fid): (None if value is None else json.loads(value), bool(flag))
        for path, fid, value, flag in rows
    }


@pytest.fixture(scope="module")
def traffic_light(tmp_path_factory: pytest.TempPathFactory) -> Counted:
    directory = tmp_path_factory.mktemp("posters_survey")
    pdf, survey = directory / "liikennevalo.pdf", directory / "survey.sqlite"
    assert main(["print", str(LAYOUTS / "liikennevaloaanestys.yaml"), "-o", str(pdf)]) == 0
    photos = write_posters(pdf, directory / "photos", 5, seed=7, mode="photo")
    scans = write_posters(pdf, directory / "scans", 3, seed=8, mode="scan")
    files = {p.file: directory / "photos" / p.file for p in photos.posters}
    files |= {p.file: directory / "scans" / p.file for p in scans.posters}
    argv = ["--lang", "fi", "stickers", str(pdf), *(str(files[p.file]) for p in photos.posters)]
    assert main([*argv, "--survey", str(survey)]) == 0
    scan = ["scan", *(str(files[p.file]) for p in scans.posters), "--survey", str(survey)]
    assert main([*scan, "--jobs", "1"]) == 0
    return Counted(survey, {"photo": photos, "scan": scans}, files)


@pytest.mark.parametrize("mode", ["photo", "scan"])
def test_counts_are_right_or_flagged(traffic_light: Counted, mode: str) -> None:
    truth = traffic_light.truth[mode]
    stored = _stored(traffic_light.survey)
    result = score(truth, stored)
    assert result.zones == 3 * len(truth.posters)
    assert result.wrong == 0, result  # never a confident wrong count
    assert result.exact >= result.zones // 2, result
    # every zone with nothing hard in it is counted exactly, or at worst flagged
    for poster in truth.posters:
        for zone in poster.zones:
            votes, flagged = stored[(poster.file, zone.field_id)]
            assert flagged or votes == zone.votes, (poster.file, zone)


def test_a_photo_counted_again_changes_nothing(
    traffic_light: Counted, capsys: pytest.CaptureFixture[str]
) -> None:
    survey = traffic_light.survey
    with Survey.open(survey, create=False) as opened:
        before = (opened.counts(), len(opened.change_log()))
    pdf = survey.parent / "liikennevalo.pdf"
    photo = traffic_light.files[traffic_light.truth["photo"].posters[0].file]
    scan = traffic_light.files[traffic_light.truth["scan"].posters[0].file]
    capsys.readouterr()
    assert main(["--lang", "en", "stickers", str(pdf), str(photo), "--survey", str(survey)]) == 0
    assert "already counted" in capsys.readouterr().out
    assert main(["scan", str(scan), "--survey", str(survey), "--jobs", "1"]) == 0
    with Survey.open(survey, create=False) as opened:
        assert (opened.counts(), len(opened.change_log())) == before


def test_scores_keep_the_breakdown(traffic_light: Counted) -> None:
    conn = sqlite3.connect(traffic_light.survey)
    try:
        rows = conn.execute(
            "SELECT value, scores FROM fields WHERE status IN ('ok', 'empty')"
        ).fetchall()
    finally:
        conn.close()
    assert rows
    for value, scores in rows:
        breakdown = json.loads(scores)
        assert set(breakdown) == {"green", "yellow", "red", "blue", "tally"}
        assert json.loads(value) == sum(breakdown.values())


def test_report_and_export_show_votes_per_zone(traffic_light: Counted, tmp_path: Path) -> None:
    survey = traffic_light.survey
    out = tmp_path / "export.json"
    assert main(["export", "--survey", str(survey), "--format", "json", "-o", str(out)]) == 0
    posters = json.loads(out.read_text("utf-8"))["posters"]
    stored = _stored(survey)
    for statement in posters:
        roles = [z["role"] for z in statement["zones"]]
        assert roles == ["agree", "unsure", "disagree"]
        for zone in statement["zones"]:
            expected = sum(
                v or 0
                for (_, fid), (v, flag) in stored.items()
                if fid == zone["field"] and not flag
            )
            assert zone["votes"] == expected
        total = sum(z["votes"] for z in statement["zones"])
        if total:
            assert sum(z["percent"] for z in statement["zones"]) == pytest.approx(100, abs=0.2)
    xlsx = tmp_path / "export.xlsx"
    argv = ["export", "--survey", str(survey), "--format", "xlsx", "-o", str(xlsx)]
    assert main(["--lang", "sv", *argv]) == 0
    from openpyxl import load_workbook

    sheet = load_workbook(xlsx)["Affischer"]
    values = list(sheet.values)
    assert values[0][:3] == ("Påstående", "Svar", "Klistermärken och streck")
    assert {row[1] for row in values[1:]} == {
        "grön – håller med",
        "gul – kan inte säga",
        "röd – håller inte med",
    }
    report = tmp_path / "report.pdf"
    assert main(["--lang", "en", "report", "--survey", str(survey), "-o", str(report)]) == 0
    text = pdf_text(report)
    assert "vihreä – samaa mieltä" in text  # the form is Finnish: so is its report
    assert "Tarroja ja viivoja yhteensä" in text
    conn = sqlite3.connect(survey)
    try:
        posters_stored = conn.execute("SELECT count(*) FROM pages WHERE version IS NOT NULL")
        stored_count = posters_stored.fetchone()[0]
    finally:
        conn.close()
    # The method says how many posters were counted, not questionnaires or respondents.
    assert f"Julisteita laskettu (valokuvat ja skannaukset): {stored_count} " in text
    assert "paperilomakkeita" not in text


def test_the_clerk_types_a_count(traffic_light: Counted, tmp_path: Path, cheap_argon2) -> None:
    import shutil

    survey = tmp_path / "survey.sqlite"
    shutil.copy2(traffic_light.survey, survey)
    images = traffic_light.survey.with_name("survey.images")
    shutil.copytree(images, survey.with_name("survey.images"))
    with Survey.open(survey, create=False) as opened:
        accounts.add_user(opened, USER, PASSWORD)
        flagged = [f for f in opened.flagged_fields() if "_" in f.field_id]
    assert flagged, "hard posters leave counts for the clerk"
    client = desk_client(survey)
    token = login(client)
    pk = flagged[0].id
    page = client.get(f"/flags/{pk}").text
    assert 'id="zone-count"' in page and "data-line" in page
    bad = {"csrf": token, "revision": str(flagged[0].revision), "action": "choose", "value": "x"}
    assert client.post(f"/flags/{pk}", data=bad).headers["location"] == f"/flags/{pk}"
    good = dict(bad, value="4")
    assert client.post(f"/flags/{pk}", data=good).headers["location"] == "/flags"
    with Survey.open(survey, create=False) as opened:
        field = opened.field(pk)
    assert (field.value, field.status, field.needs_review) == (4, "ok", False)


def test_zone_decisions() -> None:
    from palaute.store.records import FieldRow

    row = FieldRow(1, 1, "a_agree", 5, 0.4, "ambiguous", "", (0, 0, 1, 1), True, 0, None, None)
    scores = {"green": 3.0, "yellow": 0.0, "red": 0.0, "blue": 0.0, "tally": 2.0}
    row = dataclasses.replace(row, scores=scores)
    assert queue.zone_guess(row, "fi") == "5 (vihreitä 3, viivoja 2)"
    assert queue.zone_guess(row, "sv") == "5 (gröna 3, streck 2)"
    assert queue.zone_count(["7"]) == (7, "ok")
    assert queue.zone_count([" 0 "]) == (0, "empty")
    for bad in (["-1"], ["2.5"], ["1000"], ["1", "2"], [""]):
        with pytest.raises(BadDecision):
            queue.zone_count(bad)


def test_plus_minus_photos(tmp_path: Path) -> None:
    pdf, survey = tmp_path / "plusmiinus.pdf", tmp_path / "survey.sqlite"
    assert main(["print", str(LAYOUTS / "plussat_ja_miinukset.yaml"), "-o", str(pdf)]) == 0
    truth = write_posters(pdf, tmp_path / "photos", 4, seed=5, mode="photo")
    photos = [str(tmp_path / "photos" / p.file) for p in truth.posters]
    assert main(["stickers", str(pdf), *photos, "--survey", str(survey)]) == 0
    result = score(truth, _stored(survey))
    assert result.zones == 8 and result.wrong == 0, result
    assert sum(z.tally for p in truth.posters for z in p.zones) > 0  # tally marks were drawn
    out = tmp_path / "export.json"
    assert main(["export", "--survey", str(survey), "--format", "json", "-o", str(out)]) == 0
    (statement,) = json.loads(out.read_text("utf-8"))["posters"]
    assert [z["role"] for z in statement["zones"]] == ["plus", "minus"]


def test_the_clerk_sees_the_colours(traffic_light: Counted) -> None:
    """Photos and scans alike, a poster's stored page image is in colour."""
    import numpy as np
    from PIL import Image

    with Survey.open(traffic_light.survey, create=False) as opened:
        pages = opened.pages()
        assert {p.ingest_method for p in pages} >= {"photo"} and len(pages) == 8
        for page in pages:
            assert page.image_path is not None
            with Image.open(opened.images_dir / page.image_path) as im:
                hsv = np.asarray(im.convert("RGB").convert("HSV"))
            assert (hsv[:, :, 1] > 100).mean() > 0.01, page.id


def test_scan_summary_counts_the_zones_left_to_check(
    traffic_light: Counted, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Poster zones are placeholders until counted: the summary must give the count after it.
    survey = tmp_path / "survey.sqlite"
    pdf = traffic_light.survey.parent / "liikennevalo.pdf"
    assert main(["forms", "add", str(pdf), "--survey", str(survey)]) == 0
    scans = [str(traffic_light.files[p.file]) for p in traffic_light.truth["scan"].posters]
    capsys.readouterr()
    assert main(["--lang", "en", "scan", *scans, "--survey", str(survey), "--jobs", "1"]) == 0
    out = capsys.readouterr().out
    flagged = sum(flag for (_, _), (_, flag) in _stored(survey).items())
    assert f"Fields to check from this run {flagged}, in the whole survey {flagged}." in out


def _poster_pages(survey: Path) -> int:
    conn = sqlite3.connect(survey)
    try:
        return conn.execute("SELECT count(*) FROM pages WHERE version IS NOT NULL").fetchone()[0]
    finally:
        conn.close()


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("fi", "Raportti kirjoitettu: {pdf} ({pages} sivua, julisteita laskettu {posters})"),
        ("en", "Report written: {pdf} ({pages} pages, {posters} posters counted)"),
    ],
)
def test_report_command_counts_posters_not_respondents(
    traffic_light: Counted,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    lang: str,
    line: str,
) -> None:
    report = tmp_path / "julisteet.pdf"
    capsys.readouterr()
    argv = ["--lang", lang, "report", "--survey", str(traffic_light.survey), "-o", str(report)]
    assert main(argv) == 0
    doc = pdfium.PdfDocument(str(report))
    try:
        pages = len(doc)
    finally:
        doc.close()
    posters = _poster_pages(traffic_light.survey)
    assert posters == 8  # 5 photos and 3 scans, one poster page each
    expected = line.format(pdf=report, pages=pages, posters=posters)
    assert expected in capsys.readouterr().out.splitlines()


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("fi", "Kirjoitettu {path}: julisteita laskettu {posters}"),
        ("en", "Wrote {path}: {posters} posters counted"),
    ],
)
def test_export_command_counts_posters_not_respondents(
    traffic_light: Counted,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    lang: str,
    line: str,
) -> None:
    out = tmp_path / "julisteet.json"
    capsys.readouterr()
    argv = ["--lang", lang, "export", "--format", "json", "--survey"]
    assert main([*argv, str(traffic_light.survey), "-o", str(out)]) == 0
    expected = line.format(path=out, posters=_poster_pages(traffic_light.survey))
    assert expected in capsys.readouterr().out.splitlines()


def test_report_command_still_counts_respondents_of_questionnaires(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = tmp_path / "report.pdf"
    capsys.readouterr()
    assert main(["--lang", "en", "report", "--demo-data", "40", "-o", str(report)]) == 0
    out = capsys.readouterr().out
    assert "40 respondents)" in out and "posters" not in out


def _stored_breakdown(survey: Path) -> dict[str, dict[str, int]]:
    """field id -> votes by colour and tally over the zones not waiting for the clerk, from SQLite."""
    conn = sqlite3.connect(survey)
    try:
        rows = conn.execute(
            "SELECT field_id, value, scores FROM fields WHERE needs_review = 0"
        ).fetchall()
    finally:
        conn.close()
    out: dict[str, dict[str, int]] = {}
    for fid, value, scores in rows:
        part = out.setdefault(fid, dict.fromkeys(("green", "yellow", "red", "blue", "tally"), 0))
        breakdown = json.loads(scores)
        assert sum(breakdown.values()) == json.loads(value)  # the reader's own count
        for key in part:
            part[key] += round(breakdown[key])
    return out


def _export(survey: Path, tmp_path: Path, lang: str) -> tuple[list[dict], list[tuple]]:
    from openpyxl import load_workbook

    out, xlsx = tmp_path / "export.json", tmp_path / "export.xlsx"
    assert main(["export", "--survey", str(survey), "--format", "json", "-o", str(out)]) == 0
    argv = ["--lang", lang, "export", "--survey", str(survey), "--format", "xlsx", "-o", str(xlsx)]
    assert main(argv) == 0
    sheet = {"fi": "Julisteet", "en": "Posters"}[lang]
    return json.loads(out.read_text("utf-8"))["posters"], list(load_workbook(xlsx)[sheet].values)


def test_exports_break_the_votes_down_by_colour(traffic_light: Counted, tmp_path: Path) -> None:
    stored = _stored_breakdown(traffic_light.survey)
    statements, rows = _export(traffic_light.survey, tmp_path, "fi")
    assert rows[0][5:] == (
        "Vihreitä tarroja",
        "Keltaisia tarroja",
        "Punaisia tarroja",
        "Sinisiä tarroja",
        "Viivoja",
        "Käsin laskettu (ei väreittäin)",
    )
    zones = [z for s in statements for z in s["zones"]]
    assert len(zones) == len(rows) - 1 == 3 * len(statements)  # three zones a statement
    for zone, row in zip(zones, rows[1:], strict=True):
        # a statement whose page nobody photographed has no votes, in any colour
        expected = {**stored.get(zone["field"], dict.fromkeys(zone["breakdown"], 0)), "clerk": 0}
        assert zone["breakdown"] == expected
        assert sum(expected.values()) == zone["votes"] == row[2]
        assert list(row[5:]) == [expected[k] for k in zone["breakdown"]]
    # the generated posters have stickers of every colour on them, and votes in the breakdown
    assert all(sum(s[k] for s in stored.values()) for k in ("green", "yellow", "red"))


def test_a_clerks_count_is_kept_apart_from_the_colours(
    traffic_light: Counted, tmp_path: Path
) -> None:
    import shutil

    survey = tmp_path / "survey.sqlite"
    shutil.copy2(traffic_light.survey, survey)
    before = _stored_breakdown(survey)
    with Survey.open(survey, create=False) as opened:
        flagged = [f for f in opened.flagged_fields() if "_" in f.field_id]
        assert flagged, "hard posters leave counts for the clerk"
        typed = flagged[0]
        # one more than the reader saw: the reader's colours no longer say what the votes were
        count = round(sum(typed.scores.values())) + 1
        opened.update_field(typed.id, count, FieldStatus.OK, USER, typed.revision)
    statements, rows = _export(survey, tmp_path, "en")
    assert rows[0][-1] == "Counted by hand (not by colour)"
    zones = [z for s in statements for z in s["zones"]]
    index = next(i for i, z in enumerate(zones) if z["field"] == typed.field_id)
    zone = zones[index]
    assert zone["breakdown"] == {**before[typed.field_id], "clerk": count}
    assert sum(zone["breakdown"].values()) == zone["votes"]
    assert list(rows[1 + index][5:]) == list(zone["breakdown"].values())


def test_the_report_breaks_the_votes_down_by_colour(traffic_light: Counted, tmp_path: Path) -> None:
    from palaute.results.from_store import load_survey_data
    from palaute.results.stats import summarise

    stored = _stored_breakdown(traffic_light.survey)
    with Survey.open(traffic_light.survey, create=False) as opened:
        summary = summarise(load_survey_data(opened))
    zones = [z for sec in summary.sections if sec.poster for z in sec.poster.zones]
    assert zones
    counted = [z for z in zones if z.field_id in stored]
    assert counted
    for zone in zones:
        if zone.field_id in stored:
            assert dict(zone.parts) == {**stored[zone.field_id], "clerk": 0}
            assert sum(zone.parts.values()) == zone.votes
        else:  # a statement nobody photographed: no votes, no breakdown
            assert zone.votes == 0 and not any(zone.parts.values())
    report = tmp_path / "report.pdf"
    argv = ["--lang", "en", "report", "--survey", str(traffic_light.survey), "-o", str(report)]
    assert main(argv) == 0
    text = pdf_text(report)
    # the form is Finnish, so is its report; the colours seen are columns of the poster tables
    for key in ("green", "yellow", "red"):
        assert sum(z.parts[key] for z in counted)
    words = " ".join(text.split())  # table headings wrap in their narrow columns
    assert "Vihreitä tarroja" in words and "Punaisia tarroja" in words
    assert "Käsin laskettu" not in words  # nobody typed a count
