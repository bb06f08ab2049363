"""The alignment engine: which parts of a copy come from which parts of an original.

Standard library and rapidfuzz only; no web framework, no database.

>>> result = align("One paragraph here.\\n\\nAnother one.", "One paragraph here.")
>>> [b.kind.value for b in result.blocks]
['verbatim', 'omitted']
"""

from app.align.engine import ENGINE_VERSION, Options, align, summarise
from app.align.model import (
    CHANGE_KINDS,
    DERIVED,
    FORMAT,
    Alignment,
    Block,
    Change,
    Relation,
    Span,
    Summary,
    WordOp,
)
from app.align.text import split_paragraphs

__all__ = [
    "CHANGE_KINDS",
    "DERIVED",
    "ENGINE_VERSION",
    "FORMAT",
    "Alignment",
    "Block",
    "Change",
    "Options",
    "Relation",
    "Span",
    "Summary",
    "WordOp",
    "align",
    "summarise",
    "split_paragraphs",
]
