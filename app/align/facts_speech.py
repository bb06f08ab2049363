"""Changed quotations, speakers and negations between the two sides of a block.

- ``quote``: quotations are paired through the word alignment; a copy quotation whose words
  are not a stretch of the source's quoted words is a possible misquote. A quotation the copy
  kept without its marks (indirect speech) is not a change, but one whose marks the copy
  broke (a stray closing mark) is still compared.
- ``attribution``: the speaker of "X said" / "said X" / "according to X" at aligned places.
- ``negation``: a negation cue whose aligned counterpart holds nothing negative.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rapidfuzz import fuzz

from app.align import facts_lex as lex
from app.align.facts_ctx import Context, Found, short, span_of
from app.align.facts_doc import QUOTE_MARKS, Doc
from app.align.model import Span
from app.align.facts_names import Name, names_of

_NEG_PREFIXES = ("un", "non", "in", "im", "dis", "ir", "il")


def _quote_words(doc: Doc, first: int, last: int) -> list[str]:
    return [doc.lowers[k] for k in range(first, last)]


def _contains(seq: list[str], part: list[str]) -> bool:
    n = len(part)
    if n == 0:
        return True
    head = part[0]
    for k in range(len(seq) - n + 1):
        if seq[k] == head and seq[k:k + n] == part:
            return True
    return False


def quote_changes(ctx: Context) -> list[Found]:
    od, cd = ctx.od, ctx.cd
    oquotes = [(q, *od.token_range(q)) for q in od.quotes_in(ctx.ospan)]
    oquotes = [q for q in oquotes if q[2] > q[1]]
    if not oquotes:
        return []
    cquotes = [(q, *cd.token_range(q)) for q in cd.quotes_in(ctx.cspan)]
    cquotes = [q for q in cquotes if q[2] > q[1] and sum(ctx.live(j) for j in range(q[1], q[2])) * 2 > q[2] - q[1]]
    words: list[str] = []
    for _q, a, b in oquotes:
        words += _quote_words(od, a, b)
    out: list[Found] = []
    paired: set[int] = set()
    for cq, j1, j2 in cquotes:
        best, best_score = -1, 0
        for n, (_oq, a, b) in enumerate(oquotes):
            score = 0
            for j in range(j1, j2):
                i = ctx.c_eq[j - ctx.c_lo]
                pos = i if i >= 0 else ctx.o_of_c(j)
                if a <= pos < b and (i >= 0 or _in_replace(ctx, j)):
                    score += 1
            if score > best_score:
                best, best_score = n, score
        if best < 0 or best_score < max(1, 0.25 * (j2 - j1)) and best_score < 3:
            continue
        paired.add(best)
        if _contains(words, _quote_words(cd, j1, j2)):
            continue
        oq = oquotes[best][0]
        out.append(Found("quote", oq, cq, f"quote: \u201c{short(cd.text[cq[0]:cq[1]])}\u201d "
                                           f"(original: \u201c{short(od.text[oq[0]:oq[1]])}\u201d)"))
    # quotations whose closing or opening mark the copy broke
    cquote_tokens = {j for _q, j1, j2 in cquotes for j in range(j1, j2)}
    for n, (oq, a, b) in enumerate(oquotes):
        if n in paired:
            continue
        found = _broken_quote(ctx, a, b, cquote_tokens)
        if found is None:
            continue
        j1, j2 = found
        if _contains(words, _quote_words(cd, j1, j2)):
            continue
        cq = span_of(cd, j1, j2)
        out.append(Found("quote", oq, cq, f"quote: \u201c{short(cd.text[cq[0]:cq[1]])}\u201d "
                                           f"(original: \u201c{short(od.text[oq[0]:oq[1]])}\u201d)"))
    return out


def _in_replace(ctx: Context, j: int) -> bool:
    seg = ctx.seg_of_c(j)
    return seg is not None and seg[0] == "replace"


def _broken_quote(ctx: Context, a: int, b: int, taken: set[int]) -> tuple[int, int] | None:
    """The copy words aligned with original quote tokens ``a..b`` when a stray quotation mark
    sits at either end of them (the copy kept the quotation but broke its marks)."""
    cd = ctx.cd
    best: tuple[int, int] | None = None
    best_n = 0
    for unit in ctx.units:
        hits = [unit.o_eq[i] for i in range(a, b) if i in unit.o_eq]
        if len(hits) > best_n:
            best, best_n = (min(hits), max(hits) + 1), len(hits)
    if best is None or best_n < max(2, 0.2 * (b - a)):
        return None
    j1, j2 = best
    if any(j in taken for j in range(j1, j2)):
        return None
    # extend to the sentence start if it is close
    for k in range(j1, max(j1 - 4, ctx.c_lo) - 1, -1):
        if cd.initial[k]:
            j1 = k
            break
    if not (_closing_mark_after(cd, j2 - 1, ctx.cspan[1]) or _opening_mark_before(cd, j1, ctx.cspan[0])):
        return None
    return j1, j2


def _closing_mark_after(doc: Doc, k: int, limit: int) -> bool:
    """A quotation mark closes right after token ``k`` (punctuation and spaces between)."""
    end = doc.ends[k]
    stop = min(limit, end + 4, doc.starts[k + 1] if k + 1 < len(doc.starts) else limit)
    text = doc.text
    for pos in range(end, stop):
        if text[pos] in QUOTE_MARKS:
            return pos + 1 >= len(text) or not text[pos + 1].isalnum()
    return False


def _opening_mark_before(doc: Doc, k: int, limit: int) -> bool:
    """A quotation mark opens right before token ``k``."""
    start = doc.starts[k]
    text = doc.text
    for pos in range(start - 1, max(limit, start - 3) - 1, -1):
        if text[pos] in QUOTE_MARKS:
            return pos == 0 or not text[pos - 1].isalnum()
        if not text[pos].isspace():
            return False
    return False


# ------------------------------------------------------------ attribution --
@dataclass(slots=True)
class _Frame:
    verb: int
    first: int
    last: int
    according: bool
    name: Name | None = None


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
                out.append(_Frame(k, k - 1, k, False))
    return out


def _inverted_speaker(doc: Doc, k: int, hi: int, by_first: dict[int, Name]) -> Name | None:
    text = doc.text
    for m in range(k + 1, min(k + 9, hi)):
        gap = text[doc.ends[m - 1]:doc.starts[m]]
        if doc.initial[m] or any(ch in QUOTE_MARKS for ch in gap) or gap.strip(" ,-\u00a0\u2019'"):
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
    onames, cnames = names_of(ctx)
    oframes = _frames(od, ctx.o_lo, ctx.o_hi, onames, lambda k: True)
    if not oframes:
        return []
    cframes = _frames(cd, ctx.c_lo, ctx.c_hi, cnames, ctx.live)
    out = []
    used: set[int] = set()
    for cf in cframes:
        pos = ctx.o_of_c(cf.verb)
        best = None
        for n, of in enumerate(oframes):
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
            ospan, cspan = span_of(od, of.first, of.last), span_of(cd, cf.first, cf.last)
            if of.according:
                o_head, c_head = _head(od, of), _head(cd, cf)
                ospan, cspan = span_of(od, *o_head), span_of(cd, *c_head)
            out.append(_speaker_found(od.text[ospan[0]:ospan[1]], cd.text[cspan[0]:cspan[1]], ospan, cspan))
    return out


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


def _speaker_changed(od: Doc, of: _Frame, cd: Doc, cf: _Frame) -> bool:
    o_pron = of.last - of.first == 1 and od.lowers[of.first] in lex.PRONOUNS
    c_pron = cf.last - cf.first == 1 and cd.lowers[cf.first] in lex.PRONOUNS
    if o_pron or c_pron:
        return False
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


# ---------------------------------------------------------------- negation --
def _is_negation(low: str) -> bool:
    return low in lex.NEGATIONS or low.endswith("n't")


def _negative_in(doc: Doc, first: int, last: int, other_words: set[str]) -> bool:
    for k in range(first, last):
        low = doc.lowers[k]
        if _is_negation(low) or low in lex.NEGATIVE_WORDS or doc.norms[k] in lex.NEGATIVE_WORDS:
            return True
        for prefix in _NEG_PREFIXES:
            if low.startswith(prefix) and len(low) > len(prefix) + 3 and low[len(prefix):] in other_words:
                return True
    return False


def negation_changes(ctx: Context) -> list[Found]:
    od, cd = ctx.od, ctx.cd
    out: list[Found] = []
    ocues = od.among(od.negations, ctx.o_lo, ctx.o_hi)
    for unit in ctx.units:
        if ocues:
            for o1, o2, c1, c2 in _lost_cues(od, cd, ocues, unit.o_eq, (ctx.o_lo, ctx.o_hi),
                                             (unit.c_lo, unit.c_hi)):
                ospan, cspan = span_of(od, o1, o2), span_of(cd, c1, c2)
                out.append(Found("negation", ospan, cspan,
                                 f"negation dropped: {short(od.text[ospan[0]:ospan[1]])} \u2192 "
                                 f"{short(cd.text[cspan[0]:cspan[1]])}"))
        ccues = [j for j in cd.among(cd.negations, unit.c_lo, unit.c_hi) if ctx.live(j)]
        if ccues:
            c_eq = {c: o for o, c in unit.o_eq.items()}
            for c1, c2, o1, o2 in _lost_cues(cd, od, ccues, c_eq, (unit.c_lo, unit.c_hi),
                                             (ctx.o_lo, ctx.o_hi)):
                ospan, cspan = span_of(od, o1, o2), span_of(cd, c1, c2)
                out.append(Found("negation", ospan, cspan,
                                 f"negation added: {short(od.text[ospan[0]:ospan[1]])} \u2192 "
                                 f"{short(cd.text[cspan[0]:cspan[1]])}"))
    return out


def _sentence_of(doc: Doc, k: int) -> int:
    """The start of the sentence holding token ``k`` (a token index)."""
    while k > 0 and not doc.initial[k]:
        k -= 1
    return k


def _lost_cues(src: Doc, dst: Doc, cues: list[int], eq: dict[int, int], src_range: tuple[int, int],
               dst_range: tuple[int, int]) -> list[tuple[int, int, int, int]]:
    """Cues of ``src`` whose place in ``dst`` (between the nearest aligned words) holds nothing
    negative, when the words there are otherwise the same (a dropped cue, not a rewrite)."""
    out = []
    lo, hi = src_range
    for i in cues:
        if i in eq:
            continue
        before = next((k for k in range(i - 1, max(i - 6, lo - 1), -1) if k in eq), None)
        after = next((k for k in range(i + 1, min(i + 6, hi)) if k in eq), None)
        if before is None or after is None:
            continue
        d1, d2 = eq[before], eq[after]
        if d2 <= d1 or d2 - d1 > 8:
            continue
        own = {src.norms[k] for k in range(before + 1, after) if k != i}
        if len(own) > 2 or sum(1 for k in range(d1 + 1, d2) if dst.norms[k] not in own) > 1:
            continue  # the clause was rewritten or dropped, not just its cue
        if _sentence_of(src, before) < _sentence_of(src, i) < _sentence_of(src, after):
            continue  # the cue's whole sentence is missing on the other side

        around = {src.lowers[k] for k in range(before, after + 1)}
        if _negative_in(dst, max(d1 - 3, dst_range[0]), min(d2 + 4, dst_range[1]), around):
            continue
        # report within the cue's sentence
        s1 = next((k for k in range(i, before, -1) if src.initial[k]), before)
        t1 = next((k for k in range(d2, d1, -1) if dst.initial[k]), d1)
        out.append((s1, after + 1, t1, d2 + 1))
    return out
