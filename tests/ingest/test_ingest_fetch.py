"""fetch_url against a local HTTP server: pages, redirects, the SSRF guard on every hop, and the
limits (time, size, content type), each failing with a message for the user.

The server listens on 127.0.0.1, which the guard refuses by default; tests that are not about the
guard turn ``allow_private`` on. The redirect tests open only 127.0.0.1/32 (``allowed_networks``)
so the first hop is reached and the redirect target is judged by the real check, which refuses it
before any connection is tried (so 10.0.0.5 or 169.254.169.254 are never contacted)."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler

import pytest

from app.config import Settings
from app.ingest import Extracted, ExtractionError, FetchSettings, fetch_url
from tests.ingest.conftest import (NEWS_PAGE, NEWS_PARAGRAPHS, Handler, LocalServer, docx_bytes, pdf_from_html,
                                  redirect, serve)

OPEN = FetchSettings(allow_private=True, timeout=5)
FIRST_HOP_ONLY = FetchSettings(allowed_networks=("127.0.0.1/32",), timeout=5)


def fetch(url: str, settings: FetchSettings = OPEN) -> Extracted:
    return fetch_url(url, settings=settings)


def refusal(url: str, settings: FetchSettings = OPEN) -> ExtractionError:
    with pytest.raises(ExtractionError) as caught:
        fetch(url, settings)
    return caught.value


# --- pages fetched -----------------------------------------------------------------------------


def test_a_page_is_fetched_and_its_article_extracted_with_the_evidence_kept(local_server: LocalServer) -> None:
    body = NEWS_PAGE.replace('<meta charset="utf-8">', "").replace("the mayor", "the mayor’s deputy").encode("cp1252")
    local_server.routes["/barrier"] = serve(200, body, content_type="text/html; charset=windows-1252")
    before = datetime.now(UTC)

    extracted = fetch(local_server.url("/barrier"))

    assert extracted.title == "Flood barrier opens after six years"
    assert "the mayor’s deputy" in extracted.text
    assert len(extracted.text.split("\n\n")) == len(NEWS_PARAGRAPHS)
    assert (extracted.format, extracted.encoding, extracted.encoding_detected) == ("html", "windows-1252", False)
    assert extracted.raw == body
    assert extracted.content_type == "text/html"
    assert extracted.url == extracted.final_url == local_server.url("/barrier")
    assert extracted.http_status == 200
    assert extracted.fetched_at is not None and before <= extracted.fetched_at <= datetime.now(UTC)
    assert local_server.requests == [("/barrier", f"127.0.0.1:{local_server.port}")]


def test_the_server_is_asked_for_the_host_by_name_while_the_connection_goes_to_the_checked_address(
        localhost_server: LocalServer) -> None:
    localhost_server.routes["/barrier"] = serve(200, NEWS_PAGE.encode("utf-8"))

    extracted = fetch(localhost_server.url("/barrier", host="localhost"))

    assert extracted.final_url == f"http://localhost:{localhost_server.port}/barrier"
    assert localhost_server.requests == [("/barrier", f"localhost:{localhost_server.port}")]


def test_a_redirect_chain_is_followed_and_the_final_address_kept(local_server: LocalServer) -> None:
    local_server.routes["/old"] = redirect(local_server.url("/moved"), 301)
    local_server.routes["/moved"] = redirect("/news/barrier?from=moved", 302)
    local_server.routes["/news/barrier?from=moved"] = serve(200, NEWS_PAGE.encode("utf-8"))

    extracted = fetch(local_server.url("/old"))

    assert extracted.url == local_server.url("/old")
    assert extracted.final_url == local_server.url("/news/barrier?from=moved")
    assert extracted.text.split("\n\n") == NEWS_PARAGRAPHS
    assert [path for path, _ in local_server.requests] == ["/old", "/moved", "/news/barrier?from=moved"]


def test_a_plain_text_page_is_kept_exactly_in_its_declared_charset(local_server: LocalServer) -> None:
    text = "Zoë’s notes\r\n\r\nThe barrier opened.\r\n"
    local_server.routes["/notes.txt"] = serve(200, text.encode("cp1252"), content_type="text/plain; charset=ISO-8859-1")

    extracted = fetch(local_server.url("/notes.txt"))

    assert (extracted.format, extracted.text, extracted.encoding) == ("txt", text, "windows-1252")
    assert not extracted.encoding_detected


def test_a_pdf_and_a_word_document_are_fetched_and_read(local_server: LocalServer) -> None:
    local_server.routes["/report.pdf"] = serve(200, pdf_from_html("<p>The barrier opened on Tuesday.</p>"),
                                               content_type="application/pdf")
    local_server.routes["/report.docx"] = serve(
        200, docx_bytes(lambda document: document.add_paragraph("It cost 41 million pounds.")),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")

    pdf = fetch(local_server.url("/report.pdf"))
    word = fetch(local_server.url("/report.docx"))

    assert (pdf.format, pdf.text, pdf.http_status) == ("pdf", "The barrier opened on Tuesday.", 200)
    assert (word.format, word.text) == ("docx", "It cost 41 million pounds.")
    assert word.content_type == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# --- the SSRF guard ----------------------------------------------------------------------------


def test_a_loopback_address_is_refused_by_default_without_being_contacted(local_server: LocalServer) -> None:
    local_server.routes["/barrier"] = serve(200, NEWS_PAGE.encode("utf-8"))

    error = refusal(local_server.url("/barrier"), FetchSettings())

    assert error.message == "The address 127.0.0.1 resolves to the loopback interface (127.0.0.1), " \
                            "which copydesk does not fetch"
    assert local_server.requests == []


@pytest.mark.parametrize(("target", "expected"), [
    ("http://127.0.0.2:{port}/barrier", "The address 127.0.0.2 resolves to the loopback interface (127.0.0.2)"),
    ("http://10.0.0.5/admin", "The address 10.0.0.5 resolves to a private network (10.0.0.5)"),
    ("http://169.254.169.254/latest/meta-data/", "resolves to a link-local network (169.254.169.254)"),
    ("http://[::1]:{port}/barrier", "The address ::1 resolves to the loopback interface (::1)"),
    ("http://[::ffff:192.168.0.1]/", "resolves to a private network (::ffff:c0a8:1)"),
    ("http://0.0.0.0:{port}/barrier", "resolves to an unspecified address (0.0.0.0)"),
])
def test_a_redirect_to_a_non_public_address_is_refused_before_connecting(
        local_server: LocalServer, target: str, expected: str) -> None:
    local_server.routes["/start"] = redirect(target.format(port=local_server.port))

    error = refusal(local_server.url("/start"), FIRST_HOP_ONLY)

    assert expected in error.message
    assert error.message.endswith("which copydesk does not fetch")
    assert local_server.requests == [("/start", f"127.0.0.1:{local_server.port}")]


def test_allow_private_follows_the_same_redirect_to_a_loopback_address(local_server: LocalServer) -> None:
    local_server.routes["/start"] = redirect(f"http://127.0.0.1:{local_server.port}/barrier")
    local_server.routes["/barrier"] = serve(200, NEWS_PAGE.encode("utf-8"))

    assert fetch(local_server.url("/start")).final_url == local_server.url("/barrier")


@pytest.mark.parametrize("location", ["file:///etc/passwd", "ftp://files.example/a.txt"])
def test_a_redirect_to_another_scheme_is_refused(local_server: LocalServer, location: str) -> None:
    local_server.routes["/start"] = redirect(location)

    assert "copydesk follows only http and https" in refusal(local_server.url("/start")).message


@pytest.mark.parametrize("url", ["ftp://files.example/a.txt", "file:///etc/passwd", "javascript:alert(1)"])
def test_only_http_and_https_urls_are_fetched(url: str) -> None:
    assert refusal(url).message == "The URL must start with http:// or https://"


def test_too_many_redirects_are_refused(local_server: LocalServer) -> None:
    local_server.routes["/loop"] = redirect("/loop", 307)

    error = refusal(local_server.url("/loop"), FetchSettings(allow_private=True, max_redirects=3, timeout=5))

    assert error.message == "Too many redirects: the page moved more than 3 times"
    assert len(local_server.requests) == 4


# --- answers that are not pages ----------------------------------------------------------------


@pytest.mark.parametrize(("status", "message"), [(404, "The server answered 404 (Not Found)"),
                                                 (500, "The server answered 500 (Internal Server Error)"),
                                                 (304, "The server answered 304 (Not Modified)")])
def test_an_unsuccessful_answer_is_refused_with_its_status(local_server: LocalServer, status: int,
                                                           message: str) -> None:
    local_server.routes["/gone"] = serve(status, b"" if status == 304 else b"<p>Sorry</p>")

    assert refusal(local_server.url("/gone")).message == message


@pytest.mark.parametrize(("content_type", "named"), [("image/png", "image/png"),
                                                     ("application/json; charset=utf-8", "application/json"),
                                                     (None, "content of no stated type")])
def test_a_content_type_other_than_a_page_text_pdf_or_word_is_refused(
        local_server: LocalServer, content_type: str | None, named: str) -> None:
    local_server.routes["/thing"] = serve(200, b"{}", content_type=content_type)

    assert refusal(local_server.url("/thing")).message == \
        f"The address serves {named}, not a web page, text, PDF or Word document"


@pytest.mark.parametrize("length", [True, False], ids=["declared length", "streamed without a length"])
def test_a_page_over_the_size_cap_is_refused(local_server: LocalServer, length: bool) -> None:
    local_server.routes["/big"] = serve(200, NEWS_PAGE.encode("utf-8") * 10, length=length)

    error = refusal(local_server.url("/big"), FetchSettings(allow_private=True, max_bytes=2048, timeout=5))

    assert error.message == "The page is larger than 2 KB"
    assert error.too_large


def test_a_server_that_does_not_answer_in_time_is_given_up(local_server: LocalServer) -> None:
    local_server.routes["/slow"] = stalled(local_server.release)

    error = refusal(local_server.url("/slow"), FetchSettings(allow_private=True, timeout=0.3))

    assert error.message == "The page took longer than 0.3 s"
    assert not error.too_large


def test_a_server_dripping_bytes_is_given_up_at_the_overall_deadline(local_server: LocalServer) -> None:
    local_server.routes["/drip"] = dripping(local_server.release)

    error = refusal(local_server.url("/drip"), FetchSettings(allow_private=True, timeout=0.3))

    assert error.message == "The page took longer than 0.3 s"


def stalled(release: threading.Event) -> Handler:
    """A handler that answers only after the test ends (or 2 s)."""
    def handle(request: BaseHTTPRequestHandler) -> None:
        release.wait(2)
        serve(200, NEWS_PAGE.encode("utf-8"))(request)

    return handle


def dripping(release: threading.Event) -> Handler:
    """A handler sending a byte every 50 ms: no single read waits long, the whole takes seconds."""
    def handle(request: BaseHTTPRequestHandler) -> None:
        request.send_response(200)
        request.send_header("Content-Type", "text/html")
        request.send_header("Content-Length", "100")
        request.end_headers()
        deadline = time.monotonic() + 2
        for _ in range(100):
            if release.wait(0.05) or time.monotonic() > deadline:
                return
            request.wfile.write(b" ")
            request.wfile.flush()

    return handle


# --- the settings ------------------------------------------------------------------------------


def test_the_fetch_settings_come_from_the_app_settings() -> None:
    settings = Settings(fetch_timeout=2.5, fetch_max_bytes=1000, fetch_allow_private=True)

    assert settings.fetch_settings() == FetchSettings(timeout=2.5, max_bytes=1000, allow_private=True)


def test_the_fetch_defaults_refuse_private_addresses(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("COPYDESK_FETCH_TIMEOUT", "COPYDESK_FETCH_MAX_BYTES", "COPYDESK_FETCH_ALLOW_PRIVATE",
                 "COPYDESK_MAX_UPLOAD_BYTES"):
        monkeypatch.delenv(name, raising=False)

    settings = Settings()

    assert (settings.fetch_timeout, settings.fetch_max_bytes, settings.fetch_allow_private) == \
        (10.0, 5 * 1024 * 1024, False)
    assert settings.max_upload_bytes == 20 * 1024 * 1024
    assert settings.fetch_settings().max_redirects == 5


def test_allow_private_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COPYDESK_FETCH_ALLOW_PRIVATE", "true")

    assert Settings().fetch_settings().allow_private
