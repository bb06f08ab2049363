"""Signs of scraped junk in a copy, read off its tokens and the text between them.

Scrapers paste link titles, hover cards and ads into the text they copy, often without a space
("SchiffLone Wolf", "border.Progressive groups"), close a card with a marker word ("MORE",
"SPONSORED"), open prompts the same few ways ("Click here", "Read more:") and put a breadcrumb
trail before the headline. These signs tell where an injected run starts and ends inside a
longer run of changed words, and let a short run count as injected when it carries them.

>>> from app.align.units import segment
>>> doc = segment("Home / World / Mayor Ann VossAnn Voss slams plan MORE said it.")
>>> breadcrumb_end(doc, 0, len(doc.tokens), len(doc.text))
(2, 14)
>>> [doc.text[doc.tokens.starts[k]:doc.tokens.ends[k]] for k in range(len(doc.tokens)) if glued(doc, k)]
['Ann']
>>> is_marker(doc, 9)
True
"""

from __future__ import annotations

import re
from bisect import bisect_left

from app.align.model import Span
from app.align.text import normalise
from app.align.units import Document

# Words a site closes its own links and ads with, in capitals ("... MORE", "... SPONSORED").
_MARKERS = frozenset("more sponsored advertisement advertising advert promoted".split())
# Openings of boilerplate lines and prompts ("Click here to ...", "Read more: ...").
_OPENINGS = tuple(tuple(normalise(w) for w in phrase.split()) for phrase in (
    "click here", "tap here", "read more", "read also", "also read", "see also", "more from",
    "sign up", "subscribe to", "subscribe now", "share this", "follow us", "like this story",
    "download our", "get our free", "get the latest", "join our", "don't miss",
    "story continues below", "article continues below", "continue reading", "scroll to continue",
    "advertisement", "sponsored", "promoted", "related", "recommended", "trending", "watch",
    "video", "photos", "gallery", "live", "breaking", "exclusive", "podcast", "listen",
))
# Single-word openings count only as a label ("Related:", "WATCH -") or in capitals.
_LABEL_AFTER = re.compile(r"\s*[:|\u2013\u2014]|\s+-")

_SENTENCE_GAP = re.compile(r"[.!?\u2026]+[\"'\u201d\u2019)\]]*\s+[\"'\u201c\u2018(\[]*")
_TIGHT_STOP = re.compile(r"[.!?\u2026]+[\"'\u201d\u2019)\]]*")
_WEAK_GAP = re.compile(r"[,;:()\[\]\u2013\u2014\"\u201c\u201d\u2018\u2019]|\s-\s")
_CRUMB_GAP = re.compile(r"\s+[/\u00bb>|\u203a]\s*|\s*[\u00bb>|\u203a]\s+")
_OPEN_MARKS = "\u2018\u201c([\u00ab"
_CLOSE_MARKS = "\u2019\u201d)]\u00bb"
_CRUMB_MARKS = "/\u00bb>|\u203a"  # the separators _CRUMB_GAP allows
_CRUMB_JOINERS = frozenset({"", "&", "-", "+", ","})
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof rep sen gov lt col gen maj capt sgt st jr sr mt ft no vs etc inc ltd co corp "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split())


def gap(doc: Document, k: int) -> str:
    """The text between token ``k - 1`` and token ``k`` (empty for the first token)."""
    if k <= 0:
        return ""
    return doc.text[doc.tokens.ends[k - 1]:doc.tokens.starts[k]]


def _first_char(doc: Document, k: int) -> str:
    return doc.text[doc.tokens.starts[k]]


def _last_char(doc: Document, k: int) -> str:
    return doc.text[doc.tokens.ends[k] - 1]


def glued(doc: Document, k: int) -> bool:
    """Token ``k`` was stuck onto the word before it: "SchiffLone" (a lower-case letter
    followed by a capital inside one word) or "border.Progressive" (a full stop with no space)."""
    if k <= 0 or k >= len(doc.tokens):
        return False
    if not _first_char(doc, k).isupper() or not _last_char(doc, k - 1).islower():
        return False
    between = gap(doc, k)
    return between == "" or _TIGHT_STOP.fullmatch(between) is not None


