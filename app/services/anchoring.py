"""Anchoring notes to passages: W3C Web Annotation selectors built from a text, and found again
in a text that may have changed. Pure: no database, no web.

A passage is remembered as its offsets (TextPositionSelector) and as its quoted text with up to
``CONTEXT`` characters on either side (TextQuoteSelector). The offsets are tried first; when the
text moved, the quote is searched for and accepted only where its surroundings agree, so a note
never jumps to look-alike text elsewhere: it is reported as orphaned instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

#: Characters of context stored on each side of the quoted passage.
CONTEXT = 32
#: Characters of context that must agree on a side (or all of it, when less was stored because
#: the passage sat at the start or end of the text) for that side to count as agreeing.
SIDE_EVIDENCE = 8


class AnchorState(StrEnum):
    #: Found at its stored offsets, its surroundings unchanged enough.
    ANCHORED = "anchored"
    #: Found at other offsets by its quote and context.
    REANCHORED = "reanchored"
    #: Not found anywhere with its context: shown apart, never guessed.
    ORPHANED = "orphaned"


@dataclass(frozen=True, slots=True)
class Quote:
    """Where a passage was: the TextQuoteSelector (exact, prefix, suffix) and the
    TextPositionSelector (start, end; half-open, in code points) of the text it was made on."""

    exact: str
    prefix: str
    suffix: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Location:
    """Where a quote is in a text now; ``start`` and ``end`` are None when it is orphaned."""

    state: AnchorState
    start: int | None = None
    end: int | None = None


ORPHANED = Location(AnchorState.ORPHANED)


def quote(text: str, start: int, end: int) -> Quote:
    """The selectors of ``text[start:end]``, with up to ``CONTEXT`` characters of context.

    >>> quote("The mayor said forty inspectors.", 15, 20)
    Quote(exact='forty', prefix='The mayor said ', suffix=' inspectors.', start=15, end=20)
    """
    if not 0 <= start < end <= len(text):
        raise ValueError(f"span [{start}, {end}) is not a passage of a text of {len(text)} characters")
    return Quote(exact=text[start:end], prefix=text[max(0, start - CONTEXT):start],
                 suffix=text[end:end + CONTEXT], start=start, end=end)


def locate(text: str, selector: Quote) -> Location:
    """Where ``selector``'s passage is in ``text``: the occurrence of its quote whose context
    agrees best (its stored offsets winning a tie), or orphaned when no occurrence's context
    agrees enough or two other places agree equally well.

    Context is compared with runs of white space counted as one space, so a text whose line
    endings changed (``\r\n`` to ``\n``) or whose spacing was tidied still places its notes;
    the quote itself must match exactly.

    >>> old = quote("Voss said forty. Ames said forty-two.", 10, 15)
    >>> locate("Mayor Voss said forty. Ames said forty-two.", old)
    Location(state=<AnchorState.REANCHORED: 'reanchored'>, start=16, end=21)
    >>> locate("Voss said thirty. Ames said forty-two.", old).state
    <AnchorState.ORPHANED: 'orphaned'>
    """
    context = _Context.of(selector)
    if text[selector.start:selector.end] == selector.exact:
        before, after = context.compare(text, selector.start)
        if before.full and after.full:  # nothing around it changed: no other place can do better
            return Location(AnchorState.ANCHORED, selector.start, selector.end)
    occurrences = _occurrences(text, selector.exact)
    scores = {at: score for at in occurrences
              if (score := _score(context.compare(text, at), unique=len(occurrences) == 1)) is not None}
    if not scores:
        return ORPHANED
    best = max(scores.values())
    top = [at for at, score in scores.items() if score == best]
    if selector.start in top:  # its offsets are the first evidence: of equals, it stays put
        return Location(AnchorState.ANCHORED, selector.start, selector.end)
    if len(top) > 1:
        return ORPHANED
    return Location(AnchorState.REANCHORED, top[0], top[0] + len(selector.exact))


def _score(sides: tuple[_Side, _Side], *, unique: bool) -> int | None:
    """Characters of context agreeing around an occurrence, or None when that is too little to
    trust it: both sides must agree, or, for the only occurrence in the text, one side must
    agree in full (an edit right next to the passage changes the other). A side stored empty
    (the passage began or ended the text) is evidence only where the occurrence does too."""
    before, after = sides
    if not (before.matched or after.matched or before.full or after.full):
        return None
    if (before.agrees and after.agrees) or (unique and (before.full or after.full)):
        return before.matched + after.matched
    return None


@dataclass(frozen=True, slots=True)
class _Side:
    """One side of the stored context compared with the text beside an occurrence."""

    #: Characters agreeing, counted outward from the passage (white-space runs count as one).
    matched: int
    #: All of the stored context agrees and, where it was short because the passage sat at the
    #: start or end of its text, the occurrence sits there too.
    full: bool

    @property
    def agrees(self) -> bool:
        return self.matched >= SIDE_EVIDENCE or self.full


@dataclass(frozen=True, slots=True)
class _Context:
    """A selector's context, squashed once: the prefix reversed (it is read outward, from the
    passage back), the suffix as it is, and whether each was cut at ``CONTEXT`` characters."""

    exact_length: int
    prefix: str
    suffix: str
    prefix_cut: bool
    suffix_cut: bool

    @classmethod
    def of(cls, selector: Quote) -> _Context:
        return cls(len(selector.exact), _squash(selector.prefix)[::-1], _squash(selector.suffix),
                   len(selector.prefix) >= CONTEXT, len(selector.suffix) >= CONTEXT)

    def compare(self, text: str, at: int) -> tuple[_Side, _Side]:
        """Both sides compared with the text around the occurrence of the quote at ``at``."""
        end = at + self.exact_length
        # A wider window than CONTEXT: squashing white space can shorten it.
        before = _squash(text[max(0, at - _WINDOW):at])[::-1]
        after = _squash(text[end:end + _WINDOW])
        return (_side(self.prefix, before, cut=self.prefix_cut, found_is_all=at <= _WINDOW),
                _side(self.suffix, after, cut=self.suffix_cut, found_is_all=end + _WINDOW >= len(text)))


_WINDOW = 4 * CONTEXT


def _side(stored: str, found: str, *, cut: bool, found_is_all: bool) -> _Side:
    """``stored`` and ``found`` both read outward from the passage."""
    matched = 0
    for a, b in zip(stored, found, strict=False):
        if a != b:
            break
        matched += 1
    at_same_edge = found_is_all and matched == len(found)
    return _Side(matched, matched == len(stored) and (cut or at_same_edge))


def _squash(text: str) -> str:
    return _WHITE_SPACE.sub(" ", text)


_WHITE_SPACE = re.compile(r"\s+")


def _occurrences(text: str, exact: str) -> list[int]:
    """Start offsets of every occurrence of ``exact`` in ``text``, overlapping ones included."""
    found = []
    at = text.find(exact)
    while at != -1:
        found.append(at)
        at = text.find(exact, at + 1)
    return found
