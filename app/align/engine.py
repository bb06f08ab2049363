"""The alignment pipeline: sentence seeds -> paragraph links -> blocks -> word diffs and figures."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from app.align.facts import find_changes
from app.align.model import Alignment, Block, Relation, Span, Summary
from app.align.text import quote_spans
from app.align.units import Document, Weights, cosine, dice, segment
from app.align.words import compare_block

ENGINE_VERSION = "1.0.0"

# Words in more original sentences than this only confirm candidates, never propose them.
_MAX_POSTING = 60
_CANDIDATES = 6


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
    odoc, cdoc = segment(original), segment(copy)
    weights = Weights(odoc, cdoc)
    sources = link_paragraphs(odoc, cdoc, weights, options)
    blocks = _build_blocks(odoc, cdoc, sources, weights, options)
    return Alignment(
        original_length=len(original),
        copy_length=len(copy),
        original_paragraphs=tuple(odoc.paragraphs),
        copy_paragraphs=tuple(cdoc.paragraphs),
        blocks=tuple(blocks),
        changes=tuple(change for index, block in enumerate(blocks) if block.kind.derived
                      for change in find_changes(original, copy, block, index)),
        summary=summarise(original, copy, blocks, quotes_copied=options.quotes_copied),
        engine_version=ENGINE_VERSION,
    )


# ----------------------------------------------------------------- linking --
def link_paragraphs(odoc: Document, cdoc: Document, weights: Weights,
                    options: Options) -> list[list[int]]:
    """For every copy paragraph, the sorted original paragraphs it is derived from."""
    best = _best_partners(odoc, cdoc, weights)
    votes: list[dict[int, float]] = [defaultdict(float) for _ in cdoc.paragraphs]
    weak: list[tuple[int, int, float]] = []
    for si, sentence in enumerate(cdoc.sentences):
        partner = best[si]
        if partner is None:
            continue
        oi, cos, dc = partner
        size = sentence.last - sentence.first
        if cos >= options.min_similarity and dc >= options.min_similarity:
            votes[sentence.paragraph][odoc.sentences[oi].paragraph] += size * (cos + dc) / 2
        elif (cos + dc) / 2 >= options.rescue_similarity:
            weak.append((si, oi, (cos + dc) / 2))
    sources = [_strong_sources(v) for v in votes]
    for si, oi, sim in weak:
        sentence = cdoc.sentences[si]
        para = odoc.sentences[oi].paragraph
        low, high = _order_window(sources, sentence.paragraph, len(odoc.paragraphs))
        if low <= para <= high:
            votes[sentence.paragraph][para] += (sentence.last - sentence.first) * sim
    return [_strong_sources(v) for v in votes]


def _best_partners(odoc: Document, cdoc: Document,
                   weights: Weights) -> list[tuple[int, float, float] | None]:
    """For every copy sentence, its most similar original sentence (index, cosine, Dice)."""
    postings: dict[str, list[int]] = defaultdict(list)
    for oi, sentence in enumerate(odoc.sentences):
        for word in sentence.bag:
            postings[word].append(oi)
    out: list[tuple[int, float, float] | None] = []
    n_copy, n_original = max(len(cdoc.sentences), 1), max(len(odoc.sentences), 1)
    for si, sentence in enumerate(cdoc.sentences):
        scores: dict[int, float] = defaultdict(float)
        for word, count in sentence.bag.items():
            hits = postings.get(word)
            if not hits or len(hits) > _MAX_POSTING:
                continue
            w = weights(word) * count
            for oi in hits:
                scores[oi] += w
        if not scores:
            out.append(None)
            continue
        ranked = sorted(scores, key=scores.__getitem__, reverse=True)[:_CANDIDATES]
        here = si / n_copy
        choice, choice_key = None, (-1.0, 0.0)
        for oi in ranked:
            other = odoc.sentences[oi].bag
            cos, dc = cosine(sentence.bag, other, weights), dice(sentence.bag, other)
            # Equal scores (repeated sentences): the one at the same relative place wins.
            key = (round(cos + dc, 6), -abs(oi / n_original - here))
            if key > choice_key:
                choice, choice_key = (oi, cos, dc), key
        out.append(choice)
    return out


def _strong_sources(votes: dict[int, float]) -> list[int]:
    """Original paragraphs carrying a real share of a copy paragraph's votes."""
    if not votes:
        return []
    top = max(votes.values())
    return sorted(p for p, v in votes.items() if v >= 0.2 * top)


def _order_window(sources: list[list[int]], index: int, n_original: int) -> tuple[int, int]:
    """The original paragraphs a copy paragraph may come from, judging by its linked neighbours."""
    low, high = 0, n_original - 1
    for j in range(index - 1, -1, -1):
        if sources[j]:
            low = max(sources[j])
            break
    for j in range(index + 1, len(sources)):
        if sources[j]:
            high = min(sources[j])
            break
    if own := sources[index]:
        low, high = min(low, min(own)), max(high, max(own))
    return (low, high) if low <= high else (high, low)


# ------------------------------------------------------------------ blocks --
@dataclass(slots=True)
class _Group:
    copy: list[int]
    original: list[int]


def _group(sources: list[list[int]]) -> list[_Group]:
    """Consecutive copy paragraphs with the same single source form one block (a split);
    a copy paragraph with several adjacent sources is one block (a merge)."""
    groups: list[_Group] = []
    for ci, srcs in enumerate(sources):
        if not srcs:
            groups.append(_Group([ci], []))
            continue
        runs = _contiguous_runs(srcs)
        if len(runs) > 1:
            # Sources far apart: keep the run with the most paragraphs, the rest are noise
            # for a paragraph-level view.
            runs.sort(key=len, reverse=True)
        run = runs[0]
        prev = groups[-1] if groups else None
        if (prev is not None and prev.original and len(run) == 1 and prev.original == run
                and prev.copy[-1] == ci - 1):
            prev.copy.append(ci)
        else:
            groups.append(_Group([ci], run))
    return groups