def sentence_start(doc: Document, k: int) -> bool:
    """Token ``k`` opens a sentence or a paragraph (after ". ", "? ", a line break).

    >>> from app.align.units import segment
    >>> doc = segment("It rained. Rep. Voss left")
    >>> [sentence_start(doc, k) for k in range(len(doc.tokens))]
    [True, False, True, False, False]
    """
    if k <= 0:
        return True
    between = gap(doc, k)
    if "\n" in between or "\r" in between:
        return True
    first = _first_char(doc, k)
    if not (first.isupper() or first.isdigit()) or _SENTENCE_GAP.fullmatch(between) is None:
        return False
    previous = doc.text[doc.tokens.starts[k - 1]:doc.tokens.ends[k - 1]].lower()
    return not (between.startswith(".") and (len(previous) == 1 or previous in _ABBREVIATIONS))


def closing_stop(text: str, end: int, limit: int) -> int:
    """End of a sentence stop (".", "?!", '."') written right at ``end``, not past ``limit``;
    ``end`` itself when there is none."""
    match = _TIGHT_STOP.match(text, end, limit)
    return match.end() if match else end


def weak_cut(doc: Document, k: int) -> bool:
    """Token ``k`` follows a comma, colon, bracket, dash or quotation mark."""
    return k > 0 and _WEAK_GAP.search(gap(doc, k)) is not None


def is_marker(doc: Document, k: int) -> bool:
    """Token ``k`` is a site's marker word in capitals ("MORE", "SPONSORED", "ADVERTISEMENT")."""
    word = doc.text[doc.tokens.starts[k]:doc.tokens.ends[k]]
    return len(word) >= 2 and word.isupper() and word.lower() in _MARKERS


def shouted(doc: Document, k: int) -> bool:
    """Token ``k`` is a word of three or more letters, all capitals."""
    word = doc.text[doc.tokens.starts[k]:doc.tokens.ends[k]]
    return len(word) >= 3 and word.isalpha() and word.isupper()


def boilerplate_opening(doc: Document, first: int, last: int) -> bool:
    """Tokens ``first..last-1`` open like a site's own prompt or label ("Click here to ...").

    >>> from app.align.units import segment
    >>> [boilerplate_opening(d, 0, len(d.tokens)) for d in map(segment, (
    ...     "Click here to donate", "Related: fares rise", "WATCH the video", "Watch the tide",
    ...     "Watch-list grows"))]
    [True, True, True, False, False]
    """
    norms = doc.tokens.norms
    for phrase in _OPENINGS:
        n = len(phrase)
        if last - first < n or tuple(norms[first:first + n]) != phrase:
            continue
        if n > 1 or shouted(doc, first):
            return True
        if first + 1 < len(norms) and _LABEL_AFTER.match(gap(doc, first + 1)):
            return True
    return False


def breadcrumb_end(doc: Document, first: int, last: int, limit: int) -> tuple[int, int] | None:
    """A breadcrumb trail opening a paragraph at token ``first`` ("Home / World / Headline"):
    the number of crumb tokens and the character offset just past the last separator, or None.
    ``last`` is the paragraph's (or the block's) token end, ``limit`` its character end.

    Two separators or more, each crumb a few words opening with a capital; the text after the
    last separator (usually the headline) is not part of the trail.
    """
    starts, ends = doc.tokens.starts, doc.tokens.ends
    # The first separator must come within the first four crumb words (see the loop): with
    # no separator mark there, there is no trail. (Most paragraphs: one slice, no regex.)
    head = doc.text[starts[first]:starts[first + 4] if first + 4 < last else limit]
    if not any(mark in head for mark in _CRUMB_MARKS):
        return None
    separators = 0
    words = 0
    end_token = first
    end_char = -1
    for k in range(first, last):
        if words == 0 and not _first_char(doc, k).isupper():
            break
        words += 1
        if words > 4:
            break
        between = doc.text[ends[k]:starts[k + 1] if k + 1 < last else limit]
        match = _CRUMB_GAP.fullmatch(between) if k + 1 < last else _CRUMB_GAP.match(between)
        if match is not None:
            separators += 1
            words = 0
            end_token = k + 1
            end_char = ends[k] + len(between[:match.end()].rstrip())
        elif between.strip() not in _CRUMB_JOINERS:
            break
    if separators < 2:
        return None
    return end_token - first, end_char


