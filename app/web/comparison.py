"""The comparison page as data: an Alignment and its two texts turned into rows of marked segments.

Templates only ever receive plain strings tagged with a mark name; Jinja escapes every one of
them, so nothing a user typed can become markup.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from app.align import Alignment, Block, Relation, Span

DELETED = "del"
ADDED = "ins"
INJECTED = "injected"
# When marks overlap, the more specific one is shown: injected text is also "added".
_PRIORITY = (INJECTED, ADDED, DELETED)

LABELS = {
    Relation.VERBATIM: "Verbatim",
    Relation.EDITED: "Edited",
    Relation.PARAPHRASED: "Paraphrased",
    Relation.INSERTED: "Inserted",
    Relation.OMITTED: "Omitted",
}
HINTS = {
    Relation.VERBATIM: "copied word for word",
    Relation.EDITED: "copied with a few words changed",
    Relation.PARAPHRASED: "same content, mostly new wording",
    Relation.INSERTED: "only in the copy",
    Relation.OMITTED: "only in the original",
}


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of text inside a cell; ``mark`` is None, ``del``, ``ins`` or ``injected``."""

    text: str
    mark: str | None = None


@dataclass(frozen=True, slots=True)
class Row:
    """One top-level block as shown: a label, a score, a note and the two cells' segments.

    A cell is ``None`` when the block has no text on that side (inserted, omitted).
    """

    index: int
    kind: Relation
    score: float | None
    note: str
    moved: bool
    original: tuple[Segment, ...] | None
    copy: tuple[Segment, ...] | None
    original_paragraphs: tuple[int, ...]
    copy_paragraphs: tuple[int, ...]
    injected: int = 0

    @property
    def label(self) -> str:
        return LABELS[self.kind]

    @property
    def hint(self) -> str:
        return HINTS[self.kind]

    @property
    def css_class(self) -> str:
        return f"rel-{self.kind.value}"

    @property
    def anchor(self) -> str:
        return f"block-{self.index}"

    @property
    def is_change(self) -> bool:
        return self.kind is not Relation.VERBATIM

    @property
    def is_gap(self) -> bool:
        return False


@dataclass(frozen=True, slots=True)
class Gap:
    """A run of verbatim rows left out of view."""

    count: int

    @property
    def is_gap(self) -> bool:
        return True


@dataclass(frozen=True, slots=True)
class KindCount:
    """One entry of the legend: a kind, how many rows have it, and what it means."""

    kind: Relation
    count: int

    @property
    def label(self) -> str:
        return LABELS[self.kind]

    @property
    def hint(self) -> str:
        return HINTS[self.kind]

    @property
    def css_class(self) -> str:
        return f"rel-{self.kind.value}"


@dataclass(frozen=True, slots=True)
class Comparison:
    """Everything the comparison page shows about an alignment."""

    rows: tuple[Row, ...]
    original_reused: float
    copy_derived: float
    counts: tuple[KindCount, ...]
    injected: int

    @property
    def changes(self) -> int:
        """Rows that are not verbatim: the stops of the previous/next-change navigation."""
        return sum(1 for row in self.rows if row.is_change)

    def visible(self, *, hide_verbatim: bool) -> list[Row | Gap]:
        """The rows to draw; with ``hide_verbatim`` each run of verbatim rows becomes one Gap."""
        if not hide_verbatim:
            return list(self.rows)
        items: list[Row | Gap] = []
        for row in self.rows:
            if row.is_change:
                items.append(row)
            elif items and isinstance(items[-1], Gap):
                items[-1] = Gap(items[-1].count + 1)
            else:
                items.append(Gap(1))
        return items


def build_comparison(alignment: Alignment, original: str, copy: str) -> Comparison:
    """Rows for every top-level block, in the alignment's (copy) order.

    >>> from app.align import Summary
    >>> a = Alignment(5, 9, ((0, 5),), ((0, 9),),
    ...               (Block(Relation.VERBATIM, (0, 5), (0, 5), 1.0),
    ...                Block(Relation.INSERTED, None, (5, 9), None)),
    ...               (), Summary(1.0, 0.6), "test")
    >>> c = build_comparison(a, "Hello", "Hello you")
    >>> [(r.label, r.original, r.copy) for r in c.rows]  # doctest: +NORMALIZE_WHITESPACE
    [('Verbatim', (Segment(text='Hello', mark=None),), (Segment(text='Hello', mark=None),)),
     ('Inserted', None, (Segment(text=' you', mark=None),))]
    """
    children: dict[int, list[Block]] = defaultdict(list)
    for block in alignment.blocks:
        if block.parent is not None:
            children[block.parent].append(block)
    rows = tuple(_row(index, block, children.get(index, []), original, copy)
                 for index, block in alignment.top_level_blocks())
    counts = tuple(KindCount(kind, sum(1 for row in rows if row.kind is kind)) for kind in Relation)
    return Comparison(
        rows=rows,
        original_reused=alignment.summary.original_reused,
        copy_derived=alignment.summary.copy_derived,
        counts=counts,
        injected=sum(len(blocks) for blocks in children.values()),
    )


