"""The two sides of one block, aligned word by word, for the changed-facts detector.

``Context`` aligns every copy paragraph of the block with the whole source span (rapidfuzz
``Indel`` opcodes on normalised tokens), maps positions between the sides, and marks the
copy words that were injected (scraped link titles glued into the text), which no fact
comparison may use.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from rapidfuzz.distance import Indel

from app.align import facts_lex as lex
from app.align.facts_doc import Doc
from app.align.model import Span

# Injected runs: at least this many copy tokens without a source counterpart, mostly foreign.
_INJECTED_MIN = 8
# A copy paragraph longer than this is aligned piece by piece, each piece against the part of
# the source around its proportional place (no quadratic alignment of very long blocks).
_PIECE = 400
_MARGIN = 600

Seg = tuple[str, int, int, int, int]  # tag, o1, o2, c1, c2 (document token indices)


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
    o_eq: dict[int, int]
    c_starts: list[int]  # each segment's first copy token, for look-ups


class Context:
    """Both sides of one block: token ranges, alignments, injected copy tokens, bags."""

    def __init__(self, od: Doc, cd: Doc, ospan: Span, cspan: Span) -> None:
        self.od, self.cd = od, cd
        self.ospan, self.cspan = ospan, cspan
        self.o_lo, self.o_hi = od.token_range(ospan)
        self.c_lo, self.c_hi = cd.token_range(cspan)
        n_copy = self.c_hi - self.c_lo
        self.c_eq = [-1] * n_copy
        self.injected = [False] * n_copy
        self.units: list[Unit] = []
        self._unit_starts: list[int] = []
        self.cache: dict[str, object] = {}  # per-block results shared by the checks
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
        self._unit_starts = [u.c_lo for u in self.units]
        if any(self.injected):
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
        for p_start, p_end in self.cd.paragraphs:
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
        cd = self.cd
        segs: list[Seg] = []
        for tag, s1, s2, d1, d2 in Indel.opcodes(self.od.norms[o_lo:o_hi], cd.norms[p_lo:p_hi]).as_list():
            if tag != "equal" and segs and segs[-1][0] != "equal":
                # a deletion next to an insertion: one replaced run
                _t, o1, _o2, c1, _c2 = segs[-1]
                segs[-1] = ("replace", o1, s2 + o_lo, c1, d2 + p_lo)
            else:
                segs.append((tag, s1 + o_lo, s2 + o_lo, d1 + p_lo, d2 + p_lo))
        segs = [s if s[0] == "equal" else _retag(s) for s in segs]
        o_eq: dict[int, int] = {}
        base = self.c_lo
        c_eq = self.c_eq
        for tag, o1, o2, c1, c2 in segs:
            if tag == "equal":
                o_eq.update(zip(range(o1, o2), range(c1, c2)))
                c_eq[c1 - base:c2 - base] = range(o1, o2)
        if self._mark_injected(segs):
            # tokens aligned with injected text do not count as aligned
            for o, c in list(o_eq.items()):
                if self.injected[c - base]:
                    del o_eq[o]
                    c_eq[c - base] = -1
        return Unit(p_lo, p_hi, o_lo, o_hi, segs, o_eq, [seg[3] for seg in segs])

    def _mark_injected(self, segs: list[Seg]) -> bool:
        cd = self.cd
        marked = False
        for tag, _o1, _o2, c1, c2 in segs:
            if tag == "equal" or c2 - c1 < _INJECTED_MIN:
                continue
            content = [j for j in range(c1, c2) if cd.lowers[j] not in lex.STOP]
            if len(content) < 4:
                continue
            foreign = sum(1 for j in content if cd.norms[j] not in self.obag)
            share = foreign / len(content)
            # a glued scraped string ("BlinkAntony BlinkenState ...") may begin a few words
            # earlier, inside a short run the alignment matched by chance
            start = next((b for b in range(c1 - 1, max(c1 - 5, self.c_lo) - 1, -1) if self._glued(b)), c1)
            glued = start < c1 or any(self._glued(j) for j in range(c1, min(c2, c1 + 3)))
            if share >= 0.8 or (share >= 0.6 and glued):
                self.injected[start - self.c_lo:c2 - self.c_lo] = [True] * (c2 - start)
                marked = True
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
        its proportional place in the replaced run holding it."""
        seg = self.seg_of_c(j)
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
        k = bisect_right(self._unit_starts, j) - 1
        if k < 0 or j >= self.units[k].c_hi:
            return None
        unit = self.units[k]
        s = bisect_right(unit.c_starts, j) - 1
        while s >= 0 and unit.segs[s][4] <= j:  # deletions hold no copy token
            s -= 1
        if s < 0 or not unit.segs[s][3] <= j < unit.segs[s][4]:
            return None
        return unit.segs[s]

    def live(self, j: int) -> bool:
        """Copy token ``j`` is article text (not injected)."""
        return not self.injected[j - self.c_lo]


def _retag(seg: Seg) -> Seg:
    tag, o1, o2, c1, c2 = seg
    if tag == "equal":
        return seg
    if o1 == o2:
        return ("insert", o1, o2, c1, c2)
    if c1 == c2:
        return ("delete", o1, o2, c1, c2)
    return ("replace", o1, o2, c1, c2)


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
