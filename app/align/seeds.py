"""Seeds and passages: similar sentence pairs found through an inverted index, then clustered
into passages (runs of reuse that may start and end inside paragraphs) and filtered."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain
from operator import mul

from app.align.units import Document, Weights

# A key (word or word pair) in more original sentences than this proposes no candidates.
_MAX_POSTING = 40
_RARE_KEYS = 3
_MAX_FALLBACK = 100
_CANDIDATES = 5

# A candidate compared: its strength (as ``Seed.strength``), cosine, Dice coefficient, index.
_Found = tuple[float, float, float, int]


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
            # (plain comparisons: a call of ``min`` and ``max`` each costs more)
            if seed.copy < self.c_first:
                self.c_first = seed.copy
            if seed.copy > self.c_last:
                self.c_last = seed.copy
            if seed.original < self.o_first:
                self.o_first = seed.original
            if seed.original > self.o_last:
                self.o_last = seed.original
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


def _pairs(doc: Document) -> tuple[str, ...]:
    """The adjacent word pairs of ``doc``'s tokens, joined ("a b"), in one C-level pass over
    the whole text (then sliced per sentence)."""
    norms = doc.tokens.norms
    return tuple(map(" ".join, zip(norms, norms[1:])))


def _sentence_keys(doc: Document) -> Iterator[dict[str, None]]:
    """Index keys of each sentence of ``doc``, each once and in the sentence's order: its
    words (its bag's, already counted once each), then its adjacent word pairs. (In order, not
    in a set: a set's order changes with Python's string hashing from one process to the next,
    and with it which keys the fallback ranks first and the order scores are added up in.)"""
    pairs = _pairs(doc)
    for sentence in doc.sentences:
        yield dict.fromkeys(chain(sentence.bag, pairs[sentence.first:sentence.last - 1]))


def find_seeds(odoc: Document, cdoc: Document, weights: Weights, *, threshold: float,
               weak: float) -> tuple[list[Seed], list[Seed]]:
    """Strong seeds (cosine and Dice >= ``threshold``; several per copy sentence allowed) and,
    for copy sentences without one, their best weak candidate (mean of the two >= ``weak``)."""
    postings = _postings(odoc)
    rare = _rare_postings(postings)
    ovec = SentenceVectors(odoc, weights)
    cvec = SentenceVectors(cdoc, weights)
    n_copy, n_original = max(len(cdoc.sentences), 1), max(len(odoc.sentences), 1)
    osizes = [sentence.last - sentence.first for sentence in odoc.sentences]
    strong: list[Seed] = []
    weak_seeds: list[Seed] = []
    for ci, keys in enumerate(_sentence_keys(cdoc)):
        scores = _shared_key_scores(postings, rare, keys)
        if not scores:
            continue
        here = ci / n_copy
        found = _compared(ci, _top_candidates(scores, n_original, here), cvec, ovec)
        if not found:
            continue

        def rank(f: _Found) -> tuple[float, int, float]:
            # Equal strengths (repeated sentences): the one at the same relative place first.
            return (round(f[0], 6), -abs(osizes[f[3]] - sentence_size(cdoc, ci)),
                    -abs(f[3] / n_original - here))

        good = [f for f in found if f[1] >= threshold and f[2] >= threshold]
        if good:
            top = _first(good, rank)[0]
            kept = [f for f in good if f[0] >= 0.8 * top]
            if len(kept) > 1:
                # (in the order a sort of all that were found would give them: a stable sort
                # of a few keeps that order)
                kept.sort(key=rank, reverse=True)
            strong.extend(Seed(ci, oi, cos, dice) for strength, cos, dice, oi in kept)
        else:
            best = _first(found, rank)
            if best[0] >= weak:
                _, cos, dice, oi = best
                weak_seeds.append(Seed(ci, oi, cos, dice))
    return strong, weak_seeds


def _first(found: list[_Found], rank: Callable[[_Found], tuple[float, int, float]]) -> _Found:
    """The first of ``found`` in a stable sort by ``rank``, highest first (``max`` keeps the
    first of equals too), ranking only those whose strength can round as the best one does:
    two strengths rounding to one 6-decimal value are at most 1e-6 apart."""
    if len(found) == 1:
        return found[0]
    best = max(found)[0]
    near = [f for f in found if f[0] >= best - 2e-6]
    return near[0] if len(near) == 1 else max(near, key=rank)


def _compared(ci: int, candidates: list[int], cvec: SentenceVectors,
              ovec: SentenceVectors) -> list[_Found]:
    """Copy sentence ``ci`` against each candidate original sentence sharing a word with it:
    the strength (as ``Seed.strength``), the cosine of their vectors, the Dice coefficient of
    their words, and the candidate. (Plain tuples: most candidates are dropped, and a frozen
    ``Seed`` is made only for those kept.)"""
    cv, cn = cvec.vectors[ci], cvec.norms[ci]
    items = cv.items()
    found: list[_Found] = []
    for oi in candidates:
        ov = ovec.vectors[oi]
        # (the products of the shared words, in the copy sentence's order: one pass)
        products = [value * ov[w] for w, value in items if w in ov]
        if products:
            cos = sum(products) / (cn * ovec.norms[oi])
            dice = 2 * len(products) / (len(cv) + len(ov))
            found.append(((cos + dice) / 2, cos, dice, oi))
    return found


def _postings(doc: Document) -> dict[str, list[int]]:
    """The inverted index: each key of ``doc``'s sentences -> the sentences holding it."""
    pairs = _pairs(doc)
    postings: dict[str, list[int]] = defaultdict(list)
    for index, sentence in enumerate(doc.sentences):
        # (the words from the bag, which holds each once, and the pairs apart: no set of both)
        for key in sentence.bag:
            postings[key].append(index)
        for key in set(pairs[sentence.first:sentence.last - 1]):
            postings[key].append(index)
    return postings


