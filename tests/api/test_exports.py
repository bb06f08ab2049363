"""The export routes of the API: the pair as JSON (a round trip back to what is stored), the notes
as a W3C Web Annotation collection (JSON-LD), the list of pairs as CSV (parsed back, formulas
neutralised); the token they need and the ids they refuse."""

from __future__ import annotations

import csv
import hashlib
import io
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from app.models import ArticleSource, User
from app.services.exports import CSV_COLUMNS
from app.services.pairs import ArticleInput, create_pair, get_pair
from tests.api.conftest import COPY, ORIGINAL

API = "/api/v1"
NOTE = "45 million"


def submit(client: TestClient, body: dict[str, Any]) -> int:
    """Store the pair ``body`` describes as the editor did, through the service (the exports do
    not depend on how a pair came in)."""
    with client.app.state.sessionmaker() as session:  # type: ignore[attr-defined]
        editor = session.scalars(select(User).where(User.username == "editor")).one()
        original, copy = (ArticleInput(body[side]["title"], body[side]["text"], body[side].get("source_url"))
                          for side in ("original", "copy"))
        pair = create_pair(session, original, copy, max_bytes=1 << 20, title=body["title"], user=editor)
        session.commit()
        return pair.id


def add_note(client: TestClient, pair_id: int, passage: str = NOTE, *, side: str = "copy",
             body: str = "Was 40.") -> dict[str, Any]:
    text = COPY if side == "copy" else ORIGINAL
    start = text.index(passage)
    response = client.post(f"{API}/pairs/{pair_id}/notes", json={
        "side": side, "start": start, "end": start + len(passage), "label": "changed_fact", "body": body})
    assert response.status_code == 201, response.text
    return response.json()


@pytest.fixture
def pair_id(client: TestClient, body: dict[str, Any]) -> int:
    """The API tests' pair, with a note that has a reply and a verdict."""
    pair = submit(client, body)
    note = add_note(client, pair)
    assert client.post(f"{API}/notes/{note['id']}/replies", json={"body": "Agreed."}).status_code == 201
    assert client.put(f"{API}/pairs/{pair}/verdict", json={"verdict": "in_review"}).status_code == 200
    return pair


# --- the pair as JSON --------------------------------------------------------------------------


def test_the_export_holds_the_texts_exactly_and_the_stored_alignment(client: TestClient, pair_id: int) -> None:
    response = client.get(f"{API}/pairs/{pair_id}/export")

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    document = response.json()
    assert document["format"] == "copydesk.pair-export/1"
    assert (document["original"]["text"], document["copy"]["text"]) == (ORIGINAL, COPY)
    for side, text in (("original", ORIGINAL), ("copy", COPY)):
        assert document[side]["sha256"] == hashlib.sha256(text.encode()).hexdigest()
        assert document[side]["length"] == len(text)
    assert document["alignment"] == client.get(f"{API}/pairs/{pair_id}/alignment").json()
    assert document["original"]["source_url"] == "https://example.com/news/terminal"
    assert (document["created_by"], document["verdict"]["value"], document["verdict"]["set_by"]) == \
        ("editor", "in_review", "editor")


def test_the_exported_notes_point_at_their_passage_in_the_exported_text(client: TestClient, pair_id: int) -> None:
    document = client.get(f"{API}/pairs/{pair_id}/export").json()

    [note] = document["notes"]
    anchor = note["anchor"]
    assert anchor["state"] == "anchored"
    assert document[note["side"]]["text"][anchor["start"]:anchor["end"]] == note["selector"]["exact"] == NOTE
    assert (note["body"], note["status"], note["author"]) == ("Was 40.", "open", "editor")
    assert [reply["body"] for reply in note["replies"]] == ["Agreed."]
    assert [entry["action"] for entry in document["activity"]] == ["created", "note_added", "reply_added", "verdict"]
    assert document["activity"][0]["text"] == "editor created the pair"


