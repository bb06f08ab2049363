"""ORM tables: articles (the texts), pairs (original + copy) and their stored alignments."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Float, ForeignKey, Integer, String, Text
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


class Pair(Base):
    """An original and a suspected copy of it."""

    __tablename__ = "pairs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    original_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="RESTRICT"), index=True)
    copy_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="RESTRICT"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)

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
