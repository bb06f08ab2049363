"""Notes on the comparison page: writing one on a passage (plain form and htmx), where it shows
(the row's margin, a highlight in the text), replies, edits with version checks, deletion,
statuses, and what a user typed always shown as text."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from bs4 import BeautifulSoup, Tag
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.csrf import HEADER
from app.models import Note, NoteStatusChange, Reply, User
from tests.conftest import sign_in
from tests.web import constructed
from tests.web.html import one, parse, text_of
from tests.web.test_escaping import IMG, SCRIPT, injected_markup

HX = {"HX-Request": "true"}
MAYOR = "The mayor said on Tuesday"
RAIN = "rain soaked the northern region"

ClientAs = Callable[[str], TestClient]


def span_of(fragment: str, text: str = constructed.COPY) -> tuple[int, int]:
    start = text.index(fragment)
    return start, start + len(fragment)


def note_form(fragment: str, *, side: str = "copy", label: str = "misquote", body: str = "Check this",
              text: str = constructed.COPY, **extra: str) -> dict[str, str]:
    start, end = span_of(fragment, text)
    return {"side": side, "start": str(start), "end": str(end), "exact": fragment, "label": label,
            "body": body, **extra}


def write_note(client: TestClient, pair_id: int, fragment: str = MAYOR, **fields: str) -> int:
    response = client.post(f"/pairs/{pair_id}/notes", data=note_form(fragment, **fields), follow_redirects=False)
    assert response.status_code == 303, response.text
    return int(response.headers["location"].rsplit("#note-", 1)[1])


@pytest.fixture
def client_as(app: FastAPI, make_user: Callable[..., User]) -> Callable[[str], TestClient]:
    """``client_as("checker")``: another browser on the same app, logged in as a new account with
    that role (named after it)."""
    opened: list[TestClient] = []

    def make(role: str, name: str = "") -> TestClient:
        test_client = TestClient(app)
        test_client.__enter__()
        opened.append(test_client)
        sign_in(test_client, make_user(name or role, role))
        return test_client

    yield make  # type: ignore[misc]
    for test_client in opened:
        test_client.__exit__(None, None, None)


def article_text(element: Tag) -> str:
    """The article's own text in ``element``: what the page's script counts (no [data-extra])."""
    copy = BeautifulSoup(str(element), "html.parser")
    for extra in copy.select("[data-extra]"):
        extra.decompose()
    return copy.get_text()


def stored_notes(session: Session) -> list[Note]:
    session.expire_all()
    return list(session.scalars(select(Note).order_by(Note.id)))


# --- writing a note -----------------------------------------------------------------------------


def test_every_cell_says_where_its_text_starts_and_ends_in_its_article(client: TestClient, constructed_pair: int) -> None:
    soup = parse(client.get(f"/pairs/{constructed_pair}"))

    containers = soup.select("td.cell .text[data-start]")
    assert len(containers) == 12
    for container in containers:
        article = constructed.ORIGINAL if container["data-side"] == "original" else constructed.COPY
        assert article_text(container) == article[int(container["data-start"]):int(container["data-end"])]


def test_carriage_returns_reach_the_page_as_character_references_so_the_dom_keeps_them(
        client: TestClient, constructed_pair: int) -> None:
    response = client.get(f"/pairs/{constructed_pair}")

    assert "Alpha paragraph stays the same.&#13;\nIt has a second line." in response.text
    assert "same.\r\nIt" not in response.text


def test_a_note_written_through_the_plain_form_is_shown_in_its_rows_margin_and_highlighted(
        client: TestClient, constructed_pair: int, session: Session) -> None:
    note_id = write_note(client, constructed_pair, MAYOR, body="Tuesday?\nThe original says Monday.")

    page = client.get(f"/pairs/{constructed_pair}")
    row = one(parse(page), "#block-2")
    card = one(row, f"td.margin article#note-{note_id}")
    assert text_of(one(card, ".note-label")) == "Misquote"
    assert text_of(one(card, ".note-status")) == "Status: Open"
    assert text_of(one(card, ".note-author")) == "editor"
    assert one(card, ".note-body").get_text() == "Tuesday?\nThe original says Monday."
    highlight = one(row, f'td.cell-copy mark.note-mark[data-note="{note_id}"]')
    assert one(highlight, "a.note-ref")["href"] == f"#note-{note_id}"
    assert "Note 1" in text_of(one(highlight, "a.note-ref"))
    assert article_text(highlight) == MAYOR
    [note] = stored_notes(session)
    assert (note.side, note.exact, note.label, note.status) == ("copy", MAYOR, "misquote", "open")


def test_a_note_written_through_htmx_swaps_its_row_and_updates_the_activity_log(
        client: TestClient, constructed_pair: int) -> None:
    response = client.post(f"/pairs/{constructed_pair}/notes", data=note_form(RAIN, label="other"), headers=HX)

    assert response.status_code == 200
    assert response.headers["HX-Retarget"] == "#block-4"
    assert response.headers["HX-Reswap"] == "outerHTML"
    assert response.text.lstrip().startswith('<tr id="block-4"')
    assert "<html" not in response.text
    soup = parse(response)
    assert one(soup, "#block-4 td.margin article.note-card")["data-focus"] == ""
    activity = one(soup, "section#activity")
    assert activity["hx-swap-oob"] == "true"
    assert "editor added a note" in text_of(activity)
    assert one(soup, "nav#row-filter")["hx-swap-oob"] == "true"
    assert text_of(one(soup, 'a[data-row-filter="open"]')) == "Rows with open notes (1)"


def test_the_form_for_a_selection_quotes_it_and_comes_alone_to_htmx(client: TestClient, constructed_pair: int) -> None:
    start, end = span_of(RAIN)
    query = {"side": "copy", "start": start, "end": end, "exact": RAIN, "rows": "facts"}

    fragment = client.get(f"/pairs/{constructed_pair}/notes/new", params=query, headers=HX)
    page = client.get(f"/pairs/{constructed_pair}/notes/new", params=query)

    assert fragment.status_code == page.status_code == 200
    assert "<html" not in fragment.text and "<html" in page.text
    form = one(parse(fragment), "form.note-form")
    assert form["hx-post"] == form["action"] == f"/pairs/{constructed_pair}/notes"
    assert one(form, 'input[name="exact"]')["value"] == RAIN
    assert one(form, 'input[name="rows"]')["value"] == "facts"
    assert text_of(one(form, "blockquote q")) == RAIN
    assert one(parse(page), "label[for='new-note-copy-%d-label']" % start).get_text() == "Label"
    assert one(parse(page), "a[data-cancel-note]")["href"] == f"/pairs/{constructed_pair}?rows=facts#block-4"


def test_the_row_button_asks_for_the_whole_paragraph_without_javascript(client: TestClient, constructed_pair: int) -> None:
    soup = parse(client.get(f"/pairs/{constructed_pair}"))
    form = one(soup, "#block-4 form.row-note:has(input[name=side][value=copy])")
    fields = {field["name"]: field["value"] for field in form.select("input")}

    assert form["method"] == "get" and form["action"] == f"/pairs/{constructed_pair}/notes/new"
    assert (int(fields["start"]), int(fields["end"])) == constructed.C_RAIN
    page = client.get(form["action"], params=fields)
    assert one(parse(page), 'input[name="exact"]')["value"] == constructed.COPY[slice(*constructed.C_RAIN)]


def test_a_quote_differing_only_in_how_a_form_writes_line_breaks_is_accepted(
        client: TestClient, constructed_pair: int, session: Session) -> None:
    alpha = constructed.COPY[slice(*constructed.C_ALPHA)]
    assert "\r\n" in alpha

    write_note(client, constructed_pair, alpha, exact=alpha.replace("\r\n", "\n"))

    [note] = stored_notes(session)
    assert note.exact == alpha


def test_a_selection_that_is_not_the_stored_text_is_refused_and_nothing_is_stored(
        client: TestClient, constructed_pair: int, session: Session) -> None:
    start, end = span_of(RAIN)
    query = {"side": "copy", "start": start, "end": end, "exact": "rain fell"}

    shown = client.get(f"/pairs/{constructed_pair}/notes/new", params=query)
    posted = client.post(f"/pairs/{constructed_pair}/notes", data={**note_form(RAIN), "exact": "rain fell"})

    assert shown.status_code == posted.status_code == 422
    assert "not the stored text" in text_of(parse(posted))
    assert stored_notes(session) == []


def test_an_empty_note_comes_back_with_the_message_next_to_the_field(
        client: TestClient, constructed_pair: int, session: Session) -> None:
    for headers in ({}, HX):
        response = client.post(f"/pairs/{constructed_pair}/notes", data=note_form(RAIN, body="  \n "), headers=headers)

        assert response.status_code == 422
        soup = parse(response)
        textarea = one(soup, "form.note-form textarea[name=body]")
        assert textarea["aria-invalid"] == "true"
        assert "empty" in text_of(one(soup, f"#{textarea['aria-describedby']}"))
        assert one(soup, "form.note-form select[name=label] option[selected]")["value"] == "misquote"
    assert stored_notes(session) == []


def test_hostile_note_bodies_and_replies_are_shown_as_text(client: TestClient, constructed_pair: int) -> None:
    note_id = write_note(client, constructed_pair, RAIN, body=f"{SCRIPT}\n{IMG}")
    client.post(f"/pairs/{constructed_pair}/notes/{note_id}/replies", data={"body": f"Re: {IMG}"})

    for response in (client.get(f"/pairs/{constructed_pair}"),
                     client.get(f"/pairs/{constructed_pair}", headers=HX),
                     client.get(f"/pairs/{constructed_pair}/notes/{note_id}")):
        assert injected_markup(response.text) == []
        assert SCRIPT not in response.text and IMG not in response.text
        card = one(parse(response), f"#note-{note_id}")
        assert one(card, ".note-body").get_text() == f"{SCRIPT}\n{IMG}"
        assert one(card, ".reply-body").get_text() == f"Re: {IMG}"


def test_a_note_sent_without_the_csrf_token_is_refused(client: TestClient, constructed_pair: int, session: Session) -> None:
    del client.headers[HEADER]

    refused = client.post(f"/pairs/{constructed_pair}/notes", data=note_form(RAIN))

    assert refused.status_code == 403
    assert stored_notes(session) == []


# --- replies, edits, deletion, statuses ---------------------------------------------------------


def test_a_reply_joins_the_thread_as_a_plain_form_and_through_htmx(client: TestClient, constructed_pair: int) -> None:
    note_id = write_note(client, constructed_pair, RAIN)
    token = client.headers.pop(HEADER)

    plain = client.post(f"/pairs/{constructed_pair}/notes/{note_id}/replies",
                        data={"body": "First", "csrf_token": token}, follow_redirects=False)
    client.headers[HEADER] = token
    swapped = client.post(f"/pairs/{constructed_pair}/notes/{note_id}/replies", data={"body": "Second"}, headers=HX)

    assert plain.status_code == 303 and plain.headers["location"].startswith(f"/pairs/{constructed_pair}#reply-")
    assert swapped.status_code == 200 and swapped.headers["HX-Retarget"] == "#block-4"
    thread = one(parse(swapped), f"#note-{note_id} ol.replies")
    assert [r.get_text() for r in thread.select(".reply-body")] == ["First", "Second"]
    assert [text_of(r) for r in thread.select(".reply-author")] == ["editor", "editor"]


def test_an_empty_reply_is_refused_next_to_its_field(client: TestClient, constructed_pair: int, session: Session) -> None:
    note_id = write_note(client, constructed_pair, RAIN)

    for headers in ({}, HX):
        response = client.post(f"/pairs/{constructed_pair}/notes/{note_id}/replies", data={"body": ""}, headers=headers)

        assert response.status_code == 422
        field = one(parse(response), f"#note-{note_id}-reply")
        assert field["aria-invalid"] == "true"
    session.expire_all()
    assert session.scalars(select(Reply)).all() == []


def test_the_author_edits_a_note_with_the_version_they_saw(client: TestClient, constructed_pair: int,
                                                           session: Session) -> None:
    note_id = write_note(client, constructed_pair, RAIN)

    response = client.post(f"/pairs/{constructed_pair}/notes/{note_id}/edit",
                           data={"version": "1", "label": "copied", "body": "Copied, reworded."}, headers=HX)

    assert response.status_code == 200
    card = one(parse(response), f"#note-{note_id}")
    assert text_of(one(card, ".note-label")) == "Copied"
    assert one(card, ".note-body").get_text() == "Copied, reworded."
    assert one(card, "input[name=version]")["value"] == "2"
    [note] = stored_notes(session)
    assert (note.body, note.label, note.version) == ("Copied, reworded.", "copied", 2)


def test_an_edit_against_an_older_version_is_refused_and_names_who_changed_it(
        client: TestClient, client_as: ClientAs, constructed_pair: int, session: Session) -> None:
    note_id = write_note(client, constructed_pair, RAIN, body="Mine")
    admin = client_as("admin", "moderator")
    moved = admin.post(f"/pairs/{constructed_pair}/notes/{note_id}/edit",
                       data={"version": "1", "body": "Theirs"}, follow_redirects=False)
    assert moved.status_code == 303

    for headers in ({}, HX):
        response = client.post(f"/pairs/{constructed_pair}/notes/{note_id}/edit",
                               data={"version": "1", "body": "Mine, edited"}, headers=headers)

        assert response.status_code == 409
        card = one(parse(response), f"#note-{note_id}")
        assert "changed by moderator meanwhile" in text_of(one(card, ".conflict"))
        assert one(card, ".conflict .typed").get_text() == "Mine, edited"
        assert one(card, "details.note-edit")["open"] == ""
        assert one(card, "details.note-edit textarea").get_text() == "Theirs"
        assert one(card, "details.note-edit input[name=version]")["value"] == "2"
    [note] = stored_notes(session)
    assert (note.body, note.version) == ("Theirs", 2)


def test_deleting_a_note_removes_it_and_its_highlight(client: TestClient, constructed_pair: int) -> None:
    kept = write_note(client, constructed_pair, RAIN)
    dropped = write_note(client, constructed_pair, "Throughout the week")

    response = client.post(f"/pairs/{constructed_pair}/notes/{dropped}/delete", headers=HX)

    assert response.status_code == 200 and response.headers["HX-Retarget"] == "#block-4"
    row = one(parse(response), "#block-4")
    assert [card["id"] for card in row.select("article.note-card")] == [f"note-{kept}"]
    assert row.select(f'mark[data-note="{dropped}"]') == []
    assert "editor deleted a note" in text_of(one(parse(response), "#activity"))
    plain = client.post(f"/pairs/{constructed_pair}/notes/{kept}/delete", follow_redirects=False)
    assert plain.status_code == 303 and plain.headers["location"] == f"/pairs/{constructed_pair}#block-4"
    assert client.post(f"/pairs/{constructed_pair}/notes/{kept}/delete").status_code == 404


def test_the_delete_button_asks_first_without_javascript(client: TestClient, constructed_pair: int) -> None:
    note_id = write_note(client, constructed_pair, RAIN)

    card = one(parse(client.get(f"/pairs/{constructed_pair}")), f"#note-{note_id}")

    confirm = one(card, "details.note-delete")
    assert text_of(one(confirm, "summary")) == "Delete…"
    assert "cannot be undone" in text_of(one(confirm, "form"))
    assert one(confirm, "form")["action"] == f"/pairs/{constructed_pair}/notes/{note_id}/delete"


def test_a_status_change_is_recorded_and_shown(client: TestClient, constructed_pair: int, session: Session) -> None:
    note_id = write_note(client, constructed_pair, RAIN)

    swapped = client.post(f"/pairs/{constructed_pair}/notes/{note_id}/status", data={"status": "confirmed"}, headers=HX)
    plain = client.post(f"/pairs/{constructed_pair}/notes/{note_id}/status", data={"status": "dismissed"},
                        follow_redirects=False)

    assert swapped.status_code == 200
    card = one(parse(swapped), f"#note-{note_id}")
    assert "status-confirmed" in card["class"]
    assert [b["value"] for b in card.select(".note-status-form button")] == ["open", "dismissed"]
    assert plain.status_code == 303
    session.expire_all()
    changes = session.scalars(select(NoteStatusChange).order_by(NoteStatusChange.id)).all()
    assert [(c.old_status, c.new_status) for c in changes] == [("open", "confirmed"), ("confirmed", "dismissed")]
    history = one(parse(client.get(f"/pairs/{constructed_pair}")), f"#note-{note_id} details.note-history")
    assert "editor: open → confirmed" in text_of(history)


def test_an_unknown_status_is_refused(client: TestClient, constructed_pair: int, session: Session) -> None:
    note_id = write_note(client, constructed_pair, RAIN)

    response = client.post(f"/pairs/{constructed_pair}/notes/{note_id}/status", data={"status": "done"})

    assert response.status_code == 422
    assert [note.status for note in stored_notes(session)] == ["open"]


def test_a_note_of_another_pair_is_not_found_through_this_one(client: TestClient, constructed_pair: int,
                                                              store_pair: Callable[..., int]) -> None:
    note_id = write_note(client, constructed_pair, RAIN)
    other = store_pair("One paragraph.", "One paragraph.")

    assert client.post(f"/pairs/{other}/notes/{note_id}/status", data={"status": "dismissed"}).status_code == 404
    assert client.get(f"/pairs/{other}/notes/{note_id}").status_code == 404


def test_a_status_change_meanwhile_makes_an_edit_stale_and_names_who_set_it(
        client: TestClient, client_as: ClientAs, constructed_pair: int, session: Session) -> None:
    note_id = write_note(client, constructed_pair, RAIN, body="Mine")
    client_as("checker", "carol").post(f"/pairs/{constructed_pair}/notes/{note_id}/status", data={"status": "confirmed"})

    response = client.post(f"/pairs/{constructed_pair}/notes/{note_id}/edit", data={"version": "1", "body": "New"})

    assert response.status_code == 409
    assert "changed by carol meanwhile" in text_of(one(parse(response), f"#note-{note_id} .conflict"))
    assert [note.body for note in stored_notes(session)] == ["Mine"]


def test_replies_are_edited_with_their_version_and_deleted_by_their_author(
        client: TestClient, client_as: ClientAs, constructed_pair: int, session: Session) -> None:
    note_id = write_note(client, constructed_pair, RAIN)
    client.post(f"/pairs/{constructed_pair}/notes/{note_id}/replies", data={"body": "Frist"})
    session.expire_all()
    [reply] = session.scalars(select(Reply)).all()
    base = f"/pairs/{constructed_pair}/notes/{note_id}/replies/{reply.id}"

    fixed = client.post(f"{base}/edit", data={"version": "1", "body": "First"}, headers=HX)
    stale = client.post(f"{base}/edit", data={"version": "1", "body": "Fist"}, headers=HX)
    foreign = client_as("checker").post(f"{base}/delete")
    deleted = client.post(f"{base}/delete", follow_redirects=False)

    assert fixed.status_code == 200
    assert one(parse(fixed), f"#reply-{reply.id} .reply-body").get_text() == "First"
    assert stale.status_code == 409
    assert "changed by editor meanwhile" in text_of(one(parse(stale), f"#reply-{reply.id} .conflict"))
    assert one(parse(stale), f"#reply-{reply.id} details.reply-edit")["open"] == ""
    assert foreign.status_code == 403
    assert deleted.status_code == 303
    session.expire_all()
    assert session.scalars(select(Reply)).all() == []
