"""Web pages to article text with trafilatura: title and body, without navigation, share
buttons, comments or related-article lists."""

from __future__ import annotations

import re
from collections.abc import Iterator

import trafilatura
from lxml.etree import _Element

from app.ingest.decode import decode_text
from app.ingest.extracted import Extracted, ExtractionError, clean_title, join_paragraphs

# The <meta charset> / http-equiv prescan of the HTML standard, simplified: first 4 KB only.
META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
PRESCAN = 4096
DOCUMENT_START = re.compile(r"<(?:html|body)[\s>]", re.IGNORECASE)


def extract_html(html: str | bytes, *, url: str | None = None) -> Extracted:
    """The article in pasted HTML or a saved page; ``url`` helps trafilatura resolve the page.

    >>> page = "<html><head><title>Barrier opens</title></head><body><nav>Home | News</nav>"
    >>> page += "<article><p>The flood barrier opened on Tuesday after six years of work.</p>"
    >>> page += "<p>It cost 41 million pounds, twice the first estimate.</p></article></body></html>"
    >>> extracted = extract_html(page)
    >>> extracted.title, extracted.text
    ('Barrier opens', 'The flood barrier opened on Tuesday after six years of work.\\n\\nIt cost 41 million pounds, twice the first estimate.')
    """
    if isinstance(html, bytes):
        return html_document(html, name="The HTML", filename=None, content_type=None, url=url)
    return _extracted(html, html.encode("utf-8"), encoding="utf-8", detected=False, warnings=(),
                      name="The HTML", filename=None, content_type=None, url=url)


def html_document(data: bytes, *, name: str, filename: str | None, content_type: str | None,
                  url: str | None, charset: str | None = None) -> Extracted:
    """The article in a page's bytes, decoded by its byte-order mark, the HTTP ``charset``, its
    ``<meta charset>``, strict UTF-8 or a guess, in that order (as a browser does)."""
    decoded = decode_text(data, name=name, declared=charset or meta_charset(data))
    return _extracted(decoded.text, data, encoding=decoded.encoding, detected=decoded.detected,
                      warnings=decoded.warnings, name=name, filename=filename, content_type=content_type,
                      url=url)


def meta_charset(data: bytes) -> str | None:
    """The charset a page declares in its first 4 KB.

    >>> meta_charset(b'<head><meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">')
    'ISO-8859-1'
    """
    found = META_CHARSET.search(data[:PRESCAN])
    return found.group(1).decode("ascii") if found else None


def _extracted(html: str, raw: bytes, *, encoding: str, detected: bool, warnings: tuple[str, ...],
               name: str, filename: str | None, content_type: str | None, url: str | None) -> Extracted:
    document = trafilatura.bare_extraction(
        _as_document(html), url=url, favor_precision=True, include_comments=False, include_tables=True,
        include_images=False, include_links=False, with_metadata=True,
    )
    if document is None or document.body is None:
        raise ExtractionError(f"copydesk found no article text in {_lower(name)}")
    title = clean_title(document.title)
    text = join_paragraphs(_paragraphs(document.body), title=title)
    if not text:
        raise ExtractionError(f"copydesk found no article text in {_lower(name)}")
    return Extracted(text=text, title=title, format="html", encoding=encoding, encoding_detected=detected,
                     raw=raw, content_type=content_type, filename=filename, url=url, warnings=warnings)


def _as_document(html: str) -> str:
    """Pasted HTML is often a fragment (``<p>...</p>``); lxml parses a lone element as no
    document at all, so a fragment is wrapped in a body."""
    if DOCUMENT_START.search(html[:PRESCAN]):
        return html
    return f"<html><body>{html}</body></html>"


def _lower(name: str) -> str:
    return name[0].lower() + name[1:] if name.startswith("The ") else name


def _paragraphs(body: _Element) -> Iterator[str]:
    """One paragraph per heading, paragraph, quote, list item or table row of trafilatura's
    document (its XML: head, p, quote, list/item, table/row/cell)."""
    for element in body:
        if element.tag == "list":
            yield from (_inline(item) for item in element.findall("item"))
        elif element.tag == "table":
            for row in element.iter("row"):
                yield "\t".join(_inline(cell) for cell in row.findall("cell"))
        else:
            yield _inline(element)


def _inline(element: _Element) -> str:
    """An element's text, whitespace collapsed, with its line breaks (``<lb/>``) kept."""
    lines = "".join(_chunks(element)).split("\n")
    return "\n".join(" ".join(line.split()) for line in lines if line.strip())


def _chunks(element: _Element) -> Iterator[str]:
    yield "\n" if element.tag == "lb" else element.text or ""
    for child in element:
        yield from _chunks(child)
        yield child.tail or ""
