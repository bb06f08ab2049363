"""The review API for a pair as a whole: verdict, activity log, its texts and correcting one, notes
placed again after re-alignment and correction, and the verdict and open notes in the pair list."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from app.models import User
from tests.api.conftest import COPY, ORIGINAL
from tests.api.reviewing import API, Desk, open_desk


@pytest.fixture
def desk(anon_client: TestClient, make_user: Callable[..., User], api_token: Callable[[str], str]) -> Desk:
    return open_desk(anon_client, make_user, api_token)


# --- verdict and activity -----------------------------------------------------------------------


def test_an_editor_moves_the_verdict_along_and_the_answer_says_what_may_come_next(desk: Desk) -> None:
    url = f"{API}/pairs/{desk.pair_id}/verdict"

    review = desk.call("ed", "PUT", url, json={"verdict": "in_review"})
    decided = desk.call("ada", "PUT", url, json={"verdict": "confirmed_copy"})

    assert review.status_code == 200, review.text
    assert review.json()["next"] == ["confirmed_copy", "not_a_copy"]
    data = decided.json()
    assert (data["verdict"], data["verdict_by"], data["next"]) == ("confirmed_copy", "ada", ["in_review"])
    assert data["verdict_at"].endswith("Z") or data["verdict_at"].endswith("+00:00")


def test_a_verdict_move_the_workflow_does_not_allow_is_422_and_changes_nothing(desk: Desk) -> None:
    before = desk.snapshot()

    skipped = desk.call("ed", "PUT", f"{API}/pairs/{desk.pair_id}/verdict", json={"verdict": "confirmed_copy"})
    unknown = desk.call("ed", "PUT", f"{API}/pairs/{desk.pair_id}/verdict", json={"verdict": "guilty"})

    assert skipped.status_code == unknown.status_code == 422
    assert skipped.json()["detail"][0]["loc"] == ["body", "verdict"]
    assert "can become in review, not confirmed copy" in skipped.json()["detail"][0]["msg"]
    assert desk.snapshot() == before


def test_the_activity_log_tells_who_did_what_newest_first(desk: Desk) -> None:
    note = desk.add_note("chloe")
    desk.call("carl", "PUT", f"{API}/notes/{note['id']}/status", json={"status": "confirmed"})
    desk.call("ed", "PUT", f"{API}/pairs/{desk.pair_id}/verdict", json={"verdict": "in_review"})
    desk.call("ed", "PUT", f"{API}/pairs/{desk.pair_id}/settings", json={"min_similarity": 0.5,
                                                                          "quotes_copied": True})

    items = desk.call("vic", "GET", f"{API}/pairs/{desk.pair_id}/activity").json()["items"]

    assert [(item["action"], item["user"]) for item in items] == [
        ("realigned", "ed"), ("verdict", "ed"), ("note_status", "carl"), ("note_added", "chloe"),
        ("created", "ed")]
    assert items[0]["text"] == "ed re-aligned the pair (new settings)"
    assert items[1]["text"] == "ed set the verdict to in review (was new)"
    assert items[2]["detail"]["note_id"] == note["id"]
    assert items[3]["text"] == "chloe added a note (changed fact) on “45 million” in the copy"


# --- texts and correcting them ------------------------------------------------------------------


def test_a_side_is_served_as_plain_text_exactly_as_stored(desk: Desk) -> None:
    response = desk.call("vic", "GET", f"{API}/pairs/{desk.pair_id}/texts/original")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    assert response.text == ORIGINAL
    assert desk.call("vic", "GET", f"{API}/pairs/{desk.pair_id}/texts/left").status_code == 404


def test_notes_keep_their_place_when_new_settings_re_align_the_pair(desk: Desk) -> None:
    notes = [desk.add_note("chloe"), desk.add_note("chloe", "40 million", side="original")]

    response = desk.call("ed", "PUT", f"{API}/pairs/{desk.pair_id}/settings",
                         json={"min_similarity": 0.8, "quotes_copied": False})

    assert response.status_code == 200, response.text
    assert [(n["anchor"], n["start"], n["end"]) for n in desk.notes()] == \
        [("anchored", n["start"], n["end"]) for n in notes]


def test_correcting_a_text_reports_the_new_alignment_and_the_notes_it_orphaned(desk: Desk) -> None:
    removed = desk.add_note("chloe", "45 million")
    moved = desk.add_note("chloe", "port news")
    lookalike = desk.add_note("chloe", "The harbour board", side="copy")
    corrected = ("Updated on Friday.\r\n\r\n"
                 + COPY.replace("The harbour board approved", "Officials approved")
                       .replace("45 million", "an unknown sum")
                 + "The harbour board will meet again in May.\r\n")

    response = desk.call("ed", "PUT", f"{API}/pairs/{desk.pair_id}/texts/copy", json={"text": corrected})

    assert response.status_code == 200, response.text
    data = response.json()
    assert (data["side"], data["length"], data["orphaned"]) == ("copy", len(corrected), 2)
    assert data["notes"] == {"anchored": 0, "reanchored": 1, "orphaned": 2}
    assert set(data["summary"]) == {"original_reused", "copy_derived", "counts", "engine_version"}
    placed = {n["id"]: n for n in desk.notes()}
    assert placed[removed["id"]]["anchor"] == "orphaned"
    assert (placed[removed["id"]]["start"], placed[removed["id"]]["end"]) == (None, None)
    assert placed[removed["id"]]["exact"] == "45 million"  # what it quoted, shown in the orphans list
    assert [s["type"] for s in placed[removed["id"]]["annotation"]["target"]["selector"]] == ["TextQuoteSelector"]
    assert placed[moved["id"]]["anchor"] == "reanchored"
    assert corrected[placed[moved["id"]]["start"]:placed[moved["id"]]["end"]] == "port news"
    # "The harbour board" is still in the text, but in another sentence: not the quoted passage.
    assert corrected.count("The harbour board") == 1
    assert placed[lookalike["id"]]["anchor"] == "orphaned"
    assert desk.call("vic", "GET", f"{API}/pairs/{desk.pair_id}/texts/copy").text == corrected
    log = desk.call("vic", "GET", f"{API}/pairs/{desk.pair_id}/activity").json()["items"]
    assert log[0]["text"] == "ed corrected the text of the copy and re-aligned the pair; 2 notes lost their passage"


@pytest.mark.parametrize(("text", "status"), [("  \r\n ", 422), ("NUL\x00", 422), ("\ud800", 422)])
def test_an_invalid_correction_is_refused_and_the_text_stays(desk: Desk, text: str, status: int) -> None:
    before = desk.snapshot()

    # Sent as JSON with \u escapes: a lone surrogate cannot be encoded as UTF-8 at all.
    response = desk.call("ed", "PUT", f"{API}/pairs/{desk.pair_id}/texts/copy", content=json.dumps({"text": text}),
                         headers={"Content-Type": "application/json"})

    assert response.status_code == status, response.text
    assert desk.snapshot() == before


def test_a_correction_over_the_size_limit_is_413(desk: Desk) -> None:
    limit = desk.client.app.state.settings.max_text_bytes  # type: ignore[attr-defined]
    before = desk.snapshot()

    response = desk.call("ed", "PUT", f"{API}/pairs/{desk.pair_id}/texts/original", json={"text": "é" * limit})

    assert response.status_code == 413, response.text
    assert desk.snapshot() == before


# --- the pair list ------------------------------------------------------------------------------


def test_the_pair_list_and_the_pair_show_the_verdict_and_the_open_notes(desk: Desk) -> None:
    first = desk.add_note("chloe")
    desk.add_note("chloe", "Ellen Voss")
    desk.add_note("carl", "40 million", side="original")
    desk.call("carl", "PUT", f"{API}/notes/{first['id']}/status", json={"status": "dismissed"})
    desk.call("ed", "PUT", f"{API}/pairs/{desk.pair_id}/verdict", json={"verdict": "in_review"})

    listed = desk.call("vic", "GET", f"{API}/pairs").json()["items"]
    fetched = desk.call("vic", "GET", f"{API}/pairs/{desk.pair_id}").json()

    assert [(p["id"], p["verdict"], p["open_notes"]) for p in listed] == [(desk.pair_id, "in_review", 2)]
    assert (fetched["verdict"], fetched["open_notes"]) == ("in_review", 2)
