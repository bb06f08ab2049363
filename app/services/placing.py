"""Placing a pair's notes in its current texts (anchored, re-anchored or orphaned) and writing a
note as a W3C Web Annotation. No database access: it works on loaded rows."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from app.models import Note, Pair
from app.services.anchoring import AnchorState, Quote, locate
from app.services.pairs import SIDES


def side_text(pair: Pair, side: str) -> str:
    """The current text of ``side`` ("original" or "copy") of ``pair``."""
    return (pair.original if side == "original" else pair.copy).text


@dataclass(frozen=True, slots=True)
class Anchor:
    """Where a note is in its side's current text; ``start``/``end`` are None when orphaned."""

    note: Note
    state: AnchorState
    start: int | None
    end: int | None

    @property
    def orphaned(self) -> bool:
        return self.state is AnchorState.ORPHANED


@dataclass(frozen=True, slots=True)
class Placement:
    """Every note of a pair placed in the current texts, in the order they were given."""

    anchors: tuple[Anchor, ...]

    @property
    def placed(self) -> list[Anchor]:
        """The notes that found their passage, original side first, in text order."""
        return sorted((a for a in self.anchors if not a.orphaned),
                      key=lambda a: (SIDES.index(a.note.side), a.start or 0, a.end or 0, a.note.id))

    @property
    def orphans(self) -> list[Anchor]:
        """The notes whose passage is gone (shown apart, with the text they quoted)."""
        return [a for a in self.anchors if a.orphaned]

    def of(self, note: Note) -> Anchor:
        return next(anchor for anchor in self.anchors if anchor.note is note)


def place_notes(pair: Pair, notes: Iterable[Note]) -> Placement:
    """Place ``notes`` in ``pair``'s current texts (see app.services.anchoring.locate)."""
    texts = {side: side_text(pair, side) for side in SIDES}
    anchors = []
    for note in notes:
        found = locate(texts[note.side], _selector(note))
        anchors.append(Anchor(note, found.state, found.start, found.end))
    return Placement(tuple(anchors))


def _selector(note: Note) -> Quote:
    return Quote(exact=note.exact, prefix=note.prefix, suffix=note.suffix, start=note.start, end=note.end)


def note_to_annotation(note: Note, base_url: str, *, anchor: Anchor | None = None) -> dict[str, Any]:
    """``note`` as a W3C Web Annotation (JSON-LD). The target is the side's text as served at
    ``/api/v1/pairs/{id}/texts/{side}``; its TextPositionSelector gives the passage's offsets now
    (from ``anchor``) or, without one, as stored, and is left out for an orphaned note."""
    base = base_url.rstrip("/")
    selectors: list[dict[str, Any]] = [
        {"type": "TextQuoteSelector", "exact": note.exact, "prefix": note.prefix, "suffix": note.suffix}]
    if anchor is None or not anchor.orphaned:
        start, end = (note.start, note.end) if anchor is None else (anchor.start, anchor.end)
        selectors.append({"type": "TextPositionSelector", "start": start, "end": end})
    return {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": f"{base}/api/v1/notes/{note.id}",
        "type": "Annotation",
        "motivation": "commenting",
        "creator": {"type": "Person", "nickname": note.author.username},
        "created": _iso(note.created_at),
        "modified": _iso(note.updated_at),
        "body": [
            {"type": "TextualBody", "value": note.body, "format": "text/plain", "purpose": "commenting"},
            {"type": "TextualBody", "value": note.label, "purpose": "tagging"},
        ],
        "target": {"source": f"{base}/api/v1/pairs/{note.pair_id}/texts/{note.side}",
                   "selector": selectors},
    }


def _iso(moment: datetime) -> str:
    """ISO 8601 in UTC (SQLite hands back naive datetimes for what was stored as UTC)."""
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).isoformat()
