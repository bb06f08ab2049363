"""Pairs: creating them from two submitted texts (with the raw input each was extracted from),
listing, fetching, deleting, aligning."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, fields, replace
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, defer, joinedload

from app.align import ENGINE_VERSION, Alignment, Options, Summary, align, summarise
from app.errors import InvalidInput, NotFound, TooLarge
from app.ingest import Extracted, IngestError, validate_source_url, validate_text
from app.models import Article, ArticleSource, Pair, StoredAlignment, User
from app.services.activity import log_activity

SIDES = ("original", "copy")
SourceKind = Literal["file", "url", "html"]


@dataclass(frozen=True, slots=True)
class RawSource:
    """What a text was extracted from, kept with the article as evidence: the bytes exactly as
    received and what was assumed reading them (``kind``: an uploaded "file", a page fetched from
    a "url", or "html" pasted into the form)."""

    kind: SourceKind
    format: str
    raw: bytes
    filename: str | None = None
    content_type: str | None = None
    encoding: str | None = None
    encoding_detected: bool = False
    url: str | None = None
    final_url: str | None = None
    http_status: int | None = None
    fetched_at: datetime | None = None

    @classmethod
    def from_extracted(cls, kind: SourceKind, extracted: Extracted) -> RawSource:
        return cls(kind=kind, format=extracted.format, raw=extracted.raw, filename=extracted.filename,
                   content_type=extracted.content_type, encoding=extracted.encoding,
                   encoding_detected=extracted.encoding_detected, url=extracted.url,
                   final_url=extracted.final_url, http_status=extracted.http_status,
                   fetched_at=extracted.fetched_at)

    @property
    def address(self) -> str | None:
        """Where a fetched page was found (after redirects); None for other kinds."""
        return (self.final_url or self.url) if self.kind == "url" else None


@dataclass(frozen=True, slots=True)
class ArticleInput:
    """One side of a submission, before validation; ``source`` is the raw input the text was
    extracted from (None for text sent as text)."""

    title: str
    text: str
    source_url: str | None = None
    source: RawSource | None = None


def validate_side(side: str, data: ArticleInput, *, max_bytes: int) -> dict[str, str]:
    """Field errors of one side, keyed ``{side}.text``, ``{side}.title``, ``{side}.source_url``."""
    errors: dict[str, str] = {}
    label = "original" if side == "original" else "copy"
    try:
        validate_text(data.text, max_bytes=max_bytes, what=f"The {label} text")
    except IngestError as exc:
        errors[f"{side}.text"] = exc.message
    if len(data.title.strip()) > 500:
        errors[f"{side}.title"] = "The title is longer than 500 characters"
    try:
        validate_source_url(data.source_url)
    except IngestError as exc:
        errors[f"{side}.source_url"] = exc.message
    return errors


def create_pair(session: Session, original: ArticleInput, copy: ArticleInput, *,
                max_bytes: int, title: str | None = None, user: User | None = None) -> Pair:
    """Validate both sides, store them and their alignment; raise InvalidInput/TooLarge on error.
    The pair's activity log starts with ``user`` creating it (None: copydesk itself, the demo)."""
    errors = {**validate_side("original", original, max_bytes=max_bytes),
              **validate_side("copy", copy, max_bytes=max_bytes)}
    if errors:
        too_large = any("the limit is" in message for message in errors.values())
        raise (TooLarge if too_large else InvalidInput)(errors)
    orig = _article(original, "Original")
    cop = _article(copy, "Copy")
    pair = Pair(title=(title or "").strip() or _pair_title(orig.title, cop.title), original=orig, copy=cop)
    session.add(pair)
    session.flush()
    log_activity(session, pair, user, "created")
    alignment_for(session, pair)
    return pair


