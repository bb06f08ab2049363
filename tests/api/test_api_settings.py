"""PUT /api/v1/pairs/{id}/settings: change a pair's alignment settings; the alignment follows them."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.align import align
from app.models import Pair
from app.schemas import MIN_SIMILARITY
from app.services.pairs import MIN_SIMILARITY_RANGE, options_to_dict, reviewer_options


def create(client: TestClient, body: dict[str, Any]) -> dict[str, Any]:
    response = client.post("/api/v1/pairs", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def settings_url(created: dict[str, Any]) -> str:
    return f"{created['api_url']}/settings"


def stored_options(session: Session, pair_id: int) -> dict[str, Any]:
    session.expire_all()
    pair = session.get(Pair, pair_id)
    assert pair is not None and pair.alignment is not None
    return dict(pair.alignment.options)


def test_the_schema_and_the_service_accept_the_same_range() -> None:
    assert MIN_SIMILARITY == MIN_SIMILARITY_RANGE


def test_put_stores_the_settings_realigns_and_answers_with_the_new_figures(
        client: TestClient, session: Session, body: dict) -> None:
    created = create(client, body)

    response = client.put(settings_url(created), json={"min_similarity": 0.9, "quotes_copied": False})

    assert response.status_code == 200, response.text
    data = response.json()
    options = reviewer_options(min_similarity=0.9, quotes_copied=False)
    expected = align(body["original"]["text"], body["copy"]["text"], options=options)
    assert data["min_similarity"] == 0.9 and data["quotes_copied"] is False
    assert data["is_default"] is False
    assert data["alignment_url"] == created["alignment_url"]
    assert data["summary"]["copy_derived"] == expected.summary.copy_derived
    assert data["summary"]["original_reused"] == expected.summary.original_reused
    assert stored_options(session, created["id"]) == options_to_dict(options)


def test_the_alignment_document_is_then_the_one_made_with_the_settings(client: TestClient, body: dict) -> None:
    created = create(client, body)
    client.put(settings_url(created), json={"min_similarity": 0.9, "quotes_copied": True})

    document = client.get(created["alignment_url"]).json()
    pair = client.get(created["api_url"]).json()

    options = reviewer_options(min_similarity=0.9, quotes_copied=True)
    expected = align(body["original"]["text"], body["copy"]["text"], options=options)
    assert document == expected.to_dict()
    assert pair["summary"]["copy_derived"] == expected.summary.copy_derived


def test_sending_the_defaults_resets_the_pair(client: TestClient, session: Session, body: dict) -> None:
    created = create(client, body)
    client.put(settings_url(created), json={"min_similarity": 0.6, "quotes_copied": False})

    response = client.put(settings_url(created), json={"min_similarity": 0.3, "quotes_copied": True})

    assert response.status_code == 200
    assert response.json()["is_default"] is True
    assert stored_options(session, created["id"]) == {}
    assert client.get(created["alignment_url"]).json() == align(
        body["original"]["text"], body["copy"]["text"]).to_dict()


@pytest.mark.parametrize(("payload", "field"), [
    ({"min_similarity": 0.95, "quotes_copied": True}, "min_similarity"),
    ({"min_similarity": 0.05, "quotes_copied": True}, "min_similarity"),
    ({"min_similarity": "high", "quotes_copied": True}, "min_similarity"),
    ({"min_similarity": None, "quotes_copied": True}, "min_similarity"),
    ({"quotes_copied": True}, "min_similarity"),
    ({"min_similarity": 0.5, "quotes_copied": "maybe"}, "quotes_copied"),
    ({"min_similarity": 0.5, "quotes_copied": 1}, "quotes_copied"),
    ({"min_similarity": 0.5}, "quotes_copied"),
    ({"min_similarity": 0.5, "quotes_copied": True, "rescue_similarity": 0.1}, "rescue_similarity"),
])
def test_bad_values_are_a_422_naming_the_field_and_change_nothing(
        client: TestClient, session: Session, body: dict, payload: dict, field: str) -> None:
    created = create(client, body)
    before = client.get(created["alignment_url"]).json()

    response = client.put(settings_url(created), json=payload)

    assert response.status_code == 422, response.text
    problems = response.json()["detail"]
    assert [problem["loc"] for problem in problems] == [["body", field]]
    assert all(problem["msg"] for problem in problems)
    assert stored_options(session, created["id"]) == {}
    assert client.get(created["alignment_url"]).json() == before


def test_not_a_number_is_refused_too(client: TestClient, body: dict) -> None:
    created = create(client, body)

    response = client.put(settings_url(created), content=b'{"min_similarity": NaN, "quotes_copied": true}',
                          headers={"Content-Type": "application/json"})

    assert response.status_code in (400, 422)


@pytest.mark.parametrize("path", ["/api/v1/pairs/4242/settings", "/api/v1/pairs/abc/settings"])
def test_an_unknown_pair_is_a_404(client: TestClient, path: str) -> None:
    response = client.put(path, json={"min_similarity": 0.5, "quotes_copied": True})

    assert response.status_code == 404
    assert "not found" in response.json()["detail"]


def test_a_body_that_is_not_a_json_object_is_refused(client: TestClient, body: dict) -> None:
    url = settings_url(create(client, body))

    assert client.put(url, content=b"{", headers={"Content-Type": "application/json"}).status_code == 400
    assert client.put(url, json=[0.5, True]).status_code == 400
    assert client.put(url, content=b"min_similarity=0.5",
                      headers={"Content-Type": "application/x-www-form-urlencoded"}).status_code == 415


def test_openapi_documents_the_settings_body(client: TestClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()

    operation = spec["paths"]["/api/v1/pairs/{pair_id}/settings"]["put"]
    assert operation["requestBody"]["required"] is True
    schema = spec["components"]["schemas"]["SettingsIn"]
    assert set(schema["required"]) == {"min_similarity", "quotes_copied"}
    assert schema["additionalProperties"] is False
    assert (schema["properties"]["min_similarity"]["minimum"],
            schema["properties"]["min_similarity"]["maximum"]) == MIN_SIMILARITY
