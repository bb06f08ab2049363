"""Seeds and passages: similar sentence pairs found through an inverted index, then clustered
into passages (runs of reuse that may start and end inside paragraphs) and filtered."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Iterator
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


def _sentence_keys(doc: Document) -> Iterator[set[str]]:
    """Index keys of each sentence of ``doc``: its words and its adjacent word pairs. (The
    pairs are joined for the whole text in one C-level pass, then sliced per sentence.)"""
    norms = doc.tokens.norms
    pairs = tuple(map(" ".join, zip(norms, norms[1:])))
    for sentence in doc.sentences:
        keys = set(norms[sentence.first:sentence.last])
        keys.update(pairs[sentence.first:sentence.last - 1])
        yield keys


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
    for ci, keys in enumerate(_sentence_keys(cdoc)):
        scores = _shared_key_scores(postings, keys)
        if not scores:
            continue
        here = ci / n_copy
        found = _compared(ci, _top_candidates(scores, n_original, here), cvec, ovec)
        if not found:
            continue
        if len(found) > 1:
            # Equal strengths (repeated sentences): the one at the same relative place first.
            csize = sentence_size(cdoc, ci)
            found.sort(key=lambda f: (round(f[0], 6), -abs(osizes[f[3]] - csize),
                                      -abs(f[3] / n_original - here)), reverse=True)
        good = [f for f in found if f[1] >= threshold and f[2] >= threshold]
        if good:
            top = good[0][0]
            strong.extend(Seed(ci, oi, cos, dice) for strength, cos, dice, oi in good if strength >= 0.8 * top)
        elif found[0][0] >= weak:
            _, cos, dice, oi = found[0]
            weak_seeds.append(Seed(ci, oi, cos, dice))
    return strong, weak_seeds


def _compared(ci: int, candidates: list[int], cvec: SentenceVectors,
              ovec: SentenceVectors) -> list[tuple[float, float, float, int]]:
    """Copy sentence ``ci`` against each candidate original sentence sharing a word with it:
    the strength (as ``Seed.strength``), the cosine of their vectors, the Dice coefficient of
    their words, and the candidate. (Plain tuples: most candidates are dropped, and a frozen
    ``Seed`` is made only for those kept.)"""
    cv, cn = cvec.vectors[ci], cvec.norms[ci]
    found: list[tuple[float, float, float, int]] = []
    for oi in candidates:
        ov = ovec.vectors[oi]
        shared = [w for w in cv if w in ov]
        if shared:
            cos = sum([cv[w] * ov[w] for w in shared]) / (cn * ovec.norms[oi])
            dice = 2 * len(shared) / (len(cv) + len(ov))
            found.append(((cos + dice) / 2, cos, dice, oi))
    return found


def _postings(doc: Document) -> dict[str, list[int]]:
    """The inverted index: each key of ``doc``'s sentences -> the sentences holding it."""
    postings: dict[str, list[int]] = defaultdict(list)
    for index, keys in enumerate(_sentence_keys(doc)):
        for key in keys:
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
    scores: dict[int, float] = {}
    get = scores.get  # (a plain dict and its bound ``get``: faster here than a defaultdict)
    for hits in rare:
        bonus = 1.0 / len(hits)
        for oi in hits:
            scores[oi] = get(oi, 0.0) + bonus
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
