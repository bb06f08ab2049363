"""Whatever a user typed is shown as text, never run as markup: titles, texts, URLs, file names."""

from __future__ import annotations

from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from tests.web.html import one, parse, text_of
from tests.web.test_new_pair_form import submit

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
URL = 'https://evil.example/"onmouseover="alert(1)<script>alert(1)</script>'


def injected_markup(html: str) -> list[str]:
    """Elements or handlers in ``html`` that the app itself did not write."""
    soup = BeautifulSoup(html, "html.parser")
    found = [str(tag) for tag in soup.find_all(["script", "img"]) if not tag.get("src", "").startswith("/static/")]
    found += [str(tag) for tag in soup.find_all(attrs={"onerror": True})]
    found += [str(tag) for tag in soup.find_all(attrs={"onmouseover": True})]
    return found


def store_hostile_pair(client: TestClient) -> str:
    response = submit(client, original_title=f"Title {SCRIPT}", original_source_url=URL,
                      original_text=f"Paragraph with {SCRIPT} in it.\n\nAnd {IMG} here.",
                      copy_title=f"Copy {IMG}", copy_source_url="https://copy.example/a?x=1&y=<b>",
                      copy_text=f"Paragraph with {SCRIPT} in it.\n\nNew </textarea>{IMG} text.")
    assert response.status_code == 303
    return str(response.headers["location"])


def test_hostile_titles_texts_and_urls_are_escaped_on_the_comparison_page(client: TestClient) -> None:
    response = client.get(store_hostile_pair(client))
    soup = parse(response)

    assert injected_markup(response.text) == []
    assert SCRIPT not in response.text and IMG not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text
    assert text_of(one(soup, ".source-original .source-title")) == f"Title {SCRIPT}"
    assert one(soup, ".source-original .source-url a")["href"] == URL
    assert one(soup, ".source-copy .source-url a")["href"] == "https://copy.example/a?x=1&y=<b>"
    cells = [cell.get_text() for cell in soup.select("td.cell .text")]
    assert f"Paragraph with {SCRIPT} in it." in cells
    assert f"New </textarea>{IMG} text." in cells


def test_hostile_titles_are_escaped_on_the_dashboard_and_the_htmx_partial(client: TestClient) -> None:
    location = store_hostile_pair(client)

    for response in (client.get("/"), client.get(location, headers={"HX-Request": "true"}),
                     client.get(f"{location}/delete")):
        assert injected_markup(response.text) == [], response.url
        assert SCRIPT not in response.text and IMG not in response.text


def test_hostile_input_is_escaped_when_the_form_comes_back(client: TestClient) -> None:
    response = submit(client, original_title=SCRIPT, original_source_url=f"javascript:{IMG}",
                      original_text=f"</textarea>{SCRIPT}", copy_text="",
                      files={"copy_file": (f"{IMG}.txt", b"\xff\xfe\x00", "text/plain")})

    assert response.status_code == 422
    assert injected_markup(response.text) == []
    assert SCRIPT not in response.text and IMG not in response.text
    soup = parse(response)
    assert one(soup, "#original_title")["value"] == SCRIPT
    assert one(soup, "#original_text").get_text().removeprefix("\n") == f"</textarea>{SCRIPT}"
    assert IMG in text_of(one(soup, "#copy_file-error"))
