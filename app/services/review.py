"""Reviewing a pair: notes on passages, their replies and statuses, the pair's verdict, and the
activity log that records who did what.

Every function checks the acting user's role itself (routes check too: this is the second lock,
not the only one), flushes, and never commits. Edits are optimistic: the caller sends the version
it saw, and a row changed since is refused with Conflict (carrying the current row) instead of
being overwritten. Each change first takes the database's write lock on the row it changes
(``_lock``), so concurrent requests queue instead of both acting on what they read before.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeGuard

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, selectinload

from app.align import Alignment
from app.auth.roles import Permission, can
from app.errors import Conflict, Forbidden, InvalidInput, NotFound, TooLarge
from app.ingest import IngestError, validate_text
from app.models import Article, Note, NoteStatusChange, Pair, Reply, User, utcnow
from app.services.activity import ACTIONS, activity_for, describe_activity, log_activity, note_detail
from app.services.anchoring import AnchorState, quote
from app.services.pairs import SIDES, alignment_for, pair_options
from app.services.placing import Anchor, Placement, note_to_annotation, place_notes, side_text
from app.services.vocabulary import (
    LABEL_NAMES,
    NOTE_LABELS,
    NOTE_STATUSES,
    REALIGN_REASONS,
    STATUS_NAMES,
    VERDICT_MOVES,
    VERDICT_NAMES,
    VERDICTS,
    next_verdicts,
)

#: Longest note or reply body, in characters.
MAX_BODY = 10_000

# The review workflow's whole interface, including what its helper modules provide.
__all__ = [
    "ACTIONS", "LABEL_NAMES", "MAX_BODY", "NOTE_LABELS", "NOTE_STATUSES", "REALIGN_REASONS", "SIDES",
    "STATUS_NAMES", "VERDICTS", "VERDICT_MOVES", "VERDICT_NAMES", "Anchor", "AnchorState", "Correction",
    "Placement", "activity_for", "add_reply", "correct_text", "create_note", "delete_note",
    "delete_reply", "describe_activity", "get_note", "get_reply", "log_activity", "may_edit",
    "next_verdicts", "note_to_annotation", "notes_for_pair", "open_note_counts", "place_notes",
    "set_note_status", "set_verdict", "side_text", "update_note", "update_reply",
]


# --- permissions --------------------------------------------------------------------------------


def may_edit(user: User, item: Note | Reply) -> bool:
    """Whether ``user`` may edit or delete ``item``: their own with WRITE_NOTES, anybody's with
    MODERATE_NOTES. (The UI uses it to offer the buttons; the functions below enforce it.)"""
    if can(user.role, Permission.MODERATE_NOTES):
        return True
    return item.author_id == user.id and can(user.role, Permission.WRITE_NOTES)


def _require(user: User, permission: Permission) -> None:
    if not can(user.role, permission):
        raise Forbidden(f"Your role ({user.role}) may not do this: it needs the '{permission}' permission")


def _require_editable(user: User, item: Note | Reply, what: str) -> None:
    if not may_edit(user, item):
        raise Forbidden(f"Only its author or an admin may change this {what}")


# --- validation ---------------------------------------------------------------------------------


def _clean_body(body: object, field: str = "body") -> str:
    """The body with line endings made ``\\n`` and surrounding blank space removed; InvalidInput
    when that leaves nothing or more than ``MAX_BODY`` characters."""
    if not isinstance(body, str):
        raise InvalidInput({field: "The text must be a string"})
    cleaned = body.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not cleaned:
        raise InvalidInput({field: "Write something: the text is empty"})
    if len(cleaned) > MAX_BODY:
        raise InvalidInput({field: f"The text has {len(cleaned):,} characters; at most {MAX_BODY:,} are allowed"})
    return cleaned


def _is_int(value: object) -> TypeGuard[int]:
    """Whether ``value`` is a whole number (True and False are not, though Python says so)."""
    return isinstance(value, int) and not isinstance(value, bool)


def _span_errors(text: str, start: object, end: object, exact: str | None) -> dict[str, str]:
    """Field errors of a passage ``[start, end)`` of ``text`` whose quote, if sent, is ``exact``."""
    if not (_is_int(start) and _is_int(end)):
        return {"start": "start and end must be whole numbers (character offsets)"}
    if not 0 <= start < len(text):
        return {"start": f"start must be from 0 to {len(text) - 1}"}
    if not start < end <= len(text):
        return {"end": f"end must be after start and at most {len(text)}"}
    if exact is not None and text[start:end] != exact:
        return {"exact": "The quoted text is not the text at these offsets: the text may have "
                         "changed; reload the page and select the passage again"}
    return {}


def _choice_error(field: str, value: object, allowed: Iterable[str]) -> dict[str, str]:
    allowed = tuple(allowed)
    return {} if value in allowed else {field: f"The {field} must be one of: {', '.join(allowed)}"}


def _version_error(version: object) -> None:
    if not (_is_int(version) and version >= 1):
        raise InvalidInput({"version": "version must be the whole number the note or reply was read with"})


# --- locking ------------------------------------------------------------------------------------


def _lock(session: Session, row: Note | Reply, expected: int | None, what: str) -> None:
    """Take the write lock on ``row`` (an UPDATE that changes nothing), then re-read it.

    NotFound when it was deleted meanwhile; Conflict (with the current row) when ``expected`` is
    given and is no longer its version. Reading after the lock means what the caller checks and
    changes is what is stored, not what another request is about to replace.
    """
    model = type(row)
    statement = update(model).where(model.id == row.id).values(version=model.version)
    if expected is not None:
        statement = statement.where(model.version == expected)
    result = session.execute(statement.execution_options(synchronize_session=False))
    current = session.get(model, row.id, populate_existing=True)
    if current is None:
        raise NotFound(what, row.id)
    if result.rowcount == 0:  # type: ignore[attr-defined]
        raise Conflict(f"Someone else changed this {what} in the meantime (it is now version "
                       f"{current.version}); your change was not applied: look at theirs and try again",
                       current=current)


# --- notes --------------------------------------------------------------------------------------


def create_note(session: Session, pair: Pair, user: User, *, side: str, start: int, end: int,
                label: str, body: str, exact: str | None = None) -> Note:
    """A new open note on ``pair``'s ``side`` at ``[start, end)``; ``exact``, when sent, must be
    the text there (it guards against a page showing an older text)."""
    _require(user, Permission.WRITE_NOTES)
    errors = {**_choice_error("side", side, SIDES), **_choice_error("label", label, NOTE_LABELS)}
    if "side" not in errors:
        errors.update(_span_errors(side_text(pair, side), start, end, exact))
    try:
        cleaned = _clean_body(body)
    except InvalidInput as exc:
        errors.update(exc.errors)
    if errors:
        raise InvalidInput(errors)
    selector = quote(side_text(pair, side), start, end)
    moment = utcnow()
    note = Note(pair_id=pair.id, author=user, side=side, start=start, end=end, exact=selector.exact,
                prefix=selector.prefix, suffix=selector.suffix, label=label, status="open", body=cleaned,
                version=1, created_at=moment, updated_at=moment)
    session.add(note)
    session.flush()
    log_activity(session, pair.id, user, "note_added", **note_detail(note))
    return note


def update_note(session: Session, note: Note, user: User, *, version: int, body: str | None = None,
                label: str | None = None) -> Note:
    """Change ``note``'s body and/or label, made against ``version`` (Conflict when stale)."""
    _require_editable(user, note, "note")
    if body is None and label is None:
        raise InvalidInput({"body": "Nothing to change: send a new body or label"})
    _version_error(version)
    cleaned = _clean_body(body) if body is not None else None
    if label is not None and (errors := _choice_error("label", label, NOTE_LABELS)):
        raise InvalidInput(errors)
    _lock(session, note, version, "note")
    changed = [name for name, value in (("body", cleaned), ("label", label))
               if value is not None and value != getattr(note, name)]
    if cleaned is not None:
        note.body = cleaned
    if label is not None:
        note.label = label
    _touch(note)
    session.flush()
    log_activity(session, note.pair_id, user, "note_edited", **note_detail(note), changed=changed)
    return note