def _article(data: ArticleInput, fallback: str) -> Article:
    title = data.title.strip() or _first_line(data.text) or fallback
    source = data.source
    return Article(
        title=title[:500],
        # A fetched page was published where it was found, unless the user says otherwise.
        source_url=validate_source_url(data.source_url) or (source.address if source else None),
        text=data.text,
        length=len(data.text),
        sha256=hashlib.sha256(data.text.encode("utf-8", "surrogatepass")).hexdigest(),
        source=_article_source(source) if source else None,
    )


def _article_source(source: RawSource) -> ArticleSource:
    return ArticleSource(
        kind=source.kind, format=source.format, filename=_clip(source.filename, 500),
        content_type=_clip(source.content_type, 200), encoding=_clip(source.encoding, 40),
        encoding_detected=source.encoding_detected, raw=source.raw, size=len(source.raw),
        sha256=hashlib.sha256(source.raw).hexdigest(), url=_clip(source.url, 2000),
        final_url=_clip(source.final_url, 2000), http_status=source.http_status,
        fetched_at=source.fetched_at,
    )


def _clip(value: str | None, limit: int) -> str | None:
    return value[:limit] if value is not None else None


def _first_line(text: str) -> str:
    for line in text.splitlines():
        line = line.strip()
        if line:
            return line[:120] + ("…" if len(line) > 120 else "")
    return ""


def _pair_title(original: str, copy: str) -> str:
    return original if original == copy else f"{original} ↔ {copy}"[:500]


def list_pairs(session: Session, *, page: int = 1, page_size: int = 20) -> tuple[list[Pair], int]:
    """One page of pairs, newest first, and the total count."""
    total = session.scalar(select(func.count()).select_from(Pair)) or 0
    # A listing needs titles and figures, not the texts or the stored results (megabytes each).
    rows = session.scalars(
        select(Pair)
        .options(joinedload(Pair.original).defer(Article.text),
                 joinedload(Pair.copy).defer(Article.text),
                 joinedload(Pair.alignment).defer(StoredAlignment.result))
        .order_by(Pair.created_at.desc(), Pair.id.desc())
        .offset((max(page, 1) - 1) * page_size).limit(page_size)
    ).unique().all()
    return list(rows), total


def count_pairs(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Pair)) or 0


def get_pair(session: Session, pair_id: int) -> Pair:
    pair = session.get(Pair, pair_id)
    if pair is None:
        raise NotFound("pair", pair_id)
    return pair


def get_source(session: Session, pair_id: int, side: str) -> ArticleSource:
    """The raw input the ``side`` text of the pair was extracted from; NotFound when the pair does
    not exist or that text was sent as text."""
    pair = get_pair(session, pair_id)
    source = (pair.original if side == "original" else pair.copy).source
    if source is None:
        raise NotFound(f"raw source of the {side} text of pair", pair_id)
    return source


def source_metadata(session: Session, article_ids: Iterable[int]) -> dict[int, ArticleSource]:
    """The raw sources of these articles by article id, without their bytes (those may be large)."""
    ids = set(article_ids)
    if not ids:
        return {}
    rows = session.scalars(select(ArticleSource).options(defer(ArticleSource.raw))
                           .where(ArticleSource.article_id.in_(ids)))
    return {row.article_id: row for row in rows}


def delete_pair(session: Session, pair_id: int) -> None:
    """Delete a pair, its alignment, and its articles when no other pair uses them."""
    pair = get_pair(session, pair_id)
    articles = {pair.original_id, pair.copy_id}
    session.delete(pair)
    session.flush()
    for article_id in articles:
        used = session.scalar(select(func.count()).select_from(Pair).where(
            (Pair.original_id == article_id) | (Pair.copy_id == article_id)))
        if not used:
            article = session.get(Article, article_id)
            if article is not None:
                session.delete(article)
    session.flush()


# ------------------------------------------------------------------- alignment and its settings --
DEFAULT_OPTIONS = Options()
# What a reviewer may set on the page and through the API; the other Options fields follow.
MIN_SIMILARITY_RANGE = (0.1, 0.9)
# The rescue bar moves with the linking bar, keeping the engine's default proportion (0.22 / 0.3).
RESCUE_RATIO = DEFAULT_OPTIONS.rescue_similarity / DEFAULT_OPTIONS.min_similarity
_OPTION_FIELDS = tuple(f.name for f in fields(Options))


