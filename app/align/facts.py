"""Changed facts between a derived block and its source: names, numbers, dates, quotes ...

The two sides of a block are compared through their word alignment (rapidfuzz ``Indel``
opcodes on normalised tokens, one alignment per copy paragraph against the whole source
span, so splits and duplicated headlines each find their counterpart):

- **mentions** (numbers, dates, names, places) of one side that have an equivalent anywhere on
  the other side are unchanged, whatever the word order or format ("five" = "5",
  "$1.9 billion" = "1.9 billion dollars", "3 June" = "June 3");
- a mention left without an equivalent is paired with an unmatched mention of the same sort
  at the aligned position on the other side, or (for titles and institutions) with the
  words the alignment puts in its place ("Rep." -> "agent", "Congress" -> "parliament");
- **quotations** are paired through the alignment; a quotation whose words differ from its
  source's quoted words is a ``quote`` change (a quotation the copy turned into indirect
  speech is not);
- **speakers and sources** ("said X", "according to X") are compared at aligned positions;
- a **negation** cue with no negative counterpart in the aligned words is a ``negation``.

Text injected into the copy (scraped link titles) is recognised and ignored. Everything
lexical lives in ``facts_lex``. Each text is analysed (tokens, numbers, dates, quotations,
names) once per pair, by ``read_sides`` from the engine's segmentation when it is given, and
the per-block work only slices that analysis.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Sequence
from math import isfinite

from app.align.facts_ctx import Context, Found, Sides, clamp, overlaps
from app.align.facts_doc import analyse
from app.align.facts_figures import Mention, approximate
from app.align.facts_names import find_names
from app.align.facts_negation import negation_changes
from app.align.facts_quotes import quote_changes
from app.align.facts_renames import name_changes
from app.align.facts_speech import attribution_changes, speaker_names
from app.align.model import Block, Change, Span
from app.align.units import Document

_Test = Callable[[Mention, Mention], bool]

# How far (in tokens) the aligned position of a figure or date may lie from its counterpart.
_WINDOW = 12
# A figure met again this close on the other side is a repeat, not a change.
_REPEAT = 4
# ... or this far when they are the only unmatched mentions of their sort in the block.
_FAR_WINDOW = 40
# Equal figures or dates this far apart (a moved sentence) still count as the same mention.
_MATCH_REACH = 400


def find_all_changes(original: str, copy: str, blocks: Sequence[Block], *,
                     documents: tuple[Document, Document] | None = None) -> list[Change]:
    """The changed facts of every derived block of an alignment, in block order.

    ``documents``: the engine's segmentation of ``original`` and ``copy`` (read, not redone).

    >>> from app.align import align
    >>> o, c = "Officials said 12 people died.", "Officials said 21 people died."
    >>> [(ch.kind, ch.copy_text) for ch in find_all_changes(o, c, align(o, c).blocks)]
    [('number', '21')]
    """
    if not any(block.kind.derived for block in blocks):
        return []
    sides = read_sides(original, copy, documents)
    injected: dict[int, list[Span]] = {}
    for block in blocks:
        if block.parent is not None and block.copy is not None:
            injected.setdefault(block.parent, []).append(block.copy)
    return [change for index, block in enumerate(blocks) if block.kind.derived
            for change in find_changes(original, copy, block, index, sides=sides,
                                       injected=injected.get(index, ()))]


def read_sides(original: str, copy: str, documents: tuple[Document, Document] | None = None) -> Sides:
    """Both texts analysed once for all the blocks of the pair (from the engine's tokens and
    paragraphs when ``documents`` are given).

    >>> sides = read_sides("Mayor Ann Voss of Kellmouth said the U.S. talks end at 22:00.",
    ...                    "Mayor Ann Voss said the talks end at 10pm.")
    >>> od = sides.od
    >>> od.surfs[4:]
    ('Kellmouth', 'said', 'the', 'U.S.', 'talks', 'end', 'at', '22:00')
    >>> [" ".join(od.surfs[n.first:n.last]) for n in sides.onames.within(0, len(od.surfs))]
    ['Mayor Ann Voss of Kellmouth']
    """
    if documents is None:
        od, cd = analyse(original), analyse(copy)
    else:
        od = analyse(original, documents[0].tokens, documents[0].paragraphs)
        cd = analyse(copy, documents[1].tokens, documents[1].paragraphs)
    return Sides(od, cd, find_names(od, cd), find_names(cd, od))


def find_changes(original: str, copy: str, block: Block, index: int, *,
                 sides: Sides | None = None, injected: Sequence[Span] = ()) -> list[Change]:
    """Every fact that differs between ``block``'s original span and its copy span.

    ``index`` is the block's position in the alignment (stored on each Change). ``sides``:
    the pair as ``read_sides`` read it (read here when not given: pass it when comparing
    several blocks of one pair). ``injected``: copy spans the engine found injected inside the
    block (their words are no fact of the copy's, wherever they fall: "ADVERTISEMENT" inside
    a quotation does not make it a misquote).

    >>> from app.align.model import Block, Relation
    >>> o, c = "Officials said 12 people died on Tuesday.", "Officials said 21 people died on Tuesday."
    >>> b = Block(Relation.EDITED, (0, len(o)), (0, len(c)), 0.9)
    >>> [(ch.kind, ch.original_text, ch.copy_text) for ch in find_changes(o, c, b, 0)]
    [('number', '12', '21')]
    """
    if block.original is None or block.copy is None:
        return []
    ospan = clamp(block.original, len(original))
    cspan = clamp(block.copy, len(copy))
    if ospan[1] <= ospan[0] or cspan[1] <= cspan[0]:
        return []
    if sides is None:
        sides = read_sides(original, copy)
    od, cd = sides.od, sides.cd
    o_lo, o_hi = od.token_range(ospan)
    c_lo, c_hi = cd.token_range(cspan)
    if o_hi - o_lo == c_hi - c_lo and od.surfs[o_lo:o_hi] == cd.surfs[c_lo:c_hi]:
        return []  # the same words: no fact can differ
    ctx = Context(sides, ospan, cspan, injected, ranges=((o_lo, o_hi), (c_lo, c_hi)))
    if ctx.o_lo >= ctx.o_hi or ctx.c_lo >= ctx.c_hi:
        return []
    found: list[Found] = []
    odates, cdates = od.dates_in(ospan), cd.dates_in(cspan)
    found += _number_changes(ctx, odates, cdates)
    found += _date_changes(ctx, odates, cdates)
    names = speaker_names(ctx, name_changes(ctx))
    speakers = attribution_changes(ctx)
    # A changed speaker is one attribution change, not also a name change.
    found += [n for n in names if not any(overlaps(n, s) for s in speakers)]
    found += speakers
    found += quote_changes(ctx)
    found += negation_changes(ctx)
    return _finish(found, original, copy, ospan, cspan, index)


def _finish(found: list[Found], original: str, copy: str, ospan: Span, cspan: Span,
            index: int) -> list[Change]:
    seen: set[tuple[str, Span, Span]] = set()
    out: list[Change] = []
    for f in sorted(found, key=lambda f: (f.copy, f.original, f.kind)):
        o = (max(f.original[0], ospan[0]), min(f.original[1], ospan[1]))
        c = (max(f.copy[0], cspan[0]), min(f.copy[1], cspan[1]))
        if o[1] < o[0] or c[1] < c[0]:
            continue
        key = (f.kind, o, c)
        if key in seen:
            continue
        seen.add(key)
        out.append(Change(f.kind, o, c, original[o[0]:o[1]], copy[c[0]:c[1]], index, f.note))
    return out


# ----------------------------------------------------------- numbers, dates --
def _pair_mentions(ctx: Context, omentions: list[Mention], cmentions: list[Mention],
                   same: _Test, pairable: _Test, *, figures: bool = False) -> list[tuple[Mention, Mention]]:
    """Mentions without an equivalent on the other side, paired by aligned position.

    ``figures``: ``same`` is ``_same_number`` (a block whose figures all have their equal on
    one side is then seen without comparing every pair)."""
    if ctx.clean:
        cmentions = [m for m in cmentions if m.token < ctx.c_hi]  # (every copy word is live)
    else:
        cmentions = [m for m in cmentions if m.token < ctx.c_hi and ctx.live(m.token)]
    if not omentions or not cmentions:
        return []
    positions = [m.token for m in omentions]  # sorted: mentions come in text order
    if figures and _one_side_all_equal(ctx, positions, omentions, cmentions):
        return []  # what step 1 below would find, without its candidate list
    mapped = [ctx.o_of_c(m.token) for m in cmentions]

    def near(b: int, reach: float) -> range:
        """Original mentions within ``reach`` tokens of copy mention ``b``'s aligned place."""
        return range(bisect_left(positions, mapped[b] - reach), bisect_right(positions, mapped[b] + reach))

    # 1. equivalents, nearest first (within a long reach: a sentence may move)
    cand = [(abs(mapped[b] - positions[a]), a, b) for b in range(len(cmentions))
            for a in near(b, _MATCH_REACH) if same(omentions[a], cmentions[b])]
    cand.sort()
    used_o: set[int] = set()
    used_c: set[int] = set()
    for _d, a, b in cand:
        if a not in used_o and b not in used_c:
            used_o.add(a)
            used_c.add(b)
    if len(used_o) == len(omentions) or len(used_c) == len(cmentions):
        return []  # every mention of one side has its equivalent: nothing is left to pair
    # 2. a leftover with an equivalent right beside it on the other side is a repeated figure
    repeats = [(a, b) for b in range(len(cmentions)) for a in near(b, _REPEAT)
               if same(omentions[a], cmentions[b])]
    repeat_o = {a for a, _b in repeats}
    repeat_c = {b for _a, b in repeats}
    left_o = [a for a in range(len(omentions)) if a not in used_o and a not in repeat_o]
    left_c = [b for b in range(len(cmentions)) if b not in used_c and b not in repeat_c]
    # 3. the rest pair up by position
    left_o_set = set(left_o)
    pairs = []
    for b in left_c:
        cm = cmentions[b]
        for a in near(b, _FAR_WINDOW):
            if a not in left_o_set:
                continue
            om = omentions[a]
            if not pairable(om, cm):
                continue
            distance = abs(mapped[b] - positions[a])
            if distance <= _WINDOW or (_sole(a, left_o, omentions, cm, pairable)
                                       and _sole(b, left_c, cmentions, om, pairable)):
                # beyond the window only the two last of their sort: a clause moved
                pairs.append((distance, a, b))
    pairs.sort()
    out = []
    used_o.clear()
    used_c.clear()
    for _d, a, b in pairs:
        if a in used_o or b in used_c:
            continue
        om, cm = omentions[a], cmentions[b]
        o1, o2 = ctx.od.token_range((om.start, om.end))
        c1, c2 = ctx.cd.token_range((cm.start, cm.end))
        if not ctx.supported(o1, max(o2, o1 + 1), c1, max(c2, c1 + 1)):
            continue
        used_o.add(a)
        used_c.add(b)
        out.append((om, cm))
    return out


