"""The comparison page as data: an Alignment and its two texts turned into rows of marked text,
the list of changed facts, and where reviewers' notes sit (highlights and the row they belong to).

Templates only ever receive plain strings inside ``Segment``/``Marked`` parts (see
app.web.marks); Jinja escapes every one of them, so nothing a user typed can become markup.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from app.align import CHANGE_KINDS, Alignment, Block, Change, Relation, Span
from app.web.marks import ADDED, DELETED, FACT, INJECTED, NOTE, Mark, Marked, Part, Segment, mark_span

__all__ = ["Comparison", "Fact", "FactCount", "FactMark", "Gap", "KindCount", "Marked", "NoteSpan",
           "Row", "Segment", "build_comparison", "mark_span"]

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
# Kind of changed fact -> (label, plural, what it means).
FACT_KINDS = {
    "name": ("Name", "Names", "a person or organisation named differently"),
    "number": ("Number", "Numbers", "a number, amount or percentage that differs"),
    "date": ("Date", "Dates", "a date or time that differs"),
    "place": ("Place", "Places", "a place named differently"),
    "quote": ("Quote", "Quotes", "a quotation worded differently: a possible misquote"),
    "attribution": ("Speaker", "Speakers", "a quotation given to a different speaker"),
    "negation": ("Negation", "Negations", "a negation added or dropped"),
}
STRIPPED = "stripped"


@dataclass(frozen=True, slots=True)
class Fact:
    """One changed fact as listed at the top of the page and marked in its row.

    ``anchor`` is the id of the element the list links to (on the copy side when the fact has
    text there, else on the original side), or None when neither side of it is shown.
    """

    number: int
    kind: str
    original_text: str
    copy_text: str
    note: str
    row: int | None
    anchor_side: str | None

    @property
    def anchor(self) -> str | None:
        return f"fact-{self.number}" if self.anchor_side else None

    @property
    def label(self) -> str:
        return FACT_KINDS.get(self.kind, (self.kind.capitalize(), "", ""))[0]

    @property
    def hint(self) -> str:
        return FACT_KINDS.get(self.kind, ("", "", f"changed {self.kind}"))[2]

    @property
    def css_class(self) -> str:
        return f"fact-{self.kind}"

    @property
    def original_wording(self) -> str:
        """The original's wording as the page shows it (a word added in the copy has none)."""
        return self.original_text.strip() or "(not in the original)"

    @property
    def copy_wording(self) -> str:
        return self.copy_text.strip() or "(left out)"


@dataclass(frozen=True, slots=True)
class FactMark:
    """The data of a fact's mark on one side of its row (what the template needs to draw it)."""

    fact: Fact
    side: str

    @property
    def anchored(self) -> bool:
        """True on the side that carries the fact's id (and keyboard focus)."""
        return self.fact.anchor_side == self.side

    @property
    def other_text(self) -> str:
        """The wording on the other side, as the hover/focus text shows it."""
        return self.fact.original_wording if self.side == "copy" else self.fact.copy_wording

    @property
    def other_label(self) -> str:
        return "Original" if self.side == "copy" else "In the copy"


@dataclass(frozen=True, slots=True)
class NoteSpan:
    """Where a note sits in the current text of one side (already re-anchored), and what its
    highlight says: ``number`` is how the page numbers it, ``label`` its label in words."""

    id: int
    side: str
    start: int
    end: int
    number: int
    label: str
    status: str

    @property
    def anchor(self) -> str:
        """The id of the note in the margin, which its highlight links to."""
        return f"note-{self.id}"


@dataclass(frozen=True, slots=True)
class FactCount:
    """One kind of changed fact and how many the alignment found."""

    kind: str
    count: int

    @property
    def label(self) -> str:
        label, plural, _ = FACT_KINDS.get(self.kind, (self.kind.capitalize(), self.kind.capitalize(), ""))
        return label if self.count == 1 else plural

    @property
    def hint(self) -> str:
        return FACT_KINDS.get(self.kind, ("", "", f"changed {self.kind}"))[2]

    @property
    def css_class(self) -> str:
        return f"fact-{self.kind}"


class _KindWords:
    """Label, hint and CSS class of an object with a ``kind`` (a Relation)."""

    __slots__ = ()
    kind: Relation

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
class Row(_KindWords):
    """One top-level block as shown: number, label, score, note and the two cells' parts.

    A cell is ``None`` when the block has no text on that side (inserted, omitted); its span is
    where the cell's text starts and ends in that side's article. ``notes`` are the notes shown
    in this row's margin.
    """

    index: int
    kind: Relation
    score: float | None
    note: str
    moved: bool
    original: tuple[Part, ...] | None
    copy: tuple[Part, ...] | None
    original_paragraphs: tuple[int, ...]
    copy_paragraphs: tuple[int, ...]
    injected: int = 0
    number: int = 0
    facts: tuple[Fact, ...] = ()
    original_span: Span | None = None
    copy_span: Span | None = None
    notes: tuple[NoteSpan, ...] = ()

    @property
    def anchor(self) -> str:
        return f"block-{self.index}"

    @property
    def open_notes(self) -> int:
        return sum(1 for note in self.notes if note.status == "open")

    def span(self, side: str) -> Span | None:
        """The cell's span on ``side`` (clipped as the cell shows it), or None without text there."""
        return self.original_span if side == "original" else self.copy_span

    def shown_by(self, rows: str) -> bool:
        """Whether the row filter ``rows`` (all, open, facts) keeps this row."""
        if rows == "open":
            return self.open_notes > 0
        if rows == "facts":
            return bool(self.facts)
        return True

    @property
    def is_change(self) -> bool:
        return self.kind is not Relation.VERBATIM or bool(self.facts)

    @property
    def is_gap(self) -> bool:
        return False


