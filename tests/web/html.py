"""Reading responses as parsed HTML."""

from __future__ import annotations

import httpx2 as httpx
from bs4 import BeautifulSoup, Tag


def parse(response: httpx.Response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def one(soup: BeautifulSoup | Tag, selector: str) -> Tag:
    """The single element matching ``selector`` (fails loudly if there are none or several)."""
    found = soup.select(selector)
    assert len(found) == 1, f"{len(found)} elements match {selector!r}"
    return found[0]


def text_of(element: Tag) -> str:
    return " ".join(element.get_text(" ").split())


def cell_text(element: Tag) -> str:
    """The text a cell shows of the article itself: without the kind labels and the other side's
    wording that changed facts carry."""
    copy = BeautifulSoup(str(element), "html.parser")
    for extra in copy.select(".fact-kind, .fact-other"):
        extra.decompose()
    return copy.get_text()


def textarea_value(element: Tag) -> str:
    """What a browser shows in a textarea: HTML drops one line break right after the start tag."""
    return element.get_text().removeprefix("\n")
