"""Every kind of input through the form, preview then save: saved web pages, pasted HTML, Word
files, PDFs, pages fetched from an address (a local server), and the files and addresses refused."""

from __future__ import annotations

import hashlib
import io
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

import docx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.services.pairs import count_pairs
from tests.ingest.conftest import (
    NEWS_NOISE,
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
from tests.web.conftest import MakeClient
from tests.web.html import one, parse, text_of, textarea_value
from tests.web.test_new_pair_form import ORIGINAL, assert_form_came_back, confirm, pair_of, preview

PDF_PAGE = ("<title>Bridge report</title><h1>Bridge closes</h1>"
            "<p>The old bridge closes on Monday for repairs.</p><p>It reopens in May.</p>")


@pytest.fixture
def fetching_client(make_client: MakeClient) -> TestClient:
    """The editor's browser on an app that may fetch from private addresses (the local server)."""
    return make_client(fetch_allow_private=True)


def word_file() -> bytes:
    def build(document: docx.document.Document) -> None:
        document.core_properties.title = "Council budget"
        document.add_heading("Budget passes", level=1)
        document.add_paragraph("The council passed the budget on Monday.")
        document.add_paragraph("")
        document.add_paragraph("Spending on roads rises by a tenth.")

    return docx_bytes(build)


def upload(client: TestClient, name: str, data: bytes, content_type: str = "application/octet-stream") -> Any:
    return preview(client, original_text=ORIGINAL, files={"copy_file": (name, data, content_type)})


def read_from(response: Any, side: str = "copy") -> dict[str, str]:
    """The preview's list of what was read from a side, term -> description."""
    listing = one(parse(response), f"#{side}_read_from")
    return {text_of(term): text_of(term.find_next_sibling("dd")) for term in listing.select("dt")}


def pending_files(db_path: Path) -> list[Path]:
    folder = db_path.parent / "pending_uploads"
    return sorted(folder.iterdir()) if folder.exists() else []


# --- files --------------------------------------------------------------------------------------


def test_a_saved_web_page_is_read_without_navigation_share_buttons_comments_or_related_links(
        client: TestClient, session: Session) -> None:
    raw = NEWS_PAGE.encode("utf-8")
    shown = upload(client, "barrier.html", raw, "text/html")
    text = textarea_value(one(parse(shown), "#copy_text"))

    assert shown.status_code == 200
    assert text == "\n\n".join(NEWS_PARAGRAPHS)
    assert not [noise for noise in NEWS_NOISE if noise in text]
    assert one(parse(shown), "#copy_title")["value"] == "Flood barrier opens after six years"
    details = read_from(shown)
    assert details["Read from"] == "The file barrier.html"
    assert details["Format"] == "Web page (HTML)"
    assert details["Encoding"] == "utf-8"
    assert hashlib.sha256(raw).hexdigest() in details["Kept as evidence"]
    assert count_pairs(session) == 0

    pair = pair_of(confirm(client, shown), session)

    source = pair.copy.source
    assert source is not None
    assert (source.kind, source.format, source.filename, source.encoding) == ("file", "html", "barrier.html", "utf-8")
    assert source.raw == raw and source.size == len(raw)
    assert source.sha256 == hashlib.sha256(raw).hexdigest()
    assert pair.copy.text == text
    assert pair.copy.title == "Flood barrier opens after six years"


def test_pasted_html_is_read_as_a_page_when_its_box_is_ticked(client: TestClient, session: Session) -> None:
    shown = preview(client, original_text=ORIGINAL, copy_text=NEWS_PAGE, copy_is_html="1")

    assert textarea_value(one(parse(shown), "#copy_text")) == "\n\n".join(NEWS_PARAGRAPHS)
    assert read_from(shown)["Read from"] == "HTML pasted into the form"

    pair = pair_of(confirm(client, shown), session)

    assert pair.copy.source is not None
    assert (pair.copy.source.kind, pair.copy.source.format) == ("html", "html")
    assert pair.copy.source.raw == NEWS_PAGE.encode("utf-8")


def test_pasted_html_without_the_box_ticked_is_text(client: TestClient, session: Session) -> None:
    shown = preview(client, original_text=ORIGINAL, copy_text="<p>Tags stay as typed.</p>")

    assert textarea_value(one(parse(shown), "#copy_text")) == "<p>Tags stay as typed.</p>"
    assert pair_of(confirm(client, shown), session).copy.source is None


def test_a_word_file_is_read_paragraph_by_paragraph_with_its_title(client: TestClient, session: Session) -> None:
    raw = word_file()
    shown = upload(client, "budget.docx", raw)

    assert textarea_value(one(parse(shown), "#copy_text")) == (
        "Budget passes\n\nThe council passed the budget on Monday.\n\nSpending on roads rises by a tenth.")
    assert one(parse(shown), "#copy_title")["value"] == "Council budget"
    assert read_from(shown)["Format"] == "Word document (.docx)"
    assert "Encoding" not in read_from(shown)

    pair = pair_of(confirm(client, shown), session)

    assert pair.copy.source is not None
    assert (pair.copy.source.format, pair.copy.source.encoding) == ("docx", None)
    assert pair.copy.source.sha256 == hashlib.sha256(raw).hexdigest()


def test_a_pdf_is_read_from_its_text_layer(client: TestClient, session: Session) -> None:
    raw = pdf_from_html(PDF_PAGE)
    shown = upload(client, "bridge.pdf", raw, "application/pdf")

    assert textarea_value(one(parse(shown), "#copy_text")) == (
        "Bridge closes\n\nThe old bridge closes on Monday for repairs.\n\nIt reopens in May.")
    assert read_from(shown)["Format"] == "PDF"

    pair = pair_of(confirm(client, shown), session)

    assert pair.copy.source is not None and pair.copy.source.format == "pdf"
    assert pair.copy.source.raw == raw


def zip_archive() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "Not a Word document.")
    return buffer.getvalue()