def _one_side_all_equal(ctx: Context, positions: list[int], omentions: list[Mention],
                        cmentions: list[Mention]) -> bool:
    """Step 1 of ``_pair_mentions`` gives every figure of one side its equivalent, foreseen
    without the candidate list in the common case: every original figure lies within reach of
    every copy figure's aligned place (which ``o_of_c`` keeps inside ``o_lo..o_hi``), and
    ``_same_number`` holds between two of the values only when they are equal. The candidates
    then join the figures of each value all with all, so the greedy matching pairs min(n, m)
    of a value's n original and m copy figures, and every figure of one side is paired when
    that side has no value more often than the other. (False: not foreseen.)"""
    if positions[-1] > ctx.o_lo + _MATCH_REACH or positions[0] < ctx.o_hi - _MATCH_REACH:
        return False
    ovalues = sorted([m.number for m in omentions])
    cvalues = sorted([m.number for m in cmentions])
    distinct = sorted(set(ovalues).union(cvalues))
    # Neighbours suffice: for finite x < u < y within the tolerance, so are (u, y) when x >= 0
    # and (x, u) when y <= 0 (closer, same larger magnitude); when x < 0 < y, |x - y| exceeds
    # both magnitudes, so both are below 1 and every pair between has the tolerance 1e-9.
    if not all(map(isfinite, distinct)) or any(map(_same_value, distinct, distinct[1:])):
        return False
    if ovalues == cvalues:
        return True  # (the commonest case)
    ocount, ccount = Counter(ovalues), Counter(cvalues)
    return ocount <= ccount or ccount <= ocount


