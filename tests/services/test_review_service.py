"""app.services.review on a real migrated SQLite file: notes, replies, statuses, verdict,
permissions, version conflicts, the activity log, placing notes and correcting a text."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.errors import Conflict, Forbidden, InvalidInput, TooLarge
from app.models import Activity, Article, Note, NoteStatusChange, Pair, Reply, User
from app.services import review
from app.services.pairs import ArticleInput, alignment_for, change_settings, create_pair

ORIGINAL = ("The council approved the harbour budget on Tuesday after a long debate.\r\n\r\n"
            "Mayor Ellen Voss said the vote lets the port hire forty inspectors by spring.\r\n\r\n"
            "Critics said forty was too few for a port of this size.\r\n")
COPY = ("The council approved the harbour budget on Tuesday after a long debate.\r\n\r\n"
        "Mayor Ellen Voss said the vote lets the port hire fifty inspectors by spring.\r\n\r\n"
        "Read more stories like this in our weekly newsletter.\r\n")
LIMIT = 10_000
Users = dict[str, User]


@pytest.fixture
def users(session: Session, make_user: Callable[..., User]) -> Users:
    """One account per role, plus a second checker, attached to ``session``."""
    made = {name: make_user(name, role) for name, role in [
        ("ada", "admin"), ("ed", "editor"), ("chloe", "checker"), ("carl", "checker"), ("vic", "viewer")]}
    return {name: session.get(User, user.id) for name, user in made.items()}  # type: ignore[misc]


@pytest.fixture
def pair(session: Session, users: Users) -> Pair:
    made = create_pair(session, ArticleInput("Original", ORIGINAL), ArticleInput("Copy", COPY),
                       max_bytes=LIMIT, user=users["ed"])
    session.commit()
    return made


def note_on(session: Session, pair: Pair, user: User, passage: str, *, side: str = "copy",
            occurrence: int = 0, label: str = "changed_fact", body: str = "Check this.") -> Note:
    text = review.side_text(pair, side)
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(passage, start + 1)
    return review.create_note(session, pair, user, side=side, start=start, end=start + len(passage),
                              label=label, body=body, exact=passage)


def count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def actions(session: Session, pair: Pair) -> list[str]:
    return [entry.action for entry in reversed(review.activity_for(session, pair))]


# --- creating notes -----------------------------------------------------------------------------


def test_a_note_stores_its_quote_with_context_and_offsets_and_is_logged(session: Session, pair: Pair,
                                                                        users: Users) -> None:
    note = note_on(session, pair, users["chloe"], "fifty", body="  The original says forty.\r\nSee para 2.\r\n ")
    session.commit()
    session.expire_all()

    stored = session.get(Note, note.id)
    assert stored is not None
    assert (stored.side, stored.exact, stored.label, stored.status, stored.version) == \
        ("copy", "fifty", "changed_fact", "open", 1)
    assert COPY[stored.start:stored.end] == "fifty"
    assert stored.prefix == COPY[stored.start - 32:stored.start]
    assert stored.suffix == COPY[stored.end:stored.end + 32]
    assert stored.body == "The original says forty.\nSee para 2."
    assert stored.author.username == "chloe"
    assert actions(session, pair) == ["created", "note_added"]
    assert review.describe_activity(review.activity_for(session, pair)[0]) == \
        "chloe added a note (changed fact) on “fifty” in the copy"


def test_a_note_may_be_made_without_its_quote_which_is_then_taken_from_the_text(session: Session, pair: Pair,
                                                                                users: Users) -> None:
    note = review.create_note(session, pair, users["chloe"], side="original", start=0, end=3, label="copied",
                              body="Same opening.")

    assert note.exact == "The"
    assert note.prefix == ""


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"side": "left"}, "side", "must be one of: original, copy"),
    ({"label": "typo"}, "label", "must be one of: misquote, changed_fact"),
    ({"start": -1}, "start", "start must be from 0"),
    ({"start": len(COPY)}, "start", "start must be from 0"),
    ({"start": 5, "end": 5}, "end", "end must be after start"),
    ({"end": len(COPY) + 1}, "end", f"at most {len(COPY)}"),
    ({"start": True}, "start", "whole numbers"),
    ({"exact": "forty"}, "exact", "not the text at these offsets"),
    ({"body": " \r\n\t "}, "body", "the text is empty"),
    ({"body": "x" * 10_001}, "body", "10,001 characters; at most 10,000"),
])
def test_an_invalid_note_is_refused_field_by_field_and_nothing_is_stored(
        session: Session, pair: Pair, users: Users, changes: dict[str, object], field: str, message: str) -> None:
    fields: dict[str, object] = {"side": "copy", "start": 0, "end": 3, "label": "other", "body": "Fine.",
                                 "exact": None, **changes}

    with pytest.raises(InvalidInput) as raised:
        review.create_note(session, pair, users["chloe"], **fields)  # type: ignore[arg-type]

    assert message in raised.value.errors[field]
    assert count(session, Note) == 0
    assert actions(session, pair) == ["created"]


def test_a_body_of_exactly_ten_thousand_characters_is_accepted(session: Session, pair: Pair,
                                                               users: Users) -> None:
    assert len(note_on(session, pair, users["chloe"], "fifty", body="x" * 10_000).body) == 10_000


def test_a_viewer_may_not_write_notes(session: Session, pair: Pair, users: Users) -> None:
    with pytest.raises(Forbidden, match="viewer"):
        note_on(session, pair, users["vic"], "fifty")
    assert count(session, Note) == 0


# --- editing and deleting -------------------------------------------------------------------------


def test_the_author_edits_a_note_and_its_version_rises(session: Session, pair: Pair, users: Users) -> None:
    note = note_on(session, pair, users["chloe"], "fifty")

    review.update_note(session, note, users["chloe"], version=1, body="Now sure: forty.", label="misquote")

    assert (note.body, note.label, note.version) == ("Now sure: forty.", "misquote", 2)
    assert actions(session, pair)[-1] == "note_edited"


def test_an_edit_against_an_old_version_is_refused_with_the_current_note_and_changes_nothing(
        session: Session, pair: Pair, users: Users) -> None:
    note = note_on(session, pair, users["chloe"], "fifty")
    review.update_note(session, note, users["chloe"], version=1, body="Second thoughts.")
    session.commit()

    with pytest.raises(Conflict) as raised:
        review.update_note(session, note, users["chloe"], version=1, body="Written from a stale page.")
    session.rollback()

    assert raised.value.current is note
    assert (note.body, note.version) == ("Second thoughts.", 2)
    assert "changed this note in the meantime" in raised.value.message


@pytest.mark.parametrize(("actor", "allowed"), [("chloe", True), ("carl", False), ("ed", False), ("ada", True)])
def test_only_the_author_or_an_admin_edits_or_deletes_a_note(session: Session, pair: Pair, users: Users,
                                                             actor: str, allowed: bool) -> None:
    note = note_on(session, pair, users["chloe"], "fifty")
    session.commit()

    if allowed:
        review.update_note(session, note, users[actor], version=1, body="Edited.")
        review.delete_note(session, note, users[actor])
        session.commit()
        assert count(session, Note) == 0
    else:
        with pytest.raises(Forbidden, match="author or an admin"):
            review.update_note(session, note, users[actor], version=1, body="Edited.")
        with pytest.raises(Forbidden):
            review.delete_note(session, note, users[actor])
        session.rollback()
        assert session.get(Note, note.id).body == "Check this."  # type: ignore[union-attr]


def test_deleting_a_note_deletes_its_thread_and_the_log_still_names_it(session: Session, pair: Pair,
                                                                       users: Users) -> None:
    note = note_on(session, pair, users["chloe"], "fifty", label="misquote")
    review.add_reply(session, note, users["carl"], "Agreed.")
    review.set_note_status(session, note, users["carl"], "confirmed")
    session.commit()

    review.delete_note(session, note, users["chloe"])
    session.commit()

    assert (count(session, Note), count(session, Reply), count(session, NoteStatusChange)) == (0, 0, 0)
    assert review.describe_activity(review.activity_for(session, pair)[0]) == \
        "chloe deleted a note (misquote) on “fifty” in the copy"


def test_an_edit_with_nothing_to_change_or_a_bad_version_is_refused(session: Session, pair: Pair,
                                                                    users: Users) -> None:
    note = note_on(session, pair, users["chloe"], "fifty")

    with pytest.raises(InvalidInput, match="Nothing to change"):
        review.update_note(session, note, users["chloe"], version=1)
    with pytest.raises(InvalidInput, match="version"):
        review.update_note(session, note, users["chloe"], version=0, body="x")
    with pytest.raises(InvalidInput, match="label"):
        review.update_note(session, note, users["chloe"], version=1, label="typo")


# --- statuses -----------------------------------------------------------------------------------


def test_a_status_change_is_recorded_with_who_and_from_what(session: Session, pair: Pair, users: Users) -> None:
    note = note_on(session, pair, users["chloe"], "fifty")

    review.set_note_status(session, note, users["carl"], "confirmed")
    review.set_note_status(session, note, users["ed"], "dismissed", version=note.version)
    session.commit()
    session.expire_all()

    stored = session.get(Note, note.id)
    assert stored is not None and stored.status == "dismissed" and stored.version == 3
    assert [(c.user.username, c.old_status, c.new_status) for c in stored.status_changes] == \
        [("carl", "open", "confirmed"), ("ed", "confirmed", "dismissed")]
    assert review.describe_activity(review.activity_for(session, pair)[0]) == \
        "ed marked a note (changed fact) on “fifty” in the copy as dismissed (was confirmed)"


def test_setting_the_status_a_note_has_records_nothing(session: Session, pair: Pair, users: Users) -> None:
    note = note_on(session, pair, users["chloe"], "fifty")

    review.set_note_status(session, note, users["carl"], "open")

    assert note.version == 1
    assert count(session, NoteStatusChange) == 0


def test_status_changes_need_the_permission_a_valid_status_and_a_current_version(
        session: Session, pair: Pair, users: Users) -> None:
    note = note_on(session, pair, users["chloe"], "fifty")
    review.set_note_status(session, note, users["carl"], "confirmed")
    session.commit()

    with pytest.raises(Forbidden):
        review.set_note_status(session, note, users["vic"], "dismissed")
    with pytest.raises(InvalidInput, match="open, confirmed, dismissed"):
        review.set_note_status(session, note, users["carl"], "closed")
    with pytest.raises(Conflict):
        review.set_note_status(session, note, users["carl"], "dismissed", version=1)
    session.rollback()

    assert note.status == "confirmed"


# --- replies ------------------------------------------------------------------------------------


def test_replies_form_a_thread_that_authors_edit_and_delete(session: Session, pair: Pair, users: Users) -> None:
    note = note_on(session, pair, users["chloe"], "fifty")
    first = review.add_reply(session, note, users["carl"], "I checked the minutes:\r\nforty.")
    second = review.add_reply(session, note, users["chloe"], "Thanks.")

    review.update_reply(session, first, users["carl"], version=1, body="The minutes say forty.")
    review.delete_reply(session, second, users["chloe"])
    session.commit()
    session.expire_all()

    thread = session.get(Note, note.id).replies  # type: ignore[union-attr]
    assert [(r.author.username, r.body, r.version) for r in thread] == [("carl", "The minutes say forty.", 2)]
    assert actions(session, pair) == ["created", "note_added", "reply_added", "reply_added", "reply_edited",
                                      "reply_deleted"]


def test_a_reply_is_edited_only_by_its_author_or_an_admin_and_only_from_its_current_version(
        session: Session, pair: Pair, users: Users) -> None:
    note = note_on(session, pair, users["chloe"], "fifty")
    reply = review.add_reply(session, note, users["carl"], "Mine.")
    session.commit()

    with pytest.raises(Forbidden):
        review.update_reply(session, reply, users["chloe"], version=1, body="Not mine.")
    with pytest.raises(Forbidden):
        review.delete_reply(session, reply, users["chloe"])
    with pytest.raises(Forbidden):
        review.add_reply(session, note, users["vic"], "Viewer here.")
    review.update_reply(session, reply, users["ada"], version=1, body="Moderated.")
    with pytest.raises(Conflict) as raised:
        review.update_reply(session, reply, users["carl"], version=1, body="Stale.")
    session.rollback()

    assert raised.value.current is reply
    assert reply.body == "Mine."  # the admin's edit was not committed either


# --- the verdict --------------------------------------------------------------------------------


def test_a_pair_moves_from_new_through_review_to_a_decision_and_may_be_reopened(
        session: Session, pair: Pair, users: Users) -> None:
    for verdict in ("in_review", "confirmed_copy", "in_review", "not_a_copy"):
        review.set_verdict(session, pair, users["ed"], verdict)
    session.commit()
    session.expire_all()

    stored = session.get(Pair, pair.id)
    assert stored is not None
    assert (stored.verdict, stored.verdict_by.username) == ("not_a_copy", "ed")  # type: ignore[union-attr]
    assert stored.verdict_at is not None
    assert review.describe_activity(review.activity_for(session, pair)[0]) == \
        "ed set the verdict to not a copy (was in review)"


@pytest.mark.parametrize(("path", "refused"), [
    ((), "confirmed_copy"), ((), "not_a_copy"), (("in_review",), "new"),
    (("in_review", "confirmed_copy"), "not_a_copy"), (("in_review", "not_a_copy"), "new"),
])
def test_other_verdict_moves_are_refused(session: Session, pair: Pair, users: Users,
                                         path: tuple[str, ...], refused: str) -> None:
    for verdict in path:
        review.set_verdict(session, pair, users["ed"], verdict)
    session.commit()

    with pytest.raises(InvalidInput, match="can become"):
        review.set_verdict(session, pair, users["ed"], refused)
    assert pair.verdict == (path[-1] if path else "new")


def test_only_editors_and_admins_set_a_verdict_and_setting_the_same_one_changes_nothing(
        session: Session, pair: Pair, users: Users) -> None:
    with pytest.raises(Forbidden):
        review.set_verdict(session, pair, users["chloe"], "in_review")
    with pytest.raises(InvalidInput, match="must be one of"):
        review.set_verdict(session, pair, users["ed"], "guilty")
    review.set_verdict(session, pair, users["ada"], "new")

    assert (pair.verdict, pair.verdict_by_id) == ("new", None)
    assert actions(session, pair) == ["created"]


# --- the activity log and counts ----------------------------------------------------------------


def test_re_aligning_is_logged_with_its_reason(session: Session, pair: Pair, users: Users) -> None:
    change_settings(session, pair, min_similarity=0.5, quotes_copied=True, user=users["ed"])
    assert pair.alignment is not None
    pair.alignment.engine_version = "0.0-old"
    alignment_for(session, pair)
    alignment_for(session, pair)  # served as stored: not logged
    session.commit()

    texts = [review.describe_activity(entry) for entry in review.activity_for(session, pair)]
    assert texts == ["copydesk re-aligned the pair (engine upgrade)", "ed re-aligned the pair (new settings)",
                     "ed created the pair"]


def test_activity_is_listed_newest_first_up_to_a_limit(session: Session, pair: Pair, users: Users) -> None:
    for body in ("one", "two", "three"):
        note_on(session, pair, users["chloe"], "fifty", body=body)

    latest = review.activity_for(session, pair, limit=2)

    assert [entry.detail["note_id"] for entry in latest] == sorted(
        (entry.detail["note_id"] for entry in latest), reverse=True)
    assert len(latest) == 2
    assert count(session, Activity) == 4


def test_unknown_activities_are_a_programming_error(session: Session, pair: Pair, users: Users) -> None:
    with pytest.raises(ValueError, match="unknown activity"):
        review.log_activity(session, pair, users["ed"], "hacked")


def test_open_note_counts_count_only_open_notes_per_pair(session: Session, pair: Pair, users: Users) -> None:
    other = create_pair(session, ArticleInput("A", "Some text here."), ArticleInput("B", "Other text here."),
                        max_bytes=LIMIT)
    note_on(session, pair, users["chloe"], "fifty")
    settled = note_on(session, pair, users["chloe"], "inspectors")
    review.set_note_status(session, settled, users["chloe"], "dismissed")

    assert review.open_note_counts(session, [pair.id, other.id, 999]) == {pair.id: 1, other.id: 0, 999: 0}
    assert review.open_note_counts(session, []) == {}


# --- placing notes ------------------------------------------------------------------------------


def test_notes_keep_their_place_after_the_pair_is_re_aligned(session: Session, pair: Pair, users: Users) -> None:
    notes = [note_on(session, pair, users["chloe"], "fifty"),
             note_on(session, pair, users["chloe"], "forty", side="original", occurrence=1)]
    change_settings(session, pair, min_similarity=0.6, quotes_copied=False, user=users["ed"])

    placement = review.place_notes(pair, review.notes_for_pair(session, pair))

    assert [(a.state, a.start, a.end) for a in placement.anchors] == \
        [("anchored", n.start, n.end) for n in notes]
    assert placement.orphans == []
    assert [a.note.side for a in placement.placed] == ["original", "copy"]


def test_a_note_as_a_web_annotation(session: Session, pair: Pair, users: Users) -> None:
    note = note_on(session, pair, users["chloe"], "fifty", body="Says forty.")
    session.commit()

    annotation = review.note_to_annotation(note, "https://desk.example/")

    assert annotation["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert annotation["type"] == "Annotation"
    assert annotation["id"] == f"https://desk.example/api/v1/notes/{note.id}"
    assert annotation["body"][0] == {"type": "TextualBody", "value": "Says forty.", "format": "text/plain",
                                     "purpose": "commenting"}
    assert annotation["target"]["source"] == f"https://desk.example/api/v1/pairs/{pair.id}/texts/copy"
    quote_selector, position = annotation["target"]["selector"]
    assert quote_selector == {"type": "TextQuoteSelector", "exact": "fifty", "prefix": note.prefix,
                              "suffix": note.suffix}
    assert position == {"type": "TextPositionSelector", "start": note.start, "end": note.end}
    assert annotation["creator"]["nickname"] == "chloe"


# --- correcting a text --------------------------------------------------------------------------


def test_correcting_a_text_orphans_removed_passages_and_reanchors_moved_ones(
        session: Session, pair: Pair, users: Users) -> None:
    removed = note_on(session, pair, users["chloe"], "fifty inspectors")
    moved = note_on(session, pair, users["chloe"], "weekly newsletter")
    look_alike = note_on(session, pair, users["chloe"], "forty", side="original")  # the mayor's forty
    critics = note_on(session, pair, users["chloe"], "Critics said forty", side="original")
    old_original = pair.original_id
    session.commit()
    new_copy = "Breaking: " + COPY.replace("hire fifty inspectors", "hire more staff")
    new_original = ORIGINAL.replace("hire forty inspectors", "hire more staff")

    review.correct_text(session, pair, users["ed"], "copy", new_copy, max_bytes=LIMIT)
    correction = review.correct_text(session, pair, users["ed"], "original", new_original, max_bytes=LIMIT)
    session.commit()

    states = {anchor.note.id: anchor for anchor in correction.placement.anchors}
    assert states[removed.id].state == "orphaned"
    assert (states[moved.id].state, states[moved.id].start) == ("reanchored", new_copy.index("weekly newsletter"))
    assert new_original.count("forty") == 1  # the critics' forty is still there ...
    assert states[look_alike.id].state == "orphaned"  # ... but it is not the mayor's
    assert (states[critics.id].state, states[critics.id].start) == \
        ("reanchored", new_original.index("Critics said forty"))
    assert pair.copy.text == new_copy and pair.original.text == new_original
    assert session.get(Article, old_original) is None
    assert correction.alignment.to_dict()["copy"]["length"] == len(new_copy)
    assert review.describe_activity(review.activity_for(session, pair)[0]) == \
        "ed corrected the text of the original and re-aligned the pair; 1 note lost its passage"


def test_correcting_a_text_shared_with_another_pair_keeps_the_other_pairs_text(
        session: Session, pair: Pair, users: Users) -> None:
    other = Pair(title="Same original", original=pair.original, copy=pair.copy)
    session.add(other)
    session.commit()

    review.correct_text(session, pair, users["ed"], "original", "A corrected original.", max_bytes=LIMIT)
    session.commit()
    session.expire_all()

    assert session.get(Pair, other.id).original.text == ORIGINAL  # type: ignore[union-attr]
    assert session.get(Pair, pair.id).original.text == "A corrected original."  # type: ignore[union-attr]


@pytest.mark.parametrize(("actor", "text", "error"), [
    ("chloe", "Fine text.", Forbidden),
    ("ed", "   \r\n", InvalidInput),
    ("ed", "Nul\x00byte", InvalidInput),
    ("ed", "x" * (LIMIT + 1), TooLarge),
])
def test_a_correction_is_refused_without_the_permission_or_a_valid_text(
        session: Session, pair: Pair, users: Users, actor: str, text: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        review.correct_text(session, pair, users[actor], "copy", text, max_bytes=LIMIT)
    session.rollback()

    assert session.get(Pair, pair.id).copy.text == COPY  # type: ignore[union-attr]
    assert actions(session, pair) == ["created"]
