"""The words of the review workflow: note labels, note statuses and pair verdicts, as stored in
the database and as shown to people, and the moves a verdict may make."""

from __future__ import annotations

NOTE_LABELS = ("misquote", "changed_fact", "injected", "copied", "other")
LABEL_NAMES = {"misquote": "Misquote", "changed_fact": "Changed fact", "injected": "Injected content",
               "copied": "Copied", "other": "Other"}
NOTE_STATUSES = ("open", "confirmed", "dismissed")
STATUS_NAMES = {"open": "Open", "confirmed": "Confirmed", "dismissed": "Dismissed"}
VERDICTS = ("new", "in_review", "confirmed_copy", "not_a_copy")
VERDICT_NAMES = {"new": "New", "in_review": "In review", "confirmed_copy": "Confirmed copy",
                 "not_a_copy": "Not a copy"}
#: The verdicts a pair may move to from each verdict: a decision is made in review, and an
#: editor may reopen it (back to in review); a pair never goes back to new.
VERDICT_MOVES = {"new": ("in_review",), "in_review": ("confirmed_copy", "not_a_copy"),
                 "confirmed_copy": ("in_review",), "not_a_copy": ("in_review",)}
#: Why a stored alignment was made again (the "reason" of a "realigned" activity).
REALIGN_REASONS = {"settings": "new settings", "engine upgrade": "engine upgrade"}


def next_verdicts(verdict: str) -> tuple[str, ...]:
    """The verdicts a pair with ``verdict`` may move to.

    >>> next_verdicts("new"), next_verdicts("in_review"), next_verdicts("not_a_copy")
    (('in_review',), ('confirmed_copy', 'not_a_copy'), ('in_review',))
    """
    return VERDICT_MOVES.get(verdict, ("in_review",))
