"""End to end in headless Chromium: log in, resolve flags by keyboard, transcribe a text."""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Iterator

import pytest

from .review_survey import (
    CHROMIUM,
    USER,
    Built,
    browser_login,
    chromium_page,
    press,
    served_desk,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium is not installed"),
]


@pytest.fixture
def desk(review_survey: Built) -> Iterator[str]:
    with served_desk(review_survey.path) as address:
        yield address


def test_keyboard_review_and_transcription(desk: str, review_survey: Built) -> None:
    playwright = pytest.importorskip("playwright.sync_api")
    assert shutil.which(str(CHROMIUM))
    with chromium_page(playwright) as page:
        # the desk's strict Content-Security-Policy stays on: its script must work under it,
        # and the test uses no eval-based waits (which the policy would block)
        page.goto(f"{desk}/flags")
        assert page.url.endswith("/login")
        browser_login(page, desk)

        # worst first: the rating statement; "3" chooses the circled 3
        assert "asiallista kohtelua" in page.inner_text("h1.question")
        press(page, "3")
        page.wait_for_selector("h1.question:has-text('Saitko')")
        q4 = review_survey.field_row("q4_kohtelu")
        assert (json.loads(q4["value"]), q4["status"], q4["revision"]) == ("3", "ok", 1)

        # Enter accepts the guess, Backspace undoes it, y answers yes
        press(page, "Enter")
        page.wait_for_selector("h1.question:has-text('Missä asioissa')")
        assert review_survey.field_row("q2")["needs_review"] == 0
        press(page, "Backspace")
        page.wait_for_url(f"{desk}/flags/{review_survey.fields['q2']}")
        assert review_survey.field_row("q2")["needs_review"] == 1

        # the whole page is one key away, and back
        with page.expect_response(lambda r: "/image/page/" in r.url) as image:
            press(page, "p")
        assert image.value.status == 200
        assert image.value.headers["content-type"] == "image/png"
        page.wait_for_url("**/pages/**")
        press(page, "Escape")
        page.wait_for_url(f"{desk}/flags/{review_survey.fields['q2']}")

        press(page, "y")
        page.wait_for_url(f"{desk}/flags")
        q2 = review_survey.field_row("q2")
        assert (json.loads(q2["value"]), q2["status"], q2["revision"]) == ("yes", "ok", 3)

        # Tab skips the last flag; then the free text
        assert "Missä asioissa" in page.inner_text("h1.question")
        press(page, "Tab")
        page.wait_for_selector("text=Merkityt kohdat on käyty läpi")
        assert review_survey.field_row("q1")["needs_review"] == 1
        page.click("a.button.primary")
        page.wait_for_selector("body[data-ready='1'] #text")
        page.focus("#text")
        page.keyboard.type("Kiitos hyvästä", delay=20)
        page.wait_for_selector("#saved:has-text('Tallennettu')")
        assert review_survey.field_row("q2_perustelu")["text"] == "Kiitos hyvästä"
        page.keyboard.type(" palvelusta!", delay=5)
        press(page, "Enter")
        page.wait_for_selector("text=Avovastaukset on kirjoitettu")

    text = review_survey.field_row("q2_perustelu")
    assert (text["text"], text["transcribed"], text["status"]) == (
        "Kiitos hyvästä palvelusta!",
        1,
        "written",
    )
    assert text["revision"] >= 2
    entries = review_survey.changes("q2_perustelu")
    assert entries[0] == (USER, "text", None, "Kiitos hyvästä")
    assert entries[-1][:2] == (USER, "transcribed")
    assert (USER, "text", "Kiitos hyvästä", "Kiitos hyvästä palvelusta!") in entries
    assert [e[1] for e in review_survey.changes("q4_kohtelu")] == [
        "value",
        "status",
        "needs_review",
    ]


def test_split_and_merge_by_buttons(desk: str, review_survey: Built) -> None:
    from .test_review_respondents import add_photocopies

    playwright = pytest.importorskip("playwright.sync_api")
    assert shutil.which(str(CHROMIUM))
    (p1, p2), (rid,) = add_photocopies(review_survey, [1, 2])
    with chromium_page(playwright) as page:
        page.goto(f"{desk}/respondents/{rid}")
        browser_login(page, desk)
        page.goto(f"{desk}/respondents")
        page.click(f"a[href='/respondents/{rid}']")
        page.wait_for_selector(f"li.sheet[data-page='{p2}'] img.thumb")
        page.click(f"li.sheet[data-page='{p2}'] form.split button")
        page.wait_for_selector("#flash:has-text('jaettiin')")
        assert page.locator("li.sheet").count() == 1
        page.click("#merge-next button")
        page.wait_for_selector("#flash:has-text('yhdistettiin')")
        assert page.locator("li.sheet").count() == 2
    conn = sqlite3.connect(review_survey.path)
    try:
        pages = conn.execute(
            "SELECT id FROM pages WHERE respondent_id = ? ORDER BY id", (rid,)
        ).fetchall()
    finally:
        conn.close()
    assert [r[0] for r in pages] == [p1, p2]
