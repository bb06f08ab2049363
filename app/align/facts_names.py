"""Names in a text for the changed-facts detector: runs of capitalised words, with the
titles before them and connectors such as "of the" inside.

Capitalisation is judged with evidence from both whole texts, so that a sentence start or a
spinner's stray capital ("and Violates") is not taken for a name, while "Port Council" and
"Canal of the Meadow" are. Names are found once per text (cached) and sliced per block.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

from app.align import facts_lex as lex
from app.align.facts_ctx import Context
from app.align.facts_doc import CAP, INSTITUTION, TITLE, Doc, analyse


@dataclass(slots=True)
class Name:
    """A run of capitalised words (with titles and connectors) on one side."""

    first: int
    last: int  # exclusive
    content: list[int]  # tokens that carry the name (not connectors)
    person: list[int]  # content tokens that are neither titles nor institution words
    titles: list[int]
    institution: bool
    keys: frozenset[str]  # exact forms of the non-title content words
    joined: str  # all letters of the name, so "D-N.J." meets "DN.J."
    acronyms: tuple[str, ...]  # its words written as acronyms ("AFB", "UConn")


def is_institution_word(low: str) -> bool:
    return low in lex.INSTITUTIONS or (len(low) > 4 and low.rstrip("s") in lex.INSTITUTIONS)


def _base_name_like(doc: Doc, other: Doc, k: int) -> bool:
    surf = doc.surfs[k]
    if not surf[0].isupper() or not surf[0].isalpha():
        return False
    low = doc.lowers[k]
    if low in lex.STOP or low in lex.MONTHS or low in lex.WEEKDAYS:
        return False
    n = doc.norms[k]
    caps = doc.cap_mid[n] + other.cap_mid[n]
    lowers = doc.lower[n] + other.lower[n]
    if len(surf) >= 2 and surf.isupper():
        return lowers <= caps + 1
    if doc.initial[k]:
        return caps >= 1 and caps > lowers
    return caps > lowers


@lru_cache(maxsize=4096)
def _joining(gap: str) -> bool:
    return all(ch in " \u00a0-.'\u2019&" for ch in gap)


def joins(doc: Doc, k: int) -> bool:
    """Token ``k`` follows token ``k - 1`` inside one name (no punctuation between)."""
    return k > 0 and _joining(doc.text[doc.ends[k - 1]:doc.starts[k]])


def _flags(doc: Doc, other: Doc) -> tuple[list[bool], list[bool]]:
    """For every token of ``doc``: is it a name word (by the capitalisation evidence of both
    texts, or as a mid-sentence capital next to another), is it a title word."""
    n = len(doc.surfs)
    base = [False] * n
    capital = [False] * n  # a capital in mid-sentence on a word that is not a function word
    caps = doc.caps
    for k in caps:
        base[k] = _base_name_like(doc, other, k)
        low = doc.lowers[k]
        capital[k] = (not doc.initial[k] and doc.surfs[k][0].isalpha() and low not in lex.STOP
                      and low not in lex.MONTHS and low not in lex.WEEKDAYS)
    flags = list(base)
    for k in caps:
        if not flags[k] and capital[k] and (doc.bits[k] & INSTITUTION
                                            or _capital_neighbour(doc, 0, n, k, base, capital)):
            flags[k] = True
    titles = [bool(b & TITLE) for b in doc.bits]
    return flags, titles


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


@lru_cache(maxsize=2)
def _all_names(text: str, other_text: str) -> tuple[list[Name], list[int]]:
    """Every name of ``text`` (capitalisation judged with ``other_text`` too), found once."""
    names = find_names(analyse(text), analyse(other_text))
    return names, [n.first for n in names]


def find_names(doc: Doc, other: Doc) -> list[Name]:
    """The names of ``doc``: runs of name words, titles and inner connectors."""
    flags, titles = _flags(doc, other)
    hi = len(flags)
    out: list[Name] = []
    resume = 0
    for k in [k for k in range(hi) if flags[k] or titles[k]]:
        if k < resume:
            continue
        first = last = k
        has_name = False
        j = k
        while j < hi:
            if j > first and (not joins(doc, j) or (doc.initial[j] and not _abbrev_gap(doc, j))):
                break
            if flags[j] or titles[j]:
                has_name = has_name or flags[j]
                last = j + 1
                j += 1
                continue
            # connectors ("of", "of the", "and") inside a name, before another name word
            m = j
            while m < hi and m - j < 3 and doc.lowers[m] in lex.CONNECTORS and (m == j or joins(doc, m)):
                m += 1
            if m > j and m < hi and flags[m] and joins(doc, m) and not doc.initial[m]:
                j = m
                continue
            break
        if has_name:
            out.append(_make_name(doc, first, last, flags, titles))
            resume = last
        else:
            resume = max(j, k + 1)
    return out


def _make_name(doc: Doc, first: int, last: int, flags: list[bool], titles: list[bool]) -> Name:
    content = [t for t in range(first, last) if flags[t] or titles[t]]
    bits = doc.bits
    title_tokens = [t for t in content if titles[t] and (bits[t] & (CAP | INSTITUTION)) != CAP | INSTITUTION]
    inst = [t for t in content if bits[t] & INSTITUTION]
    lead_the = (first > 0 and doc.lowers[first - 1] == "the" and doc.surfs[first - 1][0] == "T"
                and not doc.initial[first - 1])
    person = [t for t in content if t not in title_tokens and t not in inst]
    keys = frozenset(doc.keys[t] for t in content if t not in title_tokens)
    joined = "".join([doc.keys[t] for t in content]).replace("'", "")
    acronyms = tuple(doc.surfs[t] for t in content if is_acronym(doc.surfs[t]))
    return Name(first, last, content, person, title_tokens, bool(inst) or lead_the, keys, joined, acronyms)


def is_acronym(surf: str) -> bool:
    """ "AFB", "TX", "UConn": short, with two capitals or more."""
    return 2 <= len(surf) <= 6 and surf.isalpha() and sum(1 for ch in surf if ch.isupper()) >= 2


def _abbrev_gap(doc: Doc, j: int) -> bool:
    prev = doc.lowers[j - 1]
    return len(prev) == 1 or prev in lex.ABBREVIATIONS


def names_of(ctx: Context) -> tuple[list[Name], list[Name]]:
    """The names on both sides of the block (computed once per block)."""
    cached = ctx.cache.get("names")
    if cached is None:
        od, cd = ctx.od, ctx.cd
        onames = _names_in(*_all_names(od.text, cd.text), ctx.o_lo, ctx.o_hi)
        cnames = [n for n in _names_in(*_all_names(cd.text, od.text), ctx.c_lo, ctx.c_hi)
                  if all(ctx.live(k) for k in range(n.first, n.last))]
        cached = (onames, cnames)
        ctx.cache["names"] = cached
    return cached  # type: ignore[return-value]


def _names_in(names: list[Name], firsts: list[int], lo: int, hi: int) -> list[Name]:
    out = []
    for name in names[bisect_left(firsts, lo):]:
        if name.first >= hi:
            break
        if name.last <= hi:
            out.append(name)
    return out