@pytest.mark.parametrize(("name", "data", "message"), [
    ("scan.pdf", lambda: pdf_from_html(scanned_pdf_page()), "scan.pdf is a scanned PDF: it has no text layer"),
    ("fake.pdf", lambda: b"Plain words, not a PDF.", "fake.pdf is not a PDF"),
    ("archive.docx", zip_archive, "archive.docx is a ZIP archive, not a Word document"),
    ("letter.docx", lambda: b"Plain words, not a Word file.", "letter.docx is not a Word document"),
    ("photo.txt", png, "photo.txt is a PNG image"),
    ("junk.md", lambda: bytes(range(256)) * 4, "junk.md is not text"),
    ("empty.html", lambda: b"", "empty.html is empty"),
    ("menu.html", lambda: b"<html><body><nav><a href='/'>Home</a></nav></body></html>",
     "copydesk found no article text in menu.html"),
    ("picture.png", png, "not .png"),
], ids=["scanned-pdf", "fake-pdf", "zip-as-docx", "text-as-docx", "png-as-txt", "binary-md", "empty-html",
        "html-without-article", "png"])
def test_a_file_that_cannot_be_read_comes_back_with_the_reason_and_nothing_is_kept(
        client: TestClient, session: Session, db_path: Path, name: str, data: Any, message: str) -> None:
    response = upload(client, name, data())

    assert_form_came_back(response, 422, "copy_file", message)
    assert textarea_value(one(parse(response), "#original_text")) == ORIGINAL
    assert count_pairs(session) == 0
    assert pending_files(db_path) == []


def test_pasted_html_without_an_article_is_refused_next_to_the_text_box(client: TestClient, session: Session) -> None:
    response = preview(client, original_text=ORIGINAL, copy_text="<nav><a href='/'>Home</a></nav>",
                       copy_is_html="1")

    assert_form_came_back(response, 422, "copy_text", "copydesk found no article text in the HTML")
    assert one(parse(response), "#copy_is_html").has_attr("checked")
    assert count_pairs(session) == 0