def test_the_export_describes_a_raw_source_without_its_bytes(client: TestClient, pair_id: int) -> None:
    raw = b"<html><body><p>The harbour board...</p></body></html>"
    with client.app.state.sessionmaker() as session:  # type: ignore[attr-defined]
        get_pair(session, pair_id).original.source = ArticleSource(
            kind="file", format="html", filename="terminal.html", content_type="text/html", encoding="utf-8",
            encoding_detected=False, raw=raw, size=len(raw), sha256=hashlib.sha256(raw).hexdigest())
        session.commit()

    document = client.get(f"{API}/pairs/{pair_id}/export").json()

    source = document["original"]["source"]
    assert (source["kind"], source["filename"], source["size"]) == ("file", "terminal.html", len(raw))
    assert source["sha256"] == hashlib.sha256(raw).hexdigest()
    assert source["raw_url"] == f"http://testserver{API}/pairs/{pair_id}/sources/original"
    assert "raw" not in source
    assert document["copy"]["source"] is None


# --- the notes as Web Annotations --------------------------------------------------------------


def test_the_annotations_are_a_json_ld_collection_of_the_pairs_notes(client: TestClient, pair_id: int) -> None:
    response = client.get(f"{API}/pairs/{pair_id}/annotations")

    assert response.status_code == 200
    assert response.headers["content-type"] == 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'
    collection = response.json()
    assert collection["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert collection["type"] == "AnnotationCollection"
    assert collection["id"] == f"http://testserver{API}/pairs/{pair_id}/annotations"
    assert collection["total"] == 1
    page = collection["first"]
    assert (page["type"], page["partOf"], page["startIndex"]) == ("AnnotationPage", collection["id"], 0)
    [annotation] = page["items"]
    assert annotation["type"] == "Annotation" and "@context" not in annotation
    assert annotation["body"][0] == {"type": "TextualBody", "value": "Was 40.", "format": "text/plain",
                                     "purpose": "commenting"}


def test_each_annotation_targets_its_passage_by_quote_and_by_position(client: TestClient, pair_id: int) -> None:
    [annotation] = client.get(f"{API}/pairs/{pair_id}/annotations").json()["first"]["items"]

    target = annotation["target"]
    assert target["source"] == f"http://testserver{API}/pairs/{pair_id}/texts/copy"
    selectors = {selector["type"]: selector for selector in target["selector"]}
    quote, position = selectors["TextQuoteSelector"], selectors["TextPositionSelector"]
    assert quote["exact"] == NOTE
    assert COPY.endswith(quote["suffix"], 0, COPY.index(NOTE) + len(NOTE) + len(quote["suffix"]))
    assert COPY[:COPY.index(NOTE)].endswith(quote["prefix"]) and quote["prefix"]
    assert COPY[position["start"]:position["end"]] == NOTE


def test_an_orphaned_note_keeps_its_quote_but_loses_its_position(client: TestClient, pair_id: int) -> None:
    corrected = COPY.replace("Building it will cost 45 million euros", "It costs a lot")
    response = client.put(f"{API}/pairs/{pair_id}/texts/copy", json={"text": corrected})
    assert response.status_code == 200, response.text

    [annotation] = client.get(f"{API}/pairs/{pair_id}/annotations").json()["first"]["items"]

    assert [selector["type"] for selector in annotation["target"]["selector"]] == ["TextQuoteSelector"]
    assert annotation["target"]["selector"][0]["exact"] == NOTE


def test_a_pair_without_notes_has_an_empty_collection(client: TestClient, body: dict[str, Any]) -> None:
    collection = client.get(f"{API}/pairs/{submit(client, body)}/annotations").json()

    assert (collection["total"], collection["first"]["items"]) == (0, [])


# --- the list of pairs as CSV ------------------------------------------------------------------


def read_csv(client: TestClient) -> list[dict[str, str]]:
    response = client.get(f"{API}/pairs.csv")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8; header=present"
    assert response.content.startswith("\ufeff".encode())
    reader = csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"), newline=""))
    assert tuple(reader.fieldnames or ()) == CSV_COLUMNS
    return list(reader)


def test_the_csv_has_a_line_per_pair_newest_first_with_its_figures(client: TestClient, pair_id: int,
                                                                   body: dict[str, Any]) -> None:
    body["title"] = "Second story"
    newer = submit(client, body)
    with client.app.state.sessionmaker() as session:  # type: ignore[attr-defined]
        pair = get_pair(session, pair_id)
        stored = pair.alignment
        assert stored is not None
        expected = (pair.created_at.strftime("%Y-%m-%dT%H:%M:%SZ"), f"{stored.original_reused:.4f}",
                    f"{stored.copy_derived:.4f}", str(len(stored.result["changes"])))

    rows = read_csv(client)

    assert [row["id"] for row in rows] == [str(newer), str(pair_id)]
    row = rows[1]
    assert (row["title"], row["verdict"], row["open_notes"]) == ("Terminal story", "in_review", "1")
    assert (row["original_title"], row["original_url"]) == ("Board approves terminal", "https://example.com/news/terminal")
    assert (row["copy_title"], row["copy_url"]) == ("Terminal approved", "")
    assert (row["created"], row["original_reused"], row["copy_derived"], row["changed_facts"]) == expected
    assert row["changed_facts"] != "0"
    assert rows[0]["open_notes"] == "0"


@pytest.mark.parametrize("title", ["=HYPERLINK(\"https://evil.example\",\"click\")", "+1+1", "-2+3", "@SUM(A1:A2)"])
def test_a_title_a_spreadsheet_would_run_as_a_formula_is_neutralised(client: TestClient, body: dict[str, Any],
                                                                      title: str) -> None:
    body["title"] = title
    body["copy"]["title"] = title
    submit(client, body)

    [row] = read_csv(client)

    assert (row["title"], row["copy_title"]) == (f"'{title}", f"'{title}")


def test_a_title_with_commas_quotes_and_line_breaks_survives_the_csv(client: TestClient, body: dict[str, Any]) -> None:
    body["title"] = 'Mayor: "No, never"; the ministry\'s reply, in full'
    submit(client, body)

    assert read_csv(client)[0]["title"] == 'Mayor: "No, never"; the ministry\'s reply, in full'


def test_the_csv_of_no_pairs_is_its_header(client: TestClient) -> None:
    assert read_csv(client) == []


# --- access ------------------------------------------------------------------------------------


def test_every_export_needs_an_api_token(anon_client: TestClient, client: TestClient, pair_id: int) -> None:
    for path in (f"{API}/pairs/{pair_id}/export", f"{API}/pairs/{pair_id}/annotations", f"{API}/pairs.csv"):
        response = anon_client.get(path)
        assert response.status_code == 401, path
        assert response.json()["detail"].startswith("Log in first"), path
        assert response.headers["www-authenticate"] == "Bearer", path


def test_a_viewer_may_export(anon_client: TestClient, pair_id: int, make_user: Any, api_token: Any) -> None:
    make_user("vic", "viewer")
    headers = {"Authorization": f"Bearer {api_token('vic')}"}

    for path in (f"{API}/pairs/{pair_id}/export", f"{API}/pairs/{pair_id}/annotations", f"{API}/pairs.csv"):
        assert anon_client.get(path, headers=headers).status_code == 200, path


@pytest.mark.parametrize("path", ["/pairs/999/export", "/pairs/999/annotations", "/pairs/abc/export",
                                  "/pairs/0/annotations"])
def test_an_unknown_pair_is_404(client: TestClient, path: str) -> None:
    response = client.get(f"{API}{path}")

    assert response.status_code == 404
    assert "not found" in response.json()["detail"]


def test_the_exports_are_documented_in_openapi(client: TestClient) -> None:
    paths = client.get(f"{API}/openapi.json").json()["paths"]

    for path, statuses in ((f"{API}/pairs/{{pair_id}}/export", {"200", "401", "404"}),
                           (f"{API}/pairs/{{pair_id}}/annotations", {"200", "401", "404"}),
                           (f"{API}/pairs.csv", {"200", "401"})):
        operation = paths[path]["get"]
        assert operation["summary"] and operation["description"], path
        assert set(operation["responses"]) == statuses, path
