"""Result types of the alignment engine: frozen dataclasses with half-open character spans."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

FORMAT = "copydesk.alignment/1"

Span = tuple[int, int]

CHANGE_KINDS = ("name", "number", "date", "place", "quote", "attribution", "negation")


class Relation(StrEnum):
    """How a block of the copy relates to the original.

    The values double as CSS classes (``rel-edited``) and database strings.
    """

    VERBATIM = "verbatim"
    EDITED = "edited"
    PARAPHRASED = "paraphrased"
    INSERTED = "inserted"
    OMITTED = "omitted"

    @property
    def derived(self) -> bool:
        """True for the kinds whose copy text comes from the original."""
        return self in DERIVED


DERIVED = frozenset({Relation.VERBATIM, Relation.EDITED, Relation.PARAPHRASED})


@dataclass(frozen=True, slots=True)
class WordOp:
    """One word-level difference inside a derived block.

    ``tag`` is ``delete`` (words only in the original), ``insert`` (words only in
    the copy) or ``replace`` (both). Spans are character offsets into the full texts;
    the side a tag does not touch is ``None``.
    """

    tag: str
    original: Span | None
    copy: Span | None

    def to_dict(self) -> dict[str, Any]:
        return {"tag": self.tag, "original": _jspan(self.original), "copy": _jspan(self.copy)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> WordOp:
        return cls(data["tag"], _pspan(data["original"]), _pspan(data["copy"]))


@dataclass(frozen=True, slots=True)
class Block:
    """One row of the comparison: a run of copy paragraphs and the original paragraphs behind it.

    ``parent`` is set on an ``inserted`` block that lies inside the copy span of a
    derived block (text injected into a copied paragraph): it is that block's index.
    """

    kind: Relation
    original: Span | None
    copy: Span | None
    score: float | None
    original_paragraphs: tuple[int, ...] = ()
    copy_paragraphs: tuple[int, ...] = ()
    moved: bool = False
    note: str = ""
    diff: tuple[WordOp, ...] = ()
    parent: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "original": _jspan(self.original),
            "copy": _jspan(self.copy),
            "score": self.score,
            "original_paragraphs": list(self.original_paragraphs),
            "copy_paragraphs": list(self.copy_paragraphs),
            "moved": self.moved,
            "note": self.note,
            "parent": self.parent,
            "diff": [op.to_dict() for op in self.diff],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Block:
        return cls(
            kind=Relation(data["kind"]),
            original=_pspan(data["original"]),
            copy=_pspan(data["copy"]),
            score=data.get("score"),
            original_paragraphs=tuple(data.get("original_paragraphs", ())),
            copy_paragraphs=tuple(data.get("copy_paragraphs", ())),
            moved=bool(data.get("moved", False)),
            note=data.get("note", ""),
            diff=tuple(WordOp.from_dict(op) for op in data.get("diff", ())),
            parent=data.get("parent"),
        )


@dataclass(frozen=True, slots=True)
class Change:
    """A fact that differs between a derived block and its source.

    ``kind`` is one of CHANGE_KINDS; ``block`` is the index of the derived block it lies in;
    ``note`` says in words what changed ("number: 12 -> 21").
    """

    kind: str
    original: Span
    copy: Span
    original_text: str
    copy_text: str
    block: int | None = None
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "original": list(self.original),
            "copy": list(self.copy),
            "original_text": self.original_text,
            "copy_text": self.copy_text,
            "block": self.block,
            "note": self.note,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Change:
        return cls(data["kind"], _pspan(data["original"]), _pspan(data["copy"]),
                   data["original_text"], data["copy_text"], data.get("block"), data.get("note", ""))


@dataclass(frozen=True, slots=True)
class Summary:
    """Headline figures: shares of non-whitespace characters, and blocks per kind."""

    original_reused: float
    copy_derived: float
    counts: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"original_reused": self.original_reused, "copy_derived": self.copy_derived,
                "counts": dict(self.counts)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Summary:
        return cls(data["original_reused"], data["copy_derived"], dict(data.get("counts", {})))


@dataclass(frozen=True, slots=True)
class Alignment:
    """The whole result for one (original, copy) pair; ``to_dict`` is the JSON contract."""

    original_length: int
    copy_length: int
    original_paragraphs: tuple[Span, ...]
    copy_paragraphs: tuple[Span, ...]
    blocks: tuple[Block, ...]
    changes: tuple[Change, ...]
    summary: Summary
    engine_version: str

    def to_dict(self) -> dict[str, Any]:
        """The ``copydesk.alignment/1`` document (plus extra keys the contract allows)."""
        return {
            "format": FORMAT,
            "engine_version": self.engine_version,
            "original": {"length": self.original_length,
                         "paragraphs": [list(p) for p in self.original_paragraphs]},
            "copy": {"length": self.copy_length,
                     "paragraphs": [list(p) for p in self.copy_paragraphs]},
            "blocks": [b.to_dict() for b in self.blocks],
            "changes": [c.to_dict() for c in self.changes],
            "summary": self.summary.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Alignment:
        """Rebuild an alignment from ``to_dict`` output (a stored result)."""
        if data.get("format") != FORMAT:
            raise ValueError(f"not a {FORMAT} document: format is {data.get('format')!r}")
        return cls(
            original_length=data["original"]["length"],
            copy_length=data["copy"]["length"],
            original_paragraphs=tuple(_pspan(p) for p in data["original"]["paragraphs"]),
            copy_paragraphs=tuple(_pspan(p) for p in data["copy"]["paragraphs"]),
            blocks=tuple(Block.from_dict(b) for b in data["blocks"]),
            changes=tuple(Change.from_dict(c) for c in data["changes"]),
            summary=Summary.from_dict(data["summary"]),
            engine_version=data.get("engine_version", ""),
        )

    def top_level_blocks(self) -> list[tuple[int, Block]]:
        """Blocks that form rows (nested injected blocks excluded), with their indices."""
        return [(i, b) for i, b in enumerate(self.blocks) if b.parent is None]

    def children(self, index: int) -> list[Block]:
        """Inserted blocks nested inside block ``index`` (injected text)."""
        return [b for b in self.blocks if b.parent == index]


def _jspan(span: Span | None) -> list[int] | None:
    return None if span is None else [span[0], span[1]]


def _pspan(span: Any) -> Span | None:
    return None if span is None else (int(span[0]), int(span[1]))