def _sole(index: int, left: list[int], mentions: list[Mention], partner: Mention, pairable: _Test) -> bool:
    return all(k == index or not pairable(mentions[k], partner) for k in left)


def _same_number(a: Mention, b: Mention) -> bool:
    return _same_value(a.number, b.number)


def _same_value(x: float, y: float) -> bool:
    return abs(x - y) <= 1e-9 * max(abs(x), abs(y), 1.0)


def _same_sort(a: Mention, b: Mention) -> bool:
    return a.kind == b.kind


def _close_enough(ctx: Context, a: Mention, b: Mention) -> bool:
    """A hedged figure ("more than 3,400") within 10% of the other is not a changed one."""
    x, y = a.number, b.number
    if abs(x - y) > 0.1 * max(abs(x), abs(y)) or a.kind == "year":
        return False
    return approximate(ctx.od.text, a.start) or approximate(ctx.cd.text, b.start)


_UNIT = re.compile(r"\s+(years?|decades?|century|centuries|months?|weeks?|dozens?)\b", re.IGNORECASE)
# Each unit in years (time) or as a multiplier (dozen): "forty years" is "four decades".
_UNIT_SIZE = {"year": 1.0, "decade": 10.0, "century": 100.0, "centurie": 100.0, "month": 1 / 12,
              "week": 7 / 365.25, "dozen": 12.0}


