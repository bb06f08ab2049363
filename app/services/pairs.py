"""Pairs: creating them from two submitted texts, listing, fetching, deleting, aligning."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, defer, joinedload

from app.align import ENGINE_VERSION, Alignment, align
from app.errors import InvalidInput, NotFound, TooLarge
from app.ingest import IngestError, validate_source_url, validate_text
from app.models import Article, Pair, StoredAlignment

SIDES = ("original", "copy")


@dataclass(frozen=True, slots=True)
class ArticleInput:
    """One side of a submission, before validation."""

    title: str
    text: str
    source_url: str | None = None


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
                max_bytes: int, title: str | None = None) -> Pair:
    """Validate both sides, store them and their alignment; raise InvalidInput/TooLarge on error."""
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
    alignment_for(session, pair)
    return pair


def _article(data: ArticleInput, fallback: str) -> Article:
    title = data.title.strip() or _first_line(data.text) or fallback
    return Article(
        title=title[:500],
        source_url=validate_source_url(data.source_url),
        text=data.text,
        length=len(data.text),
        sha256=hashlib.sha256(data.text.encode("utf-8", "surrogatepass")).hexdigest(),
    )


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


def alignment_for(session: Session, pair: Pair) -> Alignment:
    """The pair's alignment, recomputed and stored when missing or made by another engine version."""
    stored = pair.alignment
    if stored is not None and stored.engine_version == ENGINE_VERSION:
        return Alignment.from_dict(stored.result)
    result = align(pair.original.text, pair.copy.text)
    data = result.to_dict()
    if stored is None:
        pair.alignment = StoredAlignment(
            engine_version=ENGINE_VERSION, options={}, result=data,
            original_reused=result.summary.original_reused, copy_derived=result.summary.copy_derived)
    else:
        stored.engine_version = ENGINE_VERSION
        stored.result = data
        stored.original_reused = result.summary.original_reused
        stored.copy_derived = result.summary.copy_derived
    session.flush()
    return result
