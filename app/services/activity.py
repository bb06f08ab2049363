"""The activity log of a pair: one row per thing someone did to it (created, re-aligned, notes,
replies, statuses, verdict), kept in the database and read back in plain words. Separate from
app.services.review so that app.services.pairs can log without importing the review service."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Activity, Note, Pair, User, utcnow
from app.services.vocabulary import LABEL_NAMES, REALIGN_REASONS, STATUS_NAMES, VERDICT_NAMES

ACTIONS = ("created", "realigned", "text_corrected", "note_added", "note_edited", "note_deleted",
           "note_status", "reply_added", "reply_edited", "reply_deleted", "verdict")
#: How much of a quoted passage the log keeps to say which note an entry is about.
EXCERPT = 60


def log_activity(session: Session, pair: Pair | int, user: User | None, action: str,
                 **detail: Any) -> Activity:
    """Add an entry to the log of ``pair`` (a Pair or its id); ``user`` is None for what copydesk
    did on its own (re-aligning after an engine upgrade). ``detail`` must be JSON-serialisable:
    it is what ``describe_activity`` reads the entry back from."""
    if action not in ACTIONS:
        raise ValueError(f"unknown activity {action!r}; add it to ACTIONS and describe_activity")
    entry = Activity(pair_id=pair if isinstance(pair, int) else pair.id, user=user, action=action,
                     detail=detail, at=utcnow())
    session.add(entry)
    session.flush()
    return entry


def activity_for(session: Session, pair: Pair, limit: int = 200) -> list[Activity]:
    """The pair's latest ``limit`` entries, newest first (by id: the order they were stored in,
    which the clocks of concurrent requests need not follow)."""
    return list(session.scalars(
        select(Activity).where(Activity.pair_id == pair.id).order_by(Activity.id.desc()).limit(limit)
    ))


def note_detail(note: Note) -> dict[str, Any]:
    """What an entry keeps of a note to name it, also after the note is edited or deleted."""
    return {"note_id": note.id, "label": note.label, "side": note.side, "quote": excerpt(note.exact)}


def excerpt(text: str) -> str:
    """``text`` on one line, cut to ``EXCERPT`` characters.

    >>> excerpt("forty\\n  inspectors")
    'forty inspectors'
    >>> len(excerpt("x" * 100))
    60
    """
    flat = re.sub(r"\s+", " ", text).strip()
    return flat if len(flat) <= EXCERPT else flat[:EXCERPT - 1] + "…"


def describe_activity(activity: Activity) -> str:
    """The entry in plain words, for the pair's page.

    >>> from app.models import Activity, User
    >>> alice = User(username="alice")
    >>> describe_activity(Activity(action="note_added", user=alice, detail={
    ...     "note_id": 1, "label": "misquote", "side": "copy", "quote": "45 million"}))
    'alice added a note (misquote) on “45 million” in the copy'
    >>> describe_activity(Activity(action="verdict", user=alice, detail={
    ...     "old": "in_review", "new": "confirmed_copy"}))
    'alice set the verdict to confirmed copy (was in review)'
    >>> describe_activity(Activity(action="realigned", user=None, detail={"reason": "engine upgrade"}))
    'copydesk re-aligned the pair (engine upgrade)'
    """
    who = activity.user.username if activity.user is not None else "copydesk"
    d = activity.detail or {}
    match activity.action:
        case "created":
            return f"{who} created the pair"
        case "realigned":
            return f"{who} re-aligned the pair ({REALIGN_REASONS.get(d.get('reason', ''), d.get('reason'))})"
        case "text_corrected":
            return f"{who} corrected the text of the {d.get('side')} and re-aligned the pair{_lost(d)}"
        case "verdict":
            return f"{who} set the verdict to {_word(VERDICT_NAMES, d, 'new')} (was {_word(VERDICT_NAMES, d, 'old')})"
    note = f"a note ({_word(LABEL_NAMES, d, 'label')}) on " + (
        f"“{d['quote']}” in the {d.get('side')}" if d.get("quote") else f"the {d.get('side')}")
    match activity.action:
        case "note_added":
            return f"{who} added {note}"
        case "note_edited":
            return f"{who} edited {note}"
        case "note_deleted":
            return f"{who} deleted {note}"
        case "note_status":
            return f"{who} marked {note} as {_word(STATUS_NAMES, d, 'new')} (was {_word(STATUS_NAMES, d, 'old')})"
        case "reply_added":
            return f"{who} replied to {note}"
        case "reply_edited":
            return f"{who} edited a reply to {note}"
        case "reply_deleted":
            return f"{who} deleted a reply to {note}"
    return f"{who}: {activity.action}"


def _word(names: dict[str, str], detail: dict[str, Any], key: str) -> str:
    """The lower-case name of ``detail[key]`` (the stored value itself when it has none)."""
    value = str(detail.get(key, ""))
    return names.get(value, value).lower()


def _lost(detail: dict[str, Any]) -> str:
    lost = int(detail.get("orphaned", 0))
    if not lost:
        return ""
    return f"; {lost} note lost its passage" if lost == 1 else f"; {lost} notes lost their passage"
