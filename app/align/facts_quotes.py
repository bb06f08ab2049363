"""Changed quotations between the two sides of a block (possible misquotes).

Quotations are paired through the word alignment; a copy quotation whose words are not a
stretch of the source's quoted words is a ``quote`` change (its span: the words inside the
marks). A quotation the copy kept without its marks (indirect speech) is not a change, but
one whose marks the copy broke (a stray closing mark) is still compared.
"""

from __future__ import annotations

from app.align.facts_ctx import Context, Found, short, span_of
from app.align.facts_doc import QUOTE_MARKS, Doc


def _quote_words(doc: Doc, first: int, last: int) -> list[str]:
    return [doc.lowers[k] for k in range(first, last)]


def _copy_quote_words(ctx: Context, first: int, last: int) -> list[str]:
    """The copy's quoted words, less those of injected text (an "ADVERTISEMENT" line dropped
    into a quotation does not make it a misquote)."""
    return [ctx.cd.lowers[k] for k in range(first, last) if ctx.clean or ctx.live(k)]


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
    oquotes = od.quotes_in(ctx.ospan)
    oquotes = [q for q in oquotes if q[2] > q[1]]
    if not oquotes:
        return []
    cquotes = cd.quotes_in(ctx.cspan)
    # a quotation inside injected text is not the copy's
    cquotes = [q for q in cquotes
               if q[2] > q[1] and (ctx.clean or sum(ctx.live(j) for j in range(q[1], q[2])) * 2 > q[2] - q[1])]
    words: list[str] = []
    for _q, a, b in oquotes:
        words += _quote_words(od, a, b)
    out: list[Found] = []
    paired: set[int] = set()
    for cq, j1, j2 in cquotes:
        # the original position of each quoted copy word: its equal, or its place in a
        # replaced run (words inserted or deleted have no counterpart)
        places: list[float] = []
        for j in range(j1, j2):
            i = ctx.c_eq[j - ctx.c_lo]
            if i >= 0:
                places.append(i)
            elif _in_replace(ctx, j):
                places.append(ctx.o_of_c(j))
        best, best_score = -1, 0
        for n, (_oq, a, b) in enumerate(oquotes):
            score = sum(1 for pos in places if a <= pos < b)
            if score > best_score:
                best, best_score = n, score
        if best < 0 or best_score < max(1, 0.25 * (j2 - j1)) and best_score < 3:
            continue
        paired.add(best)
        if _contains(words, _copy_quote_words(ctx, j1, j2)):
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
        if _contains(words, _copy_quote_words(ctx, j1, j2)):
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
        first, last = max(a, unit.o_lo) - unit.o_lo, max(b, unit.o_lo) - unit.o_lo
        hits = [j for j in unit.o_to_c[first:last] if j >= 0]
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
