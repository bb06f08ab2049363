"""Marked text for the comparison cells: several kinds of marks layered over one span of text.

A cell is a tuple of parts: plain ``Segment`` runs of text, and ``Marked`` elements holding
parts of their own. Marks nest when one lies inside another (a name change inside a changed
quotation, a changed number inside added words); where two cross, the later-placed one is cut
in two so the HTML stays well formed, and only its first piece carries the mark's identity.
Every text stays a plain string: the templates escape all of them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.align import Span

DELETED = "del"
ADDED = "ins"
INJECTED = "injected"
FACT = "fact"
NOTE = "note"
# Outer marks first: facts are whole elements with an id and a label, so they are placed first
# and never cut by a word diff; a reviewer's note highlight next (cut only where it crosses a
# fact); injected runs come next; del/ins fill in around them.
_PLACING_ORDER = {FACT: 0, NOTE: 1, INJECTED: 2, ADDED: 3, DELETED: 3}


@dataclass(frozen=True, slots=True)
class Mark:
    """What to mark a span with: a ``name`` (del, ins, injected, fact, note, or any other word)
    and, for a fact or a note, the object the template reads (its id, kind or label...)."""

    name: str
    data: Any = None


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of plain text; ``classes`` names every mark it lies inside (outermost first)."""

    text: str
    classes: tuple[str, ...] = ()

    is_text = True

    @property
    def mark(self) -> str | None:
        """The innermost mark, or None for unmarked text."""
        return self.classes[-1] if self.classes else None


@dataclass(frozen=True, slots=True)
class Marked:
    """One marked element: its mark, its parts, and whether it is the first piece of that mark
    (a mark cut where it crosses another one continues in pieces with ``first=False``)."""

    mark: Mark
    parts: tuple[Segment | Marked, ...]
    first: bool = True

    is_text = False

    @property
    def name(self) -> str:
        return self.mark.name

    @property
    def data(self) -> Any:
        return self.mark.data

    @property
    def text(self) -> str:
        return "".join(part.text for part in self.parts)


Part = Segment | Marked


@dataclass(slots=True)
class _Node:
    start: int
    end: int
    mark: Mark | None
    key: int
    children: list[_Node] = field(default_factory=list)


def mark_span(text: str, span: Span, marks: Iterable[tuple[Span, Mark | str]]) -> tuple[Part, ...]:
    """``text[span]`` cut into parts, with every mark clipped to ``span`` and nested as HTML nests.

    Words marked del (or ins) separated only by spaces are joined, so a deleted phrase reads as
    one; added words inside injected text are not marked twice. A mark may be empty (a point:
    a word dropped at that place); it is kept when it falls inside ``span``.

    >>> text = "The quick brown fox jumps"
    >>> flatten(mark_span(text, (0, 19), [((4, 9), "del"), ((10, 15), "del"), ((20, 25), "ins")]))
    [('The ', ()), ('quick brown', ('del',)), (' fox', ())]
    >>> flatten(mark_span("a b c", (0, 5), [((0, 5), "ins"), ((2, 3), "injected")]))
    [('a ', ('ins',)), ('b', ('injected',)), (' c', ('ins',))]
    >>> flatten(mark_span("said Monday that", (0, 16), [((5, 11), "ins"), ((5, 11), Mark("fact"))]))
    [('said ', ()), ('Monday', ('fact', 'ins')), (' that', ())]
    >>> flatten(mark_span("said Monday that", (0, 16), [((0, 11), "note"), ((5, 16), "fact")]))
    [('said ', ('note',)), ('Monday', ('fact', 'note')), (' that', ('fact',))]
    """
    start, end = max(0, span[0]), min(len(text), span[1])
    if start >= end:
        return ()
    by_name: dict[str, list[tuple[int, int, Mark]]] = defaultdict(list)
    for (s, e), mark in marks:
        mark = mark if isinstance(mark, Mark) else Mark(mark)
        s, e = max(s, start), min(e, end)
        if s < e or (s == e and start <= s <= end and _is_point(mark)):
            by_name[mark.name].append((s, e, mark))
    injected = [(s, e) for s, e, _ in by_name.get(INJECTED, ())]
    for name in (ADDED, DELETED):
        if name in by_name:
            joined = _join_across_spaces(text, [(s, e) for s, e, _ in by_name[name]])
            by_name[name] = [(s, e, Mark(name)) for s, e in _subtract(joined, injected)]
    placed = sorted(((s, e, m) for items in by_name.values() for s, e, m in items),
                    key=lambda item: (_PLACING_ORDER.get(item[2].name, 4), -(item[1] - item[0]), item[0]))
    root = _Node(start, end, None, -1)
    for key, (s, e, mark) in enumerate(placed):
        _insert(root.children, _Node(s, e, mark, key))
    return _parts(text, root, set())


