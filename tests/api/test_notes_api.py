"""The notes API: list, create, edit, delete notes and replies, set statuses; token and session
authentication with CSRF; version conflicts; validation and unknown ids."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from app.auth.csrf import HEADER
from app.auth.deps import SESSION_COOKIE
from app.auth.tokens import start_session
from app.models import User
from tests.api.conftest import COPY
from tests.api.reviewing import API, Desk, open_desk


@pytest.fixture
def desk(anon_client: TestClient, make_user: Callable[..., User], api_token: Callable[[str], str]) -> Desk:
    return open_desk(anon_client, make_user, api_token)


# --- creating and listing -----------------------------------------------------------------------


def test_a_created_note_comes_back_placed_with_its_thread_and_as_a_web_annotation(desk: Desk) -> None:
    response = desk.call("chloe", "POST", f"{API}/pairs/{desk.pair_id}/notes", json={
        "side": "copy", "start": COPY.index("45 million"), "end": COPY.index("45 million") + 10,
        "exact": "45 million", "label": "changed_fact", "body": "The original says 40.\r\nCheck."})

    assert response.status_code == 201, response.text
    note = response.json()
    assert response.headers["Location"] == f"{API}/notes/{note['id']}"
    assert (note["side"], note["anchor"], note["exact"], note["label"], note["status"], note["version"]) == \
        ("copy", "anchored", "45 million", "changed_fact", "open", 1)
    assert COPY[note["start"]:note["end"]] == "45 million"
    assert note["prefix"] == COPY[note["start"] - 32:note["start"]]
    assert note["suffix"] == COPY[note["end"]:note["end"] + 32]
    assert (note["body"], note["author"]) == ("The original says 40.\nCheck.", "chloe")
    assert (note["replies"], note["status_changes"]) == ([], [])
    annotation = note["annotation"]
    assert annotation["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert annotation["id"] == f"http://testserver{API}/notes/{note['id']}"
    assert annotation["target"]["source"] == f"http://testserver{API}/pairs/{desk.pair_id}/texts/copy"
    assert annotation["target"]["selector"] == [
        {"type": "TextQuoteSelector", "exact": "45 million", "prefix": note["prefix"], "suffix": note["suffix"]},
        {"type": "TextPositionSelector", "start": note["start"], "end": note["end"]}]
    assert desk.call("vic", "GET", response.headers["Location"]).json() == note


def test_the_list_holds_every_note_with_its_replies_and_status_history(desk: Desk) -> None:
    first = desk.add_note("chloe")
    second = desk.add_note("carl", "Ellen Voss", side="original", label="copied", body="Same quote.")
    desk.add_reply("ed", first["id"], "Confirmed with the minutes.")
    desk.call("ed", "PUT", f"{API}/notes/{first['id']}/status", json={"status": "confirmed"})

    listing = desk.call("vic", "GET", f"{API}/pairs/{desk.pair_id}/notes").json()

    assert (listing["total"], listing["orphaned"]) == (2, 0)
    notes = listing["items"]
    assert [n["id"] for n in notes] == [first["id"], second["id"]]
    assert [(r["author"], r["body"]) for r in notes[0]["replies"]] == [("ed", "Confirmed with the minutes.")]
    assert [(c["user"], c["old_status"], c["new_status"]) for c in notes[0]["status_changes"]] == \
        [("ed", "open", "confirmed")]
    assert (notes[0]["status"], notes[0]["version"]) == ("confirmed", 2)
    assert notes[1]["annotation"]["body"][1] == {"type": "TextualBody", "value": "copied", "purpose": "tagging"}


@pytest.mark.parametrize(("change", "field"), [
    ({"exact": "40 million"}, "exact"),
    ({"start": 10_000, "end": 10_001}, "start"),
    ({"body": "   "}, "body"),
    ({"body": "x" * 10_001}, "body"),
])
def test_an_invalid_note_gets_422_naming_the_field_and_nothing_is_stored(desk: Desk, change: dict,
                                                                         field: str) -> None:
    start = COPY.index("45 million")
    before = desk.snapshot()

    response = desk.call("chloe", "POST", f"{API}/pairs/{desk.pair_id}/notes", json={
        "side": "copy", "start": start, "end": start + 10, "exact": "45 million", "label": "other",
        "body": "Fine.", **change})

    assert response.status_code == 422, response.text
    assert [item["loc"] for item in response.json()["detail"]] == [["body", field]]
    assert desk.snapshot() == before


@pytest.mark.parametrize(("payload", "status"), [
    ({"side": "left", "start": 0, "end": 3, "label": "other", "body": "x"}, 422),
    ({"side": "copy", "start": "0", "end": 3, "label": "other", "body": "x"}, 422),
    ({"side": "copy", "start": 0, "end": 3, "label": "typo", "body": "x"}, 422),
    ({"side": "copy", "start": 0, "end": 3, "label": "other", "body": "x", "colour": "red"}, 422),
    ([], 400),
])
def test_malformed_note_bodies_are_refused_before_anything_is_stored(desk: Desk, payload: object,
                                                                     status: int) -> None:
    before = desk.snapshot()

    response = desk.call("chloe", "POST", f"{API}/pairs/{desk.pair_id}/notes", json=payload)

    assert response.status_code == status, response.text
    assert desk.snapshot() == before


def test_a_body_that_is_not_json_is_a_400(desk: Desk) -> None:
    response = desk.call("chloe", "POST", f"{API}/pairs/{desk.pair_id}/notes", content=b"{not json",
                         headers={"Content-Type": "application/json"})

    assert response.status_code == 400
    assert "not valid JSON" in response.json()["detail"]


@pytest.mark.parametrize(("method", "url"), [
    ("GET", "/pairs/999/notes"), ("POST", "/pairs/999/notes"), ("GET", "/notes/999"),
    ("PATCH", "/notes/999"), ("DELETE", "/notes/999"), ("PUT", "/notes/999/status"),
    ("POST", "/notes/999/replies"), ("PATCH", "/replies/999"), ("DELETE", "/replies/999"),
    ("GET", "/notes/abc"),
])
def test_unknown_ids_are_404(desk: Desk, method: str, url: str) -> None:
    bodies = {"POST": {"side": "copy", "start": 0, "end": 3, "label": "other", "body": "x"},
              "PATCH": {"version": 1, "body": "x"}, "PUT": {"status": "open"}}
    if url.endswith("replies"):
        bodies["POST"] = {"body": "x"}

    response = desk.call("ada", method, f"{API}{url}", json=bodies.get(method))

    assert response.status_code == 404, response.text
    assert "not found" in response.json()["detail"]


# --- editing, deleting, conflicts ---------------------------------------------------------------


def test_the_author_edits_a_note_and_gets_the_new_version(desk: Desk) -> None:
    note = desk.add_note("chloe")

    response = desk.call("chloe", "PATCH", f"{API}/notes/{note['id']}",
                         json={"version": 1, "body": "Was 40 million.", "label": "misquote"})

    assert response.status_code == 200, response.text
    assert {k: response.json()[k] for k in ("body", "label", "version")} == \
        {"body": "Was 40 million.", "label": "misquote", "version": 2}


def test_an_edit_from_a_stale_version_gets_409_with_the_current_note_and_overwrites_nothing(desk: Desk) -> None:
    note = desk.add_note("chloe")
    desk.call("chloe", "PATCH", f"{API}/notes/{note['id']}", json={"version": 1, "body": "Written in tab one."})
    before = desk.snapshot()

    response = desk.call("chloe", "PATCH", f"{API}/notes/{note['id']}",
                         json={"version": 1, "body": "Written in tab two, from the old page."})

    assert response.status_code == 409, response.text
    data = response.json()
    assert "changed this note in the meantime" in data["detail"]
    assert (data["current"]["body"], data["current"]["version"]) == ("Written in tab one.", 2)
    assert data["current"]["anchor"] == "anchored"
    assert desk.snapshot() == before


def test_a_status_change_from_a_stale_version_is_409_and_without_a_version_it_applies(desk: Desk) -> None:
    note = desk.add_note("chloe")
    desk.call("chloe", "PATCH", f"{API}/notes/{note['id']}", json={"version": 1, "body": "Edited."})

    stale = desk.call("carl", "PUT", f"{API}/notes/{note['id']}/status", json={"status": "dismissed", "version": 1})
    blind = desk.call("carl", "PUT", f"{API}/notes/{note['id']}/status", json={"status": "dismissed"})

    assert stale.status_code == 409
    assert stale.json()["current"]["status"] == "open"
    assert blind.status_code == 200
    assert (blind.json()["status"], blind.json()["version"]) == ("dismissed", 3)


def test_replies_are_added_edited_with_versions_and_deleted(desk: Desk) -> None:
    note = desk.add_note("chloe")
    reply = desk.add_reply("carl", note["id"], "I agree.")

    edited = desk.call("carl", "PATCH", f"{API}/replies/{reply['id']}", json={"version": 1, "body": "I agree: 40."})
    stale = desk.call("carl", "PATCH", f"{API}/replies/{reply['id']}", json={"version": 1, "body": "Lost edit."})
    deleted = desk.call("carl", "DELETE", f"{API}/replies/{reply['id']}")

    assert (edited.status_code, edited.json()["body"], edited.json()["version"]) == (200, "I agree: 40.", 2)
    assert (stale.status_code, stale.json()["current"]["body"]) == (409, "I agree: 40.")
    assert deleted.status_code == 204
    assert desk.notes()[0]["replies"] == []


def test_deleting_a_note_removes_it_and_its_thread(desk: Desk) -> None:
    note = desk.add_note("chloe")
    desk.add_reply("carl", note["id"])

    response = desk.call("chloe", "DELETE", f"{API}/notes/{note['id']}")

    assert response.status_code == 204
    assert desk.notes() == []
    assert desk.call("chloe", "GET", f"{API}/notes/{note['id']}").status_code == 404


# --- authentication and CSRF --------------------------------------------------------------------


def test_without_a_token_every_notes_route_is_401_with_a_bearer_challenge(desk: Desk) -> None:
    note = desk.add_note("chloe")
    before = desk.snapshot()

    for method, url in [("GET", f"/pairs/{desk.pair_id}/notes"), ("POST", f"/pairs/{desk.pair_id}/notes"),
                        ("PATCH", f"/notes/{note['id']}"), ("DELETE", f"/notes/{note['id']}"),
                        ("PUT", f"/notes/{note['id']}/status")]:
        response = desk.call(None, method, f"{API}{url}", json={"status": "dismissed"})
        assert response.status_code == 401, (method, url, response.text)
        assert response.headers["WWW-Authenticate"] == "Bearer"
    assert desk.snapshot() == before


def test_a_revoked_or_unknown_token_is_401(desk: Desk) -> None:
    desk.tokens["mallory"] = "cdk_not-a-real-token"

    response = desk.call("mallory", "GET", f"{API}/pairs/{desk.pair_id}/notes")

    assert response.status_code == 401


def login_session(client: TestClient, user_id: int) -> str:
    """Give ``client`` the cookie of a new login session of the user; returns its CSRF token."""
    with client.app.state.sessionmaker() as session:  # type: ignore[attr-defined]
        cookie, row = start_session(session, session.get(User, user_id))
        session.commit()
        client.cookies.set(SESSION_COOKIE, cookie)
        return row.csrf_token


def test_a_browser_session_without_the_csrf_header_is_refused_and_nothing_is_stored(
        desk: Desk, make_user: Callable[..., User]) -> None:
    browser = TestClient(desk.client.app)
    csrf = login_session(browser, make_user("cleo", "checker").id)
    start = COPY.index("45 million")
    payload = {"side": "copy", "start": start, "end": start + 10, "label": "other", "body": "From a browser."}
    before = desk.snapshot()

    forged = browser.post(f"{API}/pairs/{desk.pair_id}/notes", json=payload)
    wrong = browser.post(f"{API}/pairs/{desk.pair_id}/notes", json=payload, headers={HEADER: "guess"})
    read = browser.get(f"{API}/pairs/{desk.pair_id}/notes")

    assert forged.status_code == wrong.status_code == 403
    assert "CSRF" in forged.json()["detail"]
    assert read.status_code == 200
    assert desk.snapshot() == before
    allowed = browser.post(f"{API}/pairs/{desk.pair_id}/notes", json=payload, headers={HEADER: csrf})
    assert allowed.status_code == 201, allowed.text
    assert allowed.json()["author"] == "cleo"


def test_every_state_changing_notes_route_checks_csrf_for_sessions(desk: Desk, make_user: Callable[..., User]) -> None:
    note = desk.add_note("chloe")
    reply = desk.add_reply("chloe", note["id"])
    browser = TestClient(desk.client.app)
    login_session(browser, make_user("root", "admin").id)
    before = desk.snapshot()

    for method, url, body in [
        ("PATCH", f"/notes/{note['id']}", {"version": 1, "body": "x"}),
        ("DELETE", f"/notes/{note['id']}", None),
        ("PUT", f"/notes/{note['id']}/status", {"status": "dismissed"}),
        ("POST", f"/notes/{note['id']}/replies", {"body": "x"}),
        ("PATCH", f"/replies/{reply['id']}", {"version": 1, "body": "x"}),
        ("DELETE", f"/replies/{reply['id']}", None),
    ]:
        response = browser.request(method, f"{API}{url}", json=body)
        assert response.status_code == 403, (method, url, response.text)
    assert desk.snapshot() == before
