"""The desk's respondent pages in-process on a real survey: list, view, split and merge."""

from __future__ import annotations

import re

import pytest
from starlette.testclient import TestClient

from palaute.store import Survey
from scanner.results import PageIdentity, PageResult, PageStatus

from .review_survey import Built, desk_client, login

TOKEN = re.compile(r'name="token" value="([0-9a-f]{16})"')


@pytest.fixture
def desk(review_survey: Built) -> TestClient:
    return desk_client(review_survey.path)


def add_photocopies(built: Built, numbers: list[int]) -> tuple[list[int], list[int]]:
    """A file of photocopied sheets (no serial) with these page numbers, regrouped.

    Returns the page ids and the ids of the order-grouped respondents, in scan order."""
    with Survey.open(built.path, create=False) as survey:
        image = survey.page(built.pages[0]).image_path
        file_id = survey.begin_file("kopiot.pdf", "cd" * 32, len(numbers))
        ids = []
        for index, number in enumerate(numbers):
            identity = PageIdentity(built.template.version, number, None, 0, "qr", 0.95)
            result = PageResult(
                "kopiot.pdf", index, PageStatus.READ, "", identity, 0.9, image_path=image
            )
            ids.append(survey.store_page(file_id, result, dpi=200.0))
        survey.finish_file(file_id)
        survey.assign_respondents()
        rids = [r.id for r in survey.respondents() if r.serial is None]
    return ids, rids


def pages_of(built: Built, rid: int) -> list[int]:
    with Survey.open(built.path, create=False) as survey:
        return [p.id for p in survey.pages(respondent_id=rid)]


@pytest.mark.parametrize("url", ["/respondents", "/respondents/1"])
def test_respondent_pages_need_a_login(desk: TestClient, url: str) -> None:
    response = desk.get(url)
    assert response.status_code in (303, 307)
    if response.status_code == 303:
        assert response.headers["location"] == "/login"


def test_fixes_need_the_csrf_token(desk: TestClient, review_survey: Built) -> None:
    pages, (rid,) = add_photocopies(review_survey, [1, 2])
    login(desk)
    token = TOKEN.search(desk.get(f"/respondents/{rid}").text)
    assert token
    data = {"page": str(pages[1]), "token": token.group(1)}
    assert desk.post(f"/respondents/{rid}/split", data=data).status_code == 403
    assert (
        desk.post(f"/respondents/{rid}/split", data={**data, "csrf": "x" * 40}).status_code == 403
    )
    assert pages_of(review_survey, rid) == pages


def test_the_list_and_the_view(desk: TestClient, review_survey: Built) -> None:
    pages, (rid, other) = add_photocopies(review_survey, [2, 1])  # a sheet back to front
    login(desk)
    listed = desk.get("/respondents").text
    links = [int(i) for i in re.findall(r'href="/respondents/(\d+)"', listed)]
    # the two halves (one page missing each) come before the complete numbered copy
    assert links[:2] == [rid, other] and len(links) == 3
    view = desk.get(f"/respondents/{rid}").text
    assert f'data-page="{pages[0]}"' in view and f'data-page="{pages[1]}"' not in view
    assert f'src="/image/page/{pages[0]}"' in view
    assert "Puuttuvat sivut: 1" in view
    assert desk.get(f"/image/page/{pages[0]}").headers["content-type"] == "image/png"
    assert desk.get("/respondents/9999").status_code == 404
    flag = desk.get(f"/flags/{review_survey.fields['q2']}").text
    assert 'id="whose"' in flag and "Kenen lomake tämä on?" in flag


def test_split_and_merge_through_the_desk(desk: TestClient, review_survey: Built) -> None:
    (p1, p2), (rid,) = add_photocopies(review_survey, [1, 2])
    csrf = login(desk)
    view = desk.get(f"/respondents/{rid}").text
    assert view.count('action="/respondents/') == 1  # split at page 2 only; no neighbours
    token = TOKEN.search(view)
    assert token
    bad = [{"page": "x"}, {"page": str(p2), "token": "../../x"}, {"page": "99999999"}]
    for extra in bad:
        data = {"csrf": csrf, "token": token.group(1), **extra}
        response = desk.post(f"/respondents/{rid}/split", data=data)
        assert response.status_code in (303, 400)
        assert pages_of(review_survey, rid) == [p1, p2]
    response = desk.post(
        f"/respondents/{rid}/split", data={"csrf": csrf, "page": str(p2), "token": token.group(1)}
    )
    assert response.status_code == 303 and response.headers["location"] == f"/respondents/{rid}"
    assert pages_of(review_survey, rid) == [p1]
    view = desk.get(f"/respondents/{rid}").text
    assert "Vastaaja jaettiin kahdeksi." in view and "Puuttuvat sivut: 2" in view
    # the same form again: the pages changed meanwhile
    response = desk.post(
        f"/respondents/{rid}/split", data={"csrf": csrf, "page": str(p2), "token": token.group(1)}
    )
    assert "Joku muu muutti" in desk.get(response.headers["location"]).text
    merge = re.search(
        r'id="merge-next">.*?name="with" value="(\d+)".*?name="token" value="([0-9a-f]{16})"',
        view,
        re.S,
    )
    assert merge
    other = int(merge.group(1))
    assert pages_of(review_survey, other) == [p2]
    response = desk.post(
        f"/respondents/{other}/merge",
        data={"csrf": csrf, "with": str(rid), "token": merge.group(2)},
    )
    assert response.headers["location"] == f"/respondents/{rid}"
    assert pages_of(review_survey, rid) == [p1, p2]
    assert desk.get(f"/respondents/{other}").status_code == 404
    with Survey.open(review_survey.path, create=False) as survey:
        whos = {c.who for c in survey.change_log("page", p2)}
        assert whos == {"maija"}


def test_a_refused_merge_says_why(desk: TestClient, review_survey: Built) -> None:
    _, (first, second) = add_photocopies(review_survey, [1, 2, 1, 2])
    csrf = login(desk)
    view = desk.get(f"/respondents/{first}").text
    merge = re.search(r'id="merge-next">.*?name="token" value="([0-9a-f]{16})"', view, re.S)
    assert merge
    response = desk.post(
        f"/respondents/{first}/merge",
        data={"csrf": csrf, "with": str(second), "token": merge.group(1)},
    )
    assert response.headers["location"] == f"/respondents/{first}"
    assert "molemmilla on sama sivu" in desk.get(f"/respondents/{first}").text
    assert len(pages_of(review_survey, first)) == 2
