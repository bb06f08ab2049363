"""One side of a pair, read once for the changed-facts detector: tokens with exact offsets,
capitalisation evidence, and the numbers, dates and quotations it mentions.

Everything here is computed once per text (``analyse`` is cached) so that the per-block work
in ``app.align.facts`` only slices these lists.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from app.align import facts_lex as lex
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
_BREAK_CHAR = re.compile("[.!?:;\u201c\u201e\u00ab\"(\u2018\\[\u2014\u2013\n\r\u2028\u2029\x0b\x0c\x1c\x1d\x1e\x85]")
QUOTE_MARKS = frozenset("\u201c\u201d\u201e\u00ab\u00bb\"")


@dataclass(frozen=True, slots=True)
class Mention:
    """A number or date in the text: its span, first token, comparison value and flags."""

    start: int
    end: int
    token: int
    value: object
    kind: str  # "number", "money", "ordinal", "year", "percent", "date"


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
    if low in _DATE_WORDS:
        bits |= DATE_WORD
    if low in _NUMBER_WORDS or low in lex.ORDINALS:
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


@lru_cache(maxsize=8)
def analyse(text: str) -> Doc:
    """Tokens, capitalisation evidence, numbers, dates and quotations of ``text`` (cached)."""
    matches = list(_TOKEN.finditer(text))
    surfs = [m.group() for m in matches]
    spans = [m.span() for m in matches]
    starts = [a for a, _b in spans]
    ends = [b for _a, b in spans]
    forms = [_forms(s) for s in surfs]
    glued = [False] * len(surfs)
    todo = [k for k, f in enumerate(forms) if f[3] & GLUED]
    if todo:
        starts, ends, surfs, glued = _split_glued(starts, ends, surfs, todo)
        forms = [_forms(s) for s in surfs]
    if forms:
        norms, lowers, keys, bits = (list(column) for column in zip(*forms, strict=True))
    else:
        norms, lowers, keys, bits = [], [], [], []
    initial = _initial_flags(text, starts, ends, lowers, glued)
    paragraphs = split_paragraphs(text)
    _mark_title_case(text, paragraphs, starts, surfs, lowers, initial)
    marked = [k for k, b in enumerate(bits) if b & (CAP | TITLE | _SPECIAL)]
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
    doc.dates = _find_dates(text, doc, [k for k in special if bits[k] & (DIGIT | DATE_WORD)])
    taken = [(m.start, m.end) for m in doc.dates]
    doc.numbers = _find_numbers(text, doc, taken, [k for k in special if bits[k] & (DIGIT | NUMBER_WORD)])
    doc.quotes = quote_spans(text, paragraphs)
    doc.negations = [k for k in special if bits[k] & NEGATION]
    doc.speech = [k for k in special if bits[k] & SPEECH]
    doc.directions = [k for k in special if bits[k] & DIRECTION]
    doc._number_starts = [m.start for m in doc.numbers]
    doc._date_starts = [m.start for m in doc.dates]
    return doc


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


# ------------------------------------------------------------------ dates --
# Dates and figures are read from the tokens (dictionary look-ups, no scan of the raw text).
_DAY = re.compile(r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?")
_YEAR = re.compile(r"1[6-9]\d\d|20\d\d")
_CLOCK = re.compile(r"(1[0-2]|0?[1-9])(?:[.:]([0-5]\d))?(am|pm)?")
_CLOCK24 = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)")
_DECADE = re.compile(r"(1[6-9]\d0|20\d0)s")
# A bare month name counts as a date only after one of these words (or with a day/year):
# "May", "March", "June" are also names and verbs.
_MONTH_LEAD = frozenset("in on since until till by from to last next this early late mid of before "
                        "after during through throughout between and or end start beginning "
                        "around each every".split())
_FULL_MONTHS = frozenset(w for w in lex.MONTHS if len(w) > 4) | {"may", "june", "july"}
_WEEKDAY_NAMES = frozenset(w for w in lex.WEEKDAYS if len(w) > 5)
_TIME_WORDS = {"noon": 720, "midday": 720, "midnight": 0}
_DATE_WORDS = (frozenset(lex.MONTHS) | _WEEKDAY_NAMES | {w + "s" for w in _WEEKDAY_NAMES}
               | frozenset(_TIME_WORDS) | frozenset(lex.RELATIVE_DAYS) | frozenset(lex.SEASONS))


def _spaced(doc: Doc, k: int, allowed: str = " \u00a0") -> bool:
    """Only ``allowed`` characters lie between token ``k - 1`` and token ``k``."""
    gap = doc.text[doc.ends[k - 1]:doc.starts[k]]
    return bool(gap) and all(ch in allowed for ch in gap)


def _find_dates(text: str, doc: Doc, candidates: list[int]) -> list[Mention]:
    out: list[Mention] = []
    lowers, surfs = doc.lowers, doc.surfs
    n = len(lowers)
    resume = 0
    for k in candidates:
        if k < resume:
            continue
        low = lowers[k]
        first, last = k, k + 1
        value: dict[str, object] = {}
        if low in lex.MONTHS and surfs[k][0].isupper():
            value["m"] = lex.MONTHS[low]
            if k >= 1 and _day(lowers[k - 1]) and _spaced(doc, k):
                first = k - 1
                value["d"] = _day(lowers[k - 1])
            elif k >= 2 and lowers[k - 1] == "of" and _day(lowers[k - 2]):
                first = k - 2
                value["d"] = _day(lowers[k - 2])
            elif k + 1 < n and _day(lowers[k + 1]) and _spaced(doc, k + 1, " \u00a0.") and not (
                    k + 2 < n and lowers[k + 2] in lex.SCALES):
                last = k + 2
                value["d"] = _day(lowers[k + 1])
            if last < n and _YEAR.fullmatch(lowers[last]) and _spaced(doc, last, " \u00a0,."):
                value["y"] = int(lowers[last])
                last += 1
            if len(value) == 1:
                # a bare month: only in a date context, and never an abbreviation
                prev = lowers[k - 1] if k else ""
                if low not in _FULL_MONTHS or not (prev in _MONTH_LEAD or (prev == "the" and low != "may")):
                    continue
        elif low in _WEEKDAY_NAMES or (low.endswith("s") and low[:-1] in _WEEKDAY_NAMES):
            value["wd"] = lex.WEEKDAYS[low.rstrip("s") if low not in _WEEKDAY_NAMES else low]
        elif low[:1].isdigit():
            clock = _CLOCK.fullmatch(low)
            if clock and clock.group(3):
                value["t"] = _minutes(clock)
            elif clock and k + 1 < n and lowers[k + 1] in ("am", "pm") and _spaced(doc, k + 1):
                value["t"] = _minutes(clock, lowers[k + 1])
                last = k + 2
            elif (clock24 := _CLOCK24.fullmatch(low)) is not None:
                value["t"] = int(clock24.group(1)) * 60 + int(clock24.group(2))
            elif (decade := _DECADE.fullmatch(low)) is not None:
                value["dec"] = int(decade.group(1))
        elif low in _TIME_WORDS:
            value["t"] = _TIME_WORDS[low]
        elif low in lex.RELATIVE_DAYS:
            value["rel"] = lex.RELATIVE_DAYS[low]
        elif low in lex.SEASONS:
            value["season"] = lex.SEASONS[low]
        if value:
            out.append(Mention(doc.starts[first], doc.ends[last - 1], first, value, "date"))
            resume = last
    return out


def _day(low: str) -> int | None:
    if low[:1].isdigit() and _DAY.fullmatch(low):
        return int(low.rstrip("stndrh"))
    return None


def _minutes(clock: re.Match[str], suffix: str | None = None) -> int:
    hour = int(clock.group(1)) % 12 + (12 if (suffix or clock.group(3)) == "pm" else 0)
    return hour * 60 + int(clock.group(2) or 0)


# ---------------------------------------------------------------- numbers --
_FIGURE = re.compile(r"(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(st|nd|rd|th|k|m|mn|bn|b|tn|s)?")
_CURRENCY_SIGNS = "$\u00a3\u20ac\u00a5"
_CURRENCY_WORDS = frozenset("pound pounds dollar dollars euro euros pence cent cents yen franc francs "
                            "rupee rupees sterling".split())
_NUMBER_WORDS = frozenset(lex.UNITS) | frozenset(lex.SCALES)


def _find_numbers(text: str, doc: Doc, taken: list[Span], candidates: list[int]) -> list[Mention]:
    taken_tokens: set[int] = set()
    for start, end in taken:
        first, last = doc.token_range((start, end))
        taken_tokens.update(range(first, last))
    lowers = doc.lowers
    out: list[Mention] = []
    resume = 0
    for k in candidates:
        if k < resume or k in taken_tokens:
            continue
        low = lowers[k]
        found = None
        if low[:1].isdigit():
            found = _figure(text, doc, k)
        elif low in _NUMBER_WORDS:
            found = _number_words(doc, k, taken_tokens)
        elif low in lex.ORDINALS:
            found = (k + 1, float(lex.ORDINALS[low]), "ordinal", doc.starts[k], doc.ends[k])
        if found is None:
            continue
        last, value, kind, start, end = found
        out.append(Mention(start, end, k, value, kind))
        resume = last
    return out


def _figure(text: str, doc: Doc, k: int) -> tuple[int, float, str, int, int] | None:
    m = _FIGURE.fullmatch(doc.lowers[k])
    if m is None:
        return None
    start, end, last = doc.starts[k], doc.ends[k], k + 1
    value = float(m.group(1).replace(",", "") + (m.group(2) or ""))
    suffix = m.group(3)
    currency = False
    if start and text[start - 1] in _CURRENCY_SIGNS:
        start, currency = start - 1, True
    elif start > 1 and text[start - 1] == " " and text[start - 2] in _CURRENCY_SIGNS:
        start, currency = start - 2, True
    kind = "number"
    if suffix in ("st", "nd", "rd", "th"):
        kind = "ordinal"
    elif suffix in lex.SHORT_SCALES:
        if currency:
            value *= lex.SHORT_SCALES[suffix]
        else:
            end = doc.starts[k] + len(m.group(1)) + len(m.group(2) or "")
    after = text[end:end + 2]
    if kind == "number":
        if after[:1] == "%" or after == " %":
            kind = "percent"
            end = text.index("%", end) + 1
        elif last < len(doc.lowers) and doc.lowers[last] in ("percent", "per") and _spaced(doc, last):
            if doc.lowers[last] == "percent":
                kind, end, last = "percent", doc.ends[last], last + 1
            elif last + 1 < len(doc.lowers) and doc.lowers[last + 1] == "cent":
                kind, end, last = "percent", doc.ends[last + 1], last + 2
        elif last < len(doc.lowers) and doc.lowers[last] in lex.SCALES and _spaced(doc, last, " \u00a0-"):
            value *= lex.SCALES[doc.lowers[last]]
            end, last = doc.ends[last], last + 1
    if kind == "number":
        if currency or (last < len(doc.lowers) and doc.lowers[last] in _CURRENCY_WORDS):
            kind = "money"
        elif (not m.group(2) and "," not in m.group(1) and not suffix and 1600 <= value <= 2099):
            kind = "year"
    return last, value, kind, start, end


def _number_words(doc: Doc, k: int, taken: set[int]) -> tuple[int, float, str, int, int] | None:
    lowers = doc.lowers
    words = [lowers[k]]
    last = k + 1
    while last < len(lowers) and last not in taken:
        low = lowers[last]
        if low in _NUMBER_WORDS and _spaced(doc, last, " \u00a0-"):
            words.append(low)
            last += 1
        elif (low == "and" and last + 1 < len(lowers) and lowers[last + 1] in _NUMBER_WORDS
              and words[-1] in ("hundred", "thousand", "million", "billion")):
            last += 1
        else:
            break
    value = _word_value(words)
    if value is None:
        return None
    end = doc.ends[last - 1]
    kind = "number"
    if last < len(lowers) and lowers[last] == "percent":
        kind, end, last = "percent", doc.ends[last], last + 1
    elif last + 1 < len(lowers) and lowers[last] == "per" and lowers[last + 1] == "cent":
        kind, end, last = "percent", doc.ends[last + 1], last + 2
    elif last < len(lowers) and lowers[last] in _CURRENCY_WORDS:
        kind = "money"
    return last, float(value), kind, doc.starts[k], end


_APPROX = re.compile(
    r"(?:about|around|roughly|nearly|almost|approximately|approx|some|over|under|more\s+than|"
    r"less\s+than|fewer\s+than|up\s+to|close\s+to|at\s+least|at\s+most|just|estimated|"
    r"an\s+estimated|upwards\s+of|circa|c\.|~|>|<)\s*[$\u00a3\u20ac\u00a5]?\s*$",
    re.IGNORECASE,
)


def approximate(text: str, start: int) -> bool:
    """The figure starting at ``start`` is hedged ("about 30", "more than 3,400")."""
    return _APPROX.search(text, max(0, start - 24), start) is not None


def _word_value(words: list[str]) -> int | None:
    if not words or all(w in lex.SCALES for w in words):
        return None
    total = current = 0
    for w in words:
        if w in lex.UNITS:
            current += lex.UNITS[w]
        elif w == "hundred":
            current = max(current, 1) * 100
        elif w in lex.SCALES:
            total += max(current, 1) * lex.SCALES[w]
            current = 0
    return total + current
