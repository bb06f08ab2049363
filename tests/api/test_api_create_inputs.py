"""POST /api/v1/pairs with html, a url or a file instead of the text, and the raw source kept:
what is stored and said about it, what is refused, and GET .../sources/{side} giving the bytes back."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import docx
import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app
from app.models import User
from tests.api.conftest import COPY, ORIGINAL, Counts, bearer
from tests.conftest import ApiToken, MakeUser
from tests.ingest.conftest import (
    NEWS_PAGE,
    NEWS_PARAGRAPHS,
    LocalServer,
    docx_bytes,
    pdf_from_html,
    png,
    redirect,
    scanned_pdf_page,
    serve,
)

URL = "/api/v1/pairs"
EMPTY = {"articles": 0, "pairs": 0, "alignments": 0}
NEWS_TEXT = "\n\n".join(NEWS_PARAGRAPHS)


def app_client(db_path: Path, token: str, **settings: Any) -> Iterator[TestClient]:
    app = create_app(Settings(database_url=f"sqlite:///{db_path}", load_demo=False, create_admin=False, **settings))
    with TestClient(app, headers=bearer(token)) as test_client:
        yield test_client
    app.state.engine.dispose()


@pytest.fixture
def fetching_client(db_path: Path, editor: User, api_token: ApiToken) -> Iterator[TestClient]:
    """The editor's script on an app that may fetch from private addresses (the local server)."""
    yield from app_client(db_path, api_token(editor.username), fetch_allow_private=True)


@pytest.fixture
def tight_client(db_path: Path, editor: User, api_token: ApiToken) -> Iterator[TestClient]:
    """The editor's script on an app taking files of at most 2,000 bytes and texts of 100."""
    yield from app_client(db_path, api_token(editor.username), max_upload_bytes=2000, max_text_bytes=100)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def file_side(name: str, data: bytes, **extra: Any) -> dict[str, Any]:
    return {"file_base64": b64(data), "filename": name, **extra}


def body_with(copy: dict[str, Any]) -> dict[str, Any]:
    return {"original": {"title": "Original", "text": ORIGINAL}, "copy": copy}


def word_file() -> bytes:
    def build(document: docx.document.Document) -> None:
        document.core_properties.title = "Terminal approved"
        document.add_paragraph("The harbour board approved the new container terminal on Tuesday.")
        document.add_paragraph("Subscribe to our newsletter.")

    return docx_bytes(build)


def field_errors(response: Any) -> dict[tuple[str | int, ...], dict[str, Any]]:
    detail = response.json()["detail"]
    assert isinstance(detail, list), detail
    return {tuple(item["loc"]): item for item in detail}


def stored_text(client: TestClient, created: dict[str, Any], side: str = "copy") -> str:
    return str(client.get(created["api_url"]).json()[side]["text"])


# --- what each kind of input stores -------------------------------------------------------------


def test_html_is_extracted_and_kept_as_the_source(client: TestClient) -> None:
    response = client.post(URL, json=body_with({"html": NEWS_PAGE}))

    assert response.status_code == 201, response.text
    created = response.json()
    source = created["copy"]["source"]
    assert (source["kind"], source["format"], source["encoding"], source["encoding_detected"]) == (
        "html", "html", "utf-8", False)
    assert source["sha256"] == hashlib.sha256(NEWS_PAGE.encode()).hexdigest()
    assert source["size"] == len(NEWS_PAGE.encode())
    assert source["raw_url"] == f"{created['api_url']}/sources/copy"
    assert created["copy"]["title"] == "Flood barrier opens after six years"
    assert created["original"]["source"] is None
    assert stored_text(client, created) == NEWS_TEXT
    assert created["copy"]["sha256"] == hashlib.sha256(NEWS_TEXT.encode()).hexdigest()


def test_a_word_file_is_read_and_kept(client: TestClient) -> None:
    raw = word_file()

    created = client.post(URL, json=body_with(file_side("terminal.docx", raw))).json()

    source = created["copy"]["source"]
    assert (source["kind"], source["format"], source["filename"], source["encoding"]) == (
        "file", "docx", "terminal.docx", None)
    assert source["sha256"] == hashlib.sha256(raw).hexdigest()
    assert created["copy"]["title"] == "Terminal approved"
    assert stored_text(client, created) == ("The harbour board approved the new container terminal on "
                                            "Tuesday.\n\nSubscribe to our newsletter.")


