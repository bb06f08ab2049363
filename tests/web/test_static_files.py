"""Static files: the vendored htmx is the audited release, and the pages load it with its hash."""

from __future__ import annotations

import base64
import hashlib

from fastapi.testclient import TestClient

from app.align import Relation
from app.web.templating import HTMX_SHA384, STATIC_DIR
from tests.web.html import parse

# From ../shared/STACK.md: htmx.org 2.0.11, package/dist/htmx.min.js.
AUDITED_SHA384 = "2OatzQy1H+Zd/IIrjr1TcuDGqLXeHhbooAyJY1KdQMKnr4LZ22k31GBLdYKHmVjg"


def test_vendored_htmx_is_release_2_0_11_byte_for_byte() -> None:
    data = (STATIC_DIR / "vendor" / "htmx.min.js").read_bytes()

    assert len(data) == 52_182
    assert base64.b64encode(hashlib.sha384(data).digest()).decode() == AUDITED_SHA384 == HTMX_SHA384
    assert b'version:"2.0.11"' in data


def test_pages_load_htmx_with_subresource_integrity(client: TestClient) -> None:
    soup = parse(client.get("/"))

    script = soup.select_one('script[src^="/static/vendor/htmx.min.js"]')
    assert script is not None
    assert script["integrity"] == f"sha384-{AUDITED_SHA384}"
    assert client.get(str(script["src"])).content == (STATIC_DIR / "vendor" / "htmx.min.js").read_bytes()


def test_every_static_file_a_page_names_is_served(client: TestClient) -> None:
    soup = parse(client.get("/"))
    urls = [str(tag["src"]) for tag in soup.select("script[src]")] + [str(tag["href"]) for tag in soup.select("link[href]")]

    assert len(urls) == 5
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_stylesheet_styles_every_kind_of_row() -> None:
    css = (STATIC_DIR / "css" / "app.css").read_text(encoding="utf-8")

    for kind in Relation:
        assert f".rel-{kind.value}" in css
    assert "mark.injected" in css and "white-space: pre-wrap" in css
