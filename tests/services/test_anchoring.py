"""app.services.anchoring: selectors made from a text, and found again (or orphaned) in a text
that changed around them. Examples first, then hypothesis properties."""

from __future__ import annotations

import re

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from app.services.anchoring import CONTEXT, AnchorState, Location, Quote, locate, quote

TEXT = ("The council approved the harbour budget on Tuesday.\r\n\r\n"
        "Mayor Ellen Voss said forty inspectors will be hired by spring.\r\n\r\n"
        "Critics said forty was too few.\r\n")


def span_of(text: str, passage: str, occurrence: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(passage, start + 1)
    return start, start + len(passage)


def note_on(text: str, passage: str, occurrence: int = 0) -> Quote:
    return quote(text, *span_of(text, passage, occurrence))


# --- building selectors -------------------------------------------------------------------------


def test_a_quote_keeps_the_passage_and_up_to_32_characters_each_side() -> None:
    selector = note_on(TEXT, "forty inspectors")

    assert selector.exact == "forty inspectors"
    assert selector.prefix == TEXT[selector.start - CONTEXT:selector.start]
    assert len(selector.prefix) == CONTEXT == 32
    assert selector.suffix == " will be hired by spring.\r\n\r\nCri"
    assert TEXT[selector.start:selector.end] == selector.exact


def test_a_quote_at_the_edges_of_the_text_has_shorter_context() -> None:
    first = note_on(TEXT, "The council")
    last = quote(TEXT, len(TEXT) - 5, len(TEXT))

    assert first.prefix == ""
    assert last.suffix == ""
    assert last.exact == "few.\r\n"[-5:]


@pytest.mark.parametrize(("start", "end"), [(5, 5), (6, 5), (-1, 3), (0, len(TEXT) + 1)])
def test_a_quote_needs_a_non_empty_span_inside_the_text(start: int, end: int) -> None:
    with pytest.raises(ValueError, match="is not a passage"):
        quote(TEXT, start, end)


# --- locating -----------------------------------------------------------------------------------


def test_an_unchanged_text_anchors_the_note_where_it_was() -> None:
    selector = note_on(TEXT, "forty", 1)

    assert locate(TEXT, selector) == Location(AnchorState.ANCHORED, selector.start, selector.end)


def test_text_inserted_before_the_passage_reanchors_it_at_its_new_offsets() -> None:
    selector = note_on(TEXT, "forty inspectors")
    changed = "UPDATED: " + TEXT

    assert locate(changed, selector) == Location(AnchorState.REANCHORED, selector.start + 9, selector.end + 9)


def test_an_edit_right_next_to_a_passage_found_once_still_reanchors_it() -> None:
    selector = note_on(TEXT, "Ellen Voss")
    changed = TEXT.replace("Mayor Ellen Voss", "Our mayor Ellen Voss")

    found = locate(changed, selector)

    assert found.state is AnchorState.REANCHORED
    assert changed[found.start:found.end] == "Ellen Voss"


def test_a_deleted_passage_is_orphaned() -> None:
    selector = note_on(TEXT, "forty inspectors")
    changed = TEXT.replace("forty inspectors", "fifty inspectors")

    assert locate(changed, selector) == Location(AnchorState.ORPHANED)


def test_a_look_alike_with_other_surroundings_is_never_taken_for_the_passage() -> None:
    # The note is on the mayor's "forty"; the correction removes it, the critics' "forty" stays.
    selector = note_on(TEXT, "forty", 0)
    changed = TEXT.replace("Mayor Ellen Voss said forty inspectors", "Mayor Ellen Voss said fifty inspectors")

    assert changed.count("forty") == 1
    assert locate(changed, selector).state is AnchorState.ORPHANED


def test_of_two_occurrences_the_one_whose_context_agrees_is_chosen() -> None:
    selector = note_on(TEXT, "forty", 1)  # the critics' one
    changed = "Summary first.\n\n" + TEXT.replace("Tuesday", "Wednesday")

    found = locate(changed, selector)

    assert found.state is AnchorState.REANCHORED
    assert found.start == changed.index("Critics said forty") + len("Critics said ")


def test_two_places_agreeing_equally_well_orphan_the_note_rather_than_guess() -> None:
    paragraph = "The board met on Tuesday and voted for the plan after a long debate.\n\n"
    text = "Intro.\n\n" + paragraph + "Middle part of the story.\n\n"
    selector = note_on(text, "voted for the plan")
    changed = "Intro changed.\n\n" + paragraph + paragraph

    assert locate(changed, selector).state is AnchorState.ORPHANED


def test_a_passage_that_was_the_whole_text_is_not_found_inside_a_longer_one() -> None:
    selector = quote("forty", 0, 5)

    assert locate("forty", selector).state is AnchorState.ANCHORED
    assert locate("Critics said forty was too few.", selector).state is AnchorState.ORPHANED


def test_crlf_line_endings_are_part_of_the_text_and_its_offsets() -> None:
    selector = note_on(TEXT, "Critics said")
    as_lf = TEXT.replace("\r\n", "\n")

    found = locate(as_lf, selector)

    assert found.state is AnchorState.REANCHORED
    assert as_lf[found.start:found.end] == "Critics said"
    assert found.start == selector.start - 4  # four \r fewer before it


def test_offsets_count_code_points_not_bytes_or_utf16_units() -> None:
    text = "Emoji 👩‍👩‍👧 first, then Zoë said «forty» in Kraków."
    selector = note_on(text, "forty")
    changed = "🇦🇿 " + text

    found = locate(changed, selector)

    assert changed[found.start:found.end] == "forty"
    assert found.start == selector.start + len("🇦🇿 ")


# --- properties ---------------------------------------------------------------------------------

# Words from a small vocabulary make repeated passages and look-alikes common.
WORDS = st.sampled_from(["forty", "fifty", "said", "the", "mayor", "Zoë", "Kraków", "🚢", "a", "\r\n",
                         "\n\n", "«", "»", "voss", "spring", "budget"])
texts = st.lists(WORDS, min_size=1, max_size=60).map(" ".join)
any_text = st.text(min_size=1, max_size=200)


@st.composite
def text_and_span(draw: st.DrawFn, source: st.SearchStrategy[str] = texts) -> tuple[str, int, int]:
    text = draw(source)
    start = draw(st.integers(0, len(text) - 1))
    end = draw(st.integers(start + 1, len(text)))
    return text, start, end


def found_once_with_its_context(text: str, selector: Quote) -> bool:
    """Whether the passage with its whole stored context occurs once in ``text``, overlapping
    occurrences counted (else two places agree equally, and orphaning is the right answer)."""
    whole = selector.prefix + selector.exact + selector.suffix
    return sum(text.startswith(whole, at) for at in range(len(text))) == 1


@given(text_and_span(any_text))
def test_any_text_unchanged_anchors_every_passage_in_place(case: tuple[str, int, int]) -> None:
    text, start, end = case

    assert locate(text, quote(text, start, end)) == Location(AnchorState.ANCHORED, start, end)


@st.composite
def framed(draw: st.DrawFn, margin: int = CONTEXT) -> tuple[str, int, int]:
    """A text whose passage has at least ``margin`` characters of text on both sides."""
    left = draw(st.text(min_size=margin, max_size=margin + 60))
    passage = draw(st.text(min_size=1, max_size=40))
    right = draw(st.text(min_size=margin, max_size=margin + 60))
    return left + passage + right, len(left), len(left) + len(passage)


@given(framed(), st.text(min_size=1, max_size=50), st.booleans())
@example(("x" * 32 + "forty" + "y" * 32, 32, 37), "\r\n", True)
def test_text_added_away_from_the_passage_reanchors_it_exactly(
        case: tuple[str, int, int], added: str, before: bool) -> None:
    text, start, end = case
    selector = quote(text, start, end)
    changed, shift = (added + text, len(added)) if before else (text + added, 0)
    assume(found_once_with_its_context(changed, selector))

    found = locate(changed, selector)

    assert (found.start, found.end) == (start + shift, end + shift)
    assert found.state is (AnchorState.REANCHORED if shift else AnchorState.ANCHORED)


@given(framed(margin=CONTEXT + 40), st.integers(1, 40))
def test_text_deleted_away_from_the_passage_reanchors_it_exactly(case: tuple[str, int, int], cut: int) -> None:
    text, start, end = case
    selector = quote(text, start, end)
    changed = text[cut:]  # all of it before the stored prefix
    assume(found_once_with_its_context(changed, selector))

    assert locate(changed, selector) == Location(AnchorState.REANCHORED, start - cut, end - cut)


# Any characters, with Windows line endings among them.
crlf_texts = st.lists(st.one_of(st.characters(), st.just("\r\n")), min_size=1, max_size=120).map("".join)


@given(text_and_span(crlf_texts))
def test_a_text_whose_line_endings_became_lf_still_places_a_passage_without_them(
        case: tuple[str, int, int]) -> None:
    text, start, end = case
    selector = quote(text, start, end)
    # White space inside the quote would make it ambiguous within a run of white space.
    assume(not re.search(r"\s", selector.exact))
    changed = text.replace("\r\n", "\n")
    whole = squash(selector.prefix + selector.exact + selector.suffix)
    assume(sum(squash(changed).startswith(whole, at) for at in range(len(changed))) == 1)

    found = locate(changed, selector)

    assert found.state is not AnchorState.ORPHANED
    assert found.start == start - text[:start].count("\r\n")
    assert changed[found.start:found.end] == selector.exact


@given(text_and_span(), st.sampled_from(["", "—", "\r\n"]))
def test_deleting_the_passage_orphans_it_unless_its_quote_and_context_are_still_there(
        case: tuple[str, int, int], replacement: str) -> None:
    text, start, end = case
    selector = quote(text, start, end)
    changed = text[:start] + replacement + text[end:]

    found = locate(changed, selector)

    if selector.exact not in changed:
        assert found.state is AnchorState.ORPHANED
    if found.state is not AnchorState.ORPHANED:
        # Only a real repeat of the passage in the same surroundings can stand in for it.
        assert changed[found.start:found.end] == selector.exact
        assert agreeing_context(changed, selector, found.start) > 0 or at_edge(changed, selector, found)


@given(text_and_span(), texts)
def test_a_note_is_never_placed_on_text_without_its_quote_and_some_of_its_context(
        case: tuple[str, int, int], other: str) -> None:
    text, start, end = case
    selector = quote(text, start, end)

    found = locate(other, selector)

    if found.state is AnchorState.ORPHANED:
        assert (found.start, found.end) == (None, None)
    else:
        assert other[found.start:found.end] == selector.exact
        assert agreeing_context(other, selector, found.start) > 0 or at_edge(other, selector, found)


def agreeing_context(text: str, selector: Quote, at: int) -> int:
    """The slow obvious oracle: characters of stored context that agree around ``at``, runs of
    white space counting as one space (as the anchoring compares context)."""
    before, after = squash(text[:at]), squash(text[at + len(selector.exact):])
    prefix, suffix = squash(selector.prefix), squash(selector.suffix)
    return (max(n for n in range(len(prefix) + 1) if before.endswith(prefix[len(prefix) - n:]))
            + max(n for n in range(len(suffix) + 1) if after.startswith(suffix[:n])))


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def at_edge(text: str, selector: Quote, found: Location) -> bool:
    """Whether a passage stored at an edge of its text (no context there) was found at that edge."""
    return (found.start == 0 and not selector.prefix) or (found.end == len(text) and not selector.suffix)