def test_pasted_html_over_the_upload_limit_is_413(make_client: MakeClient, session: Session) -> None:
    small = make_client(max_upload_bytes=1000)

    response = preview(small, original_text=ORIGINAL, copy_text=NEWS_PAGE, copy_is_html="1")

    assert_form_came_back(response, 413, "copy_text", "The pasted HTML is 2 KB; the limit is 1000 bytes")
    assert count_pairs(session) == 0


def test_what_a_file_holds_and_its_name_are_shown_as_text(client: TestClient) -> None:
    hostile = "<img src=x onerror=alert(1)>"
    response = upload(client, f"{hostile}.txt", f"</textarea><script>alert(1)</script>{hostile}".encode(),
                      "text/plain")
    soup = parse(response)

    assert response.status_code == 200
    assert soup.select("script:not([src])") == [] and soup.select("img") == []
    assert textarea_value(one(soup, "#copy_text")) == f"</textarea><script>alert(1)</script>{hostile}"
    assert text_of(one(soup, "#copy_read_from .filename")) == f"{hostile}.txt"


# --- addresses ----------------------------------------------------------------------------------


def test_a_page_fetched_from_an_address_is_previewed_with_where_and_when_then_kept(
        fetching_client: TestClient, site: LocalServer, session: Session) -> None:
    site.routes["/old"] = redirect("/news/barrier")
    site.routes["/news/barrier"] = serve(200, NEWS_PAGE.encode("utf-8"))
    asked, found = site.url("/old"), site.url("/news/barrier")

    shown = preview(fetching_client, original_text=ORIGINAL, copy_url=asked)
    soup = parse(shown)

    assert shown.status_code == 200, shown.text
    assert textarea_value(one(soup, "#copy_text")) == "\n\n".join(NEWS_PARAGRAPHS)
    details = read_from(shown)
    assert details["Read from"] == f"The page at {asked}"
    assert details["Found at"] == f"{found} (HTTP 200)"
    fetched = datetime.fromisoformat(one(soup, "#copy_read_from time")["datetime"])
    assert one(soup, "#copy_source_url")["value"] == found
    assert [path for path, _host in site.requests] == ["/old", "/news/barrier"]

    pair = pair_of(confirm(fetching_client, shown), session)

    source = pair.copy.source
    assert source is not None
    assert (source.kind, source.url, source.final_url, source.http_status) == ("url", asked, found, 200)
    assert source.fetched_at is not None
    assert source.fetched_at.replace(microsecond=0, tzinfo=None) == fetched.replace(tzinfo=None)
    assert source.raw == NEWS_PAGE.encode("utf-8")
    assert pair.copy.source_url == found
    assert len(site.requests) == 2  # saving does not fetch again


def test_an_address_in_a_private_network_is_refused_by_default_without_a_request(
        client: TestClient, site: LocalServer, session: Session, db_path: Path) -> None:
    site.routes["/news/barrier"] = serve(200, NEWS_PAGE.encode("utf-8"))

    response = preview(client, original_text=ORIGINAL, copy_url=site.url("/news/barrier"))

    assert_form_came_back(response, 422, "copy_url", "127.0.0.1")
    assert one(parse(response), "#copy_url")["value"] == site.url("/news/barrier")
    assert site.requests == []
    assert count_pairs(session) == 0
    assert pending_files(db_path) == []


def test_a_page_the_server_does_not_find_is_reported_next_to_the_address(
        fetching_client: TestClient, site: LocalServer, session: Session) -> None:
    response = preview(fetching_client, original_text=ORIGINAL, copy_url=site.url("/gone"))

    assert_form_came_back(response, 422, "copy_url", "404")
    assert count_pairs(session) == 0


def test_an_address_that_is_not_http_is_refused(client: TestClient) -> None:
    response = preview(client, original_text=ORIGINAL, copy_url="file:///etc/passwd")

    assert_form_came_back(response, 422, "copy_url", "http")


def test_a_file_is_used_instead_of_an_address(client: TestClient, site: LocalServer, session: Session) -> None:
    shown = preview(client, original_text=ORIGINAL, copy_url=site.url("/never"),
                    files={"copy_file": ("copy.txt", b"From the file.", "text/plain")})

    assert textarea_value(one(parse(shown), "#copy_text")) == "From the file."
    assert site.requests == []