@dataclass(frozen=True, slots=True)
class Gap:
    """A run of rows left out of view: verbatim ones, or (``reason`` a row filter) the ones the
    filter does not keep."""

    count: int
    reason: str = "verbatim"

    @property
    def is_gap(self) -> bool:
        return True


@dataclass(frozen=True, slots=True)
class KindCount(_KindWords):
    """One entry of the legend: a kind, how many rows have it, and what it means."""

    kind: Relation
    count: int



@dataclass(frozen=True, slots=True)
class Comparison:
    """Everything the comparison page shows about an alignment."""

    rows: tuple[Row, ...]
    original_reused: float
    copy_derived: float
    counts: tuple[KindCount, ...]
    injected: int
    facts: tuple[Fact, ...] = ()
    stripped: bool = False
    #: Notes anchored in the text but on no shown cell (the blank lines between paragraphs).
    unshown_notes: tuple[NoteSpan, ...] = ()

    @property
    def changes(self) -> int:
        """Rows that are not verbatim: the stops of the previous/next-change navigation."""
        return sum(1 for row in self.rows if row.is_change)

    @property
    def fact_counts(self) -> tuple[FactCount, ...]:
        """Changed facts per kind, the engine's kinds in their order first; kinds with none left out."""
        counts: dict[str, int] = defaultdict(int)
        for fact in self.facts:
            counts[fact.kind] += 1
        order = [*CHANGE_KINDS, *sorted(set(counts) - set(CHANGE_KINDS))]
        return tuple(FactCount(kind, counts[kind]) for kind in order if counts[kind])

    def visible(self, *, hide_verbatim: bool, rows: str = "all") -> list[Row | Gap]:
        """The rows to draw. Each run of rows the filter ``rows`` leaves out becomes one Gap;
        with ``hide_verbatim`` so does each run of verbatim rows without a changed fact or a
        note (a row with either stays: the facts list and the notes link to it)."""
        items: list[Row | Gap] = []
        for row in self.rows:
            if not row.shown_by(rows):
                reason = rows
            elif hide_verbatim and not (row.is_change or row.notes):
                reason = "verbatim"
            else:
                items.append(row)
                continue
            if items and isinstance(items[-1], Gap) and items[-1].reason == reason:
                items[-1] = Gap(items[-1].count + 1, reason)
            else:
                items.append(Gap(1, reason))
        return items


def build_comparison(alignment: Alignment, original: str, copy: str, *,
                     strip_injected: bool = False, notes: Sequence[NoteSpan] = ()) -> Comparison:
    """Rows for every top-level block, in the alignment's (copy) order, and its changed facts.

    With ``strip_injected`` the injected runs are marked as struck out of the copy. Each of
    ``notes`` is highlighted wherever its span is shown and listed in the first row showing it.

    >>> from app.align import Summary
    >>> a = Alignment(5, 9, ((0, 5),), ((0, 9),),
    ...               (Block(Relation.VERBATIM, (0, 5), (0, 5), 1.0),
    ...                Block(Relation.INSERTED, None, (5, 9), None)),
    ...               (), Summary(1.0, 0.6), "test")
    >>> c = build_comparison(a, "Hello", "Hello you")
    >>> [(r.number, r.label, r.original, r.copy) for r in c.rows]  # doctest: +NORMALIZE_WHITESPACE
    [(1, 'Verbatim', (Segment(text='Hello', classes=()),), (Segment(text='Hello', classes=()),)),
     (2, 'Inserted', None, (Segment(text=' you', classes=()),))]
    """
    children: dict[int, list[Block]] = defaultdict(list)
    for block in alignment.blocks:
        if block.parent is not None:
            children[block.parent].append(block)
    top = alignment.top_level_blocks()
    facts, placed = _place_facts(alignment.changes, top)
    listed, unshown = _place_notes(notes, top)
    rows = tuple(_row(number, index, block, children.get(index, []), placed.get(index, []),
                      original, copy, strip_injected, notes, listed.get(index, ()))
                 for number, (index, block) in enumerate(top, start=1))
    counts = tuple(KindCount(kind, sum(1 for row in rows if row.kind is kind)) for kind in Relation)
    return Comparison(
        rows=rows,
        original_reused=alignment.summary.original_reused,
        copy_derived=alignment.summary.copy_derived,
        counts=counts,
        injected=sum(len(blocks) for blocks in children.values()),
        facts=facts,
        stripped=strip_injected,
        unshown_notes=unshown,
    )