def _row(index: int, block: Block, children: list[Block], original: str, copy: str) -> Row:
    deleted = [(op.original, DELETED) for op in block.diff
               if op.tag in ("delete", "replace") and op.original is not None]
    added = [(op.copy, ADDED) for op in block.diff
             if op.tag in ("insert", "replace") and op.copy is not None]
    injected = [(child.copy, INJECTED) for child in children if child.copy is not None]
    note = block.note
    if block.moved and not note and block.original_paragraphs:
        note = f"moved from paragraph {block.original_paragraphs[0] + 1}"
    return Row(
        index=index,
        kind=block.kind,
        score=block.score,
        note=note,
        moved=block.moved,
        original=None if block.original is None else mark_span(original, block.original, deleted),
        copy=None if block.copy is None else mark_span(copy, block.copy, added + injected),
        original_paragraphs=block.original_paragraphs,
        copy_paragraphs=block.copy_paragraphs,
        injected=len(injected),
    )


def mark_span(text: str, span: Span, marks: Iterable[tuple[Span, str]]) -> tuple[Segment, ...]:
    """``text[span]`` cut into segments, each carrying the mark that covers it (if any).

    Marks are clipped to ``span``; where they overlap, injected beats added beats deleted.
    Marked words separated only by spaces are joined, so a deleted phrase reads as one.

    >>> text = "The quick brown fox jumps"
    >>> mark_span(text, (0, 19), [((4, 9), "del"), ((10, 15), "del"), ((20, 25), "ins")])
    ... # doctest: +NORMALIZE_WHITESPACE
    (Segment(text='The ', mark=None), Segment(text='quick brown', mark='del'),
     Segment(text=' fox', mark=None))
    >>> mark_span("a b c", (0, 5), [((0, 5), "ins"), ((2, 3), "injected")])
    ... # doctest: +NORMALIZE_WHITESPACE
    (Segment(text='a ', mark='ins'), Segment(text='b', mark='injected'),
     Segment(text=' c', mark='ins'))
    """
    start, end = max(0, span[0]), min(len(text), span[1])
    if start >= end:
        return ()
    opens: dict[int, list[str]] = defaultdict(list)
    closes: dict[int, list[str]] = defaultdict(list)
    cuts = {start, end}
    for (s, e), mark in marks:
        s, e = max(s, start), min(e, end)
        if s < e:
            opens[s].append(mark)
            closes[e].append(mark)
            cuts.update((s, e))
    active: dict[str, int] = defaultdict(int)
    pieces: list[tuple[str, str | None]] = []
    points = sorted(cuts)
    for a, b in zip(points, points[1:], strict=False):
        for mark in closes.get(a, ()):
            active[mark] -= 1
        for mark in opens.get(a, ()):
            active[mark] += 1
        mark = next((m for m in _PRIORITY if active[m] > 0), None)
        pieces.append((text[a:b], mark))
    return tuple(Segment(t, m) for t, m in _join(pieces))


def _join(pieces: list[tuple[str, str | None]]) -> list[tuple[str, str | None]]:
    out: list[tuple[str, str | None]] = []
    for i, (text, mark) in enumerate(pieces):
        bridge = (mark is None and 0 < i < len(pieces) - 1 and out and out[-1][1] is not None
                  and pieces[i + 1][1] == out[-1][1] and _is_space(text))
        if bridge:
            mark = out[-1][1]
        if out and out[-1][1] == mark:
            out[-1] = (out[-1][0] + text, mark)
        else:
            out.append((text, mark))
    return out


def _is_space(text: str) -> bool:
    # Only spaces within a line: marks never swallow a line break, which would blur paragraphs.
    return bool(text) and all(c in " \t\u00a0" for c in text)
