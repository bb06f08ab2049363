"""Units of comparison (sentences grouped in paragraphs) and their weighted word vectors."""

from __future__ import annotations

import math
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass

from app.align.model import Span
from app.align.text import Tokens, has_blank_lines, lines_are_paragraphs, split_paragraphs, split_sentences, tokenize


@dataclass(slots=True)
class Sentence:
    """A sentence: its paragraph, its token range in the document's token list, its bag."""

    paragraph: int
    first: int
    last: int
    bag: Counter[str]


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
    starts = tokens.starts
    para_tokens: list[tuple[int, int]] = []
    sentences: list[Sentence] = []
    para_sentences: list[tuple[int, int]] = []
    for index, span in enumerate(paragraphs):
        para_first = bisect_left(starts, span[0])
        para_last = bisect_left(starts, span[1])
        para_tokens.append((para_first, para_last))
        first_sentence = len(sentences)
        for s_start, s_end in split_sentences(text, span):
            first = bisect_left(starts, s_start, para_first, para_last)
            last = bisect_left(starts, s_end, first, para_last)
            if last > first:
                sentences.append(Sentence(index, first, last, Counter(tokens.norms[first:last])))
        _join_short(sentences, first_sentence)
        para_sentences.append((first_sentence, len(sentences)))
    return Document(text, paragraphs, tokens, para_tokens, sentences, para_sentences,
                    blank_lines=has_blank_lines(text) or lines_are_paragraphs(text))


def _join_short(sentences: list[Sentence], first: int, min_words: int = 4) -> None:
    """Sentences of fewer than ``min_words`` words join a neighbour in the same paragraph."""
    i = first
    while i < len(sentences):
        s = sentences[i]
        if s.last - s.first < min_words and len(sentences) - first > 1:
            if i + 1 < len(sentences):
                nxt = sentences[i + 1]
                sentences[i] = Sentence(s.paragraph, s.first, nxt.last, s.bag + nxt.bag)
                del sentences[i + 1]
                continue
            if i > first:
                prev = sentences[i - 1]
                sentences[i - 1] = Sentence(s.paragraph, prev.first, s.last, prev.bag + s.bag)
                del sentences[i]
                continue
        i += 1


class Weights:
    """Inverse sentence frequency over both documents: frequent words weigh little, no stop list."""

    def __init__(self, *docs: Document) -> None:
        # A word's frequency is the larger of its frequencies in each document, not their sum:
        # a word found once on each side is a rare shared word, the best anchor there is.
        df: Counter[str] = Counter()
        count = 0
        for doc in docs:
            own: Counter[str] = Counter()
            for sentence in doc.sentences:
                own.update(sentence.bag.keys())
            for word, n in own.items():
                if n > df[word]:
                    df[word] = n
            count = max(count, len(doc.sentences))
        self.count = max(count, 1)
        self.df = df
        top = math.log(self.count + 1)
        #: Weight of every word of both documents, computed once (hot loops read it directly).
        self.table: dict[str, float] = {w: max(top - math.log(n + 0.5), 0.05) for w, n in df.items()}

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
