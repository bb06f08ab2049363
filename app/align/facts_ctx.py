"""The two sides of one block, aligned word by word, for the changed-facts detector.

``Sides`` holds both texts of a pair, read once for all its blocks. ``Context`` aligns every
copy paragraph of one block with the whole source span (rapidfuzz ``Indel`` opcodes on
normalised tokens), maps positions between the sides, and marks the copy words that were
injected (scraped link titles glued into the text), which no fact comparison may use.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING

from rapidfuzz.distance import Indel

from app.align import facts_lex as lex
from app.align.facts_doc import Doc
from app.align.model import Span

if TYPE_CHECKING:
    from app.align.facts_names import Names

# Injected runs: at least this many copy tokens without a source counterpart, mostly foreign.
_INJECTED_MIN = 8
# A copy paragraph longer than this is aligned piece by piece, each piece against the part of
# the source around its proportional place (no quadratic alignment of very long blocks).
_PIECE = 400
_MARGIN = 600

Seg = tuple[str, int, int, int, int]  # tag, o1, o2, c1, c2 (document token indices)


@dataclass(frozen=True, slots=True)
class Sides:
    """Both texts of a pair, analysed once for all its blocks, with the names in each."""

    od: Doc
    cd: Doc
    onames: Names
    cnames: Names


@dataclass(slots=True)
class Found:
    kind: str
    original: Span
    copy: Span
    note: str


@dataclass(slots=True)
class Unit:
    """One copy paragraph (or the part of it inside the block) aligned with the source span."""

    c_lo: int
    c_hi: int
    o_lo: int  # the original tokens it was aligned with
    o_hi: int
    segs: list[Seg]  # tag, o1, o2, c1, c2 (document token indices)
    o_to_c: list[int]  # for each original token o_lo..o_hi, the copy token equal to it or -1

    def c_of_o(self, i: int) -> int:
        """The copy token equal to original token ``i`` in this unit, or -1."""
        return self.o_to_c[i - self.o_lo] if self.o_lo <= i < self.o_hi else -1


class Context:
    """Both sides of one block: token ranges, alignments, injected copy tokens, bags."""

    def __init__(self, sides: Sides, ospan: Span, cspan: Span, injected: Sequence[Span] = (), *,
                 ranges: tuple[tuple[int, int], tuple[int, int]] | None = None) -> None:
        """``ranges``: the tokens of ``ospan`` and ``cspan`` when the caller has them."""
        od, cd = sides.od, sides.cd
        self.sides = sides
        self.od, self.cd = od, cd
        self.ospan, self.cspan = ospan, cspan
        if ranges is None:
            ranges = od.token_range(ospan), cd.token_range(cspan)
        (self.o_lo, self.o_hi), (self.c_lo, self.c_hi) = ranges
        n_copy = self.c_hi - self.c_lo
        self.c_eq = [-1] * n_copy  # the original token equal to each copy token, or -1
        self.c_seg: list[Seg | None] = [None] * n_copy  # the alignment segment holding each
        self.injected = [False] * n_copy
        self.units: list[Unit] = []
        self.cache: dict[str, object] = {}  # per-block results shared by the checks
        self.clean = True
        if self.o_lo >= self.o_hi or self.c_lo >= self.c_hi:
            self.obag: set[str] = set()
            self.cbag: set[str] = set()
            self.okeys: set[str] = set()
            self.ckeys: set[str] = set()
            return
        self.obag = set(od.norms[self.o_lo:self.o_hi])
        n_orig = self.o_hi - self.o_lo
        for p_lo, p_hi in self._copy_units():
            if n_orig <= _PIECE + 2 * _MARGIN or p_hi - p_lo <= _PIECE:
                self.units.append(self._align(self.o_lo, self.o_hi, p_lo, p_hi))
                continue
            for q_lo in range(p_lo, p_hi, _PIECE):
                q_hi = min(q_lo + _PIECE, p_hi)
                centre = self.o_lo + (q_lo - self.c_lo) * n_orig // max(n_copy, 1)
                self.units.append(self._align(max(self.o_lo, centre - _MARGIN),
                                              min(self.o_hi, centre + (q_hi - q_lo) + _MARGIN), q_lo, q_hi))
        for start, end in injected:
            first, last = cd.token_range((start, end))
            for j in range(max(first, self.c_lo), min(last, self.c_hi)):
                self.injected[j - self.c_lo] = True
        self.clean = not any(self.injected)  # no injected word: every copy word is live
        if not self.clean:
            live = [j for j, dead in zip(range(self.c_lo, self.c_hi), self.injected, strict=True) if not dead]
            self.cbag = {cd.norms[j] for j in live}
            self.ckeys = {cd.keys[j] for j in live}
        else:
            self.cbag = set(cd.norms[self.c_lo:self.c_hi])
            self.ckeys = set(cd.keys[self.c_lo:self.c_hi])
        self.okeys = set(od.keys[self.o_lo:self.o_hi])

    # -- alignment
    def _copy_units(self) -> list[tuple[int, int]]:
        out = []
        paragraphs = self.cd.paragraphs
        first = max(bisect_right(paragraphs, (self.cspan[0], len(self.cd.text))) - 1, 0)
        for p_start, p_end in islice(paragraphs, first, None):  # (no copy of the list's tail)
            if p_end <= self.cspan[0]:
                continue
            if p_start >= self.cspan[1]:
                break
            lo, hi = self.cd.token_range((max(p_start, self.cspan[0]), min(p_end, self.cspan[1])))
            if hi > lo:
                out.append((lo, hi))
        return out or [(self.c_lo, self.c_hi)]

    def _align(self, o_lo: int, o_hi: int, p_lo: int, p_hi: int) -> Unit:
        """Align copy tokens ``p_lo..p_hi`` with original tokens ``o_lo..o_hi``."""
        segs: list[Seg] = []
        gaps: list[int] = []  # the indices in ``segs`` of the runs that are not equal
        o_to_c = [-1] * (o_hi - o_lo)
        base = self.c_lo
        shift = p_lo - base  # from a copy index of the opcodes to one of ``c_eq``
        c_eq, c_seg = self.c_eq, self.c_seg
        gap = False  # the last segment is not an equal run
        # (Indel opcodes are runs of "equal", "delete" and "insert" only)
        for tag, s1, s2, d1, d2 in Indel.opcodes(self.od.norms[o_lo:o_hi], self.cd.norms[p_lo:p_hi]).as_list():
            if tag == "equal":
                o1, c1 = s1 + o_lo, d1 + p_lo
                seg = (tag, o1, s2 + o_lo, c1, d2 + p_lo)
                segs.append(seg)
                o_to_c[s1:s2] = range(c1, c1 + s2 - s1)
                c_eq[d1 + shift:d2 + shift] = range(o1, o1 + d2 - d1)
                c_seg[d1 + shift:d2 + shift] = [seg] * (d2 - d1)
                gap = False
            elif gap:
                # a deletion next to an insertion: one replaced run
                last = segs[-1]
                segs[-1] = ("replace", last[1], s2 + o_lo, last[3], d2 + p_lo)
            else:
                gaps.append(len(segs))
                segs.append((tag, s1 + o_lo, s2 + o_lo, d1 + p_lo, d2 + p_lo))
                gap = True
        runs = []
        for k in gaps:
            seg = segs[k]
            size = seg[4] - seg[3]
            if size:
                c_seg[seg[3] - base:seg[4] - base] = [seg] * size
                if size >= _INJECTED_MIN:
                    runs.append(seg)
        for start, end in self._mark_injected(runs) if runs else ():
            # tokens aligned with injected text do not count as aligned
            for c in range(max(start, p_lo), end):
                i = c_eq[c - base]
                if i >= 0:
                    o_to_c[i - o_lo] = -1
                    c_eq[c - base] = -1
        return Unit(p_lo, p_hi, o_lo, o_hi, segs, o_to_c)

    def _mark_injected(self, runs: list[Seg]) -> list[tuple[int, int]]:
        """Mark the copy words of the replaced or inserted ``runs`` (of at least
        ``_INJECTED_MIN`` words) that are injected text; returns the marked token ranges."""
        cd = self.cd
        stop, obag = lex.STOP, self.obag
        marked = []
        for _tag, _o1, _o2, c1, c2 in runs:
            content = [n for low, n in zip(cd.lowers[c1:c2], cd.norms[c1:c2]) if low not in stop]
            if len(content) < 4:
                continue
            foreign = len([n for n in content if n not in obag])
            share = foreign / len(content)
            # a glued scraped string ("BlinkAntony BlinkenState ...") may begin a few words
            # earlier, inside a short run the alignment matched by chance
            start = next((b for b in range(c1 - 1, max(c1 - 5, self.c_lo) - 1, -1) if self._glued(b)), c1)
            glued = start < c1 or any(self._glued(j) for j in range(c1, min(c2, c1 + 3)))
            if share >= 0.8 or (share >= 0.6 and glued):
                self.injected[start - self.c_lo:c2 - self.c_lo] = [True] * (c2 - start)
                marked.append((start, c2))
        return marked

    def _glued(self, j: int) -> bool:
        cd = self.cd
        return j > 0 and cd.starts[j] == cd.ends[j - 1] and cd.surfs[j][:1].isupper()

    # -- mapping
    def supported(self, o1: int, o2: int, c1: int, c2: int, reach: int = 5) -> bool:
        """Copy tokens ``c1..c2`` and original tokens ``o1..o2`` sit in aligned surroundings: a
        word within ``reach`` of the copy span is aligned with a word near the original span
        (the two spans are each other's counterparts, not a chance pairing in a loose block)."""
        near_lo, near_hi = o1 - reach - 3, o2 + reach + 3
        for j in range(max(c1 - reach, self.c_lo), min(c2 + reach, self.c_hi)):
            if c1 <= j < c2:
                continue
            i = self.c_eq[j - self.c_lo]
            if i >= 0 and near_lo <= i < near_hi:
                return True
        return False

    def o_of_c(self, j: int) -> float:
        """Aligned original position of copy token ``j`` (document indices): its equal, or
        its proportional place in the replaced run holding it; always within ``o_lo..o_hi``."""
        seg = self.c_seg[j - self.c_lo] if self.c_lo <= j < self.c_hi else None
        if seg is None:
            return float(self.o_lo)
        tag, o1, o2, c1, c2 = seg
        if tag == "equal":
            return float(o1 + j - c1)
        return o1 + (j - c1) * (o2 - o1) / (c2 - c1)

    def seg_of_o(self, i: int) -> list[tuple[Unit, Seg]]:
        """The alignment segment holding original token ``i``, in every unit covering it."""
        out = []
        for unit in self.units:
            for seg in unit.segs:
                if seg[1] <= i < seg[2]:
                    out.append((unit, seg))
                    break
        return out

    def seg_of_c(self, j: int) -> Seg | None:
        """The alignment segment holding copy token ``j``."""
        return self.c_seg[j - self.c_lo] if self.c_lo <= j < self.c_hi else None

    def live(self, j: int) -> bool:
        """Copy token ``j`` is article text (not injected)."""
        return not self.injected[j - self.c_lo]


def clamp(span: Span, length: int) -> Span:
    start = min(max(span[0], 0), length)
    return (start, min(max(span[1], start), length))


def overlaps(a: Found, b: Found) -> bool:
    return (a.original[0] < b.original[1] and b.original[0] < a.original[1]
            and a.copy[0] < b.copy[1] and b.copy[0] < a.copy[1])


def span_of(doc: Doc, first: int, last: int) -> Span:
    """Character span of tokens ``first`` .. ``last - 1``."""
    return (doc.starts[first], doc.ends[last - 1])


def short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"