def _place_notes(notes: Sequence[NoteSpan], top: list[tuple[int, Block]]
                 ) -> tuple[dict[int, tuple[NoteSpan, ...]], tuple[NoteSpan, ...]]:
    """The row each note is listed in (the first, in page order, whose cell shows its span)."""
    listed: dict[int, list[NoteSpan]] = defaultdict(list)
    unshown: list[NoteSpan] = []
    for note in notes:
        index = next((index for index, block in top
                      if _shows(getattr(block, note.side), (note.start, note.end))), None)
        if index is None:
            unshown.append(note)
        else:
            listed[index].append(note)
    return {index: tuple(found) for index, found in listed.items()}, tuple(unshown)


def _place_facts(changes: Sequence[Change], top: list[tuple[int, Block]]
                 ) -> tuple[tuple[Fact, ...], dict[int, list[tuple[Change, Fact]]]]:
    """Number the changes in copy order and find the row each one is shown in."""
    number_of_row = {index: number for number, (index, _) in enumerate(top, start=1)}
    blocks = dict(top)
    ordered = sorted(changes, key=lambda c: (c.copy[0], c.copy[1], c.original[0], c.original[1]))
    facts: list[Fact] = []
    placed: dict[int, list[tuple[Change, Fact]]] = defaultdict(list)
    for number, change in enumerate(ordered, start=1):
        index = _row_of(change, blocks)
        side = None
        if index is not None:
            block = blocks[index]
            if _shows(block.copy, change.copy):
                side = "copy"
            elif _shows(block.original, change.original):
                side = "original"
        fact = Fact(number, change.kind, change.original_text, change.copy_text, change.note,
                    number_of_row.get(index) if index is not None else None, side)
        facts.append(fact)
        if index is not None:
            placed[index].append((change, fact))
    return tuple(facts), placed


def _row_of(change: Change, blocks: dict[int, Block]) -> int | None:
    """The top-level block a change is shown in: its own, else the first one holding its spans."""
    if change.block in blocks:
        block = blocks[change.block]
        if _shows(block.copy, change.copy) or _shows(block.original, change.original):
            return change.block
    for side in ("copy", "original"):
        for index, block in blocks.items():
            if _shows(getattr(block, side), getattr(change, side)):
                return index
    return None


def _shows(cell: Span | None, span: Span) -> bool:
    """Whether a mark on ``span`` is visible in a cell showing ``cell`` (see mark_span)."""
    if cell is None or cell[0] >= cell[1]:
        return False
    if span[0] == span[1]:
        return cell[0] <= span[0] <= cell[1]
    return max(cell[0], span[0]) < min(cell[1], span[1])


def _row(number: int, index: int, block: Block, children: list[Block],
         facts: list[tuple[Change, Fact]], original: str, copy: str, strip_injected: bool,
         notes: Sequence[NoteSpan], listed: tuple[NoteSpan, ...]) -> Row:
    deleted: list[tuple[Span, Mark | str]] = [
        (op.original, DELETED) for op in block.diff
        if op.tag in ("delete", "replace") and op.original is not None]
    added: list[tuple[Span, Mark | str]] = [
        (op.copy, ADDED) for op in block.diff if op.tag in ("insert", "replace") and op.copy is not None]
    injected_mark = Mark(INJECTED, STRIPPED if strip_injected else None)
    injected = [(child.copy, injected_mark) for child in children if child.copy is not None]
    original_facts: list[tuple[Span, Mark | str]] = [
        (change.original, Mark(FACT, FactMark(fact, "original"))) for change, fact in facts]
    copy_facts: list[tuple[Span, Mark | str]] = [
        (change.copy, Mark(FACT, FactMark(fact, "copy"))) for change, fact in facts]
    original_notes, copy_notes = ([((note.start, note.end), Mark(NOTE, note)) for note in notes
                                   if note.side == side] for side in ("original", "copy"))
    note = block.note
    if block.moved and not note and block.original_paragraphs:
        note = f"moved from paragraph {block.original_paragraphs[0] + 1}"
    return Row(
        index=index,
        kind=block.kind,
        score=block.score,
        note=note,
        moved=block.moved,
        original=None if block.original is None else mark_span(original, block.original,
                                                                deleted + original_facts + original_notes),
        copy=None if block.copy is None else mark_span(copy, block.copy,
                                                        added + injected + copy_facts + copy_notes),
        original_paragraphs=block.original_paragraphs,
        copy_paragraphs=block.copy_paragraphs,
        injected=len(injected),
        number=number,
        facts=tuple(fact for _, fact in facts),
        original_span=_clip(block.original, original),
        copy_span=_clip(block.copy, copy),
        notes=listed,
    )


def _clip(span: Span | None, text: str) -> Span | None:
    """``span`` as mark_span shows it (within the text), None when that leaves nothing."""
    if span is None:
        return None
    start, end = max(0, span[0]), min(len(text), span[1])
    return (start, end) if start < end else None
