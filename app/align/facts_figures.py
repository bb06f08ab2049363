"""Dates, times and figures in a text, read from its tokens for the changed-facts detector.

Every mention carries a comparison value, so that format is never a change: "3 June" and
"June 3" are both ``{"m": 6, "d": 3}``; "$1.9 billion" and "1.9 billion dollars" are both
1.9e9 (money); "five" is 5; "2.5 per cent" and "2.5%" are 2.5 (percent); "10pm" and "22:00"
are both 1320 minutes.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, NamedTuple

from app.align import facts_lex as lex
from app.align.model import Span

if TYPE_CHECKING:
    from app.align.facts_doc import Doc


class Mention(NamedTuple):
    """A figure or a date in the text: its span, its first token, what kind of mention it is
    ("number", "money", "percent", "ordinal", "year" or "date") and its comparison value: a
    figure's ``number``, a date's ``fields`` (m: month, d: day, y: year, wd: weekday,
    t: minutes after midnight, dec: decade, rel: days from today, season).

    (A named tuple, not a frozen dataclass, which sets each field through
    ``object.__setattr__``: a long text has tens of thousands of mentions.)"""

    start: int
    end: int
    token: int
    kind: str
    number: float
    fields: dict[str, int | str]


# ------------------------------------------------------------------ dates --
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
_AS_LEAD = frozenset({"early", "late", "soon", "recently"})
_FULL_MONTHS = frozenset(w for w in lex.MONTHS if len(w) > 4) | {"may", "june", "july"}
_WEEKDAY_NAMES = frozenset(w for w in lex.WEEKDAYS if len(w) > 5)
_TIME_WORDS = {"noon": 720, "midday": 720, "midnight": 0}
DATE_WORDS = (frozenset(lex.MONTHS) | _WEEKDAY_NAMES | {w + "s" for w in _WEEKDAY_NAMES}
               | frozenset(_TIME_WORDS) | frozenset(lex.RELATIVE_DAYS) | frozenset(lex.SEASONS))


def _spaced(doc: Doc, k: int, allowed: str = " \u00a0") -> bool:
    """Only ``allowed`` characters lie between token ``k - 1`` and token ``k``."""
    gap = doc.text[doc.ends[k - 1]:doc.starts[k]]
    return bool(gap) and not gap.strip(allowed)


def find_dates(text: str, doc: Doc, candidates: list[int]) -> list[Mention]:
    out: list[Mention] = []
    lowers, surfs = doc.lowers, doc.surfs
    n = len(lowers)
    readings: dict[str, tuple[re.Match[str] | None, tuple[str, int] | None]] = {}  # (figures repeat)
    resume = 0
    for k in candidates:
        if k < resume:
            continue
        low = lowers[k]
        first, last = k, k + 1
        value: dict[str, int | str] = {}
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
                # "as early as March", "as soon as June": a date after a comparison too
                compared = prev == "as" and k >= 2 and lowers[k - 2] in _AS_LEAD
                if low not in _FULL_MONTHS or not (prev in _MONTH_LEAD or compared
                                                   or (prev == "the" and low != "may")):
                    continue
        elif low in _WEEKDAY_NAMES or (low.endswith("s") and low[:-1] in _WEEKDAY_NAMES):
            value["wd"] = lex.WEEKDAYS[low.rstrip("s") if low not in _WEEKDAY_NAMES else low]
        elif low[:1].isdigit():
            reading = readings.get(low)
            if reading is None:
                reading = readings[low] = _read_digits(low)
            clock, field = reading
            if clock is not None and k + 1 < n and lowers[k + 1] in ("am", "pm") and _spaced(doc, k + 1):
                value["t"] = _minutes(clock, lowers[k + 1])
                last = k + 2
            elif field is not None:
                value[field[0]] = field[1]
        elif low in _TIME_WORDS:
            value["t"] = _TIME_WORDS[low]
        elif low in lex.RELATIVE_DAYS:
            value["rel"] = lex.RELATIVE_DAYS[low]
        elif low in lex.SEASONS:
            value["season"] = lex.SEASONS[low]
        if value:
            out.append(_new_mention(Mention, (doc.starts[first], doc.ends[last - 1], first, "date", 0.0, value)))
            resume = last
    return out


def _read_digits(low: str) -> tuple[re.Match[str] | None, tuple[str, int] | None]:
    """What a word starting with a digit says alone: an hour that an "am" or "pm" after it
    would make a time ("10 pm"), and the date field it is by itself ("10pm", "22:00",
    "1990s"), if any."""
    clock = _CLOCK.fullmatch(low)
    if clock and clock.group(3):
        return None, ("t", _minutes(clock))
    if (clock24 := _CLOCK24.fullmatch(low)) is not None:
        return clock, ("t", int(clock24.group(1)) * 60 + int(clock24.group(2)))
    if (decade := _DECADE.fullmatch(low)) is not None:
        return clock, ("dec", int(decade.group(1)))
    return clock, None


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
NUMBER_WORDS = frozenset(lex.UNITS) | frozenset(lex.SCALES)
# The words after a figure that may make it a percentage, a larger figure or money.
_AFTER_FIGURE = frozenset(("percent", "per")) | frozenset(lex.SCALES) | _CURRENCY_WORDS


def find_numbers(text: str, doc: Doc, taken: list[Span], candidates: list[int]) -> list[Mention]:
    taken_tokens: set[int] = set()
    for start, end in taken:
        first, last = doc.token_range((start, end))
        taken_tokens.update(range(first, last))
    lowers = doc.lowers
    out: list[Mention] = []
    parsed: dict[str, tuple[float, str | None, int, bool] | None] = {}  # (figures repeat: read each once)
    resume = 0
    for k in candidates:
        if k < resume or k in taken_tokens:
            continue
        low = lowers[k]
        found = None
        if low[:1].isdigit():
            figure = parsed.get(low, _UNREAD)
            if figure is _UNREAD:
                figure = parsed[low] = _parse_figure(low)
            if figure is not None:
                found = _figure(text, doc, k, *figure)
        elif low in NUMBER_WORDS:
            found = _number_words(doc, k, taken_tokens)
        elif low in lex.ORDINALS:
            found = (k + 1, float(lex.ORDINALS[low]), "ordinal", doc.starts[k], doc.ends[k])
        if found is None:
            continue
        last, value, kind, start, end = found
        out.append(_new_mention(Mention, (start, end, k, kind, value, {})))
        resume = last
    return out


# (``Mention(...)`` goes through a generated Python ``__new__``: a long text has thousands)
_new_mention = tuple.__new__
_UNREAD = object()
_ORDINAL_SUFFIXES = frozenset(("st", "nd", "rd", "th"))


def _parse_figure(low: str) -> tuple[float, str | None, int, bool] | None:
    """A figure's value, its suffix ("th", "m"), the length of its digits and whether it is
    a bare whole number (a year, if in range)."""
    m = _FIGURE.fullmatch(low)
    if m is None:
        return None
    whole, fraction, suffix = m.groups()
    fraction = fraction or ""
    return (float(whole.replace(",", "") + fraction), suffix, len(whole) + len(fraction),
            not fraction and "," not in whole and not suffix)


def _figure(text: str, doc: Doc, k: int, value: float, suffix: str | None, digits: int,
            bare: bool) -> tuple[int, float, str, int, int]:
    """The figure at token ``k`` (as ``_parse_figure`` read it) in its context: the token
    after it, its value, its kind and its span."""
    start, end, last = doc.starts[k], doc.ends[k], k + 1
    currency = False
    if start and text[start - 1] in _CURRENCY_SIGNS:
        start, currency = start - 1, True
    elif start > 1 and text[start - 1] == " " and text[start - 2] in _CURRENCY_SIGNS:
        start, currency = start - 2, True
    if suffix is not None:
        if suffix in _ORDINAL_SUFFIXES:
            return last, value, "ordinal", start, end
        if suffix in lex.SHORT_SCALES:
            if currency:
                value *= lex.SHORT_SCALES[suffix]
            else:
                end = doc.starts[k] + digits
    if text.startswith("%", end) or text.startswith(" %", end):
        return last, value, "percent", start, text.index("%", end) + 1
    lowers = doc.lowers
    following = lowers[last] if last < len(lowers) else ""
    money = currency
    if following in _AFTER_FIGURE:  # (seldom: most figures have a plain word after them)
        if following in ("percent", "per") and _spaced(doc, last):
            if following == "percent":
                return last + 1, value, "percent", start, doc.ends[last]
            if last + 1 < len(lowers) and lowers[last + 1] == "cent":
                return last + 2, value, "percent", start, doc.ends[last + 1]
        elif following in lex.SCALES and _spaced(doc, last, " \u00a0-"):
            value *= lex.SCALES[following]
            end, last = doc.ends[last], last + 1
        money = currency or (last < len(lowers) and lowers[last] in _CURRENCY_WORDS)
    if money:
        return last, value, "money", start, end
    return last, value, "year" if bare and 1600 <= value <= 2099 else "number", start, end


def _number_words(doc: Doc, k: int, taken: set[int]) -> tuple[int, float, str, int, int] | None:
    lowers = doc.lowers
    words = [lowers[k]]
    last = k + 1
    while last < len(lowers) and last not in taken:
        low = lowers[last]
        if low in NUMBER_WORDS and _spaced(doc, last, " \u00a0-"):
            words.append(low)
            last += 1
        elif (low == "and" and last + 1 < len(lowers) and lowers[last + 1] in NUMBER_WORDS
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
