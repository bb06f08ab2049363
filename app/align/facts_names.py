"""Names in a text for the changed-facts detector: runs of capitalised words, with the
titles before them and connectors such as "of the" inside.

Capitalisation is judged with evidence from both whole texts, so that a sentence start or a
spinner's stray capital ("and Violates") is not taken for a name, while "Port Council" and
"Canal of the Meadow" are. Names are found once per text (``find_names``, kept in the pair's
``Sides``) and sliced per block.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from app.align import facts_lex as lex
from app.align.facts_ctx import Context
from app.align.facts_doc import ACRONYM, CAP, INSTITUTION, Doc


class Name(NamedTuple):
    """A run of capitalised words (with titles and connectors) on one side.

    (A named tuple, made with ``tuple.__new__``: a long text has tens of thousands of names,
    each made when a block needs it, and a dataclass sets its fields one by one in Python.)"""

    first: int
    last: int  # exclusive
    content: list[int]  # tokens that carry the name (not connectors)
    person: list[int]  # content tokens that are neither titles nor institution words
    titles: list[int]
    institution: bool
    keys: frozenset[str]  # exact forms of the non-title content words
    joined: str  # all letters of the name, so "D-N.J." meets "DN.J."
    acronyms: tuple[str, ...]  # its words written as acronyms ("AFB", "UConn")
    person_keys: frozenset[str]  # exact forms of the person words
    plain: bool  # every content word is a person word, or a title of a named person


def is_institution_word(low: str) -> bool:
    return low in lex.INSTITUTIONS or (len(low) > 4 and low.rstrip("s") in lex.INSTITUTIONS)


# Capitalised words that are never name words by themselves.
_NEVER_NAMES = lex.STOP | frozenset(lex.MONTHS) | frozenset(lex.WEEKDAYS)


def _evidence(doc: Doc, other: Doc, n: str) -> tuple[int, int]:
    """How often word ``n`` is capitalised in mid-sentence, and written in lower case, in
    both texts."""
    lower = doc.uses.get(n, 0) - doc.cap_uses.get(n, 0) + other.uses.get(n, 0) - other.cap_uses.get(n, 0)
    return doc.cap_mid.get(n, 0) + other.cap_mid.get(n, 0), lower


@lru_cache(maxsize=4096)
def _joining(gap: str) -> bool:
    return all(ch in " \u00a0-.'\u2019&" for ch in gap)


def joins(doc: Doc, k: int) -> bool:
    """Token ``k`` follows token ``k - 1`` inside one name (no punctuation between)."""
    return k > 0 and _joining(doc.text[doc.ends[k - 1]:doc.starts[k]])


def _flags(doc: Doc, other: Doc) -> tuple[tuple[bool, ...], tuple[bool, ...]]:
    """For every token of ``doc``: is it a name word (by the capitalisation evidence of both
    texts, or as a mid-sentence capital next to another), is it a title word."""
    n = len(doc.surfs)
    base = [False] * n
    capital = [False] * n  # a capital in mid-sentence on a word that is not a function word
    surfs, lowers, norms, initial = doc.surfs, doc.lowers, doc.norms, doc.initial
    evidence: dict[str, tuple[int, int]] = {}
    lone: list[int] = []  # mid-sentence capitals that the evidence does not make name words
    for k in doc.caps:  # (their first character is upper case)
        surf = surfs[k]
        if not surf[0].isalpha() or lowers[k] in _NEVER_NAMES:
            continue
        # a name word by the capitalisation evidence of both texts: capitalised in
        # mid-sentence more often than not
        word = norms[k]
        counts = evidence.get(word)
        if counts is None:
            counts = evidence[word] = _evidence(doc, other, word)
        mid, low = counts
        if len(surf) >= 2 and surf.isupper():
            base[k] = low <= mid + 1
        elif initial[k]:
            base[k] = mid >= 1 and mid > low
        else:
            base[k] = mid > low
        if not initial[k]:
            capital[k] = True
            if not base[k]:
                lone.append(k)
    flags = list(base)
    bits = doc.bits
    for k in lone:
        if bits[k] & INSTITUTION or _capital_neighbour(doc, 0, n, k, base, capital):
            flags[k] = True
    titles = [False] * n
    for k in doc.titles:
        titles[k] = True
    return tuple(flags), tuple(titles)  # (kept with the pair's names: see ``Doc``)


def _capital_neighbour(doc: Doc, lo: int, hi: int, k: int, base: list[bool], capital: list[bool]) -> bool:
    """A mid-sentence capital next to another capital (through "of the" at most) is a name
    word ("Port Council", "Canal of the Meadow"); a lone one is a spinner's stray capital."""
    j, hops = k - 1, 0
    while j >= lo and hops <= 2 and joins(doc, j + 1):
        if base[j] or capital[j]:
            return True
        if doc.lowers[j] not in lex.CONNECTORS:
            break
        j, hops = j - 1, hops + 1
    j, hops = k + 1, 0
    while j < hi and hops <= 2 and joins(doc, j):
        if base[j] or capital[j]:
            return True
        if doc.lowers[j] not in lex.CONNECTORS:
            break
        j, hops = j + 1, hops + 1
    return False


