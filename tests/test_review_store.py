"""Schema step 2: clerk accounts and transcriptions, and the user command."""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path

import pytest

from palaute.cli import main
from palaute.errors import ExitCode, InputError
from palaute.store import ConflictError, Survey, accounts
from palaute.store import review as store_review
from scanner.results import FieldStatus

from .review_survey import PASSWORD, USER, Built


def test_schema_steps_two_and_three(tmp_path: Path) -> None:
    with Survey.open(tmp_path / "s.sqlite") as survey:
        assert survey.schema_version() >= 3
        columns = {r[1] for r in survey.conn.execute("PRAGMA table_info(fields)")}
        assert {"text", "transcribed"} <= columns
        columns = {r[1] for r in survey.conn.execute("PRAGMA table_info(respondents)")}
        assert "manual" in columns


def test_accounts(tmp_path: Path, cheap_argon2: None) -> None:
    with Survey.open(tmp_path / "s.sqlite") as survey:
        accounts.add_user(survey, "Äijä.Öhman", "salasana-1")
        assert accounts.verify(survey, "Äijä.Öhman", "salasana-1")
        assert not accounts.verify(survey, "Äijä.Öhman", "salasana-2")
        assert not accounts.verify(survey, "nobody", "salasana-1")
        with pytest.raises(InputError) as error:
            accounts.add_user(survey, "Äijä.Öhman", "salasana-1")
        assert error.value.key == "user.exists"
        for name in ("", "a b", "../x", "x" * 65, "<script>"):
            with pytest.raises(InputError) as error:
                accounts.add_user(survey, name, "salasana-1")
            assert error.value.key == "user.bad_name"
        with pytest.raises(InputError) as error:
            accounts.add_user(survey, "lyhyt", "1234567")
        assert error.value.key == "user.password_too_short"
        stored = survey.conn.execute("SELECT password_hash FROM users").fetchone()[0]
        assert stored.startswith("$argon2id$") and "salasana" not in stored
        log = survey.change_log("user")
        assert [(c.column, c.new) for c in log] == [("name", "Äijä.Öhman")]
        accounts.set_password(survey, "Äijä.Öhman", "uusi-salasana")
        assert accounts.verify(survey, "Äijä.Öhman", "uusi-salasana")
        survey.conn.execute("UPDATE users SET active = 0")
        assert not accounts.verify(survey, "Äijä.Öhman", "uusi-salasana")


def test_transcriptions_are_versioned_and_logged(review_survey: Built) -> None:
    pk = review_survey.fields["q2_perustelu"]
    with Survey.open(review_survey.path, create=False) as survey:
        assert store_review.written_count(survey) == 1
        item = store_review.save_transcription(survey, pk, "luonnos", "a", 0)
        assert (item.text, item.finished, item.field.revision) == ("luonnos", False, 1)
        with pytest.raises(ConflictError):
            store_review.save_transcription(survey, pk, "toinen", "b", 0)
        item = store_review.save_transcription(survey, pk, "valmis", "a", 1, finished=True)
        assert store_review.written_count(survey) == 0
        assert store_review.next_written(survey) is None
        item = store_review.save_transcription(
            survey, pk, "ignored", "a", 2, status=FieldStatus.BLANK, finished=True
        )
        assert (item.text, item.field.status) == (None, FieldStatus.BLANK)
        log = [(c.who, c.column, c.old, c.new) for c in survey.change_log("field", pk)]
        assert ("a", "text", "luonnos", "valmis") in log
        assert ("a", "status", "written", "blank") in log
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            survey.conn.execute("DELETE FROM change_log")


def test_flag_queue_order_and_exclusion(review_survey: Built) -> None:
    f = review_survey.fields
    with Survey.open(review_survey.path, create=False) as survey:
        first = store_review.next_flagged(survey)
        assert first is not None and first.id == f["q4_kohtelu"]
        second = store_review.next_flagged(survey, [f["q4_kohtelu"]])
        assert second is not None and second.id == f["q2"]
        assert store_review.next_flagged(survey, [f["q4_kohtelu"], f["q2"], f["q1"]]) is None
        assert store_review.flagged_count(survey) == 3


def test_user_add_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cheap_argon2: None
) -> None:
    db = tmp_path / "s.sqlite"
    monkeypatch.setattr("sys.stdin", io.StringIO("hyvä salasana\n"))
    assert main(["user", "add", "liisa", "--survey", str(db), "--password-stdin"]) == ExitCode.OK
    with Survey.open(db) as survey:
        assert accounts.verify(survey, "liisa", "hyvä salasana")
    answers = iter(["eka salasana", "toka salasana"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    assert main(["user", "add", "matti", "--survey", str(db)]) == ExitCode.BAD_INPUT
    monkeypatch.setattr("getpass.getpass", lambda prompt: "sama salasana")
    assert main(["user", "add", "matti", "--survey", str(db)]) == ExitCode.OK
    assert main(["user", "add", "matti", "--survey", str(db)]) == ExitCode.BAD_INPUT


def test_review_command_needs_a_user(tmp_path: Path) -> None:
    db = tmp_path / "s.sqlite"
    Survey.open(db).close()
    assert main(["review", "--survey", str(db), "--no-browser"]) == ExitCode.BAD_INPUT


def test_reader_user_fixture_logs_in(review_survey: Built, cheap_argon2: None) -> None:
    with Survey.open(review_survey.path, create=False) as survey:
        assert accounts.verify(survey, USER, PASSWORD)


def test_review_command_serves_the_desk(
    review_survey: Built, monkeypatch: pytest.MonkeyPatch
) -> None:
    served: dict[str, object] = {}

    def fake_run(app: object, host: str, port: int, log_level: str) -> None:
        served.update(app=app, host=host, port=port)

    monkeypatch.setattr("uvicorn.run", fake_run)
    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", opened.append)
    args = ["review", "--survey", str(review_survey.path), "--port", "8799", "--no-browser"]
    assert main(args) == ExitCode.OK
    assert (served["host"], served["port"]) == ("127.0.0.1", 8799)
    assert not opened
    assert main(["review", "--survey", str(review_survey.path), "--port", "0"]) == (
        ExitCode.BAD_INPUT
    )


def test_every_key_in_the_desks_templates_exists() -> None:
    import re

    from palaute import i18n
    from palaute.review.app import HERE
    from scanner.results import FieldStatus, PageStatus

    used = {
        m.group(1)
        for path in (HERE / "templates").glob("*.html")
        for m in re.finditer(r"""t\(\s*["']([a-z_]+\.[a-z0-9_]+)["']""", path.read_text())
    }
    used |= {f"review.status_{s}" for s in FieldStatus}
    used |= {f"review.page_status_{s}" for s in PageStatus}
    used |= {f"review.error_{n}" for n in (400, 403, 404)}
    used = {k for k in used if not k.endswith("_")}  # prefixes of the families above
    assert len(used) > 40
    assert sorted(k for k in used if not i18n.has(k)) == []


def test_commands_default_to_the_stores_file_name() -> None:
    from palaute.commands import review, user
    from palaute.store import DEFAULT_NAME

    assert review.DEFAULT_SURVEY.name == user.DEFAULT_SURVEY.name == DEFAULT_NAME
