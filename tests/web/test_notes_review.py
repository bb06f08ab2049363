"""The review around the notes: the row filter, orphaned notes after a text correction, the pair's
verdict, the activity log, the dashboard's counts, and which controls each role is offered (and
refused on the server)."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.services.pairs import get_pair
from tests.web import constructed
from tests.web.html import one, parse, text_of, textarea_value
from tests.web.test_notes import HX, MAYOR, RAIN, ClientAs, client_as, stored_notes, write_note  # noqa: F401 (client_as: a fixture)


ORIGINAL = "The council met on Tuesday.\n\nThe budget was approved after a long debate."
COPY = "The council met on Tuesday.\n\nThe budget passed after a short debate.\n\nA new line nobody wrote."


# --- the row filter -----------------------------------------------------------------------------


def test_the_open_notes_filter_shows_only_rows_with_open_notes(client: TestClient, constructed_pair: int) -> None:
    write_note(client, constructed_pair, RAIN)
    dismissed = write_note(client, constructed_pair, MAYOR)
    client.post(f"/pairs/{constructed_pair}/notes/{dismissed}/status", data={"status": "dismissed"})

    for response in (client.get(f"/pairs/{constructed_pair}?rows=open"),
                     client.get(f"/pairs/{constructed_pair}?rows=open", headers=HX)):
        soup = parse(response)
        assert [row["id"] for row in soup.select("#rows tr.row")] == ["block-4"]
        gaps = soup.select("#rows tr.gap.filtered")
        assert [text_of(gap) for gap in gaps] == ["3 rows without open notes hidden", "3 rows without open notes hidden"]
        assert gaps[0].a["href"] == f"/pairs/{constructed_pair}"
        current = one(soup, "#row-filter a[aria-current]")
        assert current["data-row-filter"] == "open" and current["hx-get"] == current["href"]
    assert "<html" in client.get(f"/pairs/{constructed_pair}?rows=open").text
    assert "<html" not in client.get(f"/pairs/{constructed_pair}?rows=open", headers=HX).text


def test_the_changed_facts_filter_shows_only_rows_with_changed_facts(client: TestClient, constructed_pair: int) -> None:
    soup = parse(client.get(f"/pairs/{constructed_pair}?rows=facts"))

    assert [row["id"] for row in soup.select("#rows tr.row")] == ["block-2", "block-6"]
    assert all("has-facts" in row["class"] for row in soup.select("#rows tr.row"))
    links = {a["data-row-filter"]: a["href"] for a in soup.select("#row-filter a")}
    assert links == {"all": f"/pairs/{constructed_pair}?rows=facts".split("?")[0],
                     "open": f"/pairs/{constructed_pair}?rows=open",
                     "facts": f"/pairs/{constructed_pair}?rows=facts"}


def test_a_filter_that_keeps_no_row_says_so(client: TestClient, constructed_pair: int) -> None:
    soup = parse(client.get(f"/pairs/{constructed_pair}?rows=open"))

    assert soup.select("#rows tr.row") == []
    assert text_of(one(soup, ".no-rows")) == "No row has open notes. Show all rows ."


def test_the_filter_stays_on_when_settings_are_saved_and_notes_written(client: TestClient, constructed_pair: int) -> None:
    soup = parse(client.get(f"/pairs/{constructed_pair}?rows=facts"))
    assert one(soup, "#settings-form input[name=rows]")["value"] == "facts"

    response = client.post(f"/pairs/{constructed_pair}/notes", data={
        "side": "copy", "start": str(constructed.C_MAYOR[0]), "end": str(constructed.C_MAYOR[0] + 9),
        "exact": "The mayor", "label": "other", "body": "x", "rows": "facts"}, follow_redirects=False)

    assert response.headers["location"].startswith(f"/pairs/{constructed_pair}?rows=facts#note-")


# --- orphaned notes and correcting a text --------------------------------------------------------


def test_a_note_whose_passage_is_corrected_away_is_listed_as_orphaned_not_placed(
        client: TestClient, store_pair: Callable[..., int], session: Session) -> None:
    pair_id = store_pair(ORIGINAL, COPY)
    orphan = write_note(client, pair_id, "A new line nobody wrote.", text=COPY, label="injected")
    kept = write_note(client, pair_id, "The budget passed", text=COPY)

    corrected = client.post(f"/pairs/{pair_id}/text/copy",
                            data={"text": COPY.replace("\n\nA new line nobody wrote.", "")}, follow_redirects=False)

    assert corrected.status_code == 303 and corrected.headers["location"] == f"/pairs/{pair_id}"
    soup = parse(client.get(f"/pairs/{pair_id}"))
    section = one(soup, "#unplaced-notes")
    assert text_of(one(section, "h2")) == "Orphaned notes (1)"
    assert [card["id"] for card in section.select("article.note-card")] == [f"note-{orphan}"]
    assert "A new line nobody wrote." in text_of(one(section, ".note-quote"))
    assert soup.select(f'mark[data-note="{orphan}"]') == []
    assert len(soup.select(f'#rows mark[data-note="{kept}"]')) == 1
    assert "corrected the text of the copy" in text_of(one(soup, "#activity"))


def test_actions_on_an_orphaned_note_swap_the_orphan_list(client: TestClient, store_pair: Callable[..., int]) -> None:
    pair_id = store_pair(ORIGINAL, COPY)
    orphan = write_note(client, pair_id, "A new line nobody wrote.", text=COPY)
    client.post(f"/pairs/{pair_id}/text/copy", data={"text": "The council met on Tuesday."})

    response = client.post(f"/pairs/{pair_id}/notes/{orphan}/replies", data={"body": "Gone now."}, headers=HX)

    assert response.status_code == 200 and response.headers["HX-Retarget"] == "#unplaced-notes"
    assert one(parse(response), f"#unplaced-notes #note-{orphan} .reply-body").get_text() == "Gone now."


def test_the_text_correction_page_holds_the_current_text_and_refuses_an_empty_one(
        client: TestClient, store_pair: Callable[..., int], session: Session) -> None:
    pair_id = store_pair(ORIGINAL, COPY)

    form = parse(client.get(f"/pairs/{pair_id}/text/copy"))
    refused = client.post(f"/pairs/{pair_id}/text/copy", data={"text": "   "})

    assert textarea_value(one(form, "textarea#corrected-text")).removeprefix("\n") == COPY
    assert refused.status_code == 422
    assert one(parse(refused), "textarea#corrected-text")["aria-invalid"] == "true"
    assert client.get(f"/pairs/{pair_id}/text/middle").status_code == 404
    session.expire_all()
    assert get_pair(session, pair_id).copy.text == COPY


def test_a_corrected_text_keeps_its_own_line_breaks(client: TestClient, store_pair: Callable[..., int],
                                                    session: Session) -> None:
    pair_id = store_pair(ORIGINAL, COPY)

    client.post(f"/pairs/{pair_id}/text/copy", data={"text": COPY.replace("\n", "\r\n").replace("short", "brief")})

    session.expire_all()
    assert get_pair(session, pair_id).copy.text == COPY.replace("short", "brief")


# --- the verdict and the activity log -----------------------------------------------------------


def test_an_editor_moves_the_verdict_and_the_page_says_who_and_when(client: TestClient, constructed_pair: int) -> None:
    started = client.post(f"/pairs/{constructed_pair}/verdict", data={"verdict": "in_review"}, follow_redirects=False)
    decided = client.post(f"/pairs/{constructed_pair}/verdict", data={"verdict": "confirmed_copy"}, headers=HX)

    assert started.status_code == 303 and started.headers["location"] == f"/pairs/{constructed_pair}#verdict"
    assert decided.status_code == 200
    soup = parse(decided)
    assert text_of(one(soup, "#verdict .verdict-name")) == "Confirmed copy"
    assert text_of(one(soup, "#verdict .verdict-by")).startswith("Set by editor, ")
    assert [b["value"] for b in soup.select("#verdict button")] == ["in_review"]
    assert one(soup, "#activity")["hx-swap-oob"] == "true"
    page = parse(client.get(f"/pairs/{constructed_pair}"))
    assert "verdict-confirmed_copy" in one(page, "#verdict")["class"]


def test_a_verdict_move_that_is_not_allowed_is_refused_next_to_the_buttons(client: TestClient, constructed_pair: int,
                                                                          session: Session) -> None:
    for headers in ({}, HX):
        response = client.post(f"/pairs/{constructed_pair}/verdict", data={"verdict": "not_a_copy"}, headers=headers)

        assert response.status_code == 422
        assert "can become in review" in text_of(one(parse(response), "#verdict .field-error"))
    session.expire_all()
    assert get_pair(session, constructed_pair).verdict == "new"


def test_the_activity_log_lists_what_happened_newest_first(client: TestClient, constructed_pair: int) -> None:
    note_id = write_note(client, constructed_pair, RAIN)
    client.post(f"/pairs/{constructed_pair}/notes/{note_id}/status", data={"status": "confirmed"})
    client.post(f"/pairs/{constructed_pair}/verdict", data={"verdict": "in_review"})

    entries = [text_of(li) for li in parse(client.get(f"/pairs/{constructed_pair}")).select("#activity li")]

    assert len(entries) >= 3
    assert "editor set the verdict to in review" in entries[0]
    assert "confirmed" in entries[1]
    assert "editor added a note" in entries[2]


def test_the_dashboard_shows_each_pairs_verdict_and_open_notes(client: TestClient, constructed_pair: int,
                                                               store_pair: Callable[..., int]) -> None:
    quiet = store_pair(ORIGINAL, COPY)
    write_note(client, constructed_pair, RAIN)
    write_note(client, constructed_pair, MAYOR)
    client.post(f"/pairs/{constructed_pair}/verdict", data={"verdict": "in_review"})

    soup = parse(client.get("/"))
    rows = {tr.select_one(".pair-title a")["href"]: tr for tr in soup.select("tr.pair-item")}

    busy = rows[f"/pairs/{constructed_pair}"]
    assert text_of(one(busy, ".pair-verdict")) == "In review"
    assert one(busy, ".open-notes a")["href"] == f"/pairs/{constructed_pair}?rows=open"
    assert text_of(one(busy, ".open-notes")) == "2"
    assert text_of(one(rows[f"/pairs/{quiet}"], ".open-notes")) == "0"
    assert text_of(one(rows[f"/pairs/{quiet}"], ".pair-verdict")) == "New"


# --- what each role is offered, and refused ------------------------------------------------------


def test_a_viewer_reads_notes_but_gets_no_note_controls(client: TestClient, client_as: ClientAs,
                                                       constructed_pair: int, session: Session) -> None:
    note_id = write_note(client, constructed_pair, RAIN)
    viewer = client_as("viewer")

    soup = parse(viewer.get(f"/pairs/{constructed_pair}"))

    assert one(soup, f"#note-{note_id} .note-body").get_text() == "Check this"
    assert soup.select("form.row-note, form.reply-form, form.note-status-form, details.note-edit") == []
    assert "data-new-note" not in one(soup, "#comparison").attrs
    assert soup.select("#verdict form") == []
    assert viewer.get(f"/pairs/{constructed_pair}/notes/new?side=copy&start=0&end=5").status_code == 403
    forged = viewer.post(f"/pairs/{constructed_pair}/notes", data={
        "side": "copy", "start": "0", "end": "7", "exact": "Closing", "label": "other", "body": "x"})
    assert forged.status_code == 403
    assert len(stored_notes(session)) == 1


def test_a_checker_sets_statuses_but_gets_no_verdict_delete_or_text_controls(
        client: TestClient, client_as: ClientAs, constructed_pair: int, session: Session) -> None:
    note_id = write_note(client, constructed_pair, RAIN)
    checker = client_as("checker")

    soup = parse(checker.get(f"/pairs/{constructed_pair}"))

    card = one(soup, f"#note-{note_id}")
    assert [b["value"] for b in card.select(".note-status-form button")] == ["confirmed", "dismissed"]
    assert card.select("details.note-edit, details.note-delete") == []  # not the author
    assert soup.select("form.row-note") != []
    assert soup.select('#verdict form, a[href$="/delete"], .source-correct') == []
    assert checker.post(f"/pairs/{constructed_pair}/verdict", data={"verdict": "in_review"}).status_code == 403
    assert checker.post(f"/pairs/{constructed_pair}/delete").status_code == 403
    assert checker.post(f"/pairs/{constructed_pair}/notes/{note_id}/delete").status_code == 403
    assert checker.post(f"/pairs/{constructed_pair}/notes/{note_id}/edit",
                        data={"version": "1", "body": "Not mine"}).status_code == 403
    assert checker.get(f"/pairs/{constructed_pair}/text/copy").status_code == 403
    assert checker.post(f"/pairs/{constructed_pair}/notes/{note_id}/status",
                        data={"status": "confirmed"}, follow_redirects=False).status_code == 303
    session.expire_all()
    assert get_pair(session, constructed_pair).verdict == "new"
    assert [(n.body, n.status) for n in stored_notes(session)] == [("Check this", "confirmed")]


def test_a_checker_edits_and_deletes_their_own_note(client_as: ClientAs, constructed_pair: int) -> None:
    checker = client_as("checker")
    note_id = write_note(checker, constructed_pair, RAIN)

    card = one(parse(checker.get(f"/pairs/{constructed_pair}")), f"#note-{note_id}")
    assert card.select("details.note-edit") and card.select("details.note-delete")
    assert checker.post(f"/pairs/{constructed_pair}/notes/{note_id}/delete",
                        follow_redirects=False).status_code == 303