def test_a_pdf_is_read_from_its_text_layer(client: TestClient) -> None:
    raw = pdf_from_html("<h1>Terminal approved</h1><p>The harbour board approved the terminal.</p>")

    created = client.post(URL, json=body_with(file_side("terminal.pdf", raw, content_type="application/pdf"))).json()

    assert created["copy"]["source"]["format"] == "pdf"
    assert created["copy"]["source"]["content_type"] == "application/pdf"
    assert stored_text(client, created) == "Terminal approved\n\nThe harbour board approved the terminal."


def test_a_text_file_in_another_encoding_says_which_was_assumed(client: TestClient) -> None:
    raw = "Le café de la gare a fermé ses portes lundi.".encode("cp1252")

    created = client.post(URL, json=body_with(file_side("cafe.txt", raw))).json()

    assert created["copy"]["source"]["encoding"] == "windows-1252"
    assert created["copy"]["source"]["encoding_detected"] is True
    assert stored_text(client, created) == "Le café de la gare a fermé ses portes lundi."


def test_base64_wrapped_in_lines_is_read(client: TestClient) -> None:
    encoded = base64.encodebytes(COPY.encode()).decode()  # a line break every 76 characters

    response = client.post(URL, json=body_with({"file_base64": encoded, "filename": "copy.txt"}))

    assert response.status_code == 201
    assert stored_text(client, response.json()) == COPY


def test_a_page_is_fetched_from_its_url_with_where_and_when(fetching_client: TestClient, site: LocalServer) -> None:
    site.routes["/old"] = redirect("/news/barrier")
    site.routes["/news/barrier"] = serve(200, NEWS_PAGE.encode())

    response = fetching_client.post(URL, json=body_with({"url": site.url("/old")}))

    assert response.status_code == 201, response.text
    created = response.json()
    source = created["copy"]["source"]
    assert (source["kind"], source["url"], source["final_url"], source["http_status"]) == (
        "url", site.url("/old"), site.url("/news/barrier"), 200)
    assert datetime.fromisoformat(source["fetched_at"]).tzinfo is not None
    assert created["copy"]["source_url"] == site.url("/news/barrier")
    assert stored_text(fetching_client, created) == NEWS_TEXT


def test_a_given_source_url_wins_over_the_fetched_address(fetching_client: TestClient, site: LocalServer) -> None:
    site.routes["/news/barrier"] = serve(200, NEWS_PAGE.encode())

    created = fetching_client.post(URL, json=body_with(
        {"url": site.url("/news/barrier"), "source_url": "https://gazette.example/barrier"})).json()

    assert created["copy"]["source_url"] == "https://gazette.example/barrier"


def test_the_pair_read_back_and_the_list_carry_the_source(client: TestClient) -> None:
    created = client.post(URL, json=body_with({"html": NEWS_PAGE})).json()

    fetched = client.get(created["api_url"]).json()
    listed = client.get(URL).json()["items"][0]

    assert fetched["copy"]["source"] == created["copy"]["source"]
    assert listed["copy"]["source"] == created["copy"]["source"]
    assert listed["original"]["source"] is None


# --- refusals -----------------------------------------------------------------------------------


def test_a_private_address_is_refused_by_default_without_a_request(client: TestClient, site: LocalServer,
                                                                  rows: Counts) -> None:
    site.routes["/news/barrier"] = serve(200, NEWS_PAGE.encode())

    response = client.post(URL, json=body_with({"url": site.url("/news/barrier")}))

    assert response.status_code == 422
    assert "127.0.0.1" in field_errors(response)["body", "copy", "url"]["msg"]
    assert site.requests == []
    assert rows() == EMPTY


def test_a_page_that_is_not_found_is_reported_at_the_url(fetching_client: TestClient, site: LocalServer) -> None:
    response = fetching_client.post(URL, json=body_with({"url": site.url("/gone")}))

    assert response.status_code == 422
    assert "404" in field_errors(response)["body", "copy", "url"]["msg"]


