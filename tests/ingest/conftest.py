"""Inputs the ingest tests build themselves (Word files, PDFs, PNGs, web pages) and a local HTTP
server on 127.0.0.1 whose answers each test sets."""

from __future__ import annotations

import base64
import io
import socket
import struct
import threading
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import docx
import pytest
import weasyprint

Handler = Callable[[BaseHTTPRequestHandler], None]

# A saved news page: the article among navigation, share buttons, comments and related links.
NEWS_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Flood barrier opens | Marrowby Gazette</title>
<meta property="og:title" content="Flood barrier opens after six years">
<style>.share { color: red }</style><script>var tracking = "SCRIPT-TEXT";</script>
</head><body>
<header><nav class="site-nav"><ul><li><a href="/">Home</a></li><li><a href="/news">NAV-NEWS</a></li>
<li><a href="/sport">NAV-SPORT</a></li></ul></nav></header>
<main><article>
<h1>Flood barrier opens after six years</h1>
<div class="share-buttons"><a href="#">SHARE-FACEBOOK</a> <a href="#">SHARE-X</a> <button>SHARE-COPY-LINK</button></div>
<p>The Marrowby flood barrier opened on Tuesday after six years of work, the council said. It cost
41 million pounds, twice the first estimate.</p>
<h2>What changes for residents</h2>
<p>Residents of the lower town will no longer need sandbags each winter, according to Ruth Okafor,
the engineer in charge, who spoke at the opening.</p>
<p>"We did not think it would be finished this year," said the mayor. The barrier can hold back a
surge of 3.2 metres.</p>
</article>
<aside class="related-articles"><h3>Related articles</h3><ul>
<li><a href="/a">RELATED-COUNCIL-TAX rises again this spring</a></li>
<li><a href="/b">RELATED-RIVER levels fall across the valley</a></li></ul></aside>
<section id="comments" class="comments"><h3>Comments</h3>
<div class="comment"><p>COMMENT-BOB: great news for the town, finally, after all these years!</p></div>
</section></main>
<footer><p>FOOTER-COPYRIGHT 2025 Marrowby Gazette. All rights reserved.</p></footer>
</body></html>
"""
NEWS_PARAGRAPHS = [
    "The Marrowby flood barrier opened on Tuesday after six years of work, the council said. "
    "It cost 41 million pounds, twice the first estimate.",
    "What changes for residents",
    "Residents of the lower town will no longer need sandbags each winter, according to Ruth Okafor, "
    "the engineer in charge, who spoke at the opening.",
    '"We did not think it would be finished this year," said the mayor. The barrier can hold back a '
    "surge of 3.2 metres.",
]
NEWS_NOISE = ("NAV-NEWS", "NAV-SPORT", "SHARE-FACEBOOK", "SHARE-X", "SHARE-COPY-LINK", "RELATED-COUNCIL-TAX",
              "RELATED-RIVER", "COMMENT-BOB", "FOOTER-COPYRIGHT", "SCRIPT-TEXT", "color: red")


def png(width: int = 40, height: int = 20) -> bytes:
    """A valid grey PNG, written by hand (no imaging library needed)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def pdf_from_html(html: str) -> bytes:
    """A PDF with a text layer, rendered by WeasyPrint."""
    return weasyprint.HTML(string=html).write_pdf()


def scanned_pdf_page() -> str:
    """HTML for a page that holds only a picture: its PDF page has no text layer."""
    return f'<img src="data:image/png;base64,{base64.b64encode(png()).decode()}" style="width:10cm">'


def docx_bytes(build: Callable[[docx.document.Document], None]) -> bytes:
    """A .docx written with python-docx; ``build`` fills it."""
    document = docx.Document()
    build(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@dataclass
class LocalServer:
    """An HTTP server on 127.0.0.1 (or ::1): ``routes`` maps a path to a handler; ``requests``
    records (path, Host header) of every request; ``release`` ends slow handlers at teardown."""

    host: str
    port: int
    routes: dict[str, Handler] = field(default_factory=dict)
    requests: list[tuple[str, str]] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)

    def url(self, path: str, *, host: str | None = None) -> str:
        name = host or (f"[{self.host}]" if ":" in self.host else self.host)
        return f"http://{name}:{self.port}{path}"


def serve(status: int, body: bytes = b"", *, content_type: str | None = "text/html; charset=utf-8",
          headers: dict[str, str] | None = None, length: bool = True) -> Handler:
    """A handler answering ``status`` with ``body``; ``length=False`` leaves out Content-Length
    (the body then ends when the connection closes)."""
    def handle(request: BaseHTTPRequestHandler) -> None:
        request.send_response(status)
        if content_type is not None:
            request.send_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            request.send_header(name, value)
        if length:
            request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        request.wfile.write(body)

    return handle


def redirect(location: str, status: int = 302) -> Handler:
    return serve(status, content_type=None, headers={"Location": location})


def start_server(host: str) -> tuple[ThreadingHTTPServer, LocalServer]:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    state = LocalServer(host=host, port=0)

    class Server(ThreadingHTTPServer):
        address_family = family
        daemon_threads = True

    class RequestHandler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
            state.requests.append((self.path, self.headers.get("Host", "")))
            state.routes.get(self.path, serve(404, b"no such page"))(self)

        def log_message(self, message: str, *args: object) -> None:
            """Quiet: the tests assert on ``requests`` instead."""

    httpd = Server((host, 0), RequestHandler)
    state.port = httpd.server_address[1]
    return httpd, state


@pytest.fixture
def local_server() -> Iterator[LocalServer]:
    yield from running_server("127.0.0.1")


@pytest.fixture
def localhost_server() -> Iterator[LocalServer]:
    """A server on the address ``localhost`` resolves to first here (127.0.0.1 or ::1)."""
    first = socket.getaddrinfo("localhost", 80, type=socket.SOCK_STREAM)[0][4][0]
    yield from running_server(str(first))


def running_server(host: str) -> Iterator[LocalServer]:
    """A started ``start_server`` on ``host`` for the length of a fixture, then shut down."""
    httpd, state = start_server(host)
    # A short poll interval: shutdown() waits for one, 0.5 s by default, at every teardown.
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        state.release.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join()
