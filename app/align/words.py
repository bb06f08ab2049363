"""Word-level comparison inside one aligned block: differences, injected runs, kind and score."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz.distance import Indel

from app.align.model import Relation, Span, WordOp
from app.align.units import Document, Weights

# An equal run this short between two differences is shown as part of one change.
_ISLAND = 1


@dataclass(frozen=True, slots=True)
class BlockWords:
    """What the word alignment of a block yields."""

    kind: Relation
    score: float
    diff: tuple[WordOp, ...]
    injected: tuple[Span, ...]


def compare_block(
    odoc: Document,
    cdoc: Document,
    orange: tuple[int, int],
    crange: tuple[int, int],
    weights: Weights,
    *,
    injected_min_words: int,
    edited_min_score: float,
) -> BlockWords:
    """Align the words of original tokens ``orange`` with copy tokens ``crange``."""
    o_first, o_last = orange
    c_first, c_last = crange
    onorms = odoc.tokens.norms[o_first:o_last]
    cnorms = cdoc.tokens.norms[c_first:c_last]
    opcodes = [(op.tag, op.src_start, op.src_end, op.dest_start, op.dest_end)
               for op in Indel.opcodes(onorms, cnorms)]
    changes = _merge_islands(_pair_up(opcodes))
    obag = set(onorms)
    injected_runs = [
        (d1, d2) for tag, _s1, _s2, d1, d2 in changes
        if tag in ("insert", "replace") and _is_injected(cnorms[d1:d2], obag, weights, injected_min_words)
    ]
    injected = tuple(cdoc.token_span(c_first + d1, c_first + d2) for d1, d2 in injected_runs)
    diff = tuple(_word_op(odoc, cdoc, o_first, c_first, op) for op in changes)

    keep = [True] * len(cnorms)
    for d1, d2 in injected_runs:
        keep[d1:d2] = [False] * (d2 - d1)
    kept_norms = [n for n, k in zip(cnorms, keep, strict=True) if k]
    score = Indel.normalized_similarity(onorms, kept_norms) if onorms or kept_norms else 1.0
    kept_surface = [_surface(cdoc, c_first + i) for i, k in enumerate(keep) if k]
    o_surface = [_surface(odoc, i) for i in range(o_first, o_last)]
    if kept_surface == o_surface:
        kind = Relation.VERBATIM
        score = 1.0
    elif score >= edited_min_score:
        kind = Relation.EDITED
    else:
        kind = Relation.PARAPHRASED
    return BlockWords(kind, round(score, 3), diff, injected)


def _surface(doc: Document, index: int) -> str:
    return doc.text[doc.tokens.starts[index]:doc.tokens.ends[index]].casefold()


def _pair_up(opcodes: list[tuple[str, int, int, int, int]]) -> list[tuple[str, int, int, int, int]]:
    """Non-equal opcodes, with adjacent delete+insert fused into one replace."""
    out: list[tuple[str, int, int, int, int]] = []
    for op in opcodes:
        if op[0] == "equal":
            out.append(op)
            continue
        if out and out[-1][0] != "equal":
            _tag, s1, _s2, d1, _d2 = out[-1]
            out[-1] = ("replace", s1, op[2], d1, op[4])
        else:
            out.append(op)
    return out


def _merge_islands(ops: list[tuple[str, int, int, int, int]]) -> list[tuple[str, int, int, int, int]]:
    """Drop equal runs; fuse two differences separated by a tiny equal island."""
    changes: list[tuple[str, int, int, int, int]] = []
    pending_equal: tuple[str, int, int, int, int] | None = None
    for op in ops:
        if op[0] == "equal":
            pending_equal = op
            continue
        if changes and pending_equal is not None and pending_equal[2] - pending_equal[1] <= _ISLAND:
            _t, s1, _s2, d1, _d2 = changes[-1]
            changes[-1] = ("replace", s1, op[2], d1, op[4])
        elif changes and pending_equal is None:
            _t, s1, _s2, d1, _d2 = changes[-1]
            changes[-1] = ("replace", s1, op[2], d1, op[4])
        else:
            changes.append(op)
        pending_equal = None
    return [_retag(op) for op in changes]


def _retag(op: tuple[str, int, int, int, int]) -> tuple[str, int, int, int, int]:
    _tag, s1, s2, d1, d2 = op
    if s1 == s2:
        return ("insert", s1, s2, d1, d2)
    if d1 == d2:
        return ("delete", s1, s2, d1, d2)
    return ("replace", s1, s2, d1, d2)


def _is_injected(run: tuple[str, ...] | list[str], source: set[str], weights: Weights,
                 min_words: int) -> bool:
    """A long run of copy words that is mostly foreign to the source paragraph(s)."""
    if len(run) < min_words:
        return False
    total = sum(weights(w) for w in run)
    foreign = sum(weights(w) for w in run if w not in source)
    return total > 0 and foreign / total >= 0.7


def _word_op(odoc: Document, cdoc: Document, o_first: int, c_first: int,
             op: tuple[str, int, int, int, int]) -> WordOp:
    tag, s1, s2, d1, d2 = op
    original = odoc.token_span(o_first + s1, o_first + s2) if s2 > s1 else None
    copy = cdoc.token_span(c_first + d1, c_first + d2) if d2 > d1 else None
    return WordOp(tag, original, copy)
