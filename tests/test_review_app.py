"""The review desk in-process (Starlette TestClient) on a real survey file."""

from __future__ import annotations

import io
import json
import re
import sqlite3

import pytest
from PIL import Image
from starlette.testclient import TestClient

from palaute.store import Survey
from palaute.store import review as store_review

from .review_survey import PASSWORD, USER, Built, Clock, csrf_of, desk_client, login


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def client(review_survey: Built, clock: Clock) -> TestClient:
    return desk_client(review_survey.path, clock)


# -- access ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "url", ["/", "/flags", "/flags/1", "/texts", "/texts/1", "/pages/1", "/image/field/1"]
)
def test_every_page_needs_a_login(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code in (303, 307)
    if response.status_code == 303:
        assert response.headers["location"] == "/login"


def test_api_without_login_is_401(client: TestClient) -> None:
    assert client.get("/api/queue/next").status_code == 401
    assert client.post("/flags/1", data={"action": "accept"}).status_code == 401


def test_wrong_password_is_refused(client: TestClient) -> None:
    token = csrf_of(client)
    response = client.post("/login", data={"csrf": token, "name": USER, "password": "väärä"})
    assert response.status_code == 401
    assert "Väärä käyttäjätunnus" in response.text
    assert client.get("/flags").status_code == 303


def test_login_without_csrf_is_403(client: TestClient) -> None:
    client.get("/login")
    response = client.post("/login", data={"name": USER, "password": PASSWORD})
    assert response.status_code == 403


def test_session_expires_when_idle(client: TestClient, clock: Clock) -> None:
    login(client)
    clock.now += 29 * 60
    assert client.get("/flags").status_code == 200
    clock.now += 29 * 60  # activity keeps it alive
    assert client.get("/flags").status_code == 200
    clock.now += 31 * 60
    response = client.get("/flags")
    assert response.status_code == 303 and response.headers["location"] == "/login"
    assert "Istunto päättyi" in client.get("/login").text
    assert client.get("/flags").status_code == 303


def test_logout(client: TestClient) -> None:
    token = login(client)
    assert client.post("/logout", data={"csrf": token}).status_code == 303
    assert client.get("/flags").status_code == 303


@pytest.mark.parametrize("token", [None, "", "wrong", "x" * 43])
def test_posts_need_the_sessions_csrf_token(
    client: TestClient, review_survey: Built, token: str | None
) -> None:
    login(client)
    pk = review_survey.fields["q4_kohtelu"]
    data = {"revision": "0", "value": "3"}
    if token is not None:
        data["csrf"] = token
    for url in (f"/flags/{pk}", "/undo", "/logout", "/lang", f"/texts/{pk}/draft"):
        assert client.post(url, data=data).status_code == 403, url
    assert review_survey.field_row("q4_kohtelu")["revision"] == 0


def test_csrf_token_of_another_session_is_refused(
    client: TestClient, review_survey: Built, clock: Clock
) -> None:
    other = TestClient(client.app, follow_redirects=False)
    other_token = login(other)
    login(client)
    pk = review_survey.fields["q4_kohtelu"]
    response = client.post(
        f"/flags/{pk}", data={"csrf": other_token, "revision": "0", "value": "3"}
    )
    assert response.status_code == 403


# -- images ------------------------------------------------------------------------------------
def test_field_crop_and_page_are_pngs(client: TestClient, review_survey: Built) -> None:
    login(client)
    pk = review_survey.fields["q2"]
    crop = client.get(f"/image/field/{pk}")
    assert crop.status_code == 200 and crop.headers["content-type"] == "image/png"
    image = Image.open(io.BytesIO(crop.content))
    box = review_survey.template.field("q2").box
    # the box plus 12 mm each side at 200 dpi
    assert abs(image.width - round((box[2] + 24) * 200 / 25.4)) <= 2
    page = client.get(f"/image/page/{review_survey.pages[0]}?field={pk}")
    assert page.status_code == 200
    assert Image.open(io.BytesIO(page.content)).width == 1100
    # a field of another page cannot be framed on this one
    other = review_survey.fields["q4_kohtelu"]
    assert client.get(f"/image/page/{review_survey.pages[0]}?field={other}").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/image/field/..%2f..%2f..%2fetc%2fpasswd",
        "/image/field/1/../../../../etc/passwd",
        "/image/page/%2e%2e/%2e%2e/survey.sqlite",
        "/image/page/1%00.png",
        "/image/field/-1",
        "/image/field/99999",
        "/image/page/1?field=../../etc/passwd",
        "/static/../app.py",
        "/static/%2e%2e/app.py",
        "/static/..%2fapp.py",
    ],
)
def test_no_path_from_a_request_reaches_the_disk(client: TestClient, url: str) -> None:
    login(client)
    response = client.get(url)
    assert response.status_code in (400, 404), url
    assert b"root:" not in response.content and b"create_app" not in response.content


