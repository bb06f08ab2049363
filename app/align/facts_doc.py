"""One side of a pair, read once for the changed-facts detector: tokens with exact offsets,
capitalisation evidence, and the numbers, dates and quotations it mentions.

Everything here is computed once per text, from the engine's segmentation (its tokens and
paragraphs), so that the per-block work in ``app.align.facts`` only slices these lists. The
only caches are per word (``_forms``), never per text.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import compress, repeat
from operator import and_, eq, itemgetter

from app.align import facts_lex as lex
from app.align.facts_figures import DATE_WORDS, NUMBER_WORDS, Mention, find_dates, find_numbers
from app.align.model import Span
from app.align.text import Tokens, normalise, quote_spans, split_paragraphs, tokenize

# A word: dotted initials ("U.S.", "p.m."), or letters/digits with inner apostrophes and
# digit separators kept ("1,200", "10.15pm", "22:00", "didn't").
_TOKEN = re.compile(r"\w+(?:(?:['\u2019]|(?<=\d)[.,:](?=\d))\w+)*(?:(?<=\b[^\W\d_])\.(?:[^\W\d_]\.)+)?")
# Scraped strings glued without a space ("SchiffLone"): split before the capital.
_GLUE = re.compile(r"(?<=[a-z\u00df-\u00ff])(?=[A-Z\u00c0-\u00de])")
_SENTENCE_PUNCT = frozenset(".!?")
_SOFT_BREAK = frozenset(":;\u201c\u201e\u00ab\"(\u2018[\u2014\u2013")
_LINE_BREAK = frozenset("\n\r\u2028\u2029\x0b\x0c\x1c\x1d\x1e\x85")
# Where those tokens differ from the engine's (``text.tokenize``): dotted initials and clock
# times (each pattern starts with its literal mark, which the regex engine scans for fast).
_ODD_DOT = re.compile(r"\.(?<=[^\W\d_]\.)[^\W\d_]\.")
_ODD_COLON = re.compile(r":(?<=\d:)\d")
_BREAK_CHAR = re.compile("[.!?:;\u201c\u201e\u00ab\"(\u2018\\[\u2014\u2013"
                         "\n\r\u2028\u2029\x0b\x0c\x1c\x1d\x1e\x85]")
QUOTE_MARKS = frozenset("\u201c\u201d\u201e\u00ab\u00bb\"")


@dataclass(slots=True)
class Doc:
    """The analysed text. Its per-token columns are tuples: they never change, and a full
    garbage collection skips tuples of strings and numbers, where it would read every item
    of a list each time (on a long text, most of the cost of each collection)."""

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    surfs: tuple[str, ...]
    norms: tuple[str, ...]
    lowers: tuple[str, ...]
    keys: tuple[str, ...]
    initial: tuple[bool, ...]
    cap_mid: Counter[str]  # capitalised uses of each word in mid-sentence
    uses: Counter[str]  # uses of each word
    cap_uses: Counter[str]  # capitalised uses of each word
    paragraphs: list[Span]
    numbers: list[Mention] = field(default_factory=list)
    dates: list[Mention] = field(default_factory=list)
    quotes: list[Span] = field(default_factory=list)
    quote_tokens: list[tuple[int, int]] = field(default_factory=list)  # each quotation's tokens
    bits: tuple[int, ...] = ()  # token classes (CAP, DIGIT, ...)
    caps: list[int] = field(default_factory=list)  # tokens starting with a capital
    titles: list[int] = field(default_factory=list)  # title words ("mayor", "Rep.")
    negations: list[int] = field(default_factory=list)  # negation cues
    speech: list[int] = field(default_factory=list)  # speech verbs and "according"
    directions: list[int] = field(default_factory=list)  # compass words
    _number_starts: list[int] = field(default_factory=list)
    _date_starts: list[int] = field(default_factory=list)

    def token_range(self, span: Span) -> tuple[int, int]:
        """Indices of the tokens lying inside ``span``."""
        first = bisect_left(self.starts, span[0])
        last = bisect_left(self.starts, span[1], first)
        while last > first and self.ends[last - 1] > span[1]:
            last -= 1
        return first, last

    def among(self, positions: list[int], lo: int, hi: int) -> list[int]:
        """The token indices of ``positions`` (sorted) that lie in ``lo..hi``."""
        return positions[bisect_left(positions, lo):bisect_left(positions, hi)]

    def numbers_in(self, span: Span) -> list[Mention]:
        return _mentions_in(self.numbers, self._number_starts, span)

    def dates_in(self, span: Span) -> list[Mention]:
        return _mentions_in(self.dates, self._date_starts, span)

    def quotes_in(self, span: Span) -> list[tuple[Span, int, int]]:
        """The quotations inside ``span``, each with its first and last (exclusive) token."""
        first = bisect_left(self.quotes, (span[0], -1))
        last = bisect_left(self.quotes, (span[1], -1), first)
        return [(q, *self.quote_tokens[k]) for k, q in enumerate(self.quotes[first:last], first) if q[1] <= span[1]]


def _mentions_in(mentions: list[Mention], starts: list[int], span: Span) -> list[Mention]:
    inside = mentions[bisect_left(starts, span[0]):bisect_left(starts, span[1])]
    return [m for m in inside if m.end <= span[1]]


def norm(surface: str) -> str:
    """Comparison form of a word: ``text.normalise`` with dots dropped, titles canonical and
    a final y/i merged ("ministry" meets "ministries")."""
    word = surface.replace(".", "") if "." in surface and not surface[:1].isdigit() else surface
    if not word:
        return surface
    low = word.casefold().replace("\u2019", "'")
    canon = lex.TITLE_CANON.get(low)
    if canon is not None:
        word = canon
    out = normalise(word)
    if len(out) > 3 and out.endswith("y"):
        out = out[:-1] + "i"
    return out


# Token classes, as bits (computed once per distinct word).
CAP, LOWER, DIGIT, DATE_WORD, NUMBER_WORD, NEGATION, SPEECH, DIRECTION, TITLE, INSTITUTION, STOP, GLUED, ACRONYM = (
    1 << i for i in range(13))


@lru_cache(maxsize=65536)
def _forms(surface: str) -> tuple[str, str, str, int]:
    low = surface.casefold().replace("\u2019", "'")
    if not low[:1].isdigit():
        low = low.replace(".", "")
    n = norm(surface)
    first = surface[0]
    bits = (CAP if first.isupper() else LOWER if first.islower() else DIGIT if first.isdigit() else 0)
    if low in DATE_WORDS:
        bits |= DATE_WORD
    if low in NUMBER_WORDS or low in lex.ORDINALS:
        bits |= NUMBER_WORD
    if low in lex.NEGATIONS or low.endswith("n't"):
        bits |= NEGATION
    if n in lex.SPEECH_VERBS or low == "according":
        bits |= SPEECH
    if low in lex.DIRECTIONS:
        bits |= DIRECTION
    if low in lex.TITLES:
        bits |= TITLE
    if low in lex.INSTITUTIONS or (len(low) > 4 and low.rstrip("s") in lex.INSTITUTIONS):
        bits |= INSTITUTION
    if low in lex.STOP:
        bits |= STOP
    if len(surface) >= 6 and not low.startswith("mc") and _GLUE.search(surface):
        bits |= GLUED
    if is_acronym(surface):
        bits |= ACRONYM
    return n, low, key(low), bits


def is_acronym(surf: str) -> bool:
    """ "AFB", "TX", "UConn": short, with two capitals or more."""
    return (2 <= len(surf) <= 6 and surf.isalpha() and not surf[1:].islower()
            and sum(1 for ch in surf if ch.isupper()) >= 2)


_SPECIAL = DIGIT | DATE_WORD | NUMBER_WORD | NEGATION | SPEECH | DIRECTION
_MARKED = CAP | TITLE | _SPECIAL


def key(low: str) -> str:
    """Exact comparison form of a name word (no stemming): "Whitcombe" is not "Whitcomb".

    >>> [key(w) for w in ("okafor's", "unión", "spokeswoman")]
    ['okafor', 'union', 'spokesperson']
    """
    if low.endswith("'s"):
        low = low[:-2]
    if not low.isascii():
        low = "".join(c for c in unicodedata.normalize("NFKD", low) if not unicodedata.combining(c))
    return lex.TITLE_CANON.get(low, low)


def analyse(text: str, tokens: Tokens | None = None, paragraphs: list[Span] | None = None) -> Doc:
    """Tokens, capitalisation evidence, numbers, dates and quotations of ``text``.

    ``tokens`` and ``paragraphs`` are the engine's segmentation of the same text
    (``text.tokenize``, ``text.split_paragraphs``), read here rather than redone; without
    them the text is segmented first.
    """
    if tokens is None:
        tokens = tokenize(text)
    if paragraphs is None:
        paragraphs = split_paragraphs(text)
    starts, ends, surfs, glued = _own_tokens(text, tokens)
    norms, lowers, keys, bits = _columns(list(map(_forms, surfs)))
    flags = _initial_flags(text, starts, ends, lowers, glued)
    _mark_title_case(text, paragraphs, starts, surfs, lowers, flags)
    initial = tuple(flags)
    marked = list(compress(range(len(bits)), map(and_, bits, repeat(_MARKED))))  # (no Python loop per token)
    caps = [k for k in marked if bits[k] & CAP]
    cap_norms = [norms[k] for k in caps]
    cap_mid = Counter([n for n, k in zip(cap_norms, caps) if not initial[k]])
    doc = Doc(text, starts, ends, surfs, norms, lowers, keys, initial, cap_mid, Counter(norms), Counter(cap_norms),
              paragraphs)
    doc.bits = bits
    doc.caps = caps
    doc.titles = [k for k in marked if bits[k] & TITLE]
    special = [k for k in marked if bits[k] & _SPECIAL]
    doc.dates = find_dates(text, doc, [k for k in special if bits[k] & (DIGIT | DATE_WORD)])
    taken = [(m.start, m.end) for m in doc.dates]
    doc.numbers = find_numbers(text, doc, taken, [k for k in special if bits[k] & (DIGIT | NUMBER_WORD)])
    doc.quotes = quote_spans(text, paragraphs)
    doc.quote_tokens = [doc.token_range(q) for q in doc.quotes]
    doc.negations = [k for k in special if bits[k] & NEGATION]
    doc.speech = [k for k in special if bits[k] & SPEECH]
    doc.directions = [k for k in special if bits[k] & DIRECTION]
    doc._number_starts = [m.start for m in doc.numbers]
    doc._date_starts = [m.start for m in doc.dates]
    return doc


def _own_tokens(text: str, tokens: Tokens) -> tuple[tuple[int, ...], tuple[int, ...], tuple[str, ...], list[int]]:
    """This detector's tokens from the engine's: the same words, except that dotted initials
    ("U.S.") and clock times ("22:00") are one token here. Returns starts, ends, the words
    and the tokens that are the later pieces of a glued scraped string ("SchiffLone")."""
    starts, ends, words = tokens.starts, tokens.ends, tokens.words
    # the engine splits glued strings only: a token touching the one before is such a piece
    # (found in C-level passes over the token columns)
    glued = list(compress(range(1, len(starts)), map(eq, starts[1:], ends)))
    chunks = _odd_chunks(text, starts)
    if not chunks:
        return starts, ends, words, glued
    out_s: list[int] = []
    out_e: list[int] = []
    out_w: list[str] = []
    out_g: list[int] = []
    done = g = 0
    for first, last, lo, hi in chunks:
        shift = len(out_s) - done
        while g < len(glued) and glued[g] < first:
            out_g.append(glued[g] + shift)
            g += 1
        while g < len(glued) and glued[g] < last:
            g += 1
        out_s += starts[done:first]
        out_e += ends[done:first]
        out_w += words[done:first]
        for m in _TOKEN.finditer(text, lo, hi):
            word = m.group()
            if not _forms(word)[3] & GLUED:
                out_s.append(m.start())
                out_e.append(m.end())
                out_w.append(word)
                continue
            offset = m.start()
            for k, piece in enumerate(_GLUE.split(word)):
                if k:
                    out_g.append(len(out_s))
                out_s.append(offset)
                out_e.append(offset + len(piece))
                out_w.append(piece)
                offset += len(piece)
        done = last
    shift = len(out_s) - done
    out_g += [k + shift for k in glued[g:]]
    out_s += starts[done:]
    out_e += ends[done:]
    out_w += words[done:]
    return tuple(out_s), tuple(out_e), tuple(out_w), out_g


def _odd_chunks(text: str, starts: tuple[int, ...]) -> list[tuple[int, int, int, int]]:
    """The runs of non-space text where this detector's tokens differ from the engine's: their
    first and last engine token (exclusive), and their character span."""
    out: list[tuple[int, int, int, int]] = []
    hi = -1
    marks = [m.start() for m in _ODD_DOT.finditer(text)]
    colons = [m.start() for m in _ODD_COLON.finditer(text)]
    if colons:
        marks = sorted(marks + colons)
    for lo in marks:
        if lo < hi:
            continue
        hi = lo + 1
        while lo > 0 and not text[lo - 1].isspace():
            lo -= 1
        while hi < len(text) and not text[hi].isspace():
            hi += 1
        out.append((bisect_left(starts, lo), bisect_left(starts, hi), lo, hi))
    return out


def _columns(forms: list[tuple[str, str, str, int]]) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...],
                                                             tuple[int, ...]]:
    # (one C-level pass per column: ``zip(*forms)`` would make an iterator per token, and
    # that many short-lived objects set off full garbage collections on long texts)
    return (tuple(map(itemgetter(0), forms)), tuple(map(itemgetter(1), forms)), tuple(map(itemgetter(2), forms)),
            tuple(map(itemgetter(3), forms)))


def _initial_flags(text: str, starts: tuple[int, ...], ends: tuple[int, ...], lowers: tuple[str, ...],
                   glued: list[int]) -> list[bool]:
    """True where a capital says nothing (sentence or quotation start, after a colon,
    a glued scraped string)."""
    n = len(starts)
    out = [False] * n
    if not n:
        return out
    out[0] = True
    for k in glued:
        out[k] = True
    done = k = 0  # the end of the last gap read, and the word after it
    for at in map(_match_start, _BREAK_CHAR.finditer(text, ends[0])):
        if at < done:
            continue  # another mark in a gap already read
        k = bisect_left(starts, at, k)
        if k >= n:
            break  # after the last word
        if at < ends[k - 1]:
            continue  # inside a word ("U.S.", "10.15")
        done = starts[k]
        kind = _gap_kind(text[ends[k - 1]:done])
        if kind == _BREAK:
            out[k] = True
        elif kind == _STOP:
            prev = lowers[k - 1]
            out[k] = not (len(prev) == 1 or prev in lex.ABBREVIATIONS)
    return out


_BREAK, _STOP = 1, 2
_match_start = re.Match.start  # (mapped over the matches: no method lookup per match)


@lru_cache(maxsize=4096)
def _gap_kind(gap: str) -> int:
    """What the characters between two words say about the next: ``_BREAK`` (a new sentence,
    line or quotation), ``_STOP`` (a full stop, unless the word before is an abbreviation),
    or nothing (0)."""
    if any(c in _LINE_BREAK or c in _SOFT_BREAK for c in gap):
        return _BREAK
    if any(c in _SENTENCE_PUNCT for c in gap):
        return _STOP if gap[0] == "." and not any(c in "!?" for c in gap) else _BREAK
    return 0


def _mark_title_case(text: str, paragraphs: list[Span], starts: tuple[int, ...], surfs: tuple[str, ...],
                     lowers: tuple[str, ...], initial: list[bool]) -> None:
    """Headlines in title case: every capital there is uninformative. (A sentence with a
    final stop that is mostly names is a sentence, unless it is very short.)"""
    for p_start, p_end in paragraphs:
        first = bisect_left(starts, p_start)
        last = bisect_left(starts, p_end, first)
        if last - first > 30 or last - first < 3:
            continue
        if text[p_end - 1] in ".!?" and last - first > 12:
            continue
        content = [k for k in range(first, last) if surfs[k][0].isalpha() and lowers[k] not in lex.STOP]
        if len(content) < 3:
            continue
        caps = sum(1 for k in content if surfs[k][0].isupper())
        if caps >= 0.85 * len(content):
            for k in range(first, last):
                initial[k] = True
