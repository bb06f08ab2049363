"""POST /api/v1/pairs/batch: each item stored or refused on its own, the outcome of each in order."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app
from app.models import User
from app.schemas import MAX_BATCH
from tests.api.conftest import COPY, ORIGINAL, Counts, bearer
from tests.conftest import ApiToken, MakeUser
from tests.ingest.conftest import NEWS_PAGE, LocalServer, png, serve

URL = "/api/v1/pairs/batch"
EMPTY = {"articles": 0, "pairs": 0, "alignments": 0}


def pair(copy: Any, title: str | None = None) -> dict[str, Any]:
    item: dict[str, Any] = {"original": {"text": ORIGINAL}, "copy": copy}
    if title is not None:
        item["title"] = title
    return item


@pytest.fixture
def fetching_client(db_path: Path, editor: User, api_token: ApiToken) -> Iterator[TestClient]:
    """The editor's script on an app that may fetch from private addresses (the local server)."""
    app = create_app(Settings(database_url=f"sqlite:///{db_path}", load_demo=False, create_admin=False,
                              fetch_allow_private=True))
    with TestClient(app, headers=bearer(api_token(editor.username))) as test_client:
        yield test_client
    app.state.engine.dispose()


def test_good_items_are_stored_and_bad_ones_reported_each_in_its_place(client: TestClient, rows: Counts) -> None:
    items = [
        pair({"text": COPY}, title="First"),
        pair({"text": "   "}),
        pair({"file_base64": base64.b64encode(png()).decode(), "filename": "photo.txt"}),
        "not a pair",
        pair({"html": NEWS_PAGE}, title="Fifth"),
    ]

    response = client.post(URL, json={"items": items})

    assert response.status_code == 200, response.text
    data = response.json()
    assert (data["created"], data["failed"]) == (2, 3)
    assert [item["index"] for item in data["items"]] == [0, 1, 2, 3, 4]
    assert [item["status"] for item in data["items"]] == [201, 422, 422, 422, 201]
    first, empty, photo, junk, fifth = data["items"]
    assert first["pair"]["title"] == "First" and first["errors"] == []
    assert fifth["pair"]["copy"]["source"]["kind"] == "html"
    assert empty["pair"] is None
    assert empty["errors"] == [{"loc": ["copy", "text"], "msg": "The copy text is empty", "type": "value_error"}]
    assert photo["errors"][0]["loc"] == ["copy", "file_base64"]
    assert "PNG image" in photo["errors"][0]["msg"]
    assert junk["errors"][0]["type"] == "model_type"
    assert rows() == {"articles": 4, "pairs": 2, "alignments": 2}
    assert client.get(first["pair"]["api_url"]).json()["copy"]["text"] == COPY


def test_an_item_with_schema_errors_names_its_fields_from_the_item(client: TestClient, rows: Counts) -> None:
    response = client.post(URL, json={"items": [{"original": {"text": ORIGINAL}, "copy": {"text": 42}},
                                                {"original": {"text": ORIGINAL}}]})

    wrong_type, missing = response.json()["items"]
    assert wrong_type["errors"] == [{"loc": ["copy", "text"], "msg": "Input should be a valid string",
                                     "type": "string_type"}]
    assert missing["errors"][0]["loc"] == ["copy"] and missing["errors"][0]["type"] == "missing"
    assert rows() == EMPTY


def test_an_item_over_the_size_limit_is_413_in_its_place(small_client: TestClient, small_rows: Counts) -> None:
    response = small_client.post(URL, json={"items": [pair({"text": "x" * 1001}), pair({"text": COPY[:500]})]})

    assert [item["status"] for item in response.json()["items"]] == [413, 201]
    assert small_rows()["pairs"] == 1


def test_pages_are_fetched_and_a_refused_address_fails_only_its_item(fetching_client: TestClient,
                                                                     site: LocalServer) -> None:
    site.routes["/news/barrier"] = serve(200, NEWS_PAGE.encode())

    response = fetching_client.post(URL, json={"items": [pair({"url": site.url("/news/barrier")}),
                                                         pair({"url": site.url("/gone")})]})

    stored, gone = response.json()["items"]
    assert stored["status"] == 201
    assert stored["pair"]["copy"]["source"]["final_url"] == site.url("/news/barrier")
    assert gone["status"] == 422 and gone["errors"][0]["loc"] == ["copy", "url"]
    assert "404" in gone["errors"][0]["msg"]


@pytest.mark.parametrize(("body", "loc"), [
    ({"items": []}, ["body", "items"]),
    ({"items": [pair({"text": COPY})] * (MAX_BATCH + 1)}, ["body", "items"]),
    ({"items": "a pair"}, ["body", "items"]),
    ({}, ["body", "items"]),
    ({"items": [pair({"text": COPY})], "extra": 1}, ["body", "extra"]),
], ids=["empty", "too-many", "not-a-list", "missing", "unknown-key"])
def test_a_batch_that_is_not_a_list_of_1_to_50_items_is_refused_whole(client: TestClient, rows: Counts,
                                                                      body: dict[str, Any], loc: list[str]) -> None:
    response = client.post(URL, json=body)

    assert response.status_code == 422
    assert [error["loc"] for error in response.json()["detail"]] == [loc]
    assert rows() == EMPTY


def test_a_batch_needs_a_token_and_the_manage_pairs_permission(
        anon_client: TestClient, make_user: MakeUser, api_token: ApiToken, rows: Counts) -> None:
    make_user("checker", "checker")
    body = {"items": [pair({"text": COPY})]}

    assert anon_client.post(URL, json=body).status_code == 401
    refused = anon_client.post(URL, json=body, headers=bearer(api_token("checker")))

    assert refused.status_code == 403
    assert rows() == EMPTY
