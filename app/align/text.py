"""Text segmentation with exact offsets: paragraphs, sentences and normalised word tokens."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from functools import lru_cache
from itertools import accumulate
from dataclasses import dataclass

from app.align.model import Span

# A line break ("\r\n" as one). (Every alternative opens with a literal character, and the
# regex engine then skips to those characters rather than try the pattern at every one; the
# alternatives exclude each other, so "\r\n" is never taken apart into two breaks. No
# possessive repeat or atomic group: Python 3.11.2, Debian 12's, splits words wrongly with a
# possessive repeat.)
_BREAK = r"(?:\r\n|\r(?!\n)|\n|\u2028|\u2029|\x0b|\x0c|\x1c|\x1d|\x1e|\x85)"
# A blank line: a line break, a line holding only (non-breaking) spaces, another line break.
_BLANK_LINES = re.compile(rf"{_BREAK}(?:[^\S\r\n\u2028\u2029\x0b\x0c\x1c\x1d\x1e\x85]*{_BREAK})+")
# (Not ``(?:...)+``: a pattern opening with a repeat is tried at every character.)
_LINE_BREAKS = re.compile(rf"{_BREAK}{_BREAK}*")
_NOT_SPACE = re.compile(r"\S")

# A word: letters/digits, with inner apostrophes, and dots or commas between digits, kept.
# (One class test for the joining mark, then which mark it was: at the end of most words the
# test fails at once, where trying the alternatives in turn costs a lookbehind.)
_WORD = re.compile(r"\w+(?:[.,'\u2019](?:(?<=['\u2019])|(?<=\d.)(?=\d))\w+)*")
# Glued words: "SchiffLone" (a scraper joined two strings), split before the capital.
_GLUE = re.compile(r"(?<=[a-z\u00df-\u00ff])(?=[A-Z\u00c0-\u00de])")
# Such a capital, after its letter. (The capital comes first: the regex engine tries the
# pattern at capitals only, where one starting with the lower-case letter is tried at most
# characters of a text.)
_GLUE_POINT = re.compile(r"[A-Z\u00c0-\u00de](?<=[a-z\u00df-\u00ff].)")
# A text split into the gaps between words and the words (see ``_words``).
_WORD_SPLIT = re.compile(f"({_WORD.pattern})")

# (The first mark on its own, not ``[...]+``: a pattern opening with a repeat is tried at every
# character, one opening with a class only where the class matches.)
_SENTENCE_END = re.compile(r"[.!?\u2026][.!?\u2026]*[\"'\u201d\u2019)\]]*(?=\s+[\"'\u201c\u2018(\[]*[A-Z0-9\u00c0-\u00de])")
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof rep sen gov lt col gen maj capt sgt st jr sr mt ft no vs etc inc ltd co corp "
    "jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n e.g i.e a.m p.m d.c".split()
)
_LONGEST_ABBREVIATION = max(map(len, _ABBREVIATIONS))


def split_paragraphs(text: str) -> list[Span]:
    """Paragraph spans: blocks separated by blank lines, or by single line breaks when the
    text has no blank line (except a break before a lower-case letter: a hard-wrapped line
    goes on). Spans are trimmed of surrounding whitespace; empty ones dropped.

    >>> split_paragraphs("One.\\n\\nTwo\\nstill two.\\r\\n\\r\\nThree.")
    [(0, 4), (6, 20), (24, 30)]
    >>> split_paragraphs("A\\nB")
    [(0, 1), (2, 3)]
    >>> split_paragraphs("Wrapped at\\nthe margin.\\nNext one.")
    [(0, 22), (23, 32)]
    """
    blank = _BLANK_LINES.search(text) is not None
    separator = _BLANK_LINES if blank else _LINE_BREAKS
    spans: list[Span] = []
    pos = 0
    for match in separator.finditer(text):
        if not blank and match.end() < len(text) and text[match.end()].islower():
            continue
        _add_trimmed(text, pos, match.start(), spans)
        pos = match.end()
    _add_trimmed(text, pos, len(text), spans)
    return spans


# Lines as paragraphs: at least this many lines, this share of them ending a sentence, and this
# many characters a line on average.
_PARAGRAPH_LINES = 3
_ENDED_SHARE = 0.8
_PARAGRAPH_CHARS = 100
_ENDS_SENTENCE = re.compile(r"[.!?…][\"'”’)\]]*$")


def has_blank_lines(text: str) -> bool:
    """Whether blank lines separate paragraphs in ``text``.

    >>> has_blank_lines("One.\\n\\nTwo."), has_blank_lines("One.\\nTwo.")
    (True, False)
    """
    return _BLANK_LINES.search(text) is not None


def lines_are_paragraphs(text: str) -> bool:
    """Whether the single lines of ``text`` (which has no blank lines) are whole paragraphs, as
    in an article pasted with one line per paragraph, rather than the lines of a hard-wrapped or
    scraped text: most lines end a sentence and lines are paragraph-long.

    >>> article = "\\n".join(["The council met on Tuesday to approve the budget for the harbour, "
    ...                       "after a debate that ran late into the evening."] * 4)
    >>> lines_are_paragraphs(article), lines_are_paragraphs("A line wrapped\\nin the middle of\\na sentence.")
    (True, False)
    """
    lines = [line for line in (raw.strip() for raw in text.splitlines()) if line]
    if len(lines) < _PARAGRAPH_LINES:
        return False
    ended = sum(1 for line in lines if _ENDS_SENTENCE.search(line))
    return ended >= _ENDED_SHARE * len(lines) and sum(map(len, lines)) >= _PARAGRAPH_CHARS * len(lines)


def _add_trimmed(text: str, start: int, end: int, spans: list[Span]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))


def split_sentences(text: str, span: Span) -> list[Span]:
    """Sentence spans inside ``span`` of ``text`` (abbreviations and initials do not end one).

    >>> t = "Rep. Adam Schiff spoke. He left! Then U.S. troops came."
    >>> [t[s:e] for s, e in split_sentences(t, (0, len(t)))]
    ['Rep. Adam Schiff spoke.', 'He left!', 'Then U.S. troops came.']
    """
    start, stop = span
    out: list[Span] = []
    pos = start
    for end in sentence_ends(text, start, stop):
        _add_trimmed(text, pos, end, out)
        pos = end
    _add_trimmed(text, pos, stop, out)
    return out


def sentence_ends(text: str, start: int = 0, stop: int | None = None) -> list[int]:
    """Where the sentences of ``text[start:stop]`` end: the offset just past each mark ending
    one. Over a whole text, an end may also fall at the end of a paragraph (whose next one opens
    with a capital), which ends its last sentence anyway.

    >>> t = "Rep. Adam Schiff spoke. He left! Then U.S. troops came."
    >>> sentence_ends(t)
    [23, 32]
    """
    stop = len(text) if stop is None else stop
    ends: list[int] = []
    for match in _SENTENCE_END.finditer(text, start, stop):
        dot = match.start()
        if text[dot] == "." and _is_abbreviation(text, start, dot):
            continue
        ends.append(match.end())
    return ends


def _is_abbreviation(text: str, start: int, dot: int) -> bool:
    begin = dot
    # (no further back than one character past the longest abbreviation: a longer word is none)
    floor = max(start, dot - _LONGEST_ABBREVIATION - 1)
    while begin > floor and (text[begin - 1].isalpha() or text[begin - 1] == "."):
        begin -= 1
    word = text[begin:dot].lower()
    return len(word) == 1 or word in _ABBREVIATIONS


@dataclass(frozen=True, slots=True)
class Tokens:
    """Word tokens of one text: normalised forms, character spans and the words as written
    (kept for the changed-facts detector, which reads them rather than slice them again)."""

    norms: tuple[str, ...]
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    words: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.norms)


def tokenize(text: str, start: int = 0, end: int | None = None) -> Tokens:
    """Words of ``text[start:end]``, lower-cased and lightly stemmed, with their spans.

    >>> tokenize("agent Adam SchiffLone Wolf, 1,200 dead").norms
    ('agent', 'adam', 'schiff', 'lon', 'wolf', '1200', 'dead')
    """
    end = len(text) if end is None else end
    words, starts, ends = _words(text, start, end)
    glued = _glued_words(text, start, end, words, starts, ends)
    if glued:
        words, starts, ends = _split_glued(words, starts, ends, glued)
    return Tokens(tuple(map(normalise, words)), tuple(starts), tuple(ends), tuple(words))


def _words(text: str, start: int, end: int) -> tuple[list[str], list[int], list[int]]:
    """The words of ``text[start:end]``, their starts and their ends. (One C-level split into
    gaps and words, alternately, and the offsets as running sums of their lengths: no Python
    step and no match object per word.)"""
    parts = _WORD_SPLIT.split(text[start:end])
    offsets = list(accumulate(map(len, parts), initial=start))
    return parts[1::2], offsets[1:-1:2], offsets[2::2]


def _glued_words(text: str, start: int, end: int, words: list[str], starts: list[int],
                 ends: list[int]) -> list[int]:
    """Indices, in order, of the words to split as glued strings. Only a word with a glue
    point inside it can be one, and such words are rare: they are found from the glue points
    of the whole text rather than by testing every word."""
    out: list[int] = []
    for match in _GLUE_POINT.finditer(text, start, end):
        point = match.start()
        k = bisect_right(starts, point) - 1
        if k >= 0 and starts[k] < point < ends[k] and (not out or out[-1] != k) and _has_glue(words[k]):
            out.append(k)
    return out


def _split_glued(words: list[str], starts: list[int], ends: list[int],
                 glued: list[int]) -> tuple[list[str], list[int], list[int]]:
    """The token columns with each of the ``glued`` words split before its inner capitals."""
    out_w: list[str] = []
    out_s: list[int] = []
    out_e: list[int] = []
    done = 0
    for k in glued:
        out_w += words[done:k]
        out_s += starts[done:k]
        out_e += ends[done:k]
        offset = starts[k]
        for piece in _GLUE.split(words[k]):
            out_w.append(piece)
            out_s.append(offset)
            out_e.append(offset + len(piece))
            offset += len(piece)
        done = k + 1
    return out_w + words[done:], out_s + starts[done:], out_e + ends[done:]


def _has_glue(word: str) -> bool:
    # Only split when the word is long enough to be two glued words, not "McCain" or "iPhone".
    return len(word) >= 6 and _GLUE.search(word) is not None and not word[:2].lower() == "mc"


@lru_cache(maxsize=65536)
def normalise(word: str) -> str:
    """Comparison form of one word: case-folded, accents and possessives dropped, light stem.

    >>> [normalise(w) for w in ("Azerbaijan’s", "Withdrawals", "called", "1,000", "Café")]
    ['azerbaijan', 'withdrawal', 'call', '1000', 'caf']
    """
    word = word.casefold().replace("\u2019", "'")
    if word.endswith("'s"):
        word = word[:-2]
    if not word.isascii():
        word = "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))
    if word[:1].isdigit():
        return word.replace(",", "")
    return stem(word)


def stem(word: str) -> str:
    """A deliberately light suffix stripper: plural -s, -ed, -ing (so 'called' meets 'calls').

    >>> [stem(w) for w in ("forces", "reports", "glass", "calling", "approved", "is")]
    ['forc', 'report', 'glass', 'call', 'approv', 'is']
    """
    if len(word) <= 3:
        return word
    for suffix in ("ing", "ed", "es", "s", "e"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                return word
            return word[: -len(suffix)]
    return word


_QUOTE_OPEN = "\u201c\u201e\u00ab\"\u2018"
_QUOTE_CLOSE = {"\u201c": "\u201d\u201c\"", "\u201e": "\u201c\u201d\"", "\u00ab": "\u00bb", "\"": "\"\u201d",
                "\u2018": "\u2019"}
_QUOTE_MARK = re.compile("[\u201c\u201d\u201e\u00ab\u00bb\"\u2018\u2019]")


def quote_spans(text: str, paragraphs: list[Span] | None = None) -> list[Span]:
    """Spans of quoted text (the words between the marks, marks excluded), paired within a
    paragraph: curly, straight and guillemet marks; a quotation left open runs to the end of
    its paragraph (copies often break the closing mark).

    Single curly marks (British style) quote too, but "\u2019" is also the apostrophe: "\u2018"
    opens only before a word and after a space or the paragraph's start, "\u2019" closes only
    after a word and before no letter or digit ("Biden\u2019s" is no end), and one left open
    quotes nothing (an opening "\u2018" may be a misplaced apostrophe, as in "\u201890s").

    >>> t = '\u201cWe act now,\u201d she said. He said "no" twice. \u00abOui\u00bb'
    >>> [t[s:e] for s, e in quote_spans(t)]
    ['We act now,', 'no', 'Oui']
    >>> t = "Inspectors find \u2018squalid and unsafe\u2019 cells; the governor\u2019s \u2018plan\u2019 \u201890s"
    >>> [t[s:e] for s, e in quote_spans(t)]
    ['squalid and unsafe', 'plan']
    """
    out: list[Span] = []
    for start, end in paragraphs if paragraphs is not None else split_paragraphs(text):
        marks = [(m.start(), m.group()) for m in _QUOTE_MARK.finditer(text, start, end)
                 if m.group() not in "\u2018\u2019" or _single_mark(text, m.start(), start, end)]
        k = 0
        while k < len(marks):
            i, ch = marks[k]
            k += 1
            if ch not in _QUOTE_OPEN:
                continue
            closers = _QUOTE_CLOSE[ch]
            while k < len(marks) and marks[k][1] not in closers:
                k += 1
            if k == len(marks) and ch == "\u2018":
                continue  # (left open: no quotation)
            j = marks[k][0] if k < len(marks) else end
            if j > i + 1:
                out.append((i + 1, j))
            k += 1
    return out


def _single_mark(text: str, at: int, start: int, end: int) -> bool:
    """Whether the single curly mark at ``at`` can open ("\u2018") or close ("\u2019") a
    quotation, rather than be an apostrophe."""
    before = text[at - 1] if at > start else " "
    after = text[at + 1] if at + 1 < end else " "
    if text[at] == "\u2018":
        return (before.isspace() or before in "([\u2014\u2013-") and after.isalnum()
    return not before.isspace() and not after.isalnum()