def test_a_tampered_image_path_is_not_followed(client: TestClient, review_survey: Built) -> None:
    login(client)
    conn = sqlite3.connect(review_survey.path)
    conn.execute(
        "UPDATE pages SET image_path = '../../../../etc/passwd' WHERE id = ?",
        (review_survey.pages[0],),
    )
    conn.commit()
    conn.close()
    pk = review_survey.fields["q2"]
    assert client.get(f"/image/field/{pk}").status_code == 404
    assert client.get(f"/image/page/{review_survey.pages[0]}").status_code == 404


# -- the flag queue ------------------------------------------------------------------------------
def test_queue_is_worst_first_with_reason_key_shown(client: TestClient) -> None:
    login(client)
    page = client.get("/flags").text
    assert "Olen saanut asiallista kohtelua" in page  # q4_kohtelu, confidence 0.20
    assert "scanner.read.between_options" in page  # not catalogued yet: the key itself
    assert page.count('name="value"') == 5


def test_choosing_an_option_is_logged_and_versioned(
    client: TestClient, review_survey: Built
) -> None:
    token = login(client)
    pk = review_survey.fields["q4_kohtelu"]
    response = client.post(f"/flags/{pk}", data={"csrf": token, "revision": "0", "value": "3"})
    assert response.status_code == 303 and response.headers["location"] == "/flags"
    row = review_survey.field_row("q4_kohtelu")
    assert (json.loads(row["value"]), row["status"], row["needs_review"], row["revision"]) == (
        "3",
        "ok",
        0,
        1,
    )
    assert row["reviewed_by"] == USER
    assert set(review_survey.changes("q4_kohtelu")) == {
        (USER, "value", '"4"', '"3"'),
        (USER, "status", "ambiguous", "ok"),
        (USER, "needs_review", "1", "0"),
    }
    assert "Saitko sosiaalitoimistosta" in client.get("/flags").text  # next: q2, 0.30


def test_accepting_the_guess(client: TestClient, review_survey: Built) -> None:
    token = login(client)
    q2, q1 = review_survey.fields["q2"], review_survey.fields["q1"]
    client.post(f"/flags/{q2}", data={"csrf": token, "revision": "0", "action": "accept"})
    client.post(f"/flags/{q1}", data={"csrf": token, "revision": "0", "action": "accept"})
    row = review_survey.field_row("q2")
    assert (json.loads(row["value"]), row["status"], row["needs_review"]) == (
        ["no", "yes"],
        "multiple",
        0,
    )
    row = review_survey.field_row("q1")
    assert (json.loads(row["value"]), row["status"]) == (["lapsiperheet"], "ok")


def test_multiple_choice_and_empty(client: TestClient, review_survey: Built) -> None:
    token = login(client)
    q1, q2 = review_survey.fields["q1"], review_survey.fields["q2"]
    client.post(
        f"/flags/{q1}",
        data={"csrf": token, "revision": "0", "action": "choose", "value": ["muu", "lapsiperheet"]},
    )
    assert json.loads(review_survey.field_row("q1")["value"]) == ["lapsiperheet", "muu"]
    client.post(f"/flags/{q2}", data={"csrf": token, "revision": "0", "action": "empty"})
    row = review_survey.field_row("q2")
    assert (row["value"], row["status"]) == (None, "empty")


@pytest.mark.parametrize(
    "data",
    [
        {"revision": "0", "value": "6"},
        {"revision": "0", "value": ["1", "2"]},
        {"revision": "x", "value": "3"},
        {"revision": "0", "action": "delete"},
        {"value": "3"},
    ],
)
def test_invalid_decisions_are_refused(
    client: TestClient, review_survey: Built, data: dict
) -> None:
    token = login(client)
    pk = review_survey.fields["q4_kohtelu"]
    assert client.post(f"/flags/{pk}", data={"csrf": token, **data}).status_code == 400
    assert review_survey.field_row("q4_kohtelu")["revision"] == 0


