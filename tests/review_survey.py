"""A small real survey for the review desk's tests: the seed form printed, two pages rasterised
(200 dpi PNG in the survey's images folder) and stored with flagged and written fields; and what
every review test does with a desk: log in (in-process or in Chromium) and read a field's row."""

from __future__ import annotations

import re
import socket
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from starlette.testclient import TestClient

from forms.template import Template
from palaute.review import create_app
from palaute.store import Survey, accounts
from scanner.results import FieldResult, FieldStatus, PageIdentity, PageResult, PageStatus

DPI = 200.0
USER = "maija"
PASSWORD = "oikein-hyvä-salasana"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@dataclass(frozen=True)
class Built:
    path: Path
    template: Template
    pages: list[int]
    fields: dict[str, int]  # template field id -> field row id

    def field_row(self, field_id: str) -> sqlite3.Row:
        return field_row(self.path, self.fields[field_id])

    def changes(self, field_id: str) -> list[tuple[str, str, str | None, str | None]]:
        """(who, column, old, new) of every logged change of the field, oldest first."""
        with Survey.open(self.path, create=False) as survey:
            return [
                (c.who, c.column, c.old, c.new)
                for c in survey.change_log("field", self.fields[field_id])
            ]


def rasterise(pdf: Path, count: int) -> list[np.ndarray]:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        return [
            np.asarray(doc[i].render(scale=DPI / 72).to_pil().convert("L")) for i in range(count)
        ]
    finally:
        doc.close()


def _field(template: Template, field_id: str, **kw: object) -> FieldResult:
    f = template.field(field_id)
    return FieldResult(field_id=field_id, crop=f.box, **kw)  # type: ignore[arg-type]


def build(directory: Path, pdf: Path, images: list[np.ndarray]) -> Built:
    path = directory / "survey.sqlite"
    with Survey.open(path) as survey:
        template = survey.register_pdf(pdf)
        file_id = survey.begin_file(directory / "scan.pdf", "ab" * 32, 2)
        ident = {"version": template.version, "serial": 1, "rotation": 0, "source": "qr"}
        page1 = PageResult(
            source_file="scan.pdf",
            index=0,
            status=PageStatus.READ,
            reason="",
            identity=PageIdentity(page=1, confidence=0.99, **ident),  # type: ignore[arg-type]
            fields=(
                _field(
                    template,
                    "q2",
                    value=["no", "yes"],
                    confidence=0.30,
                    status=FieldStatus.MULTIPLE,
                    reason="scanner.read.two_marks",
                    needs_review=True,
                ),
                _field(
                    template,
                    "q1",
                    value=["lapsiperheet"],
                    confidence=0.55,
                    status=FieldStatus.AMBIGUOUS,
                    reason="scanner.read.faint",
                    needs_review=True,
                ),
                _field(
                    template,
                    "q3",
                    value="yes",
                    confidence=0.97,
                    status=FieldStatus.OK,
                    reason="",
                ),
                _field(
                    template,
                    "q2_perustelu",
                    value=None,
                    confidence=0.9,
                    status=FieldStatus.WRITTEN,
                    reason="",
                ),
            ),
        )
        page2 = PageResult(
            source_file="scan.pdf",
            index=1,
            status=PageStatus.READ,
            reason="",
            identity=PageIdentity(page=2, confidence=0.99, **ident),  # type: ignore[arg-type]
            fields=(
                _field(
                    template,
                    "q4_kohtelu",
                    value="4",
                    confidence=0.20,
                    status=FieldStatus.AMBIGUOUS,
                    reason="scanner.read.between_options",
                    needs_review=True,
                ),
            ),
        )
        pages = [
            survey.store_page(file_id, page1, images[0], dpi=DPI),
            survey.store_page(file_id, page2, images[1], dpi=DPI),
        ]
        survey.finish_file(file_id)
        accounts.add_user(survey, USER, PASSWORD)
        fields = {f.field_id: f.id for page in pages for f in survey.page_fields(page)}
    return Built(path, template, pages, fields)


class Clock:
    """The desk's clock, moved by hand: session expiry and login throttling without waiting."""

    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def desk_client(survey: Path, clock: Clock | None = None) -> TestClient:
    """The desk on ``survey`` in-process; redirects are not followed, so tests can check them."""
    app = create_app(survey, secret="test secret", session_minutes=30, clock=clock or Clock())
    return TestClient(app, follow_redirects=False)


def csrf_of(client: TestClient, url: str = "/login") -> str:
    response = client.get(url)
    match = CSRF.search(response.text)
    assert match, response.text
    return match.group(1)


def login(client: TestClient, password: str = PASSWORD) -> str:
    """Log in as the survey's clerk; returns the session's CSRF token."""
    token = csrf_of(client)
    response = client.post("/login", data={"csrf": token, "name": USER, "password": password})
    assert response.status_code == 303, response.text
    return csrf_of(client, "/flags")


def field_row(survey: Path, pk: int) -> sqlite3.Row:
    """The stored row of field ``pk``, read past the desk."""
    conn = sqlite3.connect(survey)
    conn.row_factory = sqlite3.Row
    try:
        return conn.execute("SELECT * FROM fields WHERE id = ?", (pk,)).fetchone()
    finally:
        conn.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def served_desk(survey: Path) -> Iterator[str]:
    """The desk on ``survey`` served over HTTP in a thread, for a browser; yields its address."""
    import uvicorn

    port = free_port()
    app = create_app(survey, allowed_hosts=["127.0.0.1"])
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        threading.Event().wait(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=5)


@contextmanager
def chromium_page(playwright: Any) -> Iterator[Any]:
    """A Finnish-locale page in headless Chromium (``playwright`` is ``playwright.sync_api``)."""
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            page = browser.new_page(locale="fi-FI")
            page.set_default_timeout(30_000)
            yield page
        finally:
            browser.close()


def browser_login(page: Any, desk: str) -> None:
    """Fill in the login form the browser is on; the desk then opens the flag list."""
    page.fill("#name", USER)
    page.fill("#password", PASSWORD)
    page.click("button.primary")
    page.wait_for_url(f"{desk}/flags")


def press(page: Any, key: str) -> None:
    """Press a key once the page's script is listening (a loaded machine may lag behind)."""
    page.wait_for_selector("body[data-ready='1']", state="attached")
    page.keyboard.press(key)
