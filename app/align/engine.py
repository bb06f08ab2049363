"""Alignment pipeline (placeholder being replaced): paragraphs matched by best fuzzy ratio."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz

from app.align.model import Alignment, Block, Relation, Summary
from app.align.text import split_paragraphs

ENGINE_VERSION = "0.0.1"


@dataclass(frozen=True, slots=True)
class Options:
    """Tunable settings of one alignment run."""

    min_similarity: float = 0.35


def align(original: str, copy: str, *, options: Options | None = None) -> Alignment:
    """Align ``copy`` against ``original``.

    >>> align("A b c.", "A b c.").blocks[0].kind.value
    'verbatim'
    """
    options = options or Options()
    ops, cps = split_paragraphs(original), split_paragraphs(copy)
    blocks = []
    used = set()
    for ci, (cs, ce) in enumerate(cps):
        best, best_j = 0.0, None
        for j, (os_, oe) in enumerate(ops):
            r = fuzz.ratio(original[os_:oe], copy[cs:ce]) / 100
            if r > best:
                best, best_j = r, j
        if best_j is not None and best >= options.min_similarity:
            used.add(best_j)
            kind = Relation.VERBATIM if best == 1 else Relation.EDITED if best > 0.8 else Relation.PARAPHRASED
            blocks.append(Block(kind, ops[best_j], (cs, ce), round(best, 3), (best_j,), (ci,)))
        else:
            blocks.append(Block(Relation.INSERTED, None, (cs, ce), None, (), (ci,)))
    for j, span in enumerate(ops):
        if j not in used:
            blocks.append(Block(Relation.OMITTED, span, None, None, (j,), ()))
    return Alignment(len(original), len(copy), tuple(ops), tuple(cps), tuple(blocks), (),
                     Summary(0.0, 0.0, {}), ENGINE_VERSION)