def test_a_stale_revision_never_overwrites(client: TestClient, review_survey: Built) -> None:
    token = login(client)
    pk = review_survey.fields["q4_kohtelu"]
    with Survey.open(review_survey.path, create=False) as survey:
        survey.update_field(pk, "5", store_review.FieldStatus.OK, "pekka", 0)
    response = client.post(f"/flags/{pk}", data={"csrf": token, "revision": "0", "value": "3"})
    assert response.status_code == 303 and response.headers["location"] == f"/flags/{pk}"
    row = review_survey.field_row("q4_kohtelu")
    assert (json.loads(row["value"]), row["reviewed_by"], row["revision"]) == ("5", "pekka", 1)
    page = client.get(f"/flags/{pk}").text
    assert "Joku muu muutti" in page and 'name="revision" value="1"' in page


def test_undo_restores_the_reader_result(client: TestClient, review_survey: Built) -> None:
    token = login(client)
    pk = review_survey.fields["q4_kohtelu"]
    client.post(f"/flags/{pk}", data={"csrf": token, "revision": "0", "value": "2"})
    response = client.post("/undo", data={"csrf": token})
    assert response.headers["location"] == f"/flags/{pk}"
    row = review_survey.field_row("q4_kohtelu")
    assert (json.loads(row["value"]), row["status"], row["needs_review"], row["revision"]) == (
        "4",
        "ambiguous",
        1,
        2,
    )
    assert len(review_survey.changes("q4_kohtelu")) == 6  # three columns there and back
    client.post("/undo", data={"csrf": token})
    assert "Ei mitään peruttavaa" in client.get("/flags").text


def test_skip_and_done_screens(client: TestClient, review_survey: Built) -> None:
    token = login(client)
    for _ in range(3):
        page = client.get("/flags").text
        pk = re.search(r'action="/flags/(\d+)"', page)
        assert pk
        client.post(f"/flags/{pk.group(1)}", data={"csrf": token, "action": "skip"})
    page = client.get("/flags").text
    assert "Merkityt kohdat on käyty läpi" in page and "Ohitettu tällä kerralla: 3" in page
    client.post("/flags/skipped", data={"csrf": token, "queue": "flags"})
    for field_id in ("q4_kohtelu", "q2", "q1"):
        pk_ = review_survey.fields[field_id]
        client.post(f"/flags/{pk_}", data={"csrf": token, "revision": "0", "action": "accept"})
    pk_ = review_survey.fields["q2_perustelu"]
    client.post(f"/texts/{pk_}", data={"csrf": token, "revision": "0", "action": "blank"})
    page = client.get("/flags").text
    assert "Kaikki valmista" in page
    assert "4 valmista" in page


# -- free text -------------------------------------------------------------------------------
def test_transcription_draft_then_finish(client: TestClient, review_survey: Built) -> None:
    token = login(client)
    pk = review_survey.fields["q2_perustelu"]
    page = client.get("/texts").text
    assert f'action="/texts/{pk}"' in page
    response = client.post(
        f"/texts/{pk}/draft",
        data={"revision": "0", "text": "Hyvää palvel"},
        headers={"X-CSRF-Token": token},
    )
    assert response.json() == {"revision": 1}
    row = review_survey.field_row("q2_perustelu")
    assert (row["text"], row["transcribed"]) == ("Hyvää palvel", 0)
    stale = client.post(f"/texts/{pk}/draft", data={"csrf": token, "revision": "0", "text": "x"})
    assert stale.status_code == 409
    response = client.post(
        f"/texts/{pk}",
        data={"csrf": token, "revision": "1", "action": "save", "text": "Hyvää palvelua\r\n!"},
    )
    assert response.status_code == 303
    row = review_survey.field_row("q2_perustelu")
    assert (row["text"], row["transcribed"], row["status"], row["revision"]) == (
        "Hyvää palvelua\n!",
        1,
        "written",
        2,
    )
    assert (USER, "text", "Hyvää palvel", "Hyvää palvelua\n!") in review_survey.changes(
        "q2_perustelu"
    )
    assert "Avovastaukset on kirjoitettu" in client.get("/texts").text


@pytest.mark.parametrize("action", ["blank", "unreadable"])
def test_nothing_to_transcribe(client: TestClient, review_survey: Built, action: str) -> None:
    token = login(client)
    pk = review_survey.fields["q2_perustelu"]
    client.post(f"/texts/{pk}", data={"csrf": token, "revision": "0", "action": action})
    row = review_survey.field_row("q2_perustelu")
    assert (row["status"], row["text"], row["transcribed"]) == (action, None, 1)