def breadcrumbs(doc: Document, first: int, last: int) -> list[tuple[int, int, int]]:
    """The breadcrumb trails opening the paragraphs that start within tokens ``first..last-1``:
    each trail's first and last token (end exclusive) and its character end.

    >>> from app.align.units import segment
    >>> doc = segment("Home \u00bb Sport \u00bb Rugby \u00bb Cup final tonight\\n\\nNews / 12 / 5")
    >>> [(first, last, doc.text[:end]) for first, last, end in breadcrumbs(doc, 0, len(doc.tokens))]
    [(0, 3, 'Home \u00bb Sport \u00bb Rugby \u00bb')]
    """
    out: list[tuple[int, int, int]] = []
    k = bisect_left(doc.para_tokens, (first, -1))
    while k < len(doc.para_tokens) and doc.para_tokens[k][0] < last:
        start, stop = doc.para_tokens[k]
        if stop > start:
            trail = breadcrumb_end(doc, start, min(stop, last), doc.paragraphs[k][1])
            if trail is not None:
                out.append((start, start + trail[0], trail[1]))
        k += 1
    return out


def junk_span(doc: Document, first: int, last: int, block_last: int) -> Span:
    """Character span of junk tokens ``first..last-1`` inside a block ending at token
    ``block_last``, taking in the junk's own punctuation: the full stop of a glued-on or whole
    injected sentence (not one after "MORE": the card ends there and the stop belongs to the
    sentence it was glued into), a closing quotation mark opened inside, and the comma that
    opens an injected clause. It never reaches past the punctuation after the block's last
    word (a block's copy span ends there).

    >>> from app.align.units import segment
    >>> doc = segment("It rose by four, a rise critics call absurd. Rates fell.")
    >>> start, end = junk_span(doc, 4, 9, len(doc.tokens))
    >>> doc.text[start:end]
    ', a rise critics call absurd'
    """
    text = doc.text
    start, end = doc.tokens.starts[first], doc.tokens.ends[last - 1]
    limit = doc.tokens.starts[last] if last < block_last else _punctuation_end(text, end)
    own = sentence_start(doc, first) or glued(doc, first)
    stop = closing_stop(text, end, limit)
    if stop > end and not is_marker(doc, last - 1) and (own or (last < block_last and glued(doc, last))):
        end = stop
    elif end < limit and text[end] in _CLOSE_MARKS and _unclosed(text, start, end):
        end += 1
    if not own and first > 0 and gap(doc, first).strip() == "," and (end == limit or text[end] in ".,;:!?"):
        start = doc.tokens.ends[first - 1]
    return start, end


def _punctuation_end(text: str, end: int) -> int:
    """End of the punctuation directly after ``end`` (a block's copy span takes it in)."""
    while end < len(text) and not text[end].isspace() and not text[end].isalnum():
        end += 1
    return end


def _unclosed(text: str, start: int, end: int) -> bool:
    """The text opens more quotation marks or brackets than it closes (an apostrophe inside a
    word is not a closing mark)."""
    depth = 0
    for i in range(start, end):
        ch = text[i]
        if ch in _OPEN_MARKS:
            depth += 1
        elif ch in _CLOSE_MARKS and not (i + 1 < end and text[i + 1].isalpha()):
            depth -= 1
    return depth > 0
