"""Negations added or dropped between the two sides of a block ("did not approve" ->
"approved"): a negation cue whose aligned counterpart holds nothing negative, when the words
around it are otherwise the same (a rewritten clause that says the same thing another way,
"was unable to" / "could not", is not a change)."""

from __future__ import annotations

from app.align import facts_lex as lex
from app.align.facts_ctx import Context, Found, short, span_of
from app.align.facts_doc import Doc

_NEG_PREFIXES = ("un", "non", "in", "im", "dis", "ir", "il")


def _is_negation(low: str) -> bool:
    return low in lex.NEGATIONS or low.endswith("n't")


def _negative_in(doc: Doc, first: int, last: int, other_words: set[str], accounted: set[int]) -> bool:
    """Whether tokens ``first..last-1`` of ``doc`` hold a negation, other than the ``accounted``
    ones (aligned to a negation of the other side: "did not" kept beside a dropped "would not")."""
    for k in range(first, last):
        if k in accounted:
            continue
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
        unit_cues = od.among(ocues, unit.o_lo, unit.o_hi) if ocues else []
        if unit_cues:
            for o1, o2, c1, c2 in _lost_cues(od, cd, unit_cues, unit.o_to_c, (unit.o_lo, unit.o_hi),
                                             (unit.c_lo, unit.c_hi)):
                ospan, cspan = span_of(od, o1, o2), span_of(cd, c1, c2)
                out.append(Found("negation", ospan, cspan,
                                 f"negation dropped: {short(od.text[ospan[0]:ospan[1]])} \u2192 "
                                 f"{short(cd.text[cspan[0]:cspan[1]])}"))
        ccues = [j for j in cd.among(cd.negations, unit.c_lo, unit.c_hi) if ctx.live(j)]
        if ccues:
            # (within the unit's copy tokens, the context's equals are the unit's, reversed)
            c_eq = ctx.c_eq[unit.c_lo - ctx.c_lo:unit.c_hi - ctx.c_lo]
            for c1, c2, o1, o2 in _lost_cues(cd, od, ccues, c_eq, (unit.c_lo, unit.c_hi),
                                             (unit.o_lo, unit.o_hi)):
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


def _lost_cues(src: Doc, dst: Doc, cues: list[int], eq: list[int], src_range: tuple[int, int],
               dst_range: tuple[int, int]) -> list[tuple[int, int, int, int]]:
    """Cues of ``src`` whose place in ``dst`` (between the nearest aligned words) holds nothing
    negative, when the words there are otherwise the same (a dropped cue, not a rewrite).

    ``eq``: for each token of ``src_range``, the ``dst`` token equal to it, or -1."""
    out = []
    lo, hi = src_range
    accounted = {eq[j - lo] for j in cues if eq[j - lo] >= 0}
    for i in cues:
        if eq[i - lo] >= 0:
            continue
        before = next((k for k in range(i - 1, max(i - 6, lo - 1), -1) if eq[k - lo] >= 0), None)
        after = next((k for k in range(i + 1, min(i + 6, hi)) if eq[k - lo] >= 0), None)
        if before is None or after is None:
            continue
        d1, d2 = eq[before - lo], eq[after - lo]
        if d2 <= d1 or d2 - d1 > 8:
            continue
        own = {src.norms[k] for k in range(before + 1, after) if k != i}
        if len(own) > 2 or sum(1 for k in range(d1 + 1, d2) if dst.norms[k] not in own) > 1:
            continue  # the clause was rewritten or dropped, not just its cue
        if _sentence_of(src, before) < _sentence_of(src, i) < _sentence_of(src, after):
            continue  # the cue's whole sentence is missing on the other side

        around = {src.lowers[k] for k in range(before, after + 1)}
        if _negative_in(dst, max(d1 - 3, dst_range[0]), min(d2 + 4, dst_range[1]), around, accounted):
            continue
        # report within the cue's sentence
        s1 = next((k for k in range(i, before, -1) if src.initial[k]), before)
        t1 = next((k for k in range(d2, d1, -1) if dst.initial[k]), d1)
        out.append((s1, after + 1, t1, d2 + 1))
    return out