def test_an_empty_transcription_is_not_saved(client: TestClient, review_survey: Built) -> None:
    token = login(client)
    pk = review_survey.fields["q2_perustelu"]
    response = client.post(
        f"/texts/{pk}", data={"csrf": token, "revision": "0", "action": "save", "text": "  "}
    )
    assert response.headers["location"] == f"/texts/{pk}"
    assert review_survey.field_row("q2_perustelu")["transcribed"] == 0


# -- JSON, language, pages -------------------------------------------------------------------------
def test_api_queue_next(client: TestClient, review_survey: Built) -> None:
    login(client)
    data = client.get("/api/queue/next").json()
    assert data["remaining"] == {"flags": 3, "texts": 1}
    assert data["next"]["field_id"] == "q4_kohtelu"
    assert [o["value"] for o in data["next"]["options"]] == ["1", "2", "3", "4", "5"]
    texts = client.get("/api/queue/next?queue=texts").json()
    assert texts["next"]["field_id"] == "q2_perustelu"
    assert client.get("/api/queue/next?queue=../x").status_code == 400


def test_language_picker(client: TestClient) -> None:
    token = login(client)
    response = client.post("/lang", data={"csrf": token, "lang": "sv", "next": "//evil.example/"})
    assert response.headers["location"] == "/flags"
    assert "Godkänn gissningen" in client.get("/flags").text
    client.post("/lang", data={"csrf": token, "lang": "en", "next": "/texts"})
    assert "Free-text answers" in client.get("/texts").text
    assert client.post("/lang", data={"csrf": token, "lang": "de"}).status_code == 400


def test_full_page_view(client: TestClient, review_survey: Built) -> None:
    login(client)
    pk = review_survey.fields["q2"]
    page = client.get(f"/pages/{review_survey.pages[0]}?field={pk}").text
    assert f"/image/page/{review_survey.pages[0]}?field={pk}" in page
    assert f'href="/flags/{pk}"' in page


def test_security_headers(client: TestClient) -> None:
    response = client.get("/login")
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie


def test_a_stray_request_keeps_the_login_forms_token(client: TestClient) -> None:
    token = csrf_of(client)
    assert client.get("/favicon.ico").status_code == 303
    response = client.post("/login", data={"csrf": token, "name": USER, "password": PASSWORD})
    assert response.status_code == 303


def test_repeated_wrong_passwords_are_throttled(client: TestClient, clock: Clock) -> None:
    token = csrf_of(client)
    for _ in range(5):
        response = client.post("/login", data={"csrf": token, "name": USER, "password": "x"})
        assert response.status_code == 401
    response = client.post("/login", data={"csrf": token, "name": USER, "password": PASSWORD})
    assert response.status_code == 429
    clock.now += 301
    response = client.post("/login", data={"csrf": token, "name": USER, "password": PASSWORD})
    assert response.status_code == 303


def test_the_cookie_carries_no_answers(client: TestClient, review_survey: Built) -> None:
    token = login(client)
    pk = review_survey.fields["q2_perustelu"]
    client.post(f"/texts/{pk}/draft", data={"csrf": token, "revision": "0", "text": "salaisuus"})
    client.post(
        f"/texts/{pk}", data={"csrf": token, "revision": "1", "action": "save", "text": "toinen"}
    )
    import base64

    cookie = client.cookies["palaute_review"]
    payload = base64.b64decode(cookie.split(".")[0] + "==")
    assert b"salaisuus" not in payload and b"toinen" not in payload
    client.post("/undo", data={"csrf": token})
    row = review_survey.field_row("q2_perustelu")
    assert (row["text"], row["transcribed"]) == ("salaisuus", 0)


def add_loose_pages(built: Built) -> tuple[int, int]:
    """An unidentified page and a flagged one (sharing page 1's image)."""
    from scanner.results import PageResult, PageStatus

    with Survey.open(built.path, create=False) as survey:
        image = survey.page(built.pages[0]).image_path
        file_id = survey.scan_files()[0].id
        ids = []
        for index, status in ((2, PageStatus.UNIDENTIFIED), (3, PageStatus.FLAGGED)):
            result = PageResult(
                "scan.pdf", index, status, "scanner.identify.no_qr", image_path=image
            )
            ids.append(survey.store_page(file_id, result, dpi=200.0))
    return ids[0], ids[1]


