"""Seeds and passages: similar sentence pairs found through an inverted index, then clustered
into passages (runs of reuse that may start and end inside paragraphs) and filtered."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from operator import mul

from app.align.units import Document, Weights

# A key (word or word pair) in more original sentences than this proposes no candidates.
_MAX_POSTING = 40
_RARE_KEYS = 3
_MAX_FALLBACK = 100
_CANDIDATES = 5


@dataclass(frozen=True, slots=True)
class Seed:
    """A copy sentence and an original sentence similar enough to be one reused from the other."""

    copy: int
    original: int
    cosine: float
    dice: float

    @property
    def strength(self) -> float:
        return (self.cosine + self.dice) / 2


@dataclass(slots=True)
class Passage:
    """A cluster of seeds: copy sentences ``c_first..c_last`` reuse original ``o_first..o_last``."""

    seeds: list[Seed] = field(default_factory=list)
    c_first: int = 0
    c_last: int = 0
    o_first: int = 0
    o_last: int = 0

    def add(self, seed: Seed) -> None:
        if not self.seeds:
            self.c_first = self.c_last = seed.copy
            self.o_first = self.o_last = seed.original
        else:
            self.c_first = min(self.c_first, seed.copy)
            self.c_last = max(self.c_last, seed.copy)
            self.o_first = min(self.o_first, seed.original)
            self.o_last = max(self.o_last, seed.original)
        self.seeds.append(seed)

    @property
    def weight(self) -> float:
        return sum(s.strength for s in self.seeds)


class SentenceVectors:
    """tf-isf vectors of every sentence of a document, with their norms, computed once."""

    def __init__(self, doc: Document, weights: Weights) -> None:
        self.vectors: list[dict[str, float]] = []
        self.norms: list[float] = []
        weight = weights.table.__getitem__
        for sentence in doc.sentences:
            bag = sentence.bag
            # (map over C-level callables: one pass per sentence, no Python step per word)
            values = list(map(mul, bag.values(), map(weight, bag)))
            self.vectors.append(dict(zip(bag, values)))
            self.norms.append(math.sqrt(sum(map(mul, values, values))) or 1.0)


def _keys(doc: Document, index: int) -> set[str]:
    """Index keys of a sentence: its words and its adjacent word pairs."""
    sentence = doc.sentences[index]
    norms = doc.tokens.norms[sentence.first:sentence.last]
    keys = set(norms)
    keys.update(map(" ".join, zip(norms, norms[1:], strict=False)))
    return keys


def find_seeds(odoc: Document, cdoc: Document, weights: Weights, *, threshold: float,
               weak: float) -> tuple[list[Seed], list[Seed]]:
    """Strong seeds (cosine and Dice >= ``threshold``; several per copy sentence allowed) and,
    for copy sentences without one, their best weak candidate (mean of the two >= ``weak``)."""
    postings = _postings(odoc)
    ovec = SentenceVectors(odoc, weights)
    cvec = SentenceVectors(cdoc, weights)
    n_copy, n_original = max(len(cdoc.sentences), 1), max(len(odoc.sentences), 1)
    osizes = [sentence.last - sentence.first for sentence in odoc.sentences]
    strong: list[Seed] = []
    weak_seeds: list[Seed] = []
    for ci in range(len(cdoc.sentences)):
        scores = _shared_key_scores(postings, _keys(cdoc, ci))
        if not scores:
            continue
        here = ci / n_copy
        found = _compared(ci, _top_candidates(scores, n_original, here), cvec, ovec)
        if not found:
            continue
        if len(found) > 1:
            # Equal strengths (repeated sentences): the one at the same relative place first.
            csize = sentence_size(cdoc, ci)
            found.sort(key=lambda s: (round(s.strength, 6), -abs(osizes[s.original] - csize),
                                      -abs(s.original / n_original - here)), reverse=True)
        good = [s for s in found if s.cosine >= threshold and s.dice >= threshold]
        if good:
            top = good[0].strength
            strong.extend(s for s in good if s.strength >= 0.8 * top)
        elif found[0].strength >= weak:
            weak_seeds.append(found[0])
    return strong, weak_seeds


def _compared(ci: int, candidates: list[int], cvec: SentenceVectors, ovec: SentenceVectors) -> list[Seed]:
    """Copy sentence ``ci`` against each candidate original sentence sharing a word with it:
    the cosine of their vectors and the Dice coefficient of their words."""
    cv, cn = cvec.vectors[ci], cvec.norms[ci]
    found: list[Seed] = []
    for oi in candidates:
        ov = ovec.vectors[oi]
        shared = [w for w in cv if w in ov]
        if shared:
            cos = sum([cv[w] * ov[w] for w in shared]) / (cn * ovec.norms[oi])
            found.append(Seed(ci, oi, cos, 2 * len(shared) / (len(cv) + len(ov))))
    return found


def _postings(doc: Document) -> dict[str, list[int]]:
    """The inverted index: each key of ``doc``'s sentences -> the sentences holding it."""
    postings: dict[str, list[int]] = defaultdict(list)
    for index in range(len(doc.sentences)):
        for key in _keys(doc, index):
            postings[key].append(index)
    return postings


def _shared_key_scores(postings: dict[str, list[int]], keys: set[str]) -> dict[int, float]:
    """Original sentences sharing rare keys with a copy sentence, each scored by the sum of
    1 / (sentences holding the key) over the keys it shares."""
    found_keys = list(filter(None, map(postings.get, keys)))
    rare = [hits for hits in found_keys if len(hits) <= _MAX_POSTING]
    if len(rare) < _RARE_KEYS:
        # Nothing rare to go by (a long text with a small vocabulary): the rarest keys the
        # sentence has still narrow the field.
        found_keys.sort(key=len)
        rare = [hits for hits in found_keys[:_RARE_KEYS] if len(hits) <= _MAX_FALLBACK]
    scores: dict[int, float] = defaultdict(float)
    for hits in rare:
        bonus = 1.0 / len(hits)
        for oi in hits:
            scores[oi] += bonus
    return scores


def _top_candidates(scores: dict[int, float], n_original: int, here: float) -> list[int]:
    """The best-scored sentences (ties: nearest the copy sentence's relative place ``here``)."""
    pool: Iterable[int] = scores
    if len(scores) > _CANDIDATES:
        # Only sentences scoring at least the n-th best score can be among the n best: rank
        # those alone (in their order, so ties fall as they would among all).
        least = sorted(scores.values(), reverse=True)[_CANDIDATES - 1]
        pool = [oi for oi, score in scores.items() if score >= least]
    # (``sorted`` is stable: equal keys keep their order, as ``heapq.nlargest`` would)
    return sorted(pool, key=lambda oi: (scores[oi], -abs(oi / n_original - here)), reverse=True)[:_CANDIDATES]


def sentence_size(doc: Document, index: int) -> int:
    sentence = doc.sentences[index]
    return sentence.last - sentence.first


def cluster(seeds: list[Seed], *, copy_gap: int, original_gap: int) -> list[Passage]:
    """Group seeds into passages: each seed joins the latest passage within ``copy_gap``
    sentences in the copy whose original range is within ``original_gap`` sentences."""
    passages: list[Passage] = []
    open_: list[Passage] = []
    for seed in sorted(seeds, key=lambda s: (s.copy, s.original)):
        open_ = [p for p in open_ if seed.copy - p.c_last <= copy_gap]
        target = None
        for passage in reversed(open_):
            if passage.o_first - original_gap <= seed.original <= passage.o_last + original_gap:
                target = passage
                break
        if target is None:
            target = Passage()
            passages.append(target)
            open_.append(target)
        target.add(seed)
    return passages
