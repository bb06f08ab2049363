"""Statements given to a different speaker or source (``attribution``) between the two sides
of a block: the speaker of "X said" / "said X" / "according to X" at aligned places, and name
changes that fall on a speaker."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass

from rapidfuzz import fuzz

from app.align import facts_lex as lex
from app.align.facts_ctx import Context, Found, short, span_of
from app.align.facts_doc import Doc
from app.align.facts_names import Name, names_of
from app.align.model import Span


# How far back (in words) a pronoun speaker may look for the person it stands for.
_REFERENT_REACH = 60


@dataclass(slots=True)
class _Frame:
    verb: int
    first: int
    last: int
    according: bool
    name: Name | None = None
    #: For "he said" / "she added": the person named as the speaker of the frame before it (a
    #: pronoun speaker stands for the last named one).
    referent: Name | None = None


def _frames(doc: Doc, lo: int, hi: int, names: list[Name], live: Callable[[int], bool]) -> list[_Frame]:
    out: list[_Frame] = []
    by_last = {n.last: n for n in names}
    by_first = {n.first: n for n in names}
    text = doc.text
    for k in doc.among(doc.speech, lo, hi):
        if not live(k):
            continue
        low = doc.lowers[k]
        if low == "according" and k + 1 < hi and doc.lowers[k + 1] == "to":
            first = k + 2
            last = first
            while last < hi and last - first < 8:
                if last > first and not text[doc.ends[last - 1]:doc.starts[last]].isspace():
                    break
                last += 1
            if last > first:
                out.append(_Frame(k, first, last, True))
            continue
        if doc.norms[k] not in lex.SPEECH_VERBS or low in ("state", "states", "report", "reports",
                                                            "note", "notes", "claim", "claims"):
            continue
        # inverted: "said union secretary Dara Quinn", "said the study's lead author, Dr X"
        after = _inverted_speaker(doc, k, hi, by_first)
        if after is not None:
            out.append(_Frame(k, k + 1, after.last, False, after))
            continue
        if k - 1 >= lo:
            gap = text[doc.ends[k - 1]:doc.starts[k]]
            if gap.strip(" ,\u00a0") == "" and (k in by_last):
                name = by_last[k]
                out.append(_Frame(k, name.first, name.last, False, name))
            elif gap.isspace() and doc.lowers[k - 1] in lex.PRONOUNS:
                out.append(_Frame(k, k - 1, k, False, referent=_last_subject(doc, names, k - 1)))
    return out


def _last_subject(doc: Doc, names: list[Name], k: int) -> Name | None:
    """The person a pronoun at token ``k`` stands for: the nearest person named at the start of
    an earlier sentence, a few sentences back at most ("Kwame Addo, president of the union,
    said ... 'We back them,' he said")."""
    best = None
    for name in names:
        if name.last > k:
            break
        # (A first name opening a sentence may be left out of the name found: "Kwame Addo".)
        opens = doc.initial[name.first] or (name.first > 0 and doc.initial[name.first - 1])
        if k - name.first <= _REFERENT_REACH and name.person and opens:
            best = name
    return best


def _inverted_speaker(doc: Doc, k: int, hi: int, by_first: dict[int, Name]) -> Name | None:
    text = doc.text
    for m in range(k + 1, min(k + 9, hi)):
        gap = text[doc.ends[m - 1]:doc.starts[m]]
        # (a quotation mark in the gap is no character the strip removes: it ends the search too)
        if doc.initial[m] or (gap != " " and gap.strip(" ,-\u00a0\u2019'")):
            return None
        if m in by_first:
            return by_first[m]
        low = doc.lowers[m]
        if low in lex.STOP and low not in lex.DETERMINERS:
            return None
    return None


def _content(doc: Doc, first: int, last: int) -> set[str]:
    return {doc.norms[t] for t in range(first, last) if doc.lowers[t] not in lex.STOP}


def _head(doc: Doc, frame: _Frame) -> tuple[int, int]:
    """The noun phrase heading a source: determiners and words up to the first function word."""
    first, last = frame.first, frame.last
    k = first
    while k < last and (doc.lowers[k] in lex.DETERMINERS or doc.lowers[k] in lex.POSSESSIVE_PLURAL
                        or doc.lowers[k] in lex.POSSESSIVE_SINGULAR):
        k += 1
    while k < last and doc.lowers[k] not in lex.STOP:
        k += 1
    return first, k


def attribution_changes(ctx: Context) -> list[Found]:
    od, cd = ctx.od, ctx.cd
    if not od.among(od.speech, ctx.o_lo, ctx.o_hi) or not cd.among(cd.speech, ctx.c_lo, ctx.c_hi):
        return []  # no speech verb, no source on one side: nothing to compare
    onames, cnames = names_of(ctx)
    oframes = _frames(od, ctx.o_lo, ctx.o_hi, onames, lambda k: True)
    if not oframes:
        return []
    cframes = _frames(cd, ctx.c_lo, ctx.c_hi, cnames, ctx.live)
    out = []
    used: set[int] = set()
    verbs = [of.verb for of in oframes]
    for cf in cframes:
        pos = ctx.o_of_c(cf.verb)
        best = None
        for n in range(bisect_left(verbs, pos - 6), bisect_right(verbs, pos + 6)):
            of = oframes[n]
            if n in used or of.according != cf.according:
                continue
            distance = abs(of.verb - pos)
            if distance <= 6 and (best is None or distance < best[0]):
                best = (distance, n)
        if best is None:
            continue
        of = oframes[best[1]]
        used.add(best[1])
        if _speaker_changed(od, of, cd, cf):
            ospan, cspan = _speaker_span(od, of), _speaker_span(cd, cf)
            if of.according:
                o_head, c_head = _head(od, of), _head(cd, cf)
                ospan, cspan = span_of(od, *o_head), span_of(cd, *c_head)
            out.append(_speaker_found(od.text[ospan[0]:ospan[1]], cd.text[cspan[0]:cspan[1]], ospan, cspan))
    return out


def _speaker_span(doc: Doc, frame: _Frame) -> Span:
    """Where the speaker is named: the pronoun's referent when the frame has one."""
    if frame.referent is not None:
        return span_of(doc, frame.referent.first, frame.referent.last)
    return span_of(doc, frame.first, frame.last)


def _speaker_found(otext: str, ctext: str, ospan: Span, cspan: Span) -> Found:
    """A different speaker is an attribution change; a misspelt one ("Beck" -> "Becker") is a
    name change."""
    if _similar(otext, ctext):
        return Found("name", ospan, cspan, f"name: {short(otext)} \u2192 {short(ctext)}")
    return Found("attribution", ospan, cspan, f"attribution: {short(otext)} \u2192 {short(ctext)}")


def _similar(a: str, b: str) -> bool:
    """Two short proper names that differ by a few letters (a misspelling, not a new person)."""
    wa, wb = a.split(), b.split()
    if not (0 < len(wa) <= 3 and 0 < len(wb) <= 3) or not all(w[:1].isupper() for w in wa + wb):
        return False
    return fuzz.ratio(a.casefold(), b.casefold()) >= 60


def speaker_names(ctx: Context, names: list[Found]) -> list[Found]:
    """Name changes on the speaker of a statement ("Prosecutor Richard Oduya said" -> "Fiona
    Castellanos KC said") are attribution changes when the copy names another person (no
    word of the name shared, not a misspelling, not an institution)."""
    od, cd = ctx.od, ctx.cd
    if not any(f.kind == "name" for f in names):
        return names
    onames, cnames = names_of(ctx)
    out = []
    for f in names:
        if f.kind == "name":
            oname = _enclosing(od, onames, f.original)
            cname = _enclosing(cd, cnames, f.copy)
            if (oname is not None and cname is not None and oname.person and cname.person
                    and not oname.institution and not cname.institution
                    and not {od.keys[t] for t in oname.person} & {cd.keys[t] for t in cname.person}
                    and _speaker_slot(od, oname.first, oname.last, ctx.o_lo, ctx.o_hi)
                    and not _similar(od.text[f.original[0]:f.original[1]], cd.text[f.copy[0]:f.copy[1]])):
                otext = od.text[f.original[0]:f.original[1]]
                ctext = cd.text[f.copy[0]:f.copy[1]]
                f = Found("attribution", f.original, f.copy,
                          f"attribution: {short(otext)} \u2192 {short(ctext)}")
        out.append(f)
    return out


def _enclosing(doc: Doc, names: list[Name], span: Span) -> Name | None:
    for name in names:
        if doc.starts[name.first] <= span[0] and span[1] <= doc.ends[name.last - 1]:
            return name
    return None


def _speaker_slot(doc: Doc, first: int, last: int, lo: int, hi: int) -> bool:
    """Tokens ``first..last`` name who speaks: the subject before a speech verb at the start of
    a sentence, or the words right after one ("said Mayor Voss")."""
    k = first
    while k > lo and not doc.initial[k] and first - k < 4:
        k -= 1
    if doc.initial[k] or k == lo:
        for m in range(last, min(last + 7, hi)):
            if doc.initial[m]:
                break
            if doc.norms[m] in lex.SPEECH_VERBS or doc.lowers[m] in lex.SUBJECT_VERBS:
                return True
    for m in range(first - 1, max(first - 5, lo - 1), -1):
        if doc.norms[m] in lex.SPEECH_VERBS:
            return True
        if doc.initial[m + 1] and m + 1 != first:
            break
    return False


def _pronoun_speaker_changed(pdoc: Doc, pframe: _Frame, ndoc: Doc, nframe: _Frame) -> bool:
    """"he said" on one side (``pframe``), a named person on the other (``nframe``): another
    speaker when the person the pronoun stands for is someone else and the named person is not
    mentioned between that referent and the pronoun ("The council leader, Ian Colbeck, said ...
    He said" -> "Ian Colbeck said" is the same speaker)."""
    referent, named = pframe.referent, nframe.name
    if referent is None or named is None or not (referent.person and named.person):
        return False
    if referent.institution or named.institution:
        return False
    named_keys = {ndoc.keys[t] for t in named.person}
    return not named_keys & {pdoc.keys[t] for t in range(referent.first, pframe.verb)}


def _speaker_changed(od: Doc, of: _Frame, cd: Doc, cf: _Frame) -> bool:
    o_pron = of.last - of.first == 1 and od.lowers[of.first] in lex.PRONOUNS
    c_pron = cf.last - cf.first == 1 and cd.lowers[cf.first] in lex.PRONOUNS
    if o_pron or c_pron:
        return o_pron != c_pron and (_pronoun_speaker_changed(od, of, cd, cf) if o_pron
                                     else _pronoun_speaker_changed(cd, cf, od, of))
    if of.according:
        o_first, o_last = _head(od, of)
        c_first, c_last = _head(cd, cf)
        a, b = _content(od, o_first, o_last), _content(cd, c_first, c_last)
        if not a or not b:
            return False
        o_poss = {od.lowers[t] for t in range(o_first, o_last)}
        c_poss = {cd.lowers[t] for t in range(c_first, c_last)}
        if ((o_poss & lex.POSSESSIVE_PLURAL and c_poss & lex.POSSESSIVE_SINGULAR)
                or (o_poss & lex.POSSESSIVE_SINGULAR and c_poss & lex.POSSESSIVE_PLURAL)) and a & b:
            return True
        # "the council's figures" -> "the opposition's figures": the owner changed
        o_owner = {od.keys[t] for t in range(o_first, o_last) if od.lowers[t].endswith("'s")}
        c_owner = {cd.keys[t] for t in range(c_first, c_last) if cd.lowers[t].endswith("'s")}
        if o_owner and c_owner and not o_owner & c_owner:
            return True
        only_o = [t for t in range(o_first, o_last) if od.norms[t] in a - b and od.surfs[t][0].isupper()]
        only_c = [t for t in range(c_first, c_last) if cd.norms[t] in b - a and cd.surfs[t][0].isupper()]
        return bool(only_o and only_c)
    if of.name is not None and cf.name is not None and of.name.person and cf.name.person:
        o_person = {od.keys[t] for t in of.name.person}
        c_person = {cd.keys[t] for t in cf.name.person}
        return not o_person & c_person
    a, b = _content(od, of.first, of.last), _content(cd, cf.first, cf.last)
    if not a or not b or a & b:
        return False
    return any(od.surfs[t][0].isupper() for t in range(of.first, of.last)) and any(
        cd.surfs[t][0].isupper() for t in range(cf.first, cf.last))
