"""One side of a pair, read once for the changed-facts detector: tokens with exact offsets,
capitalisation evidence, and the numbers, dates and quotations it mentions.

Everything here is computed once per text (``analyse`` keeps the last two, the pair being
aligned) so that the per-block work in ``app.align.facts`` only slices these lists.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from app.align import facts_lex as lex
from app.align.facts_figures import DATE_WORDS, NUMBER_WORDS, Mention, find_dates, find_numbers
from app.align.model import Span
from app.align.text import normalise, quote_spans, split_paragraphs

# A word: dotted initials ("U.S.", "p.m."), or letters/digits with inner apostrophes and
# digit separators kept ("1,200", "10.15pm", "22:00", "didn't").
_TOKEN = re.compile(r"\w+(?:(?:['\u2019]|(?<=\d)[.,:](?=\d))\w+)*(?:(?<=\b[^\W\d_])\.(?:[^\W\d_]\.)+)?")
# Scraped strings glued without a space ("SchiffLone"): split before the capital.
_GLUE = re.compile(r"(?<=[a-z\u00df-\u00ff])(?=[A-Z\u00c0-\u00de])")
_SENTENCE_PUNCT = frozenset(".!?")
_SOFT_BREAK = frozenset(":;\u201c\u201e\u00ab\"(\u2018[\u2014\u2013")
_LINE_BREAK = frozenset("\n\r\u2028\u2029\x0b\x0c\x1c\x1d\x1e\x85")
_BREAK_CHAR = re.compile("[.!?:;\u201c\u201e\u00ab\"(\u2018\\[\u2014\u2013"
                         "\n\r\u2028\u2029\x0b\x0c\x1c\x1d\x1e\x85]")
QUOTE_MARKS = frozenset("\u201c\u201d\u201e\u00ab\u00bb\"")


@dataclass(slots=True)
class Doc:
    """The analysed text."""

    text: str
    starts: list[int]
    ends: list[int]
    surfs: list[str]
    norms: list[str]
    lowers: list[str]
    keys: list[str]
    initial: list[bool]
    cap_mid: Counter[str]
    lower: Counter[str]
    paragraphs: list[Span]
    numbers: list[Mention] = field(default_factory=list)
    dates: list[Mention] = field(default_factory=list)
    quotes: list[Span] = field(default_factory=list)
    bits: list[int] = field(default_factory=list)  # token classes (CAP, DIGIT, ...)
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

    def quotes_in(self, span: Span) -> list[Span]:
        lo = bisect_left(self.quotes, (span[0], -1))
        out = []
        for q in self.quotes[lo:]:
            if q[0] >= span[1]:
                break
            if q[1] <= span[1]:
                out.append(q)
        return out


def _mentions_in(mentions: list[Mention], starts: list[int], span: Span) -> list[Mention]:
    lo = bisect_left(starts, span[0])
    out = []
    for m in mentions[lo:]:
        if m.start >= span[1]:
            break
        if m.end <= span[1]:
            out.append(m)
    return out


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
CAP, LOWER, DIGIT, DATE_WORD, NUMBER_WORD, NEGATION, SPEECH, DIRECTION, TITLE, INSTITUTION, STOP, GLUED = (
    1 << i for i in range(12))


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
    return n, low, key(low), bits


_SPECIAL = DIGIT | DATE_WORD | NUMBER_WORD | NEGATION | SPEECH | DIRECTION


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


@lru_cache(maxsize=2)
def analyse(text: str) -> Doc:
    """Tokens, capitalisation evidence, numbers, dates and quotations of ``text`` (cached)."""
    matches = list(_TOKEN.finditer(text))
    surfs = [m.group() for m in matches]
    starts = [m.start() for m in matches]
    ends = [m.end() for m in matches]
    forms = [_forms(s) for s in surfs]
    norms, lowers, keys, bits = _columns(forms)
    glued = [False] * len(surfs)
    marked = [k for k, b in enumerate(bits) if b & (CAP | TITLE | GLUED | _SPECIAL)]
    todo = [k for k in marked if bits[k] & GLUED]
    if todo:
        starts, ends, surfs, glued = _split_glued(starts, ends, surfs, todo)
        norms, lowers, keys, bits = _columns([_forms(s) for s in surfs])
        marked = [k for k, b in enumerate(bits) if b & (CAP | TITLE | _SPECIAL)]
    initial = _initial_flags(text, starts, ends, lowers, glued)
    paragraphs = split_paragraphs(text)
    _mark_title_case(text, paragraphs, starts, surfs, lowers, initial)
    caps = [k for k in marked if bits[k] & CAP]
    cap_mid = Counter([norms[k] for k in caps if not initial[k]])
    # lower-case uses of the words that are ever capitalised (all uses less capitalised ones)
    lower = Counter(norms)
    lower.subtract([norms[k] for k in caps])
    doc = Doc(text, starts, ends, surfs, norms, lowers, keys, initial, cap_mid, lower, paragraphs)
    doc.bits = bits
    doc.caps = caps
    doc.titles = [k for k in marked if bits[k] & TITLE]
    special = [k for k in marked if bits[k] & _SPECIAL]
    doc.dates = find_dates(text, doc, [k for k in special if bits[k] & (DIGIT | DATE_WORD)])
    taken = [(m.start, m.end) for m in doc.dates]
    doc.numbers = find_numbers(text, doc, taken, [k for k in special if bits[k] & (DIGIT | NUMBER_WORD)])
    doc.quotes = quote_spans(text, paragraphs)
    doc.negations = [k for k in special if bits[k] & NEGATION]
    doc.speech = [k for k in special if bits[k] & SPEECH]
    doc.directions = [k for k in special if bits[k] & DIRECTION]
    doc._number_starts = [m.start for m in doc.numbers]
    doc._date_starts = [m.start for m in doc.dates]
    return doc


def _columns(forms: list[tuple[str, str, str, int]]) -> tuple[list[str], list[str], list[str], list[int]]:
    if not forms:
        return [], [], [], []
    norms, lowers, keys, bits = zip(*forms, strict=True)
    return list(norms), list(lowers), list(keys), list(bits)


def _split_glued(starts: list[int], ends: list[int], surfs: list[str], todo: list[int]
                 ) -> tuple[list[int], list[int], list[str], list[bool]]:
    """Split scraped strings glued without a space ("SchiffLone") before the capital."""
    out_s: list[int] = []
    out_e: list[int] = []
    out_w: list[str] = []
    glued: list[bool] = []
    done = 0
    for t in todo:
        word = surfs[t]
        out_s += starts[done:t]
        out_e += ends[done:t]
        out_w += surfs[done:t]
        glued += [False] * (t - done)
        offset = 0
        for k, piece in enumerate(_GLUE.split(word)):
            out_s.append(starts[t] + offset)
            out_e.append(starts[t] + offset + len(piece))
            out_w.append(piece)
            glued.append(k > 0)
            offset += len(piece)
        done = t + 1
    out_s += starts[done:]
    out_e += ends[done:]
    out_w += surfs[done:]
    glued += [False] * (len(surfs) - done)
    return out_s, out_e, out_w, glued


def _initial_flags(text: str, starts: list[int], ends: list[int], lowers: list[str],
                   glued: list[bool]) -> list[bool]:
    """True where a capital says nothing (sentence or quotation start, after a colon,
    a glued scraped string)."""
    n = len(starts)
    out = [False] * n
    if not n:
        return out
    out[0] = True
    for k, g in enumerate(glued):
        if g:
            out[k] = True
    seen: set[int] = set()
    for m in _BREAK_CHAR.finditer(text, ends[0]):
        k = bisect_left(starts, m.start())
        if k >= n or k in seen or m.start() < ends[k - 1]:
            continue  # after the last word, or inside a word ("U.S.", "10.15")
        seen.add(k)
        gap = text[ends[k - 1]:starts[k]]
        if any(c in _LINE_BREAK for c in gap) or any(c in _SOFT_BREAK for c in gap):
            out[k] = True
        elif any(c in _SENTENCE_PUNCT for c in gap):
            prev = lowers[k - 1]
            abbreviated = gap[0] == "." and (len(prev) == 1 or prev in lex.ABBREVIATIONS)
            out[k] = not abbreviated or any(c in "!?" for c in gap)
    return out


def _mark_title_case(text: str, paragraphs: list[Span], starts: list[int], surfs: list[str],
                     lowers: list[str], initial: list[bool]) -> None:
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
