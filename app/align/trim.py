"""Edge trimming: a passage ends where the words its two sides share end.

Sentences are the unit of seeding, but a hard-wrapped or badly punctuated text has "sentences"
that run on for hundreds of characters, and reuse may start or stop inside one. Each side of a
passage is cut to its best-supported stretch: content words found on the other side count for,
content words not found there count against, and the stretch with the highest total wins (the
maximum-sum run). Function words count neither way, so a leading "The" neither extends nor
shortens a passage.
"""

from __future__ import annotations

from bisect import bisect_left

from app.align.facts_lex import STOP
from app.align.model import Span
from app.align.text import normalise
from app.align.units import Document

# What an unshared content word costs against a shared one: a stretch must share more than
# a third of its content words with the other side to be worth keeping.
_PENALTY = 0.5
# Fewer words than this at an edge are not worth cutting: a changed last word is an edit, not
# the end of the reuse.
_MIN_CUT = 8
_FUNCTION = frozenset(normalise(word) for word in STOP)


def trim_span(doc: Document, span: Span, other: frozenset[str] | set[str]) -> Span:
    """``span`` of ``doc`` cut to its stretch best supported by the words in ``other``."""
    norms = doc.tokens.norms
    first = bisect_left(doc.tokens.starts, span[0])
    last = bisect_left(doc.tokens.starts, span[1])
    best, best_from, best_to = 0.0, first, first
    total, run_from = 0.0, first
    for k in range(first, last):
        word = norms[k]
        if word in _FUNCTION:
            continue
        if total <= 0:
            total, run_from = 0.0, k
        total += 1.0 if word in other else -_PENALTY
        if total > best:
            best, best_from, best_to = total, run_from, k + 1
    if best_to <= best_from:
        return span
    start = span[0] if best_from - first < _MIN_CUT else _stretch_start(doc, best_from, span[0])
    end = span[1] if last - best_to < _MIN_CUT else _word_end(doc, best_to - 1, span[1])
    return (start, end)


def _stretch_start(doc: Document, token: int, floor: int) -> int:
    """Start of ``token``, moved back over the function words just before it (a dropped
    "The" or "In the" at the start of a reused sentence belongs to it)."""
    norms, starts = doc.tokens.norms, doc.tokens.starts
    k = token
    while k > 0 and starts[k - 1] >= floor and norms[k - 1] in _FUNCTION and token - k < 3:
        k -= 1
    return starts[k]


def _word_end(doc: Document, token: int, ceiling: int) -> int:
    """End of ``token`` with the punctuation that closes it (a full stop, a quote mark)."""
    end = doc.tokens.ends[token]
    text = doc.text
    while end < ceiling and not text[end].isspace() and not text[end].isalnum():
        end += 1
    return end
