"""POST /api/v1/pairs through the HTTP stack: what is stored, and every way a submission is refused."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

URL = "/api/v1/pairs"
EMPTY = {"articles": 0, "pairs": 0, "alignments": 0}
Counts = Callable[[], dict[str, int]]


def post_raw(client: TestClient, content: bytes | Iterator[bytes],
             content_type: str | None = "application/json", **headers: str) -> Any:
    if content_type is not None:
        headers["content-type"] = content_type
    return client.post(URL, content=content, headers=headers)


def field_errors(response: Any) -> dict[tuple[str | int, ...], dict[str, Any]]:
    detail = response.json()["detail"]
    assert isinstance(detail, list), detail
    return {tuple(item["loc"]): item for item in detail}


# --- success ----------------------------------------------------------------------------------


def test_a_pair_is_created_with_201_a_location_and_links(client: TestClient, body: dict,
                                                          rows: Counts) -> None:
    response = client.post(URL, json=body)

    assert response.status_code == 201
    data = response.json()
    pair_id = data["id"]
    assert response.headers["location"] == f"/api/v1/pairs/{pair_id}"
    assert data["url"] == f"/pairs/{pair_id}"
    assert data["api_url"] == f"/api/v1/pairs/{pair_id}"
    assert data["alignment_url"] == f"/api/v1/pairs/{pair_id}/alignment"
    assert data["title"] == "Terminal story"
    assert rows() == {"articles": 2, "pairs": 1, "alignments": 1}


def test_the_created_pair_describes_both_articles_without_their_texts(client: TestClient,
                                                                      body: dict) -> None:
    data = client.post(URL, json=body).json()

    for side in ("original", "copy"):
        article = data[side]
        text = body[side]["text"]
        assert article["title"] == body[side]["title"]
        assert article["length"] == len(text)
        assert article["sha256"] == hashlib.sha256(text.encode()).hexdigest()
        assert "text" not in article
        assert datetime.fromisoformat(article["created_at"]).tzinfo is not None
    assert data["original"]["source_url"] == "https://example.com/news/terminal"
    assert data["copy"]["source_url"] is None
    assert data["original"]["id"] != data["copy"]["id"]


def test_the_created_pair_carries_the_summary_of_its_alignment(client: TestClient,
                                                              body: dict) -> None:
    created = client.post(URL, json=body).json()
    summary = created["summary"]
    document = client.get(created["alignment_url"]).json()

    assert 0 < summary["original_reused"] <= 1
    assert 0 < summary["copy_derived"] <= 1
    assert summary["original_reused"] == document["summary"]["original_reused"]
    assert summary["copy_derived"] == document["summary"]["copy_derived"]
    rows_per_kind = Counter(b["kind"] for b in document["blocks"] if b.get("parent") is None)
    for kind in ("verbatim", "edited", "paraphrased", "inserted", "omitted"):
        assert summary["counts"].get(kind, 0) == rows_per_kind[kind]
    assert summary["engine_version"] == document["engine_version"]


def test_the_created_pair_reads_back_the_same_from_its_location(client: TestClient,
                                                               body: dict) -> None:
    created = client.post(URL, json=body)
    fetched = client.get(created.headers["location"]).json()

    for side in ("original", "copy"):
        fetched[side].pop("text")
    assert fetched == created.json()


def test_texts_keep_crlf_and_surrounding_whitespace_exactly(client: TestClient, body: dict) -> None:
    body["original"]["text"] = "  \r\nFirst paragraph.\r\n\r\nSecond paragraph.\r\n\r\n\t"
    body["copy"]["text"] = "\nFirst paragraph.\n\rSecond para\u00e9graph \U0001F600.\n"

    created = client.post(URL, json=body).json()
    fetched = client.get(created["api_url"]).json()

    assert fetched["original"]["text"] == body["original"]["text"]
    assert fetched["copy"]["text"] == body["copy"]["text"]
    assert fetched["copy"]["length"] == len(body["copy"]["text"])


def test_titles_default_to_the_first_line_of_each_text(client: TestClient, body: dict) -> None:
    del body["title"]
    del body["original"]["title"]
    body["copy"]["title"] = None
    body["original"]["text"] = "\r\n  Dockers walk out  \r\n\r\nThe strike began at dawn."
    body["copy"]["text"] = "Harbour strike\n\nThe strike began at dawn."

    data = client.post(URL, json=body).json()

    assert data["original"]["title"] == "Dockers walk out"
    assert data["copy"]["title"] == "Harbour strike"
    assert data["title"] == "Dockers walk out ↔ Harbour strike"


def test_a_source_url_is_trimmed_and_an_empty_one_is_none(client: TestClient, body: dict) -> None:
    body["original"]["source_url"] = "  http://example.org/a?b=1  "
    body["copy"]["source_url"] = ""

    data = client.post(URL, json=body).json()

    assert data["original"]["source_url"] == "http://example.org/a?b=1"
    assert data["copy"]["source_url"] is None


def test_a_text_of_exactly_the_size_limit_is_accepted(small_client: TestClient, body: dict) -> None:
    body["original"]["text"] = "\u00e9" * 500  # 1000 bytes of UTF-8, 500 characters

    response = small_client.post(URL, json=body)

    assert response.status_code == 201
    assert response.json()["original"]["length"] == 500


# --- the body is not a JSON object: 400 / 415 -------------------------------------------------


@pytest.mark.parametrize(("content", "message"), [
    (b'{"original": {"text": "a"}, ', "not valid JSON: Expecting property name enclosed in double "
                                      "quotes at line 1, column 29"),
    (b'{\n  "original": nope\n}', "not valid JSON: Expecting value at line 2, column 15"),
    (b"[1, 2]", "must be a JSON object, not an array"),
    (b'"original"', "must be a JSON object, not a string"),
    (b"42", "must be a JSON object, not a number"),
    (b"null", "must be a JSON object, not null"),
    (b"", "is empty"),
    (b"\xe9t\xe9", "not valid JSON: it is not UTF-8 text"),
], ids=["truncated", "bad-value", "array", "string", "number", "null", "empty", "latin-1"])
def test_a_body_that_is_not_a_json_object_is_refused_with_400_and_nothing_is_stored(
        client: TestClient, rows: Counts, content: bytes, message: str) -> None:
    response = post_raw(client, content)

    assert response.status_code == 400
    assert response.headers["content-type"] == "application/json"
    assert message in response.json()["detail"]
    assert rows() == EMPTY


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/x-www-form-urlencoded"])
def test_a_body_not_sent_as_json_is_refused_with_415(client: TestClient, body: dict, rows: Counts,
                                                     content_type: str | None) -> None:
    response = post_raw(client, json.dumps(body).encode(), content_type)

    assert response.status_code == 415
    assert "Content-Type: application/json" in response.json()["detail"]
    assert rows() == EMPTY


def test_a_json_subtype_content_type_is_accepted(client: TestClient, body: dict) -> None:
    response = post_raw(client, json.dumps(body).encode(), "application/vnd.copydesk+json; charset=utf-8")

    assert response.status_code == 201


# --- field errors: 422 ------------------------------------------------------------------------


def test_empty_original_text_is_refused_with_422_and_nothing_is_stored(
        client: TestClient, body: dict, rows: Counts) -> None:
    body["original"]["text"] = ""

    response = client.post(URL, json=body)

    assert response.status_code == 422
    errors = field_errors(response)
    assert list(errors) == [("body", "original", "text")]
    assert errors["body", "original", "text"]["msg"] == "The original text is empty"
    assert rows() == EMPTY


def test_empty_copy_text_is_refused_with_422_and_nothing_is_stored(
        client: TestClient, body: dict, rows: Counts) -> None:
    body["copy"]["text"] = ""

    response = client.post(URL, json=body)

    assert response.status_code == 422
    assert field_errors(response)["body", "copy", "text"]["msg"] == "The copy text is empty"
    assert rows() == EMPTY


@pytest.mark.parametrize("blank", [" ", "\r\n\r\n", "\t \u00a0\n"])
def test_whitespace_only_text_is_refused_with_422_and_nothing_is_stored(
        client: TestClient, body: dict, rows: Counts, blank: str) -> None:
    body["copy"]["text"] = blank

    response = client.post(URL, json=body)

    assert response.status_code == 422
    assert "empty" in field_errors(response)["body", "copy", "text"]["msg"]
    assert rows() == EMPTY


def test_both_sides_empty_are_both_reported(client: TestClient, body: dict, rows: Counts) -> None:
    body["original"]["text"] = body["copy"]["text"] = "  "

    response = client.post(URL, json=body)

    assert response.status_code == 422
    assert set(field_errors(response)) == {("body", "original", "text"), ("body", "copy", "text")}
    assert rows() == EMPTY


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "JAVASCRIPT:alert(document.cookie)", "ftp://example.com/a",
    "example.com/news", "http://", "https://exa mple.com/a", "data:text/html,<b>x</b>",
])
def test_a_source_url_that_is_not_http_is_refused_with_422_and_nothing_is_stored(
        client: TestClient, body: dict, rows: Counts, url: str) -> None:
    body["copy"]["source_url"] = url

    response = client.post(URL, json=body)

    assert response.status_code == 422
    errors = field_errors(response)
    assert list(errors) == [("body", "copy", "source_url")]
    assert "http" in errors["body", "copy", "source_url"]["msg"] or "spaces" in errors[
        "body", "copy", "source_url"]["msg"]
    assert rows() == EMPTY


def test_a_text_with_nul_characters_is_refused_with_422(client: TestClient, body: dict,
                                                        rows: Counts) -> None:
    body["original"]["text"] = "Looks like text\x00but is not."

    response = client.post(URL, json=body)

    assert response.status_code == 422
    assert "NUL" in field_errors(response)["body", "original", "text"]["msg"]
    assert rows() == EMPTY


def test_a_text_with_an_unpaired_surrogate_is_refused_with_422(client: TestClient,
                                                               rows: Counts) -> None:
    raw = b'{"original": {"text": "caf\\ud83d"}, "copy": {"text": "caf\\u00e9"}}'

    response = post_raw(client, raw)

    assert response.status_code == 422
    error = field_errors(response)["body", "original", "text"]
    assert error["type"] == "unicode_surrogate"
    assert "unpaired surrogate (U+D83D) at position 3" in error["msg"]
    assert rows() == EMPTY


@pytest.mark.parametrize(("change", "loc"), [
    (lambda b: b.pop("copy"), ("body", "copy")),
    (lambda b: b.pop("original"), ("body", "original")),
], ids=["no-copy", "no-original"])
def test_a_missing_key_is_refused_with_422_naming_it(client: TestClient, body: dict, rows: Counts,
                                                     change: Callable[[dict], object],
                                                     loc: tuple[str, ...]) -> None:
    change(body)

    response = client.post(URL, json=body)

    assert response.status_code == 422
    errors = field_errors(response)
    assert errors[loc]["type"] == "missing"
    assert "input" not in errors[loc]  # the texts are not echoed back
    assert rows() == EMPTY


@pytest.mark.parametrize("side", ["original", "copy"])
def test_a_side_without_text_html_url_or_file_is_refused_with_422_naming_the_choices(
        client: TestClient, body: dict, rows: Counts, side: str) -> None:
    del body[side]["text"]

    response = client.post(URL, json=body)

    assert response.status_code == 422
    error = field_errors(response)["body", side]
    assert error["type"] == "missing_source"
    assert error["msg"] == "Give the article as one of text, html, url or file_base64"
    assert rows() == EMPTY


@pytest.mark.parametrize(("change", "loc", "error_type"), [
    (lambda b: b["original"].update(text=42), ("body", "original", "text"), "string_type"),
    (lambda b: b["copy"].update(text=["a", "b"]), ("body", "copy", "text"), "string_type"),
    (lambda b: b.update(original="the text"), ("body", "original"), "model_attributes_type"),
    (lambda b: b.update(title=7), ("body", "title"), "string_type"),
    (lambda b: b["copy"].update(source_url=True), ("body", "copy", "source_url"), "string_type"),
], ids=["number-text", "list-text", "string-side", "number-title", "boolean-url"])
def test_a_value_of_the_wrong_type_is_refused_with_422(client: TestClient, body: dict,
                                                       rows: Counts,
                                                       change: Callable[[dict], object],
                                                       loc: tuple[str, ...], error_type: str) -> None:
    change(body)

    response = client.post(URL, json=body)

    assert response.status_code == 422
    assert field_errors(response)[loc]["type"] == error_type
    assert rows() == EMPTY


def test_an_unknown_key_is_refused_with_422_rather_than_ignored(client: TestClient, body: dict,
                                                                rows: Counts) -> None:
    body["copy"]["source"] = "https://example.com/copy"  # a typo for source_url

    response = client.post(URL, json=body)

    assert response.status_code == 422
    assert field_errors(response)["body", "copy", "source"]["type"] == "extra_forbidden"
    assert rows() == EMPTY


@pytest.mark.parametrize("where", ["pair", "original"])
def test_a_title_over_500_characters_is_refused_with_422(client: TestClient, body: dict,
                                                         rows: Counts, where: str) -> None:
    if where == "pair":
        body["title"] = "t" * 501
    else:
        body["original"]["title"] = "t" * 501

    response = client.post(URL, json=body)

    assert response.status_code == 422
    loc = ("body", "title") if where == "pair" else ("body", "original", "title")
    assert field_errors(response)[loc]["type"] == "string_too_long"
    assert rows() == EMPTY


# --- size limits: 413 -------------------------------------------------------------------------


def test_a_text_over_the_size_limit_is_refused_with_413_and_nothing_is_stored(
        small_client: TestClient, body: dict, small_rows: Counts) -> None:
    body["copy"]["text"] = "\u00e9" * 500 + "x"  # 1001 bytes, though only 501 characters

    response = small_client.post(URL, json=body)

    assert response.status_code == 413
    error = field_errors(response)["body", "copy", "text"]
    assert error["msg"] == "The copy text is 1001 bytes; the limit is 1000 bytes per text"
    assert small_rows() == EMPTY


def test_a_text_over_the_limit_and_an_empty_one_are_reported_together_with_413(
        small_client: TestClient, body: dict, small_rows: Counts) -> None:
    body["original"]["text"] = "x" * 1001
    body["copy"]["text"] = ""

    response = small_client.post(URL, json=body)

    assert response.status_code == 413
    assert set(field_errors(response)) == {("body", "original", "text"), ("body", "copy", "text")}
    assert small_rows() == EMPTY


def test_a_body_declared_far_over_the_limit_is_refused_with_413_before_it_is_read(
        small_client: TestClient, small_rows: Counts) -> None:
    # The body sent is tiny and not even JSON: only the declared length can cause this answer.
    response = post_raw(small_client, b"{", **{"content-length": str(50 * 1024 * 1024)})

    assert response.status_code == 413
    detail = response.json()["detail"]
    assert detail.startswith("The request body (50.00 MB) is over the limit of 67,536 bytes")
    assert "two sides of at most 1,000 bytes each" in detail
    assert small_rows() == EMPTY


def test_a_body_over_the_limit_is_refused_with_413_and_nothing_is_stored(
        small_client: TestClient, body: dict, small_rows: Counts) -> None:
    body["original"]["text"] = "x" * (2 * 1000 + 64 * 1024)

    response = small_client.post(URL, json=body)

    assert response.status_code == 413
    assert "over the limit of 67,536 bytes" in response.json()["detail"]
    assert small_rows() == EMPTY


def test_a_body_streamed_without_content_length_is_cut_off_at_the_limit(
        small_client: TestClient, small_rows: Counts) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"original": {"text": "'
        for _ in range(200):
            yield b"x" * 1024
        yield b'"}, "copy": {"text": "y"}}'

    response = post_raw(small_client, chunks())

    assert response.status_code == 413
    assert response.json()["detail"].startswith("The request body is over the limit of 67,536 bytes")
    assert small_rows() == EMPTY


def test_a_body_just_under_the_limit_reaches_validation(small_client: TestClient,
                                                       body: dict) -> None:
    body["original"]["text"] = "x" * 1000
    body["original"]["title"] = "t" * 400
    raw = json.dumps(body).encode()
    padding = 2 * 1000 + 64 * 1024 - len(raw)
    raw = raw[:-1] + b" " * padding + b"}"  # whitespace is valid JSON padding

    response = post_raw(small_client, raw)

    assert len(raw) == 2 * 1000 + 64 * 1024
    assert response.status_code == 201