def delete_note(session: Session, note: Note, user: User) -> None:
    """Delete ``note`` with its replies and status history (the activity log keeps a line)."""
    _require_editable(user, note, "note")
    _lock(session, note, None, "note")
    log_activity(session, note.pair_id, user, "note_deleted", **note_detail(note))
    session.delete(note)
    session.flush()


def set_note_status(session: Session, note: Note, user: User, status: str, *,
                    version: int | None = None) -> Note:
    """Set ``note``'s status, recording the change; ``version``, when given, must be current.
    Setting the status it already has changes nothing."""
    _require(user, Permission.SET_NOTE_STATUS)
    if errors := _choice_error("status", status, NOTE_STATUSES):
        raise InvalidInput(errors)
    if version is not None:
        _version_error(version)
    _lock(session, note, version, "note")
    if note.status == status:
        return note
    old = note.status
    note.status_changes.append(_status_change(note, user, old, status))
    note.status = status
    _touch(note)
    session.flush()
    log_activity(session, note.pair_id, user, "note_status", **note_detail(note), old=old, new=status)
    return note


def _status_change(note: Note, user: User, old: str, new: str) -> NoteStatusChange:
    return NoteStatusChange(note_id=note.id, user=user, old_status=old, new_status=new, at=utcnow())


def _touch(row: Note | Reply) -> None:
    row.version += 1
    row.updated_at = utcnow()