@dataclass(slots=True)
class Names:
    """The names of one text, found once per pair; each is built (``Name``) when a block
    needs it. (Not kept: blocks hardly ever share a name, and tens of thousands of names kept
    to the end of a long text would slow every full garbage collection.)"""

    doc: Doc
    spans: list[tuple[int, int]]  # first and last (exclusive) token of each name, in order
    firsts: list[int]
    flags: tuple[bool, ...]  # name words
    titles: tuple[bool, ...]  # title words

    def within(self, lo: int, hi: int) -> list[Name]:
        """The names lying inside tokens ``lo..hi``."""
        doc, flags, titles = self.doc, self.flags, self.titles
        spans = self.spans[bisect_left(self.firsts, lo):bisect_left(self.firsts, hi)]
        return [_make_name(doc, first, last, flags, titles) for first, last in spans if last <= hi]


def find_names(doc: Doc, other: Doc) -> Names:
    """The names of ``doc``: runs of name words, titles and inner connectors."""
    flags, titles = _flags(doc, other)
    hi = len(flags)
    text, starts, ends, initial, lowers = doc.text, doc.starts, doc.ends, doc.initial, doc.lowers
    connectors = lex.CONNECTORS
    out: list[tuple[int, int]] = []
    resume = 0
    for k in sorted({k for k in doc.caps if flags[k]}.union(doc.titles)):
        if k < resume:
            continue
        first = last = k
        has_name = False
        j = k
        while j < hi:
            if j > first:
                if not (flags[j] or titles[j] or lowers[j] in connectors):
                    break  # (the commonest end of a name, known without reading the gap before it)
                # (``_joining`` of the gap before ``j``: the words join inside one name)
                if not _joining(text[ends[j - 1]:starts[j]]) or (initial[j] and not _abbrev_gap(doc, j)):
                    break
            if flags[j] or titles[j]:
                has_name = has_name or flags[j]
                last = j + 1
                j += 1
                continue
            # connectors ("of", "of the", "and") inside a name, before another name word
            m = j
            while m < hi and m - j < 3 and lowers[m] in connectors and (
                    m == j or _joining(text[ends[m - 1]:starts[m]])):
                m += 1
            if m > j and m < hi and flags[m] and _joining(text[ends[m - 1]:starts[m]]) and not initial[m]:
                j = m
                continue
            break
        if has_name:
            out.append((first, last))
            resume = last
        else:
            resume = max(j, k + 1)
    return Names(doc, out, [first for first, _last in out], flags, titles)


def _make_name(doc: Doc, first: int, last: int, flags: tuple[bool, ...], titles: tuple[bool, ...]) -> Name:
    bits, keys = doc.bits, doc.keys
    if last == first + 1:  # a one-word name (the commonest)
        b = bits[first]
        key = keys[first]
        acronyms = (doc.surfs[first],) if b & ACRONYM else ()
        if titles[first] and (b & _CAP_INSTITUTION) != _CAP_INSTITUTION:
            institution = bool(b & INSTITUTION) or _lead_the(doc, first)
            return _new_name(Name, (first, last, [first], [], [first], institution, _NO_KEYS, key.replace("'", ""),
                                    acronyms, _NO_KEYS, False))
        if b & INSTITUTION:
            return _new_name(Name, (first, last, [first], [], [], True, frozenset((key,)), key.replace("'", ""),
                                    acronyms, _NO_KEYS, False))
        one = frozenset((key,))  # (immutable: the name's keys and person keys can be one set)
        return _new_name(Name, (first, last, [first], [first], [], _lead_the(doc, first), one,
                                key.replace("'", ""), acronyms, one, True))
    surfs = doc.surfs
    content: list[int] = []
    title_tokens: list[int] = []
    person: list[int] = []
    name_keys: list[str] = []
    acronyms: list[str] = []
    person_keys: list[str] = []
    institution = False
    for t in range(first, last):
        if not (flags[t] or titles[t]):
            continue
        content.append(t)
        b = bits[t]
        if b & ACRONYM:
            acronyms.append(surfs[t])
        if b & INSTITUTION:
            institution = True
        if titles[t] and (b & _CAP_INSTITUTION) != _CAP_INSTITUTION:
            title_tokens.append(t)
            continue
        name_keys.append(keys[t])
        if not b & INSTITUTION:
            person.append(t)
            person_keys.append(keys[t])
    joined = "".join([keys[t] for t in content]).replace("'", "")
    plain = len(person) + len(title_tokens) == len(content) and (bool(person) or not title_tokens)
    return _new_name(Name, (first, last, content, person, title_tokens, institution or _lead_the(doc, first),
                            frozenset(name_keys), joined, tuple(acronyms), frozenset(person_keys), plain))


_new_name = tuple.__new__
_NO_KEYS: frozenset[str] = frozenset()


def _lead_the(doc: Doc, first: int) -> bool:
    """A capitalised "The" in mid-sentence before the name ("The Guardian"): a body's name."""
    return (first > 0 and doc.lowers[first - 1] == "the" and doc.surfs[first - 1][0] == "T"
            and not doc.initial[first - 1])


_CAP_INSTITUTION = CAP | INSTITUTION


def _abbrev_gap(doc: Doc, j: int) -> bool:
    prev = doc.lowers[j - 1]
    return len(prev) == 1 or prev in lex.ABBREVIATIONS


def names_of(ctx: Context) -> tuple[list[Name], list[Name]]:
    """The names on both sides of the block (computed once per block)."""
    cached = ctx.cache.get("names")
    if cached is None:
        onames = ctx.sides.onames.within(ctx.o_lo, ctx.o_hi)
        cnames = ctx.sides.cnames.within(ctx.c_lo, ctx.c_hi)
        if not ctx.clean:
            cnames = [n for n in cnames if all(ctx.live(k) for k in range(n.first, n.last))]
        cached = (onames, cnames)
        ctx.cache["names"] = cached
    return cached  # type: ignore[return-value]

