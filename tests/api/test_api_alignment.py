"""GET /api/v1/pairs/{id}/alignment: the copydesk.alignment/1 contract, served from the database."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.align import ENGINE_VERSION, align
from app.models import Pair

KINDS = {"verbatim", "edited", "paraphrased", "inserted", "omitted"}


def create(client: TestClient, body: dict[str, Any]) -> dict[str, Any]:
    response = client.post("/api/v1/pairs", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def assert_contract(document: dict[str, Any], original: str, copy: str) -> None:
    """The keys, spans and kinds that tools outside copydesk rely on."""
    assert document["format"] == "copydesk.alignment/1"
    for side, text in (("original", original), ("copy", copy)):
        assert document[side]["length"] == len(text)
        for start, end in document[side]["paragraphs"]:
            assert 0 <= start < end <= len(text)
            assert text[start:end].strip()
    assert document["blocks"]
    for block in document["blocks"]:
        assert block["kind"] in KINDS
        assert {"kind", "original", "copy", "score"} <= block.keys()
        for side, text in (("original", original), ("copy", copy)):
            if block[side] is not None:
                start, end = block[side]
                assert 0 <= start <= end <= len(text)
        assert (block["original"] is None) == (block["kind"] == "inserted")
        assert (block["copy"] is None) == (block["kind"] == "omitted")
        if block["kind"] in {"inserted", "omitted"}:
            assert block["score"] is None
        else:
            assert 0 <= block["score"] <= 1
    assert isinstance(document["changes"], list)
    for key in ("original_reused", "copy_derived"):
        assert 0 <= document["summary"][key] <= 1


def assert_copy_covered(document: dict[str, Any]) -> None:
    """Every copy paragraph lies inside the copy span of some block."""
    spans = [block["copy"] for block in document["blocks"] if block["copy"] is not None]
    for start, end in document["copy"]["paragraphs"]:
        assert any(s <= start and end <= e for s, e in spans), (start, end)


def test_the_alignment_is_the_engines_document_for_the_stored_texts(client: TestClient,
                                                                   body: dict) -> None:
    created = create(client, body)

    response = client.get(created["alignment_url"])

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == align(body["original"]["text"], body["copy"]["text"]).to_dict()


def test_the_alignment_honours_the_contract_on_crlf_texts(client: TestClient, body: dict) -> None:
    created = create(client, body)

    document = client.get(created["alignment_url"]).json()

    original, copy = body["original"]["text"], body["copy"]["text"]
    assert_contract(document, original, copy)
    assert_copy_covered(document)
    assert len(document["copy"]["paragraphs"]) == 3
    kinds = [block["kind"] for block in document["blocks"] if block.get("parent") is None]
    assert kinds.count("verbatim") == 1
    assert "inserted" in kinds


def test_offsets_index_the_texts_as_fetched_from_the_api(client: TestClient, body: dict) -> None:
    body["original"]["text"] = "Caf\u00e9 \U0001F600 owners met on Friday.\r\n\r\nThey agreed."
    body["copy"]["text"] = "Intro line.\r\n\r\nCaf\u00e9 \U0001F600 owners met on Friday.\r\n"
    created = create(client, body)

    pair = client.get(created["api_url"]).json()
    document = client.get(created["alignment_url"]).json()

    original, copy = pair["original"]["text"], pair["copy"]["text"]
    assert_contract(document, original, copy)
    assert_copy_covered(document)
    verbatim = [b for b in document["blocks"] if b["kind"] == "verbatim"]
    assert len(verbatim) == 1
    (os_, oe), (cs, ce) = verbatim[0]["original"], verbatim[0]["copy"]
    assert original[os_:oe] == copy[cs:ce] == "Caf\u00e9 \U0001F600 owners met on Friday."


def test_an_alignment_from_an_older_engine_is_recomputed_and_stored(client: TestClient,
                                                                   session: Session,
                                                                   body: dict) -> None:
    created = create(client, body)
    stored = session.get(Pair, created["id"]).alignment
    stored.engine_version = "0.0.0-old"
    stored.result = {**stored.result, "engine_version": "0.0.0-old", "blocks": []}
    session.commit()

    document = client.get(created["alignment_url"]).json()

    assert document["engine_version"] == ENGINE_VERSION
    assert document["blocks"]
    session.expire_all()
    stored = session.get(Pair, created["id"]).alignment
    assert stored.engine_version == ENGINE_VERSION
    assert stored.result == document


def test_a_stored_alignment_of_the_current_engine_is_served_as_stored(client: TestClient,
                                                                     session: Session,
                                                                     body: dict) -> None:
    created = create(client, body)
    stored = session.get(Pair, created["id"]).alignment
    marked = {**stored.result, "summary": {**stored.result["summary"], "original_reused": 0.125}}
    stored.result = marked
    session.commit()

    document = client.get(created["alignment_url"]).json()

    assert document["summary"]["original_reused"] == 0.125