def _same_quantity(otext: str, a: Mention, ctext: str, b: Mention) -> bool:
    """The same amount in other units ("forty years" / "four decades"): a format, not a change."""
    ua, ub = _UNIT.match(otext, a.end), _UNIT.match(ctext, b.end)
    if ua is None or ub is None:
        return False
    sa = _UNIT_SIZE.get(ua.group(1).lower().rstrip("s"))
    sb = _UNIT_SIZE.get(ub.group(1).lower().rstrip("s"))
    if sa is None or sb is None or (sa == 12.0) != (sb == 12.0) or sa == sb:
        return False
    x, y = a.number * sa, b.number * sb
    return abs(x - y) <= 0.01 * max(abs(x), abs(y))


def _number_changes(ctx: Context, odates: list[Mention], cdates: list[Mention]) -> list[Found]:
    """Changed figures; ``odates``, ``cdates``: the dates of the block's two sides."""
    od, cd = ctx.od, ctx.cd
    onums = od.numbers_in(ctx.ospan)
    cnums = cd.numbers_in(ctx.cspan)
    if not onums or not cnums:
        return []  # nothing to pair
    # a figure that is part of a date on the other side (a year, a day) is not missing
    o_in_dates = _date_figures(odates)
    c_in_dates = _date_figures(cdates)
    onums = [m for m in onums if m.number not in c_in_dates]
    cnums = [m for m in cnums if m.number not in o_in_dates]
    out = []
    for om, cm in _pair_mentions(ctx, onums, cnums, _same_number, _same_sort, figures=True):
        if _close_enough(ctx, om, cm) or _same_quantity(od.text, om, cd.text, cm):
            continue
        kind = "date" if om.kind == "year" else "number"
        otext, ctext = od.text[om.start:om.end], cd.text[cm.start:cm.end]
        out.append(Found(kind, (om.start, om.end), (cm.start, cm.end), f"{kind}: {otext} \u2192 {ctext}"))
    return out


def _date_figures(dates: list[Mention]) -> set[float]:
    return {float(v) for m in dates for k, v in m.fields.items() if k in ("y", "d", "dec")}


def _same_date(a: Mention, b: Mention) -> bool:
    shared = a.fields.keys() & b.fields.keys()
    return bool(shared) and all(a.fields[k] == b.fields[k] for k in shared)


def _comparable_dates(a: Mention, b: Mention) -> bool:
    return bool(a.fields.keys() & b.fields.keys())


def _date_changes(ctx: Context, odates: list[Mention], cdates: list[Mention]) -> list[Found]:
    od, cd = ctx.od, ctx.cd
    out = []
    pairs = _pair_mentions(ctx, odates, cdates, _same_date, _comparable_dates)
    for om, cm in pairs:
        otext, ctext = od.text[om.start:om.end], cd.text[cm.start:cm.end]
        out.append(Found("date", (om.start, om.end), (cm.start, cm.end), f"date: {otext} \u2192 {ctext}"))
    return out
