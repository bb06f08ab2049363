"""A sentence the copier split in two, in a long copy: neither half alone is like enough to the
original sentence to stand as a lone look-alike, the two together are."""

from __future__ import annotations

import pytest

from app.align import align

SENTENCE = ("The regional water board confirmed on Monday that the reservoir near Aldmoor had fallen to "
            "its lowest level since records began, forcing a hosepipe ban across four districts.")
FIRST_HALF = ("The regional water board confirmed on Monday that the Aldmoor reservoir was lower than at "
              "any time since records began.")


def _pair(second_half: str) -> tuple[str, str, str]:
    agenda = " ".join(f"Item {k} on the agenda concerned parking permits, bin collections and street "
                      f"lights in ward {k}." for k in range(30))
    recipes = " ".join(f"Recipe {k} uses flour, butter, eggs and a pinch of salt for the pastry."
                       for k in range(30))
    halves = f"{FIRST_HALF} {second_half}"
    return f"{agenda} {SENTENCE} {agenda}", f"{recipes}\n{halves}\n{recipes}", halves


@pytest.mark.parametrize("second_half", [
    "The ban on hosepipes now covers four districts.",     # both halves seeds, neither strong
    "So hosepipes are now banned across four districts.",  # the second half a weak seed only
])
def test_both_halves_are_derived_from_the_one_sentence(second_half: str) -> None:
    original, copy, halves = _pair(second_half)
    derived = [b for b in align(original, copy).blocks if b.kind.derived]
    assert len(derived) == 1
    (block,) = derived
    assert copy[block.copy[0]:block.copy[1]] == halves
    assert original[block.original[0]:block.original[1]] == SENTENCE


def test_an_unrelated_neighbour_does_not_rescue_a_lone_look_alike() -> None:
    original, copy, _ = _pair("Tickets for the summer fair go on sale at the town hall next week.")
    assert not [b for b in align(original, copy).blocks if b.kind.derived]