@pytest.mark.parametrize(("name", "data", "message"), [
    ("scan.pdf", lambda: pdf_from_html(scanned_pdf_page()), "no text layer"),
    ("fake.pdf", lambda: b"Plain words.", "fake.pdf is not a PDF"),
    ("letter.docx", lambda: b"Plain words.", "letter.docx is not a Word document"),
    ("photo.txt", png, "photo.txt is a PNG image"),
    ("empty.txt", lambda: b"", "empty.txt is empty"),
    ("menu.html", lambda: b"<html><body><nav>Home</nav></body></html>", "no article text"),
    ("sheet.xlsx", lambda: b"x", "not .xlsx"),
], ids=["scanned-pdf", "fake-pdf", "fake-docx", "png-as-txt", "empty", "no-article", "xlsx"])
def test_a_file_that_cannot_be_read_is_refused_at_file_base64(client: TestClient, rows: Counts, name: str,
                                                              data: Any, message: str) -> None:
    response = client.post(URL, json=body_with(file_side(name, data())))

    assert response.status_code == 422
    assert message in field_errors(response)["body", "copy", "file_base64"]["msg"]
    assert rows() == EMPTY


def test_both_sides_unreadable_are_reported_together(client: TestClient, rows: Counts) -> None:
    body = {"original": {"html": "<nav>Home</nav>"}, "copy": file_side("photo.txt", png())}

    response = client.post(URL, json=body)

    assert response.status_code == 422
    assert set(field_errors(response)) == {("body", "original", "html"), ("body", "copy", "file_base64")}
    assert rows() == EMPTY


def test_base64_that_is_not_is_refused(client: TestClient, rows: Counts) -> None:
    response = client.post(URL, json=body_with({"file_base64": "not base64!", "filename": "a.txt"}))

    assert response.status_code == 422
    assert field_errors(response)["body", "copy", "file_base64"]["msg"] == "file_base64 is not valid base64"
    assert rows() == EMPTY


def test_a_file_over_the_upload_limit_is_413(tight_client: TestClient) -> None:
    response = tight_client.post(URL, json=body_with(file_side("big.txt", b"word " * 500)))

    assert response.status_code == 413
    assert field_errors(response)["body", "copy", "file_base64"]["msg"] == (
        "big.txt is 2 KB; the limit is 2 KB per file")


def test_a_text_read_from_a_file_over_the_text_limit_is_413_at_the_file(tight_client: TestClient) -> None:
    body = {"original": {"text": "Short."}, "copy": file_side("long.txt", b"word " * 30)}

    response = tight_client.post(URL, json=body)

    assert response.status_code == 413
    assert field_errors(response)["body", "copy", "file_base64"]["msg"] == (
        "The copy text is 150 bytes; the limit is 100 bytes per text")


def test_html_over_the_upload_limit_is_413(tight_client: TestClient) -> None:
    html = NEWS_PAGE.replace("</body>", f"<!-- {'x' * 2000} --></body>")

    response = tight_client.post(URL, json={"original": {"text": "Short."}, "copy": {"html": html}})

    assert response.status_code == 413
    assert field_errors(response)["body", "copy", "html"]["msg"] == "The HTML is 4 KB; the limit is 2 KB"


@pytest.mark.parametrize(("copy", "error_type"), [
    ({"text": COPY, "url": "https://example.com/a"}, "several_sources"),
    ({"html": "<p>a</p>", "file_base64": b64(b"a"), "filename": "a.txt"}, "several_sources"),
    ({"file_base64": b64(b"a")}, "missing_filename"),
    ({"text": COPY, "filename": "a.txt"}, "filename_without_file"),
    ({"title": "Only a title"}, "missing_source"),
], ids=["text-and-url", "html-and-file", "file-without-name", "name-without-file", "nothing"])
def test_a_side_must_be_given_exactly_one_way(client: TestClient, rows: Counts, copy: dict[str, Any],
                                              error_type: str) -> None:
    response = client.post(URL, json=body_with(copy))

    assert response.status_code == 422
    assert field_errors(response)["body", "copy"]["type"] == error_type
    assert rows() == EMPTY