def get_note(session: Session, note_id: int) -> Note:
    note = session.get(Note, note_id)
    if note is None:
        raise NotFound("note", note_id)
    return note


def notes_for_pair(session: Session, pair: Pair) -> list[Note]:
    """The pair's notes, oldest first, with their replies and status history loaded."""
    return list(session.scalars(
        select(Note).where(Note.pair_id == pair.id)
        .options(selectinload(Note.replies), selectinload(Note.status_changes))
        .order_by(Note.id)
    ))


def open_note_counts(session: Session, pair_ids: Iterable[int]) -> dict[int, int]:
    """Open notes per pair, for each of ``pair_ids`` (0 when it has none)."""
    ids = list(pair_ids)
    counts = dict.fromkeys(ids, 0)
    if ids:
        rows = session.execute(select(Note.pair_id, func.count()).where(
            Note.pair_id.in_(ids), Note.status == "open").group_by(Note.pair_id))
        counts.update({pair_id: count for pair_id, count in rows})
    return counts


# --- replies ------------------------------------------------------------------------------------


def add_reply(session: Session, note: Note, user: User, body: str) -> Reply:
    """A new reply at the end of ``note``'s thread."""
    _require(user, Permission.WRITE_NOTES)
    cleaned = _clean_body(body)
    _lock(session, note, None, "note")
    moment = utcnow()
    reply = Reply(note=note, author=user, body=cleaned, version=1, created_at=moment, updated_at=moment)
    session.add(reply)
    session.flush()
    log_activity(session, note.pair_id, user, "reply_added", **note_detail(note), reply_id=reply.id)
    return reply


def update_reply(session: Session, reply: Reply, user: User, *, version: int, body: str) -> Reply:
    """Change ``reply``'s body, made against ``version`` (Conflict when stale)."""
    _require_editable(user, reply, "reply")
    _version_error(version)
    cleaned = _clean_body(body)
    _lock(session, reply, version, "reply")
    reply.body = cleaned
    _touch(reply)
    session.flush()
    log_activity(session, reply.note.pair_id, user, "reply_edited", **note_detail(reply.note), reply_id=reply.id)
    return reply


def delete_reply(session: Session, reply: Reply, user: User) -> None:
    _require_editable(user, reply, "reply")
    _lock(session, reply, None, "reply")
    log_activity(session, reply.note.pair_id, user, "reply_deleted", **note_detail(reply.note), reply_id=reply.id)
    session.delete(reply)
    session.flush()


def get_reply(session: Session, reply_id: int) -> Reply:
    reply = session.get(Reply, reply_id)
    if reply is None:
        raise NotFound("reply", reply_id)
    return reply


