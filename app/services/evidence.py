"""What a pair's evidence report states beyond the comparison itself: where and when each text
was captured with its fingerprints, who ran the comparison, and the passages a takedown notice
names. Read-only: nothing here changes the database."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.align import Alignment, Relation
from app.models import Activity, Article, ArticleSource, Pair

#: How "who ran the comparison" reads for a pair older than the activity log.
UNKNOWN = "unknown"
#: Longest excerpt of a matched passage in the takedown section (the table has the full text).
PASSAGE_EXCERPT = 300
_HOW = {"file": "uploaded file", "url": "fetched from its address", "html": "pasted HTML"}


@dataclass(frozen=True, slots=True)
class Side:
    """One text of the pair as evidence: the article, and the raw input it came from (if any)."""

    name: str
    article: Article
    source: ArticleSource | None

    @property
    def captured_at(self) -> datetime:
        """When copydesk got the text: the fetch time of a fetched page, else when it was stored."""
        if self.source is not None and self.source.fetched_at is not None:
            return self.source.fetched_at
        return self.article.created_at

    @property
    def captured_how(self) -> str:
        """How the text came in, in words (text typed or pasted has no source row)."""
        return "pasted text" if self.source is None else _HOW.get(self.source.kind, self.source.kind)

    @property
    def url(self) -> str | None:
        """The address the text is published at: the one given with it, else the one fetched."""
        if self.article.source_url:
            return self.article.source_url
        return self.source.url if self.source is not None else None


@dataclass(frozen=True, slots=True)
class Creation:
    """Who ran the comparison and when; ``by`` is "copydesk" for pairs it made itself (the demo)
    and UNKNOWN for pairs made before copydesk kept an activity log."""

    by: str
    at: datetime


@dataclass(frozen=True, slots=True)
class Passage:
    """A row of the copy that comes from the original, as the takedown section lists it."""

    row: int
    kind: Relation
    score: float | None
    original: str
    copy: str


def sides(pair: Pair) -> tuple[Side, Side]:
    """The pair's original and copy with their raw sources (loaded here: they may be large)."""
    return (Side("original", pair.original, pair.original.source),
            Side("copy", pair.copy, pair.copy.source))


def creation(session: Session, pair: Pair) -> Creation:
    """The first "created" entry of the pair's activity log, else the pair's own creation time."""
    entry = session.scalars(select(Activity).where(Activity.pair_id == pair.id, Activity.action == "created")
                            .order_by(Activity.id).limit(1)).first()
    if entry is None:
        return Creation(UNKNOWN, pair.created_at)
    return Creation(entry.user.username if entry.user is not None else "copydesk", entry.at)


def matched_passages(pair: Pair, alignment: Alignment) -> list[Passage]:
    """The rows whose copy text is derived from the original, numbered as the report's table
    numbers them, each side cut to PASSAGE_EXCERPT characters."""
    found = []
    for number, (_, block) in enumerate(alignment.top_level_blocks(), start=1):
        if block.kind.derived and block.original is not None and block.copy is not None:
            found.append(Passage(number, block.kind, block.score,
                                 excerpt(pair.original.text[block.original[0]:block.original[1]]),
                                 excerpt(pair.copy.text[block.copy[0]:block.copy[1]])))
    return found


def excerpt(text: str, limit: int = PASSAGE_EXCERPT) -> str:
    """``text`` on one line, cut at a word to at most ``limit`` characters.

    >>> excerpt("The mayor\\n\\nsaid  so.")
    'The mayor said so.'
    >>> excerpt("one two three four", limit=12)
    'one two…'
    """
    flat = re.sub(r"\s+", " ", text).strip()
    if len(flat) <= limit:
        return flat
    cut = flat[:limit - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut) + "…"