def options_to_dict(options: Options) -> dict[str, Any]:
    """The fields of ``options`` that differ from the engine's defaults (``{}`` for the defaults).

    Storing only the differences lets pairs nobody customised follow the engine's defaults when
    a new engine version changes them.

    >>> options_to_dict(Options())
    {}
    >>> options_to_dict(Options(min_similarity=0.5, rescue_similarity=0.367, quotes_copied=False))
    {'min_similarity': 0.5, 'rescue_similarity': 0.367, 'quotes_copied': False}
    """
    return {name: getattr(options, name) for name in _OPTION_FIELDS
            if getattr(options, name) != getattr(DEFAULT_OPTIONS, name)}


def options_from_dict(data: Mapping[str, Any] | None) -> Options:
    """Options from ``options_to_dict`` output; missing fields take the defaults, unknown keys are
    ignored. Raises ValueError for values the engine refuses.

    >>> options_from_dict({}) == Options()
    True
    >>> options_from_dict({"quotes_copied": False, "colour": "red"}).quotes_copied
    False
    """
    known = {name: value for name, value in (data or {}).items() if name in _OPTION_FIELDS}
    try:
        return replace(DEFAULT_OPTIONS, **known)
    except TypeError as exc:
        raise ValueError(f"not alignment options: {exc}") from exc


def reviewer_options(*, min_similarity: float, quotes_copied: bool) -> Options:
    """The engine options for the two settings a reviewer can change; InvalidInput when out of range.

    The rescue bar scales with ``min_similarity``; everything else keeps its default.

    >>> reviewer_options(min_similarity=0.3, quotes_copied=True) == Options()
    True
    >>> reviewer_options(min_similarity=0.6, quotes_copied=False).rescue_similarity
    0.44
    """
    low, high = MIN_SIMILARITY_RANGE
    if not (isinstance(min_similarity, int | float) and math.isfinite(min_similarity)
            and low <= min_similarity <= high):
        raise InvalidInput({"min_similarity": f"Minimum similarity must be a number from {low} to {high}"})
    if min_similarity == DEFAULT_OPTIONS.min_similarity:
        rescue = DEFAULT_OPTIONS.rescue_similarity
    else:
        rescue = round(min_similarity * RESCUE_RATIO, 3)
    return replace(DEFAULT_OPTIONS, min_similarity=float(min_similarity), rescue_similarity=rescue,
                   quotes_copied=bool(quotes_copied))


def pair_options(pair: Pair) -> Options:
    """The options the pair's alignment is made with: the stored ones, or the defaults."""
    stored = pair.alignment
    if stored is None:
        return DEFAULT_OPTIONS
    try:
        return options_from_dict(stored.options)
    except ValueError:
        return DEFAULT_OPTIONS


def alignment_for(session: Session, pair: Pair, options: Options | None = None, *,
                  user: User | None = None) -> Alignment:
    """The pair's alignment made with ``options`` (default: the pair's own, see ``pair_options``).

    Served as stored when the engine version and the options match; otherwise recomputed and
    stored with the options, which then become the pair's settings. Settings other than the
    defaults store the default figures too (see ``default_summary``). Recomputing a stored
    alignment is logged as ``user`` re-aligning the pair (None: copydesk, after an engine upgrade).
    """
    stored = pair.alignment
    wanted = pair_options(pair) if options is None else options
    if (stored is not None and stored.engine_version == ENGINE_VERSION
            and _stored_options(stored) == wanted):
        return Alignment.from_dict(stored.result)
    result = align(pair.original.text, pair.copy.text, options=wanted)
    defaults = None
    if wanted != DEFAULT_OPTIONS:
        default = align(pair.original.text, pair.copy.text, options=DEFAULT_OPTIONS)
        defaults = {"summary": default.summary.to_dict(),
                    "stripped": _stripped(pair, default, DEFAULT_OPTIONS).to_dict()}
    if stored is None:
        stored = pair.alignment = StoredAlignment(result={})
    else:
        reason = "settings" if _stored_options(stored) != wanted else "engine upgrade"
        log_activity(session, pair, user, "realigned", reason=reason)
    stored.engine_version = ENGINE_VERSION
    stored.options = options_to_dict(wanted)
    stored.result = result.to_dict()
    stored.original_reused = result.summary.original_reused
    stored.copy_derived = result.summary.copy_derived
    stored.defaults = defaults
    session.flush()
    return result


