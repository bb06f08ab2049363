"""Injected text inside derived paragraphs: what is junk, where a junk run starts and ends."""

from __future__ import annotations

import pytest

from app.align import Alignment, Relation, align

HEADLINE = "Council approves harbour budget after long debate"
P1 = ("The city council approved the new harbour budget on Tuesday after a debate that ran "
      "late into the evening.")
P2 = ("Council leader Daniel Achterberg said the authority had been left with no choice but to "
      "raise charges for moorings and parking.")
P3 = ("Work on the new sea wall could begin as early as March, and the contractor expects it to "
      "take two years to finish.")
P4 = ("Residents can read the full budget at the library on Market Street until the end of the "
      "month, the council said.")
QUOTE = ("The campaign is led by Marit Achterberg, whose grandfather kept the light for forty "
         "years. \u201cThe light brought him home every night, and it brought hundreds of "
         "fishermen home too,\u201d she said.")


def paras(*items: str) -> str:
    return "\n\n".join(items)


def injected(result: Alignment, copy: str) -> list[str]:
    return [copy[b.copy[0]:b.copy[1]] for b in result.blocks if b.parent is not None]


def parent_of(result: Alignment, text: str, copy: str) -> Relation:
    start = copy.index(text)
    (block,) = [b for b in result.blocks if b.kind.derived and b.copy[0] <= start < b.copy[1]]
    return block.kind


@pytest.mark.parametrize("reworded", [
    "The campaign is led by Marit Achterberg, whose grandfather kept the light for forty years. "
    "According to Achterberg, the lighthouse once brought her grandfather safely back to shore each "
    "night for four decades, as it did for hundreds of fishing crews.",
    "The campaign is led by Marit Achterberg, whose grandfather kept the light for forty years. "
    "\u201cThe light brought him home every night,\u201d she said, adding that according to "
    "Achterberg, the lighthouse once steered her grandfather safely back to shore.",
])
def test_a_paraphrased_paragraph_with_a_long_reworded_clause_has_no_injected_text(reworded: str) -> None:
    original = paras(HEADLINE, QUOTE, P4)
    copy = paras(HEADLINE, reworded, P4)
    result = align(original, copy)
    assert [b.original_paragraphs for b in result.blocks if b.kind.derived] == [(0,), (1,), (2,)]
    assert injected(result, copy) == []


def test_a_reworded_clause_that_adds_no_words_is_not_injected() -> None:
    original = paras(HEADLINE, P1, P3, P4)
    spun = P3.replace("could begin as early as March, and the contractor expects it to take",
                      "may commence from the spring, while the builder reckons the job will need")
    copy = paras(HEADLINE, P1, spun, P4)
    result = align(original, copy)
    assert injected(result, copy) == []


def test_glued_link_text_inside_a_sentence_is_injected_from_the_glue_boundary() -> None:
    card = "Daniel Achterberg defends library cuts as \u2018unavoidable\u2019 MORE"
    copy = paras(HEADLINE, P1, P2.replace("Achterberg said", "Achterberg" + card + " said"), P4)
    result = align(paras(HEADLINE, P1, P2, P4), copy)
    assert injected(result, copy) == [card]
    assert parent_of(result, card, copy) is Relation.VERBATIM


def test_a_card_glued_after_a_garbled_name_starts_at_the_cards_own_header() -> None:
    original = paras(HEADLINE, P1, "Secretary of State Antony Blinken notified Congress in April "
                     "that the waiver would be renewed for another year.", P4)
    card = ("Antony BlinkenState urged to pull forces back from the border.Progressive groups call "
            "on Biden to condemn the expulsions MORE")
    copy = paras(HEADLINE, P1, "Secretary of state Anthony Blink " + card + " Notifying parliament "
                 "in April that the waiver would be renewed for another year.", P4)
    result = align(original, copy)
    assert injected(result, copy) == [card]


def test_a_replaced_clause_followed_by_junk_is_injected_from_the_junk_on() -> None:
    junk = "Click here to get our free newsletter with all the local news every morning"
    spun = ("Work on the new sea wall could start in April. " + junk
            + ", and the contractor expects it to take two years to finish.")
    copy = paras(HEADLINE, P1, spun, P4)
    result = align(paras(HEADLINE, P1, P3, P4), copy)
    assert injected(result, copy) == [junk]


def test_a_sentence_of_junk_keeps_its_full_stop_and_a_clause_its_comma() -> None:
    claim = "Critics have already called it the worst budget in the borough\u2019s recent history."
    clause = ", and organisers say they will take the whole council to court over it"
    copy = paras(HEADLINE, P1 + " " + claim, P2, P4[:-1] + clause + ".")
    result = align(paras(HEADLINE, P1, P2, P4), copy)
    assert injected(result, copy) == [claim, clause]


def test_a_breadcrumb_before_the_headline_is_injected() -> None:
    copy = paras("Home / Local News / Harbour / " + HEADLINE, P1, P2, P4)
    result = align(paras(HEADLINE, P1, P2, P4), copy)
    assert injected(result, copy) == ["Home / Local News / Harbour /"]
    assert parent_of(result, HEADLINE, copy) is Relation.VERBATIM


def test_a_date_or_a_single_slash_at_a_paragraph_start_is_not_a_breadcrumb() -> None:
    first = "12 / 05 / 2024 The city council approved the new harbour budget on Tuesday."
    original = paras(HEADLINE, P1, P2)
    copy = paras(HEADLINE, "Harbour / " + P1, P2)
    assert injected(align(original, copy), copy) == []
    dated = paras(HEADLINE, first, P2)
    assert injected(align(dated, dated), dated) == []


def test_junk_inside_an_otherwise_verbatim_paragraph_leaves_it_verbatim() -> None:
    copy = paras(HEADLINE, P1, P2.replace("choice but", "choice ADVERTISEMENT but"), P4)
    result = align(paras(HEADLINE, P1, P2, P4), copy)
    assert injected(result, copy) == ["ADVERTISEMENT"]
    assert parent_of(result, "ADVERTISEMENT", copy) is Relation.VERBATIM


def test_a_card_glued_into_a_repeated_sentence_is_found_on_its_own() -> None:
    card = "Harbour fees explained in five charts MORE"
    repeated = "The city council approved the new harbour" + card + " budget on Tuesday."
    copy = paras(HEADLINE, P1, P2 + " " + repeated, P4)
    result = align(paras(HEADLINE, P1, P2, P4), copy)
    assert injected(result, copy) == [card]


def test_a_glued_card_ends_at_its_marker_word() -> None:
    card = "Daniel Achterberg defends library cuts MORE"
    copy = paras(HEADLINE, P1, P2.replace("Achterberg said", "Achterberg" + card + " also said"), P4)
    result = align(paras(HEADLINE, P1, P2, P4), copy)
    assert injected(result, copy) == [card]


def test_fewer_injected_words_than_the_setting_asks_for_are_left_alone_without_a_mark() -> None:
    copy = paras(HEADLINE, P1, P2, P4[:-1] + ", a silence the traders call insulting.")
    result = align(paras(HEADLINE, P1, P2, P4), copy)
    assert injected(result, copy) == []