def test_page_fixes(client: TestClient, review_survey: Built) -> None:
    unidentified, flagged = add_loose_pages(review_survey)
    token = login(client)
    page = client.get("/fix").text
    assert f'action="/pages/{unidentified}/fix"' in page and review_survey.template.version in page
    assert "scanner.identify.no_qr" in page
    state = re.search(r'name="state" value="([0-9a-f]{16})"', page)
    assert state
    data = {"csrf": token, "state": state.group(1), "action": "assign"}
    bad = [
        {"version": "../../x", "page_number": "1"},
        {"version": review_survey.template.version, "page_number": "9"},
        {"version": review_survey.template.version, "page_number": "1", "serial": "-3"},
    ]
    for extra in bad:
        assert client.post(f"/pages/{unidentified}/fix", data={**data, **extra}).status_code == 400
    response = client.post(
        f"/pages/{unidentified}/fix",
        data={**data, "version": review_survey.template.version, "page_number": "3", "serial": "7"},
    )
    assert response.headers["location"] == "/fix"
    with Survey.open(review_survey.path, create=False) as survey:
        row = survey.page(unidentified)
        assert (row.version, row.page_number, row.serial, row.identity_source) == (
            review_survey.template.version,
            3,
            7,
            "clerk",
        )
        assert {c.column for c in survey.change_log("page", unidentified)} >= {
            "version",
            "page_number",
            "serial",
        }
    # the same form again with the old state: someone else changed it
    response = client.post(f"/pages/{unidentified}/fix", data={**data, "action": "reject"})
    assert response.headers["location"] == f"/pages/{unidentified}/fix"
    page = client.get("/fix").text
    assert f'action="/pages/{flagged}/fix"' in page
    state = re.search(r'name="state" value="([0-9a-f]{16})"', page)
    assert state
    client.post(
        f"/pages/{flagged}/fix", data={"csrf": token, "state": state.group(1), "action": "reject"}
    )
    with Survey.open(review_survey.path, create=False) as survey:
        assert (survey.page(flagged).status, survey.page(flagged).reason) == (
            "rejected",
            "review.not_a_form",
        )
    assert "Tunnistamattomat ja merkityt sivut on käyty läpi" in client.get("/fix").text


def test_turning_an_unidentified_page(client: TestClient, review_survey: Built) -> None:
    unidentified, _ = add_loose_pages(review_survey)
    token = login(client)
    for turn in (1, 2):
        page = client.get(f"/pages/{unidentified}/fix").text
        state = re.search(r'name="state" value="([0-9a-f]{16})"', page)
        assert state and 'value="rotate"' in page
        data = {"csrf": token, "state": state.group(1), "action": "rotate", "degrees": "90"}
        response = client.post(f"/pages/{unidentified}/fix", data=data)
        assert response.headers["location"] == f"/pages/{unidentified}/fix"
        with Survey.open(review_survey.path, create=False) as survey:
            row = survey.page(unidentified)
            assert row.rotation == 90 * turn and row.image_path
            assert row.image_path.endswith(f".r{90 * turn}.jpg")
            size = Image.open(survey.images_dir / row.image_path).size
        assert (size[0] > size[1]) == (turn == 1)
    assert (
        client.post(f"/pages/{unidentified}/fix", data=data).headers["location"].endswith("/fix")
    )  # the old state: refused as a conflict
    with Survey.open(review_survey.path, create=False) as survey:
        assert survey.page(unidentified).rotation == 180
        columns = [c.column for c in survey.change_log("page", unidentified)]
        assert columns.count("rotation") == 2 and columns.count("image_path") == 2
    page = client.get(f"/pages/{unidentified}/fix").text
    state = re.search(r'name="state" value="([0-9a-f]{16})"', page)
    assert state
    bad = {"csrf": token, "state": state.group(1), "action": "rotate", "degrees": "45"}
    assert client.post(f"/pages/{unidentified}/fix", data=bad).status_code == 400
    read = review_survey.pages[0]
    assert 'value="rotate"' not in client.get(f"/pages/{read}/fix").text


def test_two_clerks_are_not_shown_the_same_field(
    client: TestClient, review_survey: Built, clock: Clock
) -> None:
    other = TestClient(client.app, follow_redirects=False)
    login(client)
    login(other)
    first = re.search(r'action="/flags/(\d+)"', client.get("/flags").text)
    second = re.search(r'action="/flags/(\d+)"', other.get("/flags").text)
    assert first and second and first.group(1) != second.group(1)
    clock.now += 121  # a claim lapses: the worst one is offered again
    second = re.search(r'action="/flags/(\d+)"', other.get("/flags").text)
    assert second and second.group(1) == first.group(1)