def outdated_pair_ids(session: Session) -> list[int]:
    """The pairs, oldest first, whose stored alignment another engine version made (or that
    have none): those a page or API read would otherwise align again on first view."""
    stmt = (select(Pair.id).outerjoin(StoredAlignment, StoredAlignment.pair_id == Pair.id)
            .where(or_(StoredAlignment.pair_id.is_(None), StoredAlignment.engine_version != ENGINE_VERSION))
            .order_by(Pair.id))
    return list(session.scalars(stmt))


def realign_outdated(session: Session, *, progress: Callable[[int, int], None] | None = None) -> int:
    """Align again, with each pair's own settings, every pair ``outdated_pair_ids`` lists, and
    commit after each one (an interrupted run keeps what it did; run it again to go on). Each is
    logged as copydesk re-aligning the pair after an engine upgrade. ``progress(done, total)``
    is called after each pair. Returns how many pairs were aligned."""
    ids = outdated_pair_ids(session)
    for done, pair_id in enumerate(ids, 1):
        pair = session.get(Pair, pair_id)
        if pair is not None:  # (deleted meanwhile)
            alignment_for(session, pair)
            session.commit()
        if progress is not None:
            progress(done, len(ids))
    return len(ids)


def _current_default_result(stored: StoredAlignment | None) -> Alignment | None:
    """The stored alignment when it was made with the default settings by this engine."""
    if stored is None or stored.engine_version != ENGINE_VERSION or _stored_options(stored) != DEFAULT_OPTIONS:
        return None
    return Alignment.from_dict(stored.result)


def _stored_options(stored: StoredAlignment) -> Options | None:
    try:
        return options_from_dict(stored.options)
    except ValueError:
        return None


def change_settings(session: Session, pair: Pair, *, min_similarity: float,
                    quotes_copied: bool, user: User | None = None) -> Alignment:
    """Store the reviewer's settings on the pair and re-align it with them (InvalidInput, with
    nothing changed, when a value is out of range); ``user`` is who the log names."""
    return alignment_for(session, pair,
                         reviewer_options(min_similarity=min_similarity, quotes_copied=quotes_copied),
                         user=user)


def default_summary(pair: Pair, *, strip_injected: bool = False) -> Summary:
    """The figures the pair has with the default settings: stored with the alignment when the
    pair has settings of its own, computed (and not stored) otherwise."""
    stored = pair.alignment
    if stored is not None and stored.engine_version == ENGINE_VERSION:
        if stored.defaults:
            return Summary.from_dict(stored.defaults["stripped" if strip_injected else "summary"])
    result = _current_default_result(stored) or align(pair.original.text, pair.copy.text, options=DEFAULT_OPTIONS)
    return _stripped(pair, result, DEFAULT_OPTIONS) if strip_injected else result.summary


def _stripped(pair: Pair, alignment: Alignment, options: Options) -> Summary:
    return summarise(pair.original.text, pair.copy.text, alignment.blocks, strip_injected=True,
                     quotes_copied=options.quotes_copied)


def summary_without_injected(pair: Pair, alignment: Alignment) -> Summary:
    """The alignment's figures with the injected runs left out of the copy."""
    return _stripped(pair, alignment, pair_options(pair))