# --- the pair's verdict -------------------------------------------------------------------------


def set_verdict(session: Session, pair: Pair, user: User, verdict: str) -> Pair:
    """Move ``pair`` to ``verdict``, recording who and when (SET_VERDICT: editors and admins).

    Allowed moves: new -> in_review; in_review -> confirmed_copy or not_a_copy; and, to reopen
    a decision, confirmed_copy or not_a_copy -> in_review. Setting the verdict the pair already
    has changes nothing. The move is checked against the verdict stored when the pair's row is
    locked, so two editors deciding at once cannot both move it from the same state.
    """
    _require(user, Permission.SET_VERDICT)
    if errors := _choice_error("verdict", verdict, VERDICTS):
        raise InvalidInput(errors)
    session.execute(update(Pair).where(Pair.id == pair.id).values(verdict=Pair.verdict)
                    .execution_options(synchronize_session=False))
    current = session.scalar(select(Pair.verdict).where(Pair.id == pair.id))
    if current is None:
        raise NotFound("pair", pair.id)
    if current == verdict:
        return pair
    if verdict not in next_verdicts(current):
        moves = " or ".join(VERDICT_NAMES[v].lower() for v in next_verdicts(current))
        raise InvalidInput({"verdict": f"A pair that is {VERDICT_NAMES[current].lower()} can become "
                                       f"{moves}, not {VERDICT_NAMES[verdict].lower()}"})
    pair.verdict = verdict
    pair.verdict_by = user
    pair.verdict_at = utcnow()
    session.flush()
    log_activity(session, pair, user, "verdict", old=current, new=verdict)
    return pair


# --- correcting a side's text -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Correction:
    """What correcting a text led to: the pair's new alignment and its notes placed again."""

    alignment: Alignment
    placement: Placement


def correct_text(session: Session, pair: Pair, user: User, side: str, text: str, *,
                 max_bytes: int) -> Correction:
    """Replace ``side``'s text of ``pair`` (MANAGE_PAIRS) and re-align the pair with its settings.

    Texts are otherwise immutable because other pairs may share an article: the pair gets a new
    article, and the old one is deleted only when no other pair uses it. Notes keep their stored
    selectors; placed again, a note whose passage is gone is orphaned (see ``place_notes``).
    The new text is validated like an upload (InvalidInput/TooLarge, nothing changed).
    """
    _require(user, Permission.MANAGE_PAIRS)
    if errors := _choice_error("side", side, SIDES):
        raise InvalidInput(errors)
    try:
        validate_text(text, max_bytes=max_bytes, what=f"The {side} text")
    except IngestError as exc:
        raise (TooLarge if exc.too_large else InvalidInput)({"text": exc.message}) from exc
    old = pair.original if side == "original" else pair.copy
    if text == old.text:
        return Correction(alignment_for(session, pair), place_notes(pair, notes_for_pair(session, pair)))
    options = pair_options(pair)
    _replace_article(session, pair, side, old, text)
    pair.alignment = None  # it describes the old text; alignment_for stores the new one
    session.flush()
    alignment = alignment_for(session, pair, options)
    placement = place_notes(pair, notes_for_pair(session, pair))
    orphaned = sum(1 for anchor in placement.orphans if anchor.note.side == side)
    log_activity(session, pair, user, "text_corrected", side=side, old_length=old.length,
                 new_length=len(text), orphaned=orphaned)
    return Correction(alignment, placement)


def _replace_article(session: Session, pair: Pair, side: str, old: Article, text: str) -> None:
    """Give ``pair`` a new article for ``side``, deleting ``old`` unless another pair uses it."""
    new = Article(title=old.title, source_url=old.source_url, text=text, length=len(text),
                  sha256=hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest())
    if side == "original":
        pair.original = new
    else:
        pair.copy = new
    session.flush()
    used = session.scalar(select(func.count()).select_from(Pair).where(
        (Pair.original_id == old.id) | (Pair.copy_id == old.id)))
    if not used:
        session.delete(old)
