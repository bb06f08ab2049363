"""ORM tables: articles (the texts), pairs (original + copy) and their stored alignments; users,
their login sessions and API tokens; notes on passages with replies and status history; the
activity log of each pair."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base


def utcnow() -> datetime:
    return datetime.now(UTC)


class Article(Base):
    """One submitted text, stored exactly as decoded so alignment offsets index it."""

    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    source_url: Mapped[str | None] = mapped_column(String(2000), nullable=True)
    text: Mapped[str] = mapped_column(Text)
    length: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    #: What the text was extracted from (a file or a fetched page), kept as evidence; None for
    #: text pasted as text. Loaded only when asked for: it may be large.
    source: Mapped[ArticleSource | None] = relationship(
        back_populates="article", cascade="all, delete-orphan", passive_deletes=True, uselist=False,
        lazy="select")


class ArticleSource(Base):
    """The raw input an article's text came from, byte for byte, with its SHA-256 and, for a
    fetched page, the address asked for, the address that answered and the fetch time."""

    __tablename__ = "article_sources"

    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    #: "file" (an upload), "url" (fetched by the server) or "html" (HTML pasted into the form).
    kind: Mapped[str] = mapped_column(String(10))
    #: "txt", "md", "html", "docx" or "pdf".
    format: Mapped[str] = mapped_column(String(10))
    filename: Mapped[str | None] = mapped_column(String(500), nullable=True)
    content_type: Mapped[str | None] = mapped_column(String(200), nullable=True)
    #: The encoding the text was decoded with (None for docx and pdf), and whether it was detected
    #: rather than declared or UTF-8.
    encoding: Mapped[str | None] = mapped_column(String(40), nullable=True)
    encoding_detected: Mapped[bool] = mapped_column(Boolean, default=False)
    raw: Mapped[bytes] = mapped_column(LargeBinary)
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    url: Mapped[str | None] = mapped_column(String(2000), nullable=True)
    final_url: Mapped[str | None] = mapped_column(String(2000), nullable=True)
    http_status: Mapped[int | None] = mapped_column(Integer, nullable=True)
    fetched_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    article: Mapped[Article] = relationship(back_populates="source")


class Pair(Base):
    """An original and a suspected copy of it."""

    __tablename__ = "pairs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    original_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="RESTRICT"), index=True)
    copy_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="RESTRICT"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    #: new -> in_review -> confirmed_copy | not_a_copy (app.services.review.VERDICTS), set by an editor.
    verdict: Mapped[str] = mapped_column(String(20), default="new", server_default="new")
    verdict_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    verdict_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    verdict_by: Mapped[User | None] = relationship(foreign_keys=[verdict_by_id])
    original: Mapped[Article] = relationship(foreign_keys=[original_id], lazy="joined")
    copy: Mapped[Article] = relationship(foreign_keys=[copy_id], lazy="joined")
    alignment: Mapped[StoredAlignment | None] = relationship(
        back_populates="pair", cascade="all, delete-orphan", passive_deletes=True, lazy="joined",
        uselist=False,
    )


class StoredAlignment(Base):
    """The engine's result for a pair, kept until the engine version or the options change."""

    __tablename__ = "alignments"

    pair_id: Mapped[int] = mapped_column(ForeignKey("pairs.id", ondelete="CASCADE"), primary_key=True)
    engine_version: Mapped[str] = mapped_column(String(40))
    options: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    original_reused: Mapped[float] = mapped_column(Float)
    copy_derived: Mapped[float] = mapped_column(Float)
    #: When the options are not the defaults: the figures the default settings give, as
    #: {"summary": Summary dict, "stripped": Summary dict without injected text}, so the page can
    #: say how the settings moved them without aligning the pair again on every view.
    defaults: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    pair: Mapped[Pair] = relationship(back_populates="alignment")


class User(Base):
    """An account. Never deleted (its notes and activity keep their author): deactivated."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: Lower case, unique: how the person logs in and how notes name their author.
    username: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    #: admin | editor | checker | viewer (app.auth.roles.Role).
    role: Mapped[str] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class LoginSession(Base):
    """A logged-in browser: the cookie holds a random token, the table only its SHA-256."""

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: The CSRF token every state-changing form and htmx request of this session must carry.
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship(lazy="joined")


class ApiToken(Base):
    """A personal API token (Authorization: Bearer); only its SHA-256 is kept."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: The first characters of the token, shown on the account page to tell tokens apart.
    prefix: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    user: Mapped[User] = relationship(lazy="joined")


class LoginThrottle(Base):
    """Failed logins for one account ("user:NAME") or one address ("addr:IP"): how many in a
    row, and until when further attempts are refused."""

    __tablename__ = "login_throttles"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class Note(Base):
    """A note on a passage of one side of a pair, anchored as a W3C Web Annotation target: the
    quoted text with some context (TextQuoteSelector) and its offsets (TextPositionSelector)."""

    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pair_id: Mapped[int] = mapped_column(ForeignKey("pairs.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    #: "original" or "copy".
    side: Mapped[str] = mapped_column(String(10))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    exact: Mapped[str] = mapped_column(Text)
    prefix: Mapped[str] = mapped_column(Text, default="")
    suffix: Mapped[str] = mapped_column(Text, default="")
    #: misquote | changed_fact | injected | copied | other
    label: Mapped[str] = mapped_column(String(20))
    #: open | confirmed | dismissed
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)
    body: Mapped[str] = mapped_column(Text)
    #: Raised by every edit: an edit made against an older version is refused, not applied blindly.
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    author: Mapped[User] = relationship(lazy="joined")
    replies: Mapped[list[Reply]] = relationship(
        back_populates="note", cascade="all, delete-orphan", passive_deletes=True, order_by="Reply.id")
    status_changes: Mapped[list[NoteStatusChange]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="NoteStatusChange.id")


class Reply(Base):
    """A reply in a note's thread."""

    __tablename__ = "note_replies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    note_id: Mapped[int] = mapped_column(ForeignKey("notes.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    body: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    note: Mapped[Note] = relationship(back_populates="replies")
    author: Mapped[User] = relationship(lazy="joined")


class NoteStatusChange(Base):
    """One change of a note's status: who, when, from what to what."""

    __tablename__ = "note_status_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    note_id: Mapped[int] = mapped_column(ForeignKey("notes.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    old_status: Mapped[str] = mapped_column(String(20))
    new_status: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    user: Mapped[User] = relationship(lazy="joined")


class Activity(Base):
    """One entry of a pair's activity log (created, re-aligned, note added, status changed,
    verdict...); ``detail`` holds what the entry needs to be read back in words."""

    __tablename__ = "activity"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pair_id: Mapped[int] = mapped_column(ForeignKey("pairs.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    action: Mapped[str] = mapped_column(String(40))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)

    user: Mapped[User | None] = relationship(lazy="joined")
