"""Reading and deleting pairs through the HTTP stack: list pages, one pair, unknown ids, delete."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app
from app.models import User
from tests.api.conftest import bearer
from tests.conftest import ApiToken

Counts = Callable[[], dict[str, int]]


def create(client: TestClient, body: dict[str, Any], title: str) -> dict[str, Any]:
    response = client.post("/api/v1/pairs", json={**body, "title": title})
    assert response.status_code == 201, response.text
    return response.json()


# --- list -------------------------------------------------------------------------------------


def test_an_empty_database_lists_no_pairs(client: TestClient) -> None:
    response = client.get("/api/v1/pairs")

    assert response.status_code == 200
    assert response.json() == {"items": [], "page": 1, "page_size": 20, "total": 0, "pages": 0,
                               "next": None, "prev": None}


def test_pairs_are_listed_newest_first_with_their_summaries(client: TestClient, body: dict) -> None:
    first = create(client, body, "first")
    second = create(client, body, "second")

    items = client.get("/api/v1/pairs").json()["items"]

    assert [item["title"] for item in items] == ["second", "first"]
    assert items[0] == second
    assert items[1] == first


def test_pages_link_to_each_other_and_cover_every_pair_once(client: TestClient, body: dict) -> None:
    for n in range(5):
        create(client, body, f"pair {n}")

    first = client.get("/api/v1/pairs?page_size=2").json()
    second = client.get(first["next"]).json()
    third = client.get(second["next"]).json()

    assert (first["total"], first["pages"], first["page_size"]) == (5, 3, 2)
    assert [p["page"] for p in (first, second, third)] == [1, 2, 3]
    assert first["next"] == "/api/v1/pairs?page=2&page_size=2"
    assert first["prev"] is None
    assert second["prev"] == "/api/v1/pairs?page=1&page_size=2"
    assert third["next"] is None
    titles = [item["title"] for page in (first, second, third) for item in page["items"]]
    assert titles == ["pair 4", "pair 3", "pair 2", "pair 1", "pair 0"]


def test_a_page_past_the_end_is_empty_and_points_back_to_the_last_page(client: TestClient,
                                                                      body: dict) -> None:
    create(client, body, "only")

    response = client.get("/api/v1/pairs?page=9&page_size=5")

    assert response.status_code == 200
    data = response.json()
    assert data["items"] == []
    assert (data["total"], data["pages"], data["next"]) == (1, 1, None)
    assert data["prev"] == "/api/v1/pairs?page=1&page_size=5"


def test_listed_pairs_do_not_carry_their_texts(client: TestClient, body: dict) -> None:
    create(client, body, "one")

    item = client.get("/api/v1/pairs").json()["items"][0]

    assert "text" not in item["original"]
    assert "text" not in item["copy"]
    assert item["original"]["length"] == len(body["original"]["text"])


@pytest.mark.parametrize(("query", "loc"), [
    ("page=0", ["query", "page"]),
    ("page=-1", ["query", "page"]),
    ("page=two", ["query", "page"]),
    ("page=1.5", ["query", "page"]),
    ("page=99999999999", ["query", "page"]),
    ("page_size=0", ["query", "page_size"]),
    ("page_size=101", ["query", "page_size"]),
    ("page_size=", ["query", "page_size"]),
])
def test_a_page_out_of_bounds_is_refused_with_422(client: TestClient, query: str,
                                                  loc: list[str]) -> None:
    response = client.get(f"/api/v1/pairs?{query}")

    assert response.status_code == 422
    assert [error["loc"] for error in response.json()["detail"]] == [loc]


def test_the_largest_page_size_is_accepted(client: TestClient) -> None:
    response = client.get("/api/v1/pairs?page_size=100")

    assert response.status_code == 200
    assert response.json()["page_size"] == 100


def test_links_carry_the_prefix_the_app_is_served_under(settings: Settings, body: dict, editor: User,
                                                      api_token: ApiToken) -> None:
    app = create_app(settings)
    with TestClient(app, root_path="/copydesk", headers=bearer(api_token(editor.username))) as prefixed:
        created = prefixed.post("/copydesk/api/v1/pairs", json=body)
        prefixed.post("/copydesk/api/v1/pairs", json=body)
        page = prefixed.get("/copydesk/api/v1/pairs?page_size=1").json()
    app.state.engine.dispose()

    pair_id = created.json()["id"]
    assert created.headers["location"] == f"/copydesk/api/v1/pairs/{pair_id}"
    assert created.json()["url"] == f"/copydesk/pairs/{pair_id}"
    assert page["next"] == "/copydesk/api/v1/pairs?page=2&page_size=1"
    assert page["items"][0]["alignment_url"].startswith("/copydesk/api/v1/pairs/")


# --- one pair ---------------------------------------------------------------------------------


def test_a_pair_is_fetched_with_both_texts_exactly_as_submitted(client: TestClient,
                                                                body: dict) -> None:
    created = create(client, body, "one")

    response = client.get(f"/api/v1/pairs/{created['id']}")

    assert response.status_code == 200
    data = response.json()
    assert data["original"]["text"] == body["original"]["text"]
    assert data["copy"]["text"] == body["copy"]["text"]
    assert "\r\n" in data["copy"]["text"]
    assert data["summary"] == created["summary"]


def test_times_are_utc_and_the_same_when_created_and_when_read_back(client: TestClient,
                                                                   body: dict) -> None:
    created = create(client, body, "one")

    fetched = client.get(created["api_url"]).json()
    listed = client.get("/api/v1/pairs").json()["items"][0]

    for data in (fetched, listed):
        assert data["created_at"] == created["created_at"]
        assert data["original"]["created_at"] == created["original"]["created_at"]
    assert datetime.fromisoformat(created["created_at"]).utcoffset().total_seconds() == 0


@pytest.mark.parametrize("suffix", ["", "/alignment"])
@pytest.mark.parametrize("pair_id", ["999", "0", "-3", "abc", "1.5", "9" * 30])
def test_an_unknown_or_malformed_id_is_404_in_json(client: TestClient, body: dict, suffix: str,
                                                   pair_id: str) -> None:
    create(client, body, "the only pair")

    response = client.get(f"/api/v1/pairs/{pair_id}{suffix}")

    assert response.status_code == 404
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"detail": f"pair {pair_id} not found"}


def test_an_unknown_api_path_is_404_in_json(client: TestClient) -> None:
    response = client.get("/api/v1/nothing-here")

    assert response.status_code == 404
    assert response.headers["content-type"] == "application/json"
    assert "detail" in response.json()


# --- delete -----------------------------------------------------------------------------------


def test_a_deleted_pair_is_gone_with_its_articles_and_alignment(client: TestClient, body: dict,
                                                                 rows: Counts) -> None:
    kept = create(client, body, "kept")
    doomed = create(client, body, "doomed")

    response = client.delete(f"/api/v1/pairs/{doomed['id']}")

    assert response.status_code == 204
    assert response.content == b""
    assert client.get(doomed["api_url"]).status_code == 404
    assert client.get(doomed["alignment_url"]).status_code == 404
    assert client.get(kept["api_url"]).status_code == 200
    assert rows() == {"articles": 2, "pairs": 1, "alignments": 1}


@pytest.mark.parametrize("pair_id", ["999", "abc", "0"])
def test_deleting_an_unknown_pair_is_404_and_deletes_nothing(client: TestClient, body: dict,
                                                             rows: Counts, pair_id: str) -> None:
    create(client, body, "kept")

    response = client.delete(f"/api/v1/pairs/{pair_id}")

    assert response.status_code == 404
    assert response.json() == {"detail": f"pair {pair_id} not found"}
    assert rows() == {"articles": 2, "pairs": 1, "alignments": 1}


def test_deleting_a_pair_twice_is_404_the_second_time(client: TestClient, body: dict) -> None:
    created = create(client, body, "once")

    assert client.delete(created["api_url"]).status_code == 204
    assert client.delete(created["api_url"]).status_code == 404