def _rare_postings(postings: dict[str, list[int]]) -> dict[str, tuple[float, list[int]]]:
    """The keys in few enough sentences to propose candidates, each with its sentences and the
    score it gives each of them: 1 / (sentences holding the key)."""
    return {key: (1.0 / len(hits), hits) for key, hits in postings.items() if len(hits) <= _MAX_POSTING}


def _shared_key_scores(postings: dict[str, list[int]], rare_postings: dict[str, tuple[float, list[int]]],
                       keys: Iterable[str]) -> dict[int, float]:
    """Original sentences sharing rare keys with a copy sentence, each scored by the sum of
    1 / (sentences holding the key) over the keys it shares."""
    # (the rare keys looked up in a table of their own: one C-level pass, no test per key)
    rare = list(filter(None, map(rare_postings.get, keys)))
    if len(rare) < _RARE_KEYS:
        # Nothing rare to go by (a long text with a small vocabulary): the rarest keys the
        # sentence has still narrow the field.
        found_keys = list(filter(None, map(postings.get, keys)))
        found_keys.sort(key=len)
        rare = [(1.0 / len(hits), hits) for hits in found_keys[:_RARE_KEYS] if len(hits) <= _MAX_FALLBACK]
    scores: dict[int, float] = {}
    get = scores.get  # (a plain dict and its bound ``get``: faster here than a defaultdict)
    for bonus, hits in rare:
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
    # Nearest first, then best first: ``sorted`` is stable, so this is one sort on (score,
    # nearness) with equal keys in their order, as ``heapq.nlargest`` would keep them. (Two
    # sorts, as no tuple is built per sentence and the score sort's key is a C-level lookup.)
    nearest = sorted(pool, key=lambda oi: abs(oi / n_original - here))
    return sorted(nearest, key=scores.__getitem__, reverse=True)[:_CANDIDATES]


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