def _contiguous_runs(values: list[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for v in sorted(values):
        if runs and v == runs[-1][-1] + 1:
            runs[-1].append(v)
        else:
            runs.append([v])
    return runs


def _build_blocks(odoc: Document, cdoc: Document, sources: list[list[int]], weights: Weights,
                  options: Options) -> list[Block]:
    groups = _group(sources)
    derived = [g for g in groups if g.original]
    in_order = _longest_increasing([g.original[0] for g in derived])
    moved_ids = {id(g) for k, g in enumerate(derived) if k not in in_order}
    used = {o for g in derived for o in g.original}

    rows: list[tuple[_Group | None, int | None]] = [(g, None) for g in groups]
    rows = _place_omitted(rows, used, moved_ids, len(odoc.paragraphs))

    blocks: list[Block] = []
    for group, omitted in rows:
        if group is None:
            assert omitted is not None
            blocks.append(Block(Relation.OMITTED, odoc.paragraphs[omitted], None, None,
                                original_paragraphs=(omitted,)))
            continue
        cspan = (cdoc.paragraphs[group.copy[0]][0], cdoc.paragraphs[group.copy[-1]][1])
        if not group.original:
            blocks.append(Block(Relation.INSERTED, None, cspan, None,
                                copy_paragraphs=tuple(group.copy)))
            continue
        ospan = (odoc.paragraphs[group.original[0]][0], odoc.paragraphs[group.original[-1]][1])
        orange = (odoc.para_tokens[group.original[0]][0], odoc.para_tokens[group.original[-1]][1])
        crange = (cdoc.para_tokens[group.copy[0]][0], cdoc.para_tokens[group.copy[-1]][1])
        words = compare_block(odoc, cdoc, orange, crange, weights,
                              injected_min_words=options.injected_min_words,
                              edited_min_score=options.edited_min_score)
        moved = id(group) in moved_ids
        index = len(blocks)
        blocks.append(Block(words.kind, ospan, cspan, words.score,
                            original_paragraphs=tuple(group.original),
                            copy_paragraphs=tuple(group.copy), moved=moved,
                            note=_note(group, moved), diff=words.diff))
        for span in words.injected:
            blocks.append(Block(Relation.INSERTED, None, span, None,
                                copy_paragraphs=tuple(group.copy), note="injected", parent=index))
    return blocks


def _longest_increasing(values: list[int]) -> set[int]:
    """Indices of one longest strictly increasing subsequence of ``values``."""
    from bisect import bisect_left

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


def _place_omitted(rows: list[tuple[_Group | None, int | None]], used: set[int],
                   moved_ids: set[int], n_original: int) -> list[tuple[_Group | None, int | None]]:
    """Insert a row for every unused original paragraph after the row holding its predecessor."""
    omitted = [o for o in range(n_original) if o not in used]
    if not omitted:
        return rows
    after: dict[int, list[int]] = defaultdict(list)
    last_row_of: dict[int, int] = {}
    for r, (group, _) in enumerate(rows):
        if group is not None and group.original and id(group) not in moved_ids:
            for o in group.original:
                last_row_of[o] = r
    for o in omitted:
        anchor = -1
        for prev in range(o - 1, -1, -1):
            if prev in last_row_of:
                anchor = last_row_of[prev]
                break
        after[anchor].append(o)
    out: list[tuple[_Group | None, int | None]] = [(None, o) for o in after.get(-1, [])]
    for r, row in enumerate(rows):
        out.append(row)
        out.extend((None, o) for o in after.get(r, []))
    return out


def _note(group: _Group, moved: bool) -> str:
    parts = []
    n_copy, n_orig = len(group.copy), len(group.original)
    if n_orig == 1 and n_copy > 1:
        parts.append(f"split into {n_copy} paragraphs")
    elif n_orig > 1 and n_copy == 1:
        parts.append(f"merged from {n_orig} paragraphs")
    elif n_orig > 1 and n_copy > 1:
        parts.append(f"{n_orig} paragraphs rewritten as {n_copy}")
    if moved:
        parts.append(f"moved from paragraph {group.original[0] + 1}")
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
    o_total = _nonspace(original, [(0, len(original))], o_neutral)
    c_total = _nonspace(copy, [(0, len(copy))], c_neutral)
    reused = _nonspace(original, o_spans, o_neutral)
    derived = _nonspace(copy, c_spans, c_neutral) - _nonspace(copy, injected, c_neutral)
    if strip_injected:
        c_total -= _nonspace(copy, injected, c_neutral)
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


def _nonspace(text: str, spans: list[Span], exclude: list[Span] | None = None) -> int:
    """Non-whitespace characters in the union of ``spans``, less those inside ``exclude``."""
    total = _count_union(text, spans)
    if exclude:
        total -= _count_union(text, _intersect(spans, exclude))
    return total


def _count_union(text: str, spans: list[Span]) -> int:
    total = 0
    last_end = 0
    for start, end in sorted(spans):
        start = max(start, last_end)
        if end > start:
            chunk = text[start:end]
            total += len(chunk) - sum(1 for ch in chunk if ch.isspace())
            last_end = end
    return total


def _intersect(a: list[Span], b: list[Span]) -> list[Span]:
    out: list[Span] = []
    for s1, e1 in a:
        for s2, e2 in b:
            if min(e1, e2) > max(s1, s2):
                out.append((max(s1, s2), min(e1, e2)))
    return out
