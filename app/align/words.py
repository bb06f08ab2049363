"""Word-level comparison inside one aligned block: differences, injected runs, kind and score."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from functools import cached_property
from weakref import WeakKeyDictionary

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

from app.align.junk import (boilerplate_opening, breadcrumbs, glued, is_marker, junk_span, sentence_start,
                            shouted, weak_cut)
from app.align.model import Relation, Span, WordOp
from app.align.units import Document, Weights

# One word-level opcode, relative to the block: (tag, original from, to, copy from, to).
_Op = tuple[str, int, int, int, int]

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
    opcodes: list[_Op] = Indel.opcodes(onorms, cnorms).as_list()
    changes = _merge_islands(_pair_up(opcodes))
    runs = injected_runs(odoc, cdoc, orange, crange, weights, changes, min_words=injected_min_words)
    injected = tuple(span for _first, _last, span in runs)
    ostarts, oends = odoc.tokens.starts, odoc.tokens.ends
    cstarts, cends = cdoc.tokens.starts, cdoc.tokens.ends
    # (each side's character span read straight from the token columns, as ``token_span``
    # would give it: no call per side of each difference)
    diff = tuple(WordOp(tag, (ostarts[o_first + s1], oends[o_first + s2 - 1]) if s2 > s1 else None,
                        (cstarts[c_first + d1], cends[c_first + d2 - 1]) if d2 > d1 else None)
                 for tag, s1, s2, d1, d2 in changes)

    keep: list[bool] | None = None
    kept_norms = list(cnorms)
    if runs:
        keep = [True] * len(cnorms)
        for first, last, _span in runs:
            keep[first:last] = [False] * (last - first)
        kept_norms = [n for n, k in zip(cnorms, keep, strict=True) if k]
    score = Indel.normalized_similarity(onorms, kept_norms) if onorms or kept_norms else 1.0
    # Same surface words imply the same normalised ones: compare surfaces only then.
    if list(onorms) == kept_norms and _folded(cdoc, c_first, c_last, keep) == _folded(odoc, o_first, o_last):
        kind = Relation.VERBATIM
        score = 1.0
    elif score >= edited_min_score:
        kind = Relation.EDITED
    else:
        kind = Relation.PARAPHRASED
    return BlockWords(kind, round(score, 3), diff, injected)


def _folded(doc: Document, first: int, last: int, keep: list[bool] | None = None) -> list[str]:
    """Words ``first..last`` as written (those ``keep`` marks, when given), case-folded."""
    words = doc.tokens.words[first:last]
    if keep is not None:
        words = tuple(word for word, kept in zip(words, keep, strict=True) if kept)
    return list(map(str.casefold, words))


def _pair_up(opcodes: list[_Op]) -> list[_Op]:
    """Non-equal opcodes, with adjacent delete+insert fused into one replace."""
    out: list[_Op] = []
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


def _merge_islands(ops: list[_Op]) -> list[_Op]:
    """Drop equal runs; fuse two differences separated by a tiny equal island."""
    changes: list[_Op] = []
    pending_equal: _Op | None = None
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


def _retag(op: _Op) -> _Op:
    _tag, s1, s2, d1, d2 = op
    if s1 == s2:
        return ("insert", s1, s2, d1, d2)
    if d1 == d2:
        return ("delete", s1, s2, d1, d2)
    return ("replace", s1, s2, d1, d2)


# ---------------------------------------------------------------- injected --
# A run of copy words is injected when, net of the original words it stands for, it adds at
# least ``injected_min_words`` words that are foreign to the block's source, to the paragraphs
# around it and, to a lesser degree, to the original as a whole (a reworded clause reuses the
# original's words, a clause folded in from a neighbouring or distant paragraph too); or when
# it adds a few words and bears a scraper's mark (stuck on without a space, closed by "MORE",
# opening like "Click here").
_FOREIGN_SOURCE = 0.7
_NEARBY_SHARE = 0.45
_FOREIGN_ORIGINAL = 0.3
# A run that stands in for original words is a rewrite of them unless it adds far more words
# than it replaces ("According to X, the lighthouse once brought ..." for a reworded quote).
_ADDED_PER_REPLACED = 2
# Differences this few equal words apart belong to one rewritten stretch.
_REGION_GAP = 3
_REGION_OPS = 3
# A marked run: this many added words at least, and this much of them foreign to the source.
_MARKED_MIN_WORDS = 3
_FOREIGN_MARKED = 0.3
# How alike a name in the text and the name heading a glued card must be ("Anthony Blink" and
# "Antony Blinken"), as a rapidfuzz ratio.
_NAME_ECHO = 60.0
_NAME_WORDS = 5
# The longest link card looked for inside a run that is not junk as a whole.
_CARD_WORDS = 40

# The original's vocabulary, built once per alignment rather than once per block: keyed by the
# alignment's Weights (one per run, dropped with it), so no text outlives its alignment.
_vocabularies: WeakKeyDictionary[Weights, frozenset[str]] = WeakKeyDictionary()


def _original_words(odoc: Document, weights: Weights) -> frozenset[str]:
    """Every word of the original."""
    words = _vocabularies.get(weights)
    if words is None:
        words = frozenset(odoc.tokens.norms)
        _vocabularies[weights] = words
    return words


def injected_runs(odoc: Document, cdoc: Document, orange: tuple[int, int], crange: tuple[int, int],
                  weights: Weights, changes: list[_Op], *, min_words: int) -> list[tuple[int, int, Span]]:
    """The injected runs of one derived block: original tokens ``orange``, copy tokens ``crange``
    and the word differences between them (``changes``: opcodes relative to the two ranges,
    equal runs left out). Each run is its first and last copy token offset in the block and its
    character span, in copy order.

    >>> from app.align import align
    >>> original = "Mayor Ann Voss said the port would hire forty inspectors by spring."
    >>> copy = ("Mayor Ann VossAnn Voss slams harbour plan MORE said the port would hire forty "
    ...         "inspectors by spring.")
    >>> result = align(original, copy)
    >>> [copy[b.copy[0]:b.copy[1]] for b in result.blocks if b.parent is not None]
    ['Ann Voss slams harbour plan MORE']
    """
    return _Injected(odoc, cdoc, orange, crange, weights, min_words).find(changes)


class _Injected:
    """Finds the injected runs of one block's copy words."""

    def __init__(self, odoc: Document, cdoc: Document, orange: tuple[int, int],
                 crange: tuple[int, int], weights: Weights, min_words: int) -> None:
        self.odoc, self.cdoc = odoc, cdoc
        self.orange = orange
        self.c_first, self.c_last = crange
        self.onorms = odoc.tokens.norms[orange[0]:orange[1]]
        self.cnorms = cdoc.tokens.norms[self.c_first:self.c_last]
        self.weights = weights
        self.min_words = min_words
        self.marked_min = min(_MARKED_MIN_WORDS, min_words)
        self._nearby_words: frozenset[str] | None = None
        self.deficit = 0

    # The two vocabularies are read only when a run is judged, which most blocks never need.
    @cached_property
    def source(self) -> set[str]:
        """The block's original words."""
        return set(self.onorms)

    @cached_property
    def original(self) -> frozenset[str]:
        """Every word of the original."""
        return _original_words(self.odoc, self.weights)

    def find(self, changes: list[_Op]) -> list[tuple[int, int, Span]]:
        """Injected runs as (first, last) copy token offsets in the block and character spans."""
        runs = [(first - self.c_first, last - self.c_first, end)
                for first, last, end in breadcrumbs(self.cdoc, self.c_first, self.c_last)]
        for index, op in enumerate(changes):
            if op[4] - op[3] <= op[2] - op[1]:
                continue  # a deletion, or a replacement adding no word: nothing to judge
            self.deficit = _deficit(changes, index)
            run = self._judge(op)
            if run is None:
                continue
            first, last = run
            if first == op[3] and index > 0:
                first = self._name_header(changes[index - 1], first)
            runs.append((first, last, -1))
        return self._spans(runs)

    # -- runs of changed words ---------------------------------------------
    def _judge(self, op: _Op) -> tuple[int, int] | None:
        """The injected part of one insert/replace run, if any."""
        _tag, s1, s2, d1, d2 = op
        n, m = d2 - d1, s2 - s1
        if n - m < 1:
            return None
        if n - m < self.marked_min:
            return (d1, d2) if self._junk(d1, d2, m) else None
        best = self._trimmed(op) if m else (d1, d2)
        if self._junk(best[0], best[1], m - (n - (best[1] - best[0]))):
            return self._to_marks(*best)
        if best != (d1, d2) and self._junk(d1, d2, m):
            return self._to_marks(d1, d2)
        return self._card_inside(d1, d2)

    def _card_inside(self, d1: int, d2: int) -> tuple[int, int] | None:
        """A link card inside a longer run that is not junk as a whole (a sentence the source
        misses, with a card glued into it): from a glue boundary or a site's prompt after a
        sentence break to a marker word ("...said anSome title words MORE hourly ...")."""
        cdoc, base = self.cdoc, self.c_first
        # The marker may have been matched to the same word in lower case just after the run
        # ("... ending moreWhether ... MORE than", original "ending more than").
        stop = min(d2 + 1, self.c_last - base)
        for g in range(d1, d2):
            start = glued(cdoc, base + g)
            prompt = not start and sentence_start(cdoc, base + g) \
                and boilerplate_opening(cdoc, base + g, base + d2)
            if not (start or prompt):
                continue
            for k in range(g + 1, min(stop, g + _CARD_WORDS) + 1):
                if is_marker(cdoc, base + k - 1) and self._junk(g, k, 0):
                    return g, k
            if prompt and self._junk(g, d2, 0):
                return self._to_marks(g, d2)
        return None

    def _to_marks(self, a: int, b: int) -> tuple[int, int]:
        """Junk that opens with a site's prompt after a sentence break ("... by summer. Sign up
        for ...") starts there, and a glued card closed by a marker word ("VossEllen Voss slams
        plan MORE also said") ends there, unless the words cut off are junk on their own."""
        cdoc, base = self.cdoc, self.c_first
        if not (glued(cdoc, base + a) or boilerplate_opening(cdoc, base + a, base + b)):
            for k in range(a + 1, b):
                if (glued(cdoc, base + k) or sentence_start(cdoc, base + k)) \
                        and boilerplate_opening(cdoc, base + k, base + b):
                    if not self._junk(a, k, 0):
                        a = k
                    break
        if glued(cdoc, base + a) and not is_marker(cdoc, base + b - 1):
            for k in range(b - 1, a, -1):
                if is_marker(cdoc, base + k - 1):
                    if not self._junk(k, b, 0):
                        b = k
                    break
        return a, b

    def _trimmed(self, op: _Op) -> tuple[int, int]:
        """Where junk sits inside a run that also stands for original words ("start in April.
        Click here ...", where "start in April" rewords "begin in March"): the part between
        cuts (sentence starts, glue, marker words; commas or brackets when a third of the part
        cut off are original words) that leaves the words most like the original ones, or else
        about as many words as they were."""
        _tag, s1, s2, d1, d2 = op
        m = s2 - s1
        reach = 2 * m + 2
        words = set(self.onorms[s1:s2])
        cdoc, base = self.cdoc, self.c_first
        # A run that opens or closes with a scraper's mark is junk from that end on.
        marked_start = glued(cdoc, base + d1) or boilerplate_opening(cdoc, base + d1, base + d2)
        marked_end = is_marker(cdoc, base + d2 - 1)
        leads = [d1]
        shared = 0
        for k in range(d1 + 1, min(d2, d1 + reach + 1) if not marked_start else d1):
            shared += self.cnorms[k - 1] in words
            if self._strong_cut(base + k) or 3 * shared >= k - d1 and weak_cut(cdoc, base + k):
                leads.append(k)
        trails = [d2]
        shared = 0
        for k in range(d2 - 1, max(d1, d2 - reach - 1) if not marked_end else d2, -1):
            shared += self.cnorms[k] in words
            if self._strong_cut(base + k) or 3 * shared >= d2 - k and weak_cut(cdoc, base + k):
                trails.append(k)
        original = self.onorms[s1:s2]
        best = (d1, d2)
        best_key = (0.0, m, d1 - d2)
        for a in leads:
            for b in trails:
                rest = (a - d1) + (d2 - b)
                if b <= a or rest > reach or rest == 0:
                    continue
                kept = self.cnorms[d1:a] + self.cnorms[b:d2]
                key = (-round(Indel.normalized_similarity(kept, original), 3), abs(rest - m), a - b)
                if key < best_key:
                    best, best_key = (a, b), key
        return best

    def _strong_cut(self, k: int) -> bool:
        cdoc = self.cdoc
        return glued(cdoc, k) or sentence_start(cdoc, k) or is_marker(cdoc, k - 1)

    def _junk(self, a: int, b: int, unpaired: int) -> bool:
        """Copy words ``a..b-1`` are injected; ``unpaired`` original words have no copy words
        left to stand for them (those the run may have replaced)."""
        net = (b - a) - max(0, unpaired)
        if net < 1:
            return False
        cdoc, first, last = self.cdoc, self.c_first + a, self.c_first + b
        norms = self.cnorms[a:b]
        if unpaired <= 0 and all(shouted(cdoc, k) and (is_marker(cdoc, k) or norms[k - first] not in
                                                      self.original) for k in range(first, last)) \
                and any(is_marker(cdoc, k) for k in range(first, last)):
            return True  # "ADVERTISEMENT", "READ MORE"
        if net < self.marked_min:
            return False
        total = to_source = to_original = 0.0
        for word in norms:
            weight = self.weights(word)
            total += weight
            if word not in self.source:
                to_source += weight
            if word not in self.original:
                to_original += weight
        if total <= 0:
            return False
        replaced = max(0, unpaired) + self.deficit
        added = (b - a) - replaced
        if added < _ADDED_PER_REPLACED * replaced:
            return False
        if added >= self.min_words \
                and to_source >= _FOREIGN_SOURCE * total \
                and to_original >= _FOREIGN_ORIGINAL * total:
            nearby = self._nearby()
            if sum(self.weights(word) for word in norms if word in nearby) <= _NEARBY_SHARE * total:
                return True
        return added >= self.marked_min and to_source >= _FOREIGN_MARKED * total and (
            glued(cdoc, first) or is_marker(cdoc, last - 1) or boilerplate_opening(cdoc, first, last))

    def _nearby(self) -> frozenset[str]:
        """Words of the source paragraphs and of one paragraph either side: what a copy that
        merges or condenses paragraphs folds into a block drawn from their neighbour."""
        if self._nearby_words is None:
            odoc = self.odoc
            first, last = self.orange
            paragraphs = odoc.para_tokens
            if not paragraphs or last <= first:
                self._nearby_words = frozenset()
            else:
                lo = max(bisect_right(paragraphs, (first, len(odoc.tokens))) - 2, 0)
                hi = min(bisect_right(paragraphs, (last - 1, len(odoc.tokens))), len(paragraphs) - 1)
                self._nearby_words = frozenset(odoc.tokens.norms[paragraphs[lo][0]:paragraphs[hi][1]])
        return self._nearby_words

    def _name_header(self, previous: _Op, first: int) -> int:
        """A glued card repeats the name it hangs on ("Anthony Blink Antony BlinkenState ..."):
        when the words just before the run echo the changed words before them, and glue sits
        at either end of the echo, the echo is the card's header and the run starts there."""
        tag, _s1, _s2, p1, p2 = previous
        echo = first - p2
        if tag == "delete" or not 1 <= echo <= _NAME_WORDS or p2 - p1 > echo + 2:
            return first
        cdoc, base = self.cdoc, self.c_first
        if not (glued(cdoc, base + first) or glued(cdoc, base + p2)):
            return first
        starts, ends = cdoc.tokens.starts, cdoc.tokens.ends
        said = cdoc.text[starts[base + p1]:ends[base + p2 - 1]].casefold()
        header = cdoc.text[starts[base + p2]:ends[base + first - 1]].casefold()
        return p2 if fuzz.ratio(said, header) >= _NAME_ECHO else first

    # -- character spans ---------------------------------------------------
    def _spans(self, runs: list[tuple[int, int, int]]) -> list[tuple[int, int, Span]]:
        runs.sort()
        merged: list[list[int]] = []
        for first, last, end in runs:
            if merged and first <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], last)
                merged[-1][2] = max(merged[-1][2], end)
            else:
                merged.append([first, last, end])
        out: list[tuple[int, int, Span]] = []
        for first, last, end in merged:
            start, stop = junk_span(self.cdoc, self.c_first + first, self.c_first + last, self.c_last)
            out.append((first, last, (start, max(stop, end))))
        return out


def _deficit(changes: list[_Op], index: int) -> int:
    """Original words dropped, net, by the differences next to difference ``index`` (a few
    equal words apart, up to _REGION_OPS on each side): a reworded sentence often shows as words
    deleted here and words inserted there."""
    total = 0
    for step in (-1, 1):
        k = index
        for _ in range(_REGION_OPS):
            j = k + step
            if not 0 <= j < len(changes):
                break
            left, right = (changes[k], changes[j]) if step == 1 else (changes[j], changes[k])
            if right[3] - left[4] > _REGION_GAP or right[1] - left[2] > _REGION_GAP:
                break
            _tag, s1, s2, d1, d2 = changes[j]
            total += (s2 - s1) - (d2 - d1)
            k = j
    return max(total, 0)
