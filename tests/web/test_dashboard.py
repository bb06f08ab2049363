"""The dashboard /: every comparison newest first, or an empty state that says what to do."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.services.pairs import get_pair
from tests.web.conftest import MakeClient
from tests.web.html import one, parse, text_of


def test_empty_dashboard_says_what_to_do_and_links_to_the_form(client: TestClient) -> None:
    response = client.get("/")
    soup = parse(response)

    assert response.status_code == 200
    assert response.template.name == "pages/dashboard.html"  # type: ignore[attr-defined]
    empty = one(soup, ".empty-state")
    assert "No comparisons yet" in text_of(empty)
    assert one(empty, 'a[href="/pairs/new"]')
    assert soup.select("table.pair-list") == []


def test_header_names_the_app_and_links_to_the_form_the_api_docs_and_the_account(client: TestClient) -> None:
    nav = one(parse(client.get("/")), "header nav.site-nav")

    links = {text_of(a): a["href"] for a in nav.select("a")}
    assert links == {"copydesk": "/", "New comparison": "/pairs/new", "API docs": "/docs", "Account": "/account"}
    assert text_of(one(nav, ".who-name")) == "editor"
    assert one(nav, 'form[action="/logout"] button').get_text(strip=True) == "Log out"


def test_dashboard_lists_pairs_newest_first_with_date_figures_and_link(
        client: TestClient, session: Session, store_pair: Callable[..., int]) -> None:
    older = store_pair("Same words.", "Same words.", original_title="Older story")
    newer = store_pair("One paragraph.\n\nAnother one entirely.", "One paragraph.",
                       original_title="Newer story")
    get_pair(session, older).created_at = datetime(2026, 1, 2, 9, 30, tzinfo=UTC)
    get_pair(session, newer).created_at = datetime(2026, 1, 2, 9, 30, tzinfo=UTC) + timedelta(days=1)
    session.commit()

    soup = parse(client.get("/"))

    items = soup.select("table.pair-list tbody tr.pair-item")
    assert [text_of(one(item, ".pair-title a")) for item in items] == [
        "Newer story ↔ Copy", "Older story ↔ Copy"]
    assert one(items[0], ".pair-title a")["href"] == f"/pairs/{newer}"
    assert one(items[1], "time")["datetime"] == "2026-01-02T09:30:00Z"
    assert text_of(one(items[1], "time")) == "2026-01-02 09:30 UTC"
    assert text_of(one(items[1], ".original-reused")) == "100%"
    assert text_of(one(items[1], ".copy-derived")) == "100%"
    assert text_of(one(items[0], ".copy-derived")) == "100%"
    assert text_of(one(items[0], ".original-reused")) not in ("100%", "–")


def test_dashboard_pages_by_the_page_size_setting(make_client: MakeClient,
                                                   store_pair: Callable[..., int]) -> None:
    ids = [store_pair(f"Text number {n}.", f"Text number {n}.", original_title=f"Story {n}") for n in range(5)]
    paged = make_client(page_size=2)

    first, last = parse(paged.get("/")), parse(paged.get("/?page=3"))

    assert len(first.select("tr.pair-item")) == 2
    assert text_of(one(first, ".page-of")) == "Page 1 of 3 · 5 comparisons"
    assert one(first, 'a[rel="next"]')["href"] == "/?page=2"
    assert first.select('a[rel="prev"]') == []
    assert [a["href"] for a in last.select("tr.pair-item .pair-title a")] == [f"/pairs/{ids[0]}"]
    assert one(last, 'a[rel="prev"]')["href"] == "/?page=2"


def test_page_past_the_end_says_so(client: TestClient, store_pair: Callable[..., int]) -> None:
    store_pair("Text.", "Text.")

    response = client.get("/?page=7")

    assert response.status_code == 200
    assert "Page 7 is empty" in text_of(one(parse(response), ".empty-state"))


def test_page_number_below_one_is_an_html_422(client: TestClient) -> None:
    response = client.get("/?page=0")

    assert response.status_code == 422
    assert response.template.name == "pages/error.html"  # type: ignore[attr-defined]
