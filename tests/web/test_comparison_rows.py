"""The presenter behind the comparison page: segments and rows built from an Alignment, pure data."""

from __future__ import annotations

from app.align import Alignment, Block, Relation, Summary
from app.web.comparison import Gap, Segment, build_comparison, mark_span
from app.web.marks import flatten
from tests.web import constructed


def test_unmarked_span_is_one_plain_segment() -> None:
    assert mark_span("abc def", (4, 7), []) == (Segment("def"),)


def test_marks_are_clipped_to_the_cell() -> None:
    assert flatten(mark_span("one two three", (4, 13), [((0, 7), "del")])) == [("two", ("del",)), (" three", ())]


def test_marks_outside_the_cell_and_spans_past_the_text_are_ignored() -> None:
    assert mark_span("short", (0, 99), [((50, 60), "ins")]) == (Segment("short"),)
    assert mark_span("short", (7, 9), []) == ()


def test_marked_words_are_joined_across_spaces_but_never_across_line_breaks() -> None:
    text = "old words\nold more"
    marks = [((0, 3), "del"), ((4, 9), "del"), ((10, 13), "del"), ((14, 18), "del")]

    assert flatten(mark_span(text, (0, len(text)), marks)) == [
        ("old words", ("del",)), ("\n", ()), ("old more", ("del",))]


def test_injected_text_wins_over_added_words_where_they_overlap() -> None:
    text = "said it. Buy now!"

    segments = mark_span(text, (0, len(text)), [((9, 16), "ins"), ((9, 17), "injected")])

    assert flatten(segments) == [("said it. ", ()), ("Buy now!", ("injected",))]


def test_segments_put_back_together_are_the_exact_cell_text() -> None:
    comparison = build_comparison(constructed.ALIGNMENT, constructed.ORIGINAL, constructed.COPY)

    for row, block in zip(comparison.rows, constructed.ALIGNMENT.top_level_blocks(), strict=True):
        _, source = block
        if source.original:
            assert "".join(t for t, _ in flatten(row.original or ())) == constructed.ORIGINAL[slice(*source.original)]
        if source.copy:
            assert "".join(t for t, _ in flatten(row.copy or ())) == constructed.COPY[slice(*source.copy)]


def test_rows_count_kinds_and_injected_passages() -> None:
    comparison = build_comparison(constructed.ALIGNMENT, constructed.ORIGINAL, constructed.COPY)

    assert {c.kind.value: c.count for c in comparison.counts} == {
        "verbatim": 2, "edited": 2, "paraphrased": 1, "inserted": 1, "omitted": 1}
    assert comparison.injected == 2
    assert comparison.changes == 5


def test_hiding_verbatim_rows_leaves_one_gap_per_run() -> None:
    comparison = build_comparison(constructed.ALIGNMENT, constructed.ORIGINAL, constructed.COPY)

    visible = comparison.visible(hide_verbatim=True)

    assert visible[0] == Gap(2)
    assert [getattr(item, "css_class", "gap") for item in visible] == [
        "gap", "rel-edited", "rel-paraphrased", "rel-omitted", "rel-edited", "rel-inserted"]


def test_moved_block_without_a_note_still_says_where_it_came_from() -> None:
    alignment = Alignment(4, 4, ((0, 1), (3, 4)), ((0, 1), (3, 4)), (
        Block(Relation.VERBATIM, (3, 4), (0, 1), 1.0, (1,), (0,), moved=True),
        Block(Relation.VERBATIM, (0, 1), (3, 4), 1.0, (0,), (1,)),
    ), (), Summary(1.0, 1.0), "test")

    rows = build_comparison(alignment, "a\n\nb", "b\n\na").rows

    assert rows[0].note == "moved from paragraph 2"
    assert rows[1].note == ""