# --- the raw source -----------------------------------------------------------------------------


def test_the_raw_source_comes_back_byte_for_byte_with_its_sha256(client: TestClient) -> None:
    raw = word_file()
    created = client.post(URL, json=body_with(file_side("Terminal “final”.docx", raw))).json()

    response = client.get(created["copy"]["source"]["raw_url"])

    assert response.status_code == 200
    assert response.content == raw
    assert response.headers["x-content-sha256"] == hashlib.sha256(raw).hexdigest() == created["copy"]["source"]["sha256"]
    assert response.headers["content-type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    assert response.headers["content-disposition"] == (
        "attachment; filename=\"Terminal _final_.docx\"; filename*=UTF-8''Terminal%20%E2%80%9Cfinal%E2%80%9D.docx")


def test_raw_html_is_served_as_a_sandboxed_download_with_its_charset(client: TestClient) -> None:
    raw = "<html><head><title>Café</title></head><body><p>Le café a fermé lundi soir.</p></body></html>"
    created = client.post(URL, json=body_with(file_side("cafe.html", raw.encode("cp1252")))).json()

    response = client.get(created["copy"]["source"]["raw_url"])

    assert response.content == raw.encode("cp1252")
    assert response.headers["content-type"] == "text/html; charset=windows-1252"
    assert response.headers["content-disposition"].startswith("attachment;")
    assert response.headers["content-security-policy"] == "sandbox; default-src 'none'"
    assert response.headers["x-content-type-options"] == "nosniff"


def test_a_text_sent_as_text_has_no_raw_source(client: TestClient) -> None:
    created = client.post(URL, json=body_with({"html": NEWS_PAGE})).json()

    response = client.get(f"{created['api_url']}/sources/original")

    assert response.status_code == 404
    assert response.json() == {"detail": f"raw source of the original text of pair {created['id']} not found"}


@pytest.mark.parametrize("path", ["/api/v1/pairs/999/sources/copy", "/api/v1/pairs/{id}/sources/left"])
def test_an_unknown_pair_or_side_is_404(client: TestClient, path: str) -> None:
    created = client.post(URL, json=body_with({"html": NEWS_PAGE})).json()

    response = client.get(path.format(id=created["id"]))

    assert response.status_code == 404


def test_the_raw_source_needs_a_login_and_any_role_may_read_it(
        client: TestClient, anon_client: TestClient, make_user: MakeUser, api_token: ApiToken) -> None:
    created = client.post(URL, json=body_with({"html": NEWS_PAGE})).json()
    raw_url = created["copy"]["source"]["raw_url"]
    make_user("viewer", "viewer")

    assert anon_client.get(raw_url).status_code == 401
    viewer = anon_client.get(raw_url, headers=bearer(api_token("viewer")))
    assert viewer.status_code == 200 and viewer.content == NEWS_PAGE.encode()


@pytest.fixture
def roomy_client(db_path: Path, editor: User, api_token: ApiToken) -> Iterator[TestClient]:
    """Texts of at most 2,000 bytes, files of up to 300 KB: a file may be far larger than its text."""
    yield from app_client(db_path, api_token(editor.username), max_upload_bytes=300_000, max_text_bytes=2000)


def test_a_file_larger_than_two_texts_fits_the_request_when_under_the_upload_limit(
        roomy_client: TestClient) -> None:
    # A saved page is mostly markup: 130 KB of it (175 KB as base64) around a short article.
    filler = "<nav><ul>" + "<li><a href='/x'>Section link</a></li>" * 3500 + "</ul></nav>"
    article = "<article><h1>Harbour wall</h1><p>" + "The council voted to rebuild the wall. " * 10 + "</p></article>"
    page = f"<html><head><title>Harbour wall</title></head><body>{filler}{article}</body></html>".encode()
    assert len(page) > 130_000

    response = roomy_client.post(URL, json=body_with(file_side("wall.html", page)))

    assert response.status_code == 201, response.text
    assert response.json()["copy"]["source"]["size"] == len(page)
