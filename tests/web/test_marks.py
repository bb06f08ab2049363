"""Layered marks over a cell's text (app.web.marks): nesting, crossing, points, and a property test
against an obvious per-character oracle."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from app.web.marks import Mark, Marked, Part, Segment, flatten, mark_span, marked

TEXT = "The mayor said on Tuesday that the old bridge will close. Subscribe now!"


def at(fragment: str) -> tuple[int, int]:
    start = TEXT.index(fragment)
    return (start, start + len(fragment))


def fact(number: int) -> Mark:
    return Mark("fact", number)


def test_a_fact_over_an_added_word_holds_the_added_word() -> None:
    parts = mark_span(TEXT, (0, 25), [(at("Tuesday"), "ins"), (at("Tuesday"), fact(1))])

    assert flatten(parts) == [("The mayor said on ", ()), ("Tuesday", ("fact", "ins"))]
    (outer,) = marked(parts, "fact")
    assert outer.first and outer.data == 1 and outer.text == "Tuesday"


def test_a_shorter_fact_nests_inside_a_longer_one_whatever_the_order_given() -> None:
    quote, name = (at("mayor said on Tuesday"), fact(1)), (at("Tuesday"), fact(2))

    for marks in ([quote, name], [name, quote]):
        parts = mark_span(TEXT, (0, 30), marks)
        outer = next(m for m in marked(parts, "fact") if m.data == 1)
        assert [m.data for m in marked(outer.parts, "fact")] == [2]


def test_a_word_difference_crossing_a_fact_is_cut_and_the_fact_stays_whole() -> None:
    parts = mark_span(TEXT, (0, 30), [(at("on Tuesday"), "ins"), (at("Tuesday that"), fact(1))])

    facts = marked(parts, "fact")
    assert len(facts) == 1 and facts[0].text == "Tuesday that"
    assert [m.text for m in marked(parts, "ins")] == ["on ", "Tuesday"]


def test_two_crossing_facts_cut_the_shorter_one_and_only_its_first_piece_is_first() -> None:
    parts = mark_span(TEXT, (0, 40), [(at("Tuesday that"), fact(2)), (at("said on Tuesday"), fact(1))])

    assert [m.text for m in marked(parts, "fact") if m.data == 1] == ["said on Tuesday"]
    pieces = [m for m in marked(parts, "fact") if m.data == 2]
    assert [(m.text, m.first) for m in pieces] == [("Tuesday", True), (" that", False)]
    assert "".join(text for text, _ in flatten(parts)) == TEXT[0:40]


def test_injected_text_is_not_also_marked_as_added_but_a_fact_inside_it_is_kept() -> None:
    run = at("Subscribe now!")
    parts = mark_span(TEXT, (0, len(TEXT)), [(at("Subscribe now"), "ins"), (run, "injected"),
                                             (at("Subscribe"), fact(1))])

    (injected,) = marked(parts, "injected")
    assert marked(injected.parts, "ins") == []
    assert [m.text for m in marked(injected.parts, "fact")] == ["Subscribe"]


def test_added_words_are_not_joined_back_across_an_injected_space() -> None:
    gap = TEXT.index(" ", 30)
    parts = mark_span(TEXT, (0, 40), [((gap, gap + 1), "injected"), ((2, gap + 2), "ins")])

    (injected,) = marked(parts, "injected")
    assert marked(injected.parts, "ins") == []
    assert [m.text for m in marked(parts, "ins")] == [TEXT[2:gap], TEXT[gap + 1:gap + 2]]


def test_an_empty_fact_is_a_point_inside_the_cell() -> None:
    where = TEXT.index("bridge")
    parts = mark_span(TEXT, (0, len(TEXT)), [((where, where), fact(1)), (at("old bridge"), "ins")])

    (point,) = marked(parts, "fact")
    assert point.parts == () and point.first
    assert "".join(text for text, _ in flatten(parts)) == TEXT


def test_marks_outside_the_cell_are_dropped_and_empty_diff_spans_ignored() -> None:
    assert mark_span(TEXT, (0, 9), [(at("Tuesday"), fact(1)), ((3, 3), "ins")]) == (Segment("The mayor"),)
    assert mark_span(TEXT, (5, 5), [((5, 5), fact(1))]) == ()


def test_marks_of_any_other_name_nest_like_the_rest() -> None:
    parts = mark_span("a b c", (0, 5), [((2, 3), "highlight")])

    assert parts == (Segment("a "), Marked(Mark("highlight"), (Segment("b", ("highlight",)),)), Segment(" c"))


# --- property: the parts are the text, and every character is inside exactly the right marks ----

NAMES = st.sampled_from(["del", "ins", "injected", "fact"])


@st.composite
def marks(draw: st.DrawFn) -> list[tuple[tuple[int, int], Mark]]:
    out: list[tuple[tuple[int, int], Mark]] = []
    for number in range(draw(st.integers(0, 8))):
        start = draw(st.integers(0, len(TEXT)))
        end = draw(st.integers(start, min(len(TEXT), start + 30)))
        name = draw(NAMES)
        if start < end or name == "fact":
            out.append(((start, end), Mark(name, number if name == "fact" else None)))
    return out


def coverage(parts: tuple[Part, ...], start: int) -> dict[int, set[object]]:
    """For each character offset, the facts (by number) and other mark names around it."""
    out: dict[int, set[object]] = {}

    def walk(items: tuple[Part, ...], pos: int, around: tuple[object, ...]) -> int:
        for part in items:
            if isinstance(part, Segment):
                for i in range(len(part.text)):
                    out[pos + i] = set(around)
                pos += len(part.text)
            else:
                pos = walk(part.parts, pos, (*around, part.data if part.name == "fact" else part.name))
        return pos

    walk(parts, start, ())
    return out


@settings(max_examples=600, deadline=None)
@given(marks(), st.integers(0, 20), st.integers(40, len(TEXT)))
def test_parts_spell_the_text_and_put_each_character_inside_exactly_its_facts(
        given_marks: list[tuple[tuple[int, int], Mark]], start: int, end: int) -> None:
    parts = mark_span(TEXT, (start, end), given_marks)

    assert "".join(text for text, _ in flatten(parts)) == TEXT[start:end]
    covered = coverage(parts, start)
    assert sorted(covered) == list(range(start, end))
    for offset, around in covered.items():
        facts = {m.data for (s, e), m in given_marks if m.name == "fact" and s <= offset < e}
        assert {x for x in around if isinstance(x, int)} == facts
        if any(m.name == "injected" and s <= offset < e for (s, e), m in given_marks):
            assert "injected" in around and "ins" not in around
    firsts = [m.data for m in marked(parts, "fact") if m.first]
    assert len(firsts) == len(set(firsts)), "one first piece per fact"
    for (s, e), m in given_marks:
        visible = max(s, start) < min(e, end) or (s == e and start <= s <= end)
        if m.name == "fact" and visible:
            assert m.data in firsts
