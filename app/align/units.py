"""Units of comparison (sentences grouped in paragraphs) and their weighted word vectors."""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass
from itertools import chain, repeat
from typing import NamedTuple

from app.align.model import Span
from app.align.text import Tokens, has_blank_lines, lines_are_paragraphs, sentence_ends, split_paragraphs, tokenize


class Sentence(NamedTuple):
    """A sentence: its paragraph, its token range in the document's token list, its bag (each
    word and its count, in order of first use).

    (The bag is a plain dict of strings and counts, which the garbage collector does not
    track: a Counter it would, and read through at each full collection of a long text.)"""

    paragraph: int
    first: int
    last: int
    bag: dict[str, int]


@dataclass(slots=True)
class Document:
    """One side of a pair, segmented: paragraph spans, tokens, sentences per paragraph."""

    text: str
    paragraphs: list[Span]
    tokens: Tokens
    para_tokens: list[tuple[int, int]]
    sentences: list[Sentence]
    para_sentences: list[tuple[int, int]]
    #: Whether the paragraphs are an author's: separated by blank lines, or one to a line in a
    #: text whose lines end sentences (else a "paragraph" may be no more than a line of a
    #: hard-wrapped or scraped text).
    blank_lines: bool = True

    def token_span(self, first: int, last: int) -> Span:
        """Character span from token ``first`` to token ``last - 1`` inclusive."""
        return (self.tokens.starts[first], self.tokens.ends[last - 1])


def segment(text: str) -> Document:
    """Split ``text`` into paragraphs, sentences and tokens, all with exact offsets."""
    paragraphs = split_paragraphs(text)
    tokens = tokenize(text)
    starts, norms = tokens.starts, tokens.norms
    # The sentence ends of the whole text, found at once, as the token each is before: a
    # paragraph's sentences run from cut to cut (no word starts in the space after an end).
    cuts = list(map(bisect_left, repeat(starts), sentence_ends(text)))
    para_tokens: list[tuple[int, int]] = []
    sentences: list[Sentence] = []
    para_sentences: list[tuple[int, int]] = []
    for index, (start, end) in enumerate(paragraphs):
        para_first = bisect_left(starts, start)
        para_last = bisect_left(starts, end)
        para_tokens.append((para_first, para_last))
        inner = cuts[bisect_right(cuts, para_first):bisect_left(cuts, para_last)]
        bounds = [para_first, *inner, para_last]
        ranges = [(first, last) for first, last in zip(bounds, bounds[1:]) if last > first]
        first_sentence = len(sentences)
        sentences += [Sentence(index, first, last, _bag(norms[first:last])) for first, last in _join_short(ranges)]
        para_sentences.append((first_sentence, len(sentences)))
    return Document(text, paragraphs, tokens, para_tokens, sentences, para_sentences,
                    blank_lines=has_blank_lines(text) or lines_are_paragraphs(text))


def _join_short(ranges: list[tuple[int, int]], min_words: int = 4) -> list[tuple[int, int]]:
    """Sentences (token ranges of one paragraph) of fewer than ``min_words`` words join a
    neighbour."""
    i = 0
    while i < len(ranges):
        first, last = ranges[i]
        if last - first < min_words and len(ranges) > 1:
            if i + 1 < len(ranges):
                ranges[i] = (first, ranges[i + 1][1])
                del ranges[i + 1]
                continue
            if i > 0:
                ranges[i - 1] = (ranges[i - 1][0], last)
                del ranges[i]
                continue
        i += 1
    return ranges


def _bag(words: tuple[str, ...]) -> dict[str, int]:
    """Each word and its count, in order of first use. (A loop: for a sentence's twenty-odd
    words it is faster than ``Counter``, and it makes a plain dict.)"""
    bag: dict[str, int] = {}
    for word in words:
        bag[word] = bag.get(word, 0) + 1
    return bag


class Weights:
    """Inverse sentence frequency over both documents: frequent words weigh little, no stop list."""

    def __init__(self, *docs: Document) -> None:
        # A word's frequency is the larger of its frequencies in each document, not their sum:
        # a word found once on each side is a rare shared word, the best anchor there is.
        df: dict[str, int] = {}
        count = 0
        for doc in docs:
            # (sentences holding each word: one C-level count over all the bags' words)
            own = Counter(chain.from_iterable(sentence.bag for sentence in doc.sentences))
            if not df:
                df = dict(own)  # (nothing to compare with yet: the counts as they are)
            else:
                get = df.get
                for word, n in own.items():
                    if n > get(word, 0):
                        df[word] = n
            count = max(count, len(doc.sentences))
        self.count = max(count, 1)
        self.df = df
        top = math.log(self.count + 1)
        # (a weight depends on the frequency alone, which many words share: each computed once)
        by_frequency = {n: max(top - math.log(n + 0.5), 0.05) for n in set(df.values())}
        #: Weight of every word of both documents, computed once (hot loops read it directly).
        self.table: dict[str, float] = dict(zip(df, map(by_frequency.__getitem__, df.values())))

    def __call__(self, word: str) -> float:
        value = self.table.get(word)
        if value is None:
            value = max(math.log((self.count + 1) / 0.5), 0.05)
        return value

    def norm(self, bag: Counter[str]) -> float:
        return math.sqrt(sum((n * self(w)) ** 2 for w, n in bag.items())) or 1.0


def cosine(a: Counter[str], b: Counter[str], weights: Weights) -> float:
    """Cosine of the tf-isf vectors of two bags."""
    if len(a) > len(b):
        a, b = b, a
    dot = sum(n * b[w] * weights(w) ** 2 for w, n in a.items() if w in b)
    return dot / (weights.norm(a) * weights.norm(b)) if dot else 0.0