def _is_point(mark: Mark) -> bool:
    return mark.name not in (ADDED, DELETED, INJECTED, NOTE)


def _insert(siblings: list[_Node], node: _Node) -> None:
    """Place ``node`` among ``siblings`` (sorted, disjoint): inside the one that holds it, around
    the ones it holds; where it crosses one, the crossing piece goes inside that one."""
    s, e = node.start, node.end
    point = s == e
    for child in siblings:
        if child.start == child.end:
            continue
        holds = (child.start < s < child.end) if point else (child.start <= s and e <= child.end)
        if holds:
            _insert(child.children, node)
            return
    held: list[_Node] = []
    rest: list[_Node] = []
    for child in siblings:
        if point or child.end <= s or child.start >= e:
            rest.append(child)  # beside it (a point at either edge stays beside it too)
        elif child.start == child.end:
            held.append(child)  # a point strictly inside
        elif s <= child.start and child.end <= e:
            held.append(child)
        elif child.start < s:  # crosses the left edge: that piece goes inside the child
            _insert(child.children, _Node(s, child.end, node.mark, node.key))
            s = child.end
            rest.append(child)
        else:  # crosses the right edge
            _insert(child.children, _Node(child.start, e, node.mark, node.key))
            e = child.start
            rest.append(child)
    if s < e or point:
        rest.append(_Node(s, e, node.mark, node.key, sorted(held, key=_order)))
    else:
        rest.extend(held)
    siblings[:] = sorted(rest, key=_order)


def _order(node: _Node) -> tuple[int, int, int]:
    return (node.start, node.end, node.key)


def _parts(text: str, node: _Node, seen: set[int], classes: tuple[str, ...] = ()) -> tuple[Part, ...]:
    out: list[Part] = []
    pos = node.start
    for child in node.children:
        if child.start > pos:
            out.append(Segment(text[pos:child.start], classes))
        assert child.mark is not None
        first = child.key not in seen
        seen.add(child.key)
        inner = _parts(text, child, seen, (*classes, child.mark.name))
        out.append(Marked(child.mark, inner, first))
        pos = child.end
    if node.end > pos:
        out.append(Segment(text[pos:node.end], classes))
    return tuple(out)


def _subtract(spans: Sequence[tuple[int, int]], holes: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """``spans`` with the parts inside ``holes`` cut out."""
    out: list[tuple[int, int]] = []
    for s, e in spans:
        pieces = [(s, e)]
        for hs, he in holes:
            pieces = [piece for ps, pe in pieces
                      for piece in ((ps, min(pe, hs)), (max(ps, he), pe)) if piece[0] < piece[1]]
        out.extend(pieces)
    return out


def _join_across_spaces(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and (s <= out[-1][1] or _is_space(text[out[-1][1]:s])):
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def _is_space(text: str) -> bool:
    # Only spaces within a line: marks never swallow a line break, which would blur paragraphs.
    return bool(text) and all(c in " \t\u00a0" for c in text)


def flatten(parts: Iterable[Part]) -> list[tuple[str, tuple[str, ...]]]:
    """The text runs of ``parts`` in order, each with the marks it lies inside (for tests and
    doctests); neighbouring runs with the same marks are merged.

    >>> flatten((Segment("a "), Marked(Mark("ins"), (Segment("b", ("ins",)),))))
    [('a ', ()), ('b', ('ins',))]
    """
    out: list[tuple[str, tuple[str, ...]]] = []
    for part in _leaves(parts):
        if out and out[-1][1] == part.classes:
            out[-1] = (out[-1][0] + part.text, part.classes)
        elif part.text:
            out.append((part.text, part.classes))
    return out


def _leaves(parts: Iterable[Part]) -> Iterable[Segment]:
    for part in parts:
        if isinstance(part, Segment):
            yield part
        else:
            yield from _leaves(part.parts)


def marked(parts: Iterable[Part], name: str | None = None) -> list[Marked]:
    """Every marked element in ``parts`` (depth first), or only those with mark ``name``."""
    out: list[Marked] = []
    for part in parts:
        if isinstance(part, Marked):
            if name is None or part.name == name:
                out.append(part)
            out.extend(marked(part.parts, name))
    return out
