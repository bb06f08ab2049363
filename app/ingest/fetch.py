"""Fetching an article from a URL on the server, guarded against server-side request forgery:
public addresses only (checked on every redirect, connecting to the address checked), a time
limit, a size cap and an accepted content type."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from ipaddress import ip_address, ip_network

import httpx

from app.ingest.addresses import IPAddress, refusal
from app.ingest.extracted import Extracted, ExtractionError
from app.ingest.files import CONTENT_TYPES, extract_file, text_document
from app.ingest.html import html_document
from app.ingest.text import IngestError, human_size, validate_source_url
from app.ingest.word import DOCX_CONTENT_TYPE

ACCEPT = "text/html, application/xhtml+xml, text/plain;q=0.8, application/pdf;q=0.8, " \
         f"{DOCX_CONTENT_TYPE};q=0.8"
REDIRECTS = frozenset({301, 302, 303, 307, 308})


@dataclass(frozen=True, slots=True)
class FetchSettings:
    """The limits of one fetch. ``allowed_networks`` lists networks (CIDR) fetched from even
    though they are not public, a narrower door than ``allow_private`` (which opens every
    range): one intranet host, or the tests' local server as a redirect's first hop."""

    timeout: float = 10.0
    max_bytes: int = 5 * 1024 * 1024
    max_redirects: int = 5
    allow_private: bool = False
    user_agent: str = "Mozilla/5.0 (compatible; copydesk; article comparison)"
    allowed_networks: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _Response:
    """A final answer, read in full."""

    status: int
    content_type: str
    charset: str | None
    body: bytes


def fetch_url(url: str, *, settings: FetchSettings) -> Extracted:
    """The article at ``url``, fetched now; ExtractionError with a message for the user when the
    address is not public, the server fails or is slow, the answer is too large or not a page,
    text, PDF or Word document. Redirects are followed by hand so each hop's address is checked.

    >>> fetch_url("http://10.0.0.5/admin", settings=FetchSettings())
    Traceback (most recent call last):
    ...
    app.ingest.extracted.ExtractionError: The address 10.0.0.5 resolves to a private network (10.0.0.5), which copydesk does not fetch
    """
    start = _http_url(url)
    deadline = time.monotonic() + settings.timeout
    headers = {"User-Agent": settings.user_agent, "Accept": ACCEPT}
    with httpx.Client(trust_env=False, follow_redirects=False, headers=headers) as client:
        current = start
        for _ in range(settings.max_redirects + 1):
            with _guarded_request(client, current, settings, deadline) as response:
                location = response.headers.get("location") if response.status_code in REDIRECTS else None
                if location is None:
                    answer = _read(response, settings, deadline)
                    break
            current = _next_hop(current, location)
        else:
            raise ExtractionError(f"Too many redirects: the page moved more than {settings.max_redirects} times")
    extracted = _extract(answer, url=current, max_bytes=settings.max_bytes)
    return replace(extracted, url=start, final_url=current, http_status=answer.status,
                   fetched_at=datetime.now(UTC), content_type=answer.content_type)


def _http_url(url: str) -> str:
    try:
        checked = validate_source_url(url)
    except IngestError as exc:
        raise ExtractionError(exc.message.replace("The source URL", "The URL")) from None
    if checked is None:
        raise ExtractionError("The URL is empty")
    return checked


def _next_hop(current: str, location: str) -> str:
    """The absolute address a redirect points to, which must again be http(s)."""
    try:
        target = httpx.URL(current).join(location)
    except httpx.InvalidURL:
        raise ExtractionError("The page redirects to an address that is not valid") from None
    if target.scheme not in ("http", "https"):
        raise ExtractionError(f"The page redirects to a {target.scheme}: address; copydesk follows only "
                              "http and https")
    return str(target)


@contextmanager
def _guarded_request(client: httpx.Client, url: str, settings: FetchSettings,
                     deadline: float) -> Iterator[httpx.Response]:
    """A streamed GET of ``url`` sent to an address of its host that passed the check, with the
    original host in the Host header and TLS name, so a second DNS answer cannot swap it."""
    target = httpx.URL(url)
    address = _checked_address(target, settings)
    headers = {"Host": target.netloc.decode("ascii")}
    extensions = {"sni_hostname": target.host} if target.scheme == "https" else {}
    timeout = httpx.Timeout(max(deadline - time.monotonic(), 0.001))
    try:
        with client.stream("GET", target.copy_with(host=str(address)), headers=headers, extensions=extensions,
                           timeout=timeout) as response:
            yield response
    except httpx.TimeoutException:
        raise _too_slow(settings) from None
    except httpx.ConnectError:
        raise ExtractionError(f"copydesk could not connect to {target.host}") from None
    except httpx.HTTPError as exc:
        raise ExtractionError(f"Fetching {target.host} failed: {exc}") from None


def _checked_address(url: httpx.URL, settings: FetchSettings) -> IPAddress:
    """The first address the host resolves to, once every address it resolves to passed the
    check (one private answer among public ones is enough to refuse: DNS picks freely)."""
    addresses = _resolve(url)
    for address in addresses:
        reason = None if _allowed(address, settings) else refusal(address)
        if reason is not None:
            raise ExtractionError(f"The address {url.host} resolves to {reason} ({address}), "
                                  "which copydesk does not fetch")
    return addresses[0]


def _resolve(url: httpx.URL) -> list[IPAddress]:
    host = url.raw_host.decode("ascii")
    port = url.port or (443 if url.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise ExtractionError(f"The host name {url.host} could not be found") from None
    # getaddrinfo may append a scope (fe80::1%eth0) to link-local IPv6 answers.
    return list(dict.fromkeys(ip_address(str(info[4][0]).split("%")[0]) for info in infos))


def _allowed(address: IPAddress, settings: FetchSettings) -> bool:
    if settings.allow_private:
        return True
    networks = (ip_network(network) for network in settings.allowed_networks)
    return any(address.version == network.version and address in network for network in networks)


def _read(response: httpx.Response, settings: FetchSettings, deadline: float) -> _Response:
    """The body of a final answer, refused when it failed, has the wrong type or is too large."""
    if not response.is_success:
        phrase = f" ({response.reason_phrase})" if response.reason_phrase else ""
        raise ExtractionError(f"The server answered {response.status_code}{phrase}")
    content_type = response.headers.get("content-type", "")
    media_type = content_type.split(";")[0].strip().lower()
    if media_type not in CONTENT_TYPES:
        raise ExtractionError(f"The address serves {media_type or 'content of no stated type'}, not a web page, "
                              "text, PDF or Word document")
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > settings.max_bytes:
        raise _too_large(settings)
    return _Response(response.status_code, media_type, response.charset_encoding,
                     _body(response, settings, deadline))


def _body(response: httpx.Response, settings: FetchSettings, deadline: float) -> bytes:
    """The body, read while it stays under the size cap and the deadline (a server dripping
    bytes never trips the per-read timeout)."""
    chunks: list[bytes] = []
    size = 0
    try:
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > settings.max_bytes:
                raise _too_large(settings)
            if time.monotonic() > deadline:
                raise _too_slow(settings)
            chunks.append(chunk)
    except httpx.TimeoutException:
        raise _too_slow(settings) from None
    except httpx.HTTPError as exc:
        raise ExtractionError(f"The page could not be read to its end: {exc}") from None
    return b"".join(chunks)


def _too_large(settings: FetchSettings) -> ExtractionError:
    return ExtractionError(f"The page is larger than {human_size(settings.max_bytes)}", too_large=True)


def _too_slow(settings: FetchSettings) -> ExtractionError:
    return ExtractionError(f"The page took longer than {settings.timeout:g} s")


def _extract(answer: _Response, *, url: str, max_bytes: int) -> Extracted:
    fmt = CONTENT_TYPES[answer.content_type]
    if fmt == "html":
        return html_document(answer.body, name="The page", filename=None, content_type=answer.content_type,
                             url=url, charset=answer.charset)
    if fmt in ("txt", "md"):
        return text_document(answer.body, fmt=fmt, name="The page", filename=None,
                             content_type=answer.content_type, charset=answer.charset)
    return extract_file(answer.body, filename=None, content_type=answer.content_type, max_bytes=max_bytes)
