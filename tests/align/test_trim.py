"""Edge trimming and passage finishing on texts without blank lines (hard-wrapped or scraped),
where reuse starts and stops inside a line or a run-on "sentence"."""

from __future__ import annotations

from app.align import align
from app.align.trim import trim_span
from app.align.units import segment

REUSED = ("The harbour commission voted to dredge the northern channel before the autumn storms, "
          "citing silt that has grounded three trawlers since March and blocked the ferry twice.")
FILLER = ("click here subscribe newsletter weekly offers garden furniture discount codes cheap flights "
          "hotel deals compare prices mobile plans broadband bundles")


def test_an_unsupported_tail_is_cut() -> None:
    text = REUSED + " " + FILLER
    doc = segment(text)
    other = set(segment(REUSED).tokens.norms)
    start, end = trim_span(doc, (0, len(text)), other)
    assert (start, end) == (0, len(REUSED))


def test_an_unsupported_head_is_cut_and_a_leading_function_word_stays() -> None:
    text = FILLER + " " + REUSED
    doc = segment(text)
    other = set(segment(REUSED).tokens.norms) - {"the"}
    start, end = trim_span(doc, (0, len(text)), other)
    assert text[start:end] == REUSED


def test_a_few_changed_words_at_an_edge_are_not_cut() -> None:
    text = REUSED.replace("blocked the ferry twice.", "blocked the ferry on four crossings.")
    doc = segment(text)
    other = set(segment(REUSED).tokens.norms)
    assert trim_span(doc, (0, len(text)), other) == (0, len(text))


def test_nothing_shared_leaves_the_span_alone() -> None:
    doc = segment(FILLER)
    assert trim_span(doc, (0, len(FILLER)), {"nothing", "shared"}) == (0, len(FILLER))


def _hard_wrapped(words: str, width: int = 60) -> str:
    lines, line = [], ""
    for word in words.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "\n".join([*lines, line])


ORIGINAL = " ".join([
    "Storm warnings went up along the coast on Friday as the first gale of the season approached.",
    REUSED,
    "Fishermen said the delay had cost them most of the summer season and several contracts.",
    "The commission will publish the dredging schedule next week on its website.",
])


def test_a_passage_inside_a_run_on_line_is_reported_without_the_junk_around_it() -> None:
    # Scraped pages run menus and ads into the text with no full stop between them.
    menu = "Most read sport weather traffic cinema listings puzzles horoscopes obituaries classifieds jobs"
    copy = _hard_wrapped(f"Menu. {FILLER.capitalize()}. {REUSED[:-1]} {menu} contact us. {FILLER.capitalize()}.")
    start = copy.index("The harbour")
    end = copy.index("ferry twice") + len("ferry twice")
    result = align(ORIGINAL, copy)
    derived = [b for b in result.blocks if b.kind.derived]
    assert len(derived) == 1
    (block,) = derived
    assert abs(block.copy[0] - start) <= 5 and abs(block.copy[1] - end) <= 5
    o_start = ORIGINAL.index(REUSED)
    assert abs(block.original[0] - o_start) <= 5 and abs(block.original[1] - (o_start + len(REUSED))) <= 5


def test_a_short_look_alike_in_a_long_copy_is_not_reuse() -> None:
    # One short sentence echoing the original, in a long unrelated text: too little to judge.
    unrelated = " ".join(f"Line {k} of the gardening column covers tomatoes, beans and compost heaps."
                         for k in range(40))
    copy = _hard_wrapped(f"{unrelated} The harbour commission voted to dredge the northern channel before the storms. {unrelated}")
    result = align(ORIGINAL, copy)
    assert not [b for b in result.blocks if b.kind.derived]


def test_a_short_line_copied_word_for_word_in_a_long_copy_is_still_reuse() -> None:
    unrelated = " ".join(f"Line {k} of the gardening column covers tomatoes, beans and compost heaps."
                         for k in range(40))
    line = "The commission will publish the dredging schedule next week on its website."
    copy = f"{_hard_wrapped(unrelated)}\n{line}\n{_hard_wrapped(unrelated)}"
    result = align(ORIGINAL, copy)
    derived = [b for b in result.blocks if b.kind.derived]
    assert [copy[b.copy[0]:b.copy[1]] for b in derived] == [line]


def test_a_passage_broken_by_a_run_of_short_ads_is_one_block() -> None:
    sentences = [
        "The harbour commission voted on Tuesday to dredge the northern channel this autumn.",
        "Silt has grounded three trawlers since March and blocked the morning ferry twice.",
        "Engineers estimate the work will remove forty thousand tonnes of mud and sand.",
        "The dredger Maria Elena will arrive from Rotterdam at the end of September.",
        "Fishing crews will be allowed to use the southern quay while the work goes on.",
        "The commission will publish a full schedule of the dredging next week online.",
    ]
    ads = ("Book cheap flights online today. Compare broadband deals near you. "
           "Win a luxury spa weekend now. Download our free puzzle app.")
    original = " ".join(sentences)
    copy = "\n".join([*sentences[:3], ads, *sentences[3:]])
    derived = [b for b in align(original, copy).blocks if b.kind.derived]
    assert [(b.copy, b.original) for b in derived] == [((0, len(copy)), (0, len(original)))]
