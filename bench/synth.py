"""Long labelled pairs for the benchmark, generated from the demo articles' own text.

An original of N words is written by a bigram model trained on the demo originals (so every
paragraph is new prose in the demo's vocabulary); the copy is made from it the way content
farms do: words swapped, sentences reordered, paragraphs dropped, split, merged, moved, junk
paragraphs and glued link text added. The generator records which copy paragraph comes from
which original paragraph, so the benchmark can score links on the long pair too.
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from dataclasses import dataclass, field

_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*|\d[\d,.]*")
JUNK = [
    "Read more: the ten best coastal walks this summer",
    "Share this article on social media",
    "Advertisement",
    "Source link",
    "Sign up for our newsletter and never miss a story",
    "Home / News / Local",
]


@dataclass
class SynthPair:
    """A generated pair and its links (copy paragraph index -> original paragraph indices)."""

    original: str
    copy: str
    links: dict[int, list[int]] = field(default_factory=dict)
    original_paragraphs: int = 0

    @property
    def words(self) -> tuple[int, int]:
        return len(self.original.split()), len(self.copy.split())


def _bigrams(corpus: str) -> tuple[dict[str, list[str]], list[str]]:
    chain: dict[str, list[str]] = defaultdict(list)
    starts: list[str] = []
    for sentence in re.split(r"(?<=[.!?])\s+", corpus):
        words = _WORD.findall(sentence)
        if len(words) < 4:
            continue
        starts.append(words[0])
        for a, b in zip(words, words[1:], strict=False):
            chain[a].append(b)
        chain[words[-1]].append(".")
    return chain, starts


_SYLLABLES = ("ka", "lo", "mer", "vin", "do", "sa", "tre", "bel", "ro", "nu", "gal", "fen", "ti",
              "mar", "os", "ul", "ber", "cha", "wen", "dri")


def _name(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def _sentence(rng: random.Random, chain: dict[str, list[str]], starts: list[str]) -> str:
    words = [rng.choice(starts)]
    while len(words) < 28:
        options = [w for w in chain.get(words[-1], ()) if w != "."] if len(words) < 6 else \
            chain.get(words[-1], [])
        if not options:
            break
        nxt = rng.choice(options)
        if nxt == ".":
            break
        words.append(nxt)
    # Real long texts keep meeting new names and figures (their vocabulary grows with their
    # length); a bigram model over a few thousand words alone would repeat itself endlessly.
    for _ in range(rng.randint(1, 2)):
        at = rng.randrange(len(words) + 1)
        words.insert(at, _name(rng) if rng.random() < 0.7 else str(rng.randint(2, 9999)))
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def generate(corpus: str, words: int, *, seed: int = 7) -> SynthPair:
    """A pair with about ``words`` words on the original side."""
    rng = random.Random(seed)
    chain, starts = _bigrams(corpus)
    vocabulary = sorted({w for w in _WORD.findall(corpus) if len(w) > 3})
    paragraphs: list[str] = []
    total = 0
    while total < words:
        paragraph = " ".join(_sentence(rng, chain, starts) for _ in range(rng.randint(2, 5)))
        paragraphs.append(paragraph)
        total += len(paragraph.split())

    copy: list[tuple[str, list[int]]] = []
    i = 0
    while i < len(paragraphs):
        roll = rng.random()
        text = paragraphs[i]
        if roll < 0.06:
            i += 1
            continue
        if roll < 0.10 and i + 1 < len(paragraphs):
            copy.append((_spin(rng, text + " " + paragraphs[i + 1], vocabulary, 0.1), [i, i + 1]))
            i += 2
            continue
        if roll < 0.14:
            sentences = re.split(r"(?<=\.)\s+", text)
            if len(sentences) >= 2:
                cut = len(sentences) // 2
                copy.append((_spin(rng, " ".join(sentences[:cut]), vocabulary, 0.1), [i]))
                copy.append((_spin(rng, " ".join(sentences[cut:]), vocabulary, 0.1), [i]))
                i += 1
                continue
        rate = 0.3 if roll < 0.30 else 0.08
        spun = _spin(rng, text, vocabulary, rate)
        if rng.random() < 0.05:
            spun = _glue_junk(rng, spun, vocabulary)
        copy.append((spun, [i]))
        if rng.random() < 0.04:
            copy.append((rng.choice(JUNK), []))
        i += 1
    for _ in range(max(1, len(copy) // 50)):
        a = rng.randrange(len(copy))
        b = rng.randrange(len(copy))
        copy.insert(b, copy.pop(a))
    return SynthPair(
        original="\n\n".join(paragraphs) + "\n",
        copy="\n\n".join(text for text, _ in copy) + "\n",
        links={ci: srcs for ci, (_, srcs) in enumerate(copy) if srcs},
        original_paragraphs=len(paragraphs),
    )


def _spin(rng: random.Random, text: str, vocabulary: list[str], rate: float) -> str:
    words = text.split(" ")
    for k, word in enumerate(words):
        if len(word) > 3 and word.isalpha() and rng.random() < rate:
            words[k] = rng.choice(vocabulary)
    return " ".join(words)


def _glue_junk(rng: random.Random, text: str, vocabulary: list[str]) -> str:
    words = text.split(" ")
    at = rng.randrange(1, max(2, len(words) - 1))
    junk = " ".join(rng.choice(vocabulary) for _ in range(12)).capitalize() + " MORE"
    words[at] = words[at] + junk
    return " ".join(words)
