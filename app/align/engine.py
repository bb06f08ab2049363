"""The alignment pipeline: provenance (seeds, passages) -> blocks -> word diffs, facts and figures."""

from __future__ import annotations

import gc
import math
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from app.align.facts import find_all_changes
from app.align.model import Alignment, Block, Relation, Span, Summary
from app.align.text import quote_spans
from app.align.provenance import Tuning, Unit, derive, token_range
from app.align.units import Document, Weights, segment
from app.align.words import compare_block

ENGINE_VERSION = "2.6.0"

# A lone similar sentence pair with nothing around it must be this alike to count.
_SINGLE_SEED = 0.6
# Every whitespace character (what ``str.isspace`` and ``\s`` match: none lies above U+3000).
_SPACES = tuple(c for c in map(chr, range(0x3001)) if c.isspace())


@dataclass(frozen=True, slots=True)
class Options:
    """Settings of one alignment run.

    ``min_similarity``: the cosine and Dice a copy sentence must reach with an original
    sentence to count as derived from it (0..1). ``rescue_similarity``: the lower bar for a
    sentence whose candidate sits where the order of its neighbours says it should.
    ``injected_min_words``: the shortest run of foreign words inside a derived paragraph
    reported as injected. ``edited_min_score``: the word-order similarity that separates
    an edited paragraph from a paraphrased one. ``quotes_copied``: when False, text inside
    quotation marks counts as neither copied nor new in the summary figures (a quote any
    outlet may reproduce).
    """

    min_similarity: float = 0.3
    rescue_similarity: float = 0.22
    injected_min_words: int = 8
    edited_min_score: float = 0.7
    quotes_copied: bool = True

    def __post_init__(self) -> None:
        for name in ("min_similarity", "rescue_similarity", "edited_min_score"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must lie between 0 and 1, got {value}")
        if self.injected_min_words < 1:
            raise ValueError("injected_min_words must be at least 1")


def align(original: str, copy: str, *, options: Options | None = None) -> Alignment:
    """Align ``copy`` against ``original``: which copy paragraphs come from which original ones.

    >>> r = align("Alpha beta gamma delta.\\n\\nEpsilon zeta eta theta.",
    ...           "Epsilon zeta eta theta.\\n\\nBuy now!")
    >>> [(b.kind.value, b.original_paragraphs, b.copy_paragraphs) for b in r.blocks]
    [('omitted', (0,), ()), ('verbatim', (1,), (0,)), ('inserted', (), (1,))]
    """
    options = options or Options()
    with _collector_paused():
        return _align(original, copy, options)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for one alignment: the engine builds millions of
    small acyclic objects, and the collections they would set off on a long pair cost more
    the more is alive (a quadratic drift). Reference counting still frees everything."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _align(original: str, copy: str, options: Options) -> Alignment:
    odoc, cdoc = segment(original), segment(copy)
    weights = Weights(odoc, cdoc)
    # The more sentence pairs there are to compare, the likelier a lone look-alike by chance:
    # a seed with nothing around it needs more the longer the texts.
    pairs = max(len(odoc.sentences) * len(cdoc.sentences), 1)
    single = options.min_similarity + max(_SINGLE_SEED - options.min_similarity, 0.0) * min(
        1.0, math.log10(pairs) / 3)
    tuning = Tuning(threshold=options.min_similarity, weak=options.rescue_similarity,
                    single_seed=single)
    units = derive(odoc, cdoc, weights, tuning)
    blocks = _build_blocks(odoc, cdoc, units, weights, options)
    return Alignment(
        original_length=len(original),
        copy_length=len(copy),
        original_paragraphs=tuple(odoc.paragraphs),
        copy_paragraphs=tuple(cdoc.paragraphs),
        blocks=tuple(blocks),
        changes=tuple(find_all_changes(original, copy, blocks, documents=(odoc, cdoc))),
        summary=summarise(original, copy, blocks, quotes_copied=options.quotes_copied),
        engine_version=ENGINE_VERSION,
    )


# ------------------------------------------------------------------ blocks --
def _build_blocks(odoc: Document, cdoc: Document, units: list[Unit], weights: Weights,
                  options: Options) -> list[Block]:
    in_order = _longest_increasing([u.original[0] for u in units])
    rows: list[tuple[int, Unit | Span]] = [(u.copy[0], u) for u in units]
    rows.extend((span[0], span) for span in _uncovered(cdoc, [u.copy for u in units]))
    rows.sort(key=lambda row: row[0])
    omitted = _omitted(odoc, units)

    # Where each omitted paragraph goes: after the row of the nearest preceding used paragraph.
    unit_rows = {id(u): k for k, (_, u) in enumerate(rows) if isinstance(u, Unit)}
    last_row_of: dict[int, int] = {}
    for n, unit in enumerate(units):
        if n in in_order:
            for o in unit.original_paragraphs:
                last_row_of[o] = unit_rows[id(unit)]
    after: dict[int, list[int]] = defaultdict(list)
    for o in omitted:
        anchor = next((last_row_of[q] for q in range(o - 1, -1, -1) if q in last_row_of), -1)
        after[anchor].append(o)

    blocks: list[Block] = []
    moved = {id(u) for n, u in enumerate(units) if n not in in_order}
    copy_starts = [start for start, _ in cdoc.paragraphs]
    for o in after.get(-1, []):
        blocks.append(_omitted_block(odoc, o))
    for k, (_, row) in enumerate(rows):
        if isinstance(row, Unit):
            _add_derived(blocks, odoc, cdoc, row, id(row) in moved, weights, options)
        else:
            paragraph = _paragraph_of(copy_starts, row[0])
            blocks.append(Block(Relation.INSERTED, None, row, None, copy_paragraphs=(paragraph,)))
        for o in after.get(k, []):
            blocks.append(_omitted_block(odoc, o))
    return blocks


def _add_derived(blocks: list[Block], odoc: Document, cdoc: Document, unit: Unit, moved: bool,
                 weights: Weights, options: Options) -> None:
    words = compare_block(odoc, cdoc, token_range(odoc, unit.original), token_range(cdoc, unit.copy),
                          weights, injected_min_words=options.injected_min_words,
                          edited_min_score=options.edited_min_score)
    index = len(blocks)
    blocks.append(Block(words.kind, unit.original, unit.copy, words.score,
                        original_paragraphs=unit.original_paragraphs,
                        copy_paragraphs=unit.copy_paragraphs, moved=moved,
                        note=_note(unit, moved), diff=words.diff))
    for span in words.injected:
        blocks.append(Block(Relation.INSERTED, None, span, None,
                            copy_paragraphs=unit.copy_paragraphs, note="injected", parent=index))


def _omitted_block(odoc: Document, o: int) -> Block:
    return Block(Relation.OMITTED, odoc.paragraphs[o], None, None, original_paragraphs=(o,))


def _uncovered(cdoc: Document, spans: list[Span]) -> list[Span]:
    """Parts of copy paragraphs outside every span, trimmed of whitespace."""
    out: list[Span] = []
    spans = sorted(spans)
    k = 0
    for start, end in cdoc.paragraphs:
        pos = start
        while k < len(spans) and spans[k][1] <= pos:
            k += 1
        if k == len(spans) or spans[k][0] >= end:
            out.append((start, end))  # a paragraph nothing was derived from, whatever it holds
            continue
        j = k
        while j < len(spans) and spans[j][0] < end:
            if spans[j][0] > pos:
                _trimmed(cdoc.text, pos, spans[j][0], out)
            pos = max(pos, spans[j][1])
            j += 1
        if pos < end:
            _trimmed(cdoc.text, pos, end, out)
    return out


def _trimmed(text: str, start: int, end: int, out: list[Span]) -> None:
    while start < end and (text[start].isspace() or not text[start].isalnum() and text[start] in ".,;:"):
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if any(ch.isalnum() for ch in text[start:end]):
        out.append((start, end))


def _paragraph_of(starts: list[int], position: int) -> int:
    return max(bisect_right(starts, position) - 1, 0)


def _omitted(odoc: Document, units: list[Unit]) -> list[int]:
    used = bytearray(len(odoc.paragraphs))
    starts = [start for start, _ in odoc.paragraphs]
    for s, e in (u.original for u in units):
        # Paragraphs overlapping [s, e): from the one holding s to the last starting before e.
        first = max(bisect_right(starts, s) - 1, 0)
        for o in range(first, bisect_left(starts, e)):
            if odoc.paragraphs[o][1] > s:
                used[o] = 1
    return [o for o in range(len(odoc.paragraphs)) if not used[o]]


def _longest_increasing(values: list[int]) -> set[int]:
    """Indices of one longest strictly increasing subsequence of ``values``."""
    tails: list[int] = []
    tail_idx: list[int] = []
    prev: list[int] = [-1] * len(values)
    for i, v in enumerate(values):
        k = bisect_left(tails, v)
        if k == len(tails):
            tails.append(v)
            tail_idx.append(i)
        else:
            tails[k] = v
            tail_idx[k] = i
        prev[i] = tail_idx[k - 1] if k else -1
    out: set[int] = set()
    i = tail_idx[-1] if tail_idx else -1
    while i >= 0:
        out.add(i)
        i = prev[i]
    return out


def _note(unit: Unit, moved: bool) -> str:
    parts = []
    n_copy, n_orig = len(unit.copy_paragraphs), len(unit.original_paragraphs)
    if n_orig == 1 and n_copy > 1:
        parts.append(f"split into {n_copy} paragraphs")
    elif n_orig > 1 and n_copy == 1:
        parts.append(f"merged from {n_orig} paragraphs")
    elif n_orig > 1 and n_copy > 1:
        parts.append(f"{n_orig} paragraphs rewritten as {n_copy}")
    if moved:
        parts.append(f"moved from paragraph {unit.original_paragraphs[0] + 1}")
    return "; ".join(parts)


# ----------------------------------------------------------------- figures --
def summarise(original: str, copy: str, blocks: list[Block] | tuple[Block, ...], *,
              strip_injected: bool = False, quotes_copied: bool = True) -> Summary:
    """The headline figures of an alignment, as shares of non-whitespace characters.

    ``strip_injected`` leaves the injected runs out of the copy altogether (the copy as it
    would read without the scraped junk); ``quotes_copied=False`` leaves quoted text out of
    both texts' figures.

    >>> r = align("One two three four.", "One two three four.")
    >>> summarise("One two three four.", "One two three four.", r.blocks).copy_derived
    1.0
    """
    o_spans = [b.original for b in blocks if b.kind.derived and b.original]
    c_spans = [b.copy for b in blocks if b.kind.derived and b.copy]
    injected = [b.copy for b in blocks if b.parent is not None and b.copy]
    o_neutral: list[Span] = [] if quotes_copied else quote_spans(original)
    c_neutral: list[Span] = [] if quotes_copied else quote_spans(copy)
    o_spaces, c_spaces = _spaces_in(original), _spaces_in(copy)
    o_total = _nonspace(original, o_spaces, [(0, len(original))], o_neutral)
    c_total = _nonspace(copy, c_spaces, [(0, len(copy))], c_neutral)
    reused = _nonspace(original, o_spaces, o_spans, o_neutral)
    c_injected = _nonspace(copy, c_spaces, injected, c_neutral)
    derived = _nonspace(copy, c_spaces, c_spans, c_neutral) - c_injected
    if strip_injected:
        c_total -= c_injected
    counts: dict[str, int] = {kind.value: 0 for kind in Relation}
    for block in blocks:
        if block.parent is None:
            counts[block.kind.value] += 1
    counts["injected"] = len(injected)
    return Summary(
        original_reused=round(reused / o_total, 4) if o_total > 0 else 0.0,
        copy_derived=round(max(derived, 0) / c_total, 4) if c_total > 0 else 0.0,
        counts=counts,
    )


def _nonspace(text: str, spaces: list[str], spans: list[Span], exclude: list[Span] | None = None) -> int:
    """Non-whitespace characters in the union of ``spans``, less those inside ``exclude``
    (``spaces``: the whitespace characters ``text`` holds, see ``_spaces_in``)."""
    total = _count_union(text, spans, spaces)
    if exclude:
        total -= _count_union(text, _intersect(spans, exclude), spaces)
    return total


def _spaces_in(text: str) -> list[str]:
    """The whitespace characters ``text`` holds (most texts hold two or three)."""
    return [c for c in _SPACES if c in text]


def _count_union(text: str, spans: list[Span], spaces: list[str] | None = None) -> int:
    """Non-whitespace characters in the union of ``spans`` (``spaces``: as ``_spaces_in``
    gives them, found here when not given).

    >>> _count_union("ab  cd\\n\\u00a0ef", [(0, 4), (2, 9)])  # a, b, c, d, e
    5
    """
    # Only the whitespace characters the text holds are counted: one C-level count per
    # character and span, no slice, no regex.
    present = _spaces_in(text) if spaces is None else spaces
    total = 0
    last_end = 0
    for start, end in sorted(spans):
        start = max(start, last_end)
        if end > start:
            total += end - start - sum([text.count(c, start, end) for c in present])
            last_end = end
    return total


def _intersect(a: list[Span], b: list[Span]) -> list[Span]:
    """Overlaps of spans ``a`` with the sorted, disjoint spans ``b``."""
    b_starts = [s for s, _ in b]
    out: list[Span] = []
    for s1, e1 in a:
        k = max(bisect_right(b_starts, s1) - 1, 0)
        while k < len(b) and b[k][0] < e1:
            s2, e2 = b[k]
            if min(e1, e2) > max(s1, s2):
                out.append((max(s1, s2), min(e1, e2)))
            k += 1
    return out
