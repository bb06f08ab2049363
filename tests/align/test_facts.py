"""Changed facts (``app.align.facts``): one test per kind, the format-only and paraphrase
differences that are not changes, properties on any input, and the seed pair's figures."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.align import align, facts_doc
from app.align.facts import find_changes
from app.align.model import Block, Change, Relation
from app.align.text import split_paragraphs, tokenize
from tests.conftest import SEED, needs_shared, read_text

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def changes(original: str, copy: str) -> list[Change]:
    """The changes between two texts taken as one block."""
    block = Block(Relation.EDITED, (0, len(original)), (0, len(copy)), 0.8)
    return find_changes(original, copy, block, 3)


def pairs(original: str, copy: str, kind: str | None = None) -> list[tuple[str, str, str]]:
    return [(c.kind, c.original_text, c.copy_text) for c in changes(original, copy)
            if kind is None or c.kind == kind]


# ------------------------------------------------------------------ numbers --
def test_a_changed_figure_is_a_number_change_with_tight_spans_and_a_note() -> None:
    original = "Officials said 12 people died in the fire on the industrial estate."
    copy = "Officials said 21 people died in the blaze on the industrial estate."
    found = changes(original, copy)
    assert [(c.kind, c.original_text, c.copy_text) for c in found] == [("number", "12", "21")]
    assert found[0].block == 3
    assert found[0].note == "number: 12 \u2192 21"
    assert original[found[0].original[0]:found[0].original[1]] == "12"


@pytest.mark.parametrize(("original", "copy"), [
    ("The deal is worth $1.9 billion to the company.", "The deal is worth 1.9 billion dollars to the firm."),
    ("Some 1,000 people attended the rally.", "Some 1000 people came to the rally."),
    ("The strike will last five days.", "The strike will last 5 days."),
    ("Prices rose by 2.5 per cent last year.", "Prices went up by 2.5% last year."),
    ("The council approved a £14.2 million barrier.", "The council backed a £14.2m barrier."),
    ("A crowd of 3,412 watched the match.", "A crowd of more than 3,400 watched the game."),
])
def test_format_only_differences_in_figures_are_not_changes(original: str, copy: str) -> None:
    assert pairs(original, copy) == []


def test_a_decade_written_another_way_is_not_a_change() -> None:
    assert pairs("The mill closed in the 1990s, when the work moved abroad.",
                 "The mill closed in the years 1990, when the work moved abroad.") == []


def test_a_repeated_figure_changed_in_one_place_is_found() -> None:
    original = "Two men were jailed: one for 18 months and the other for two years."
    copy = "Two men were jailed: one for 18 months and the other for three years."
    assert pairs(original, copy) == [("number", "two", "three")]


# -------------------------------------------------------------------- dates --
def test_a_changed_weekday_is_a_date_change() -> None:
    found = pairs("The union walked out on Tuesday after talks failed.",
                  "The union walked out on Wednesday after talks failed.")
    assert found == [("date", "Tuesday", "Wednesday")]


def test_a_changed_year_inside_a_date_is_a_date_change() -> None:
    assert pairs("The river flooded in September 2022, the council said.",
                 "The river flooded in September 2021, the council said.") == [
        ("date", "September 2022", "September 2021")]


@pytest.mark.parametrize(("original", "copy"), [
    ("The exhibition opens on 3 June at the library.", "The exhibition opens on June 3 at the library."),
    ("The unit will close at 10pm every night.", "The unit will close at 22:00 every night."),
    ("Voting ends at 1:30 p.m. on Friday.", "Voting ends at 1:30pm on Friday."),
])
def test_format_only_differences_in_dates_are_not_changes(original: str, copy: str) -> None:
    assert pairs(original, copy) == []


# -------------------------------------------------------------------- names --
def test_a_translated_institution_is_a_name_change() -> None:
    found = pairs("The State Department on Friday called for calm along the border.",
                  "On Friday, the Foreign Ministry called for calm along the border.")
    assert found == [("name", "State Department", "Foreign Ministry")]


def test_a_title_replaced_by_an_ordinary_word_is_a_name_change() -> None:
    found = pairs("Rep. Adam Schiff called for a review of the policy.",
                  "agent Adam Schiff called for a review of the policy.")
    assert found == [("name", "Rep.", "agent")]


def test_a_misspelt_surname_is_a_name_change() -> None:
    found = pairs("Phillip Reeker has spoken with both foreign ministers, officials said.",
                  "Phillip Riger has spoken with both foreign ministers, officials said.")
    assert found == [("name", "Reeker", "Riger")]


def test_an_institution_made_generic_is_a_name_change() -> None:
    found = pairs("Blinken notified Congress in April that it was issuing the waiver.",
                  "Blinken notified parliament in April that it was issuing the waiver.")
    assert found == [("name", "Congress", "parliament")]


def test_a_changed_town_is_a_place_change() -> None:
    found = pairs("Ships have already begun diverting to Felixstowe and Rotterdam.",
                  "Ships have already started diverting to Felixstowe and Antwerp.")
    assert found == [("place", "Rotterdam", "Antwerp")]


@pytest.mark.parametrize(("original", "copy"), [
    ("The jets flew from Luke Air Force Base in Texas at dawn.", "The jets flew from Luke AFB in TX at dawn."),
    ("Slovenia hopes to join the International Monetary Fund soon.", "Slovenia hopes to join the IMF soon."),
    ("Robert Sheets, director of the National Hurricane Center, said the season was long.",
     "Robert Sheets, head of the National Hurricane Center, said the season was long."),
])
def test_acronyms_and_generic_titles_are_not_changes(original: str, copy: str) -> None:
    assert pairs(original, copy) == []


def test_names_that_keep_their_identity_are_not_changes() -> None:
    original = ("Deputy State Department spokesperson Jalina Porter said the U.S. was watching. "
                "Sen. Maria Delgado and the House Intelligence Committee agreed.")
    copy = ("Jalina Porter, State Department deputy spokeswoman, said the US was watching. "
            "Senator Maria Delgado and the House of Representatives Intelligence Committee agreed.")
    assert pairs(original, copy) == []


# ------------------------------------------------------------------- quotes --
def test_a_reworded_quotation_is_a_quote_change_spanning_the_words_inside_the_marks() -> None:
    original = "\u201cFor a whole generation, the valley has been cut off,\u201d she said."
    copy = "\u201cFor an entire generation, the valley has been cut off,\u201d she said."
    found = [c for c in changes(original, copy) if c.kind == "quote"]
    assert [(c.original_text, c.copy_text) for c in found] == [
        ("For a whole generation, the valley has been cut off,",
         "For an entire generation, the valley has been cut off,")]


def test_a_quotation_in_single_curly_marks_is_compared_too() -> None:
    # British style: single marks quote, and the same mark is the apostrophe ("governor’s")
    original = ("Inspectors find ‘squalid and unsafe’ conditions at the governor’s "
                "prison, the report says.")
    copy = "Inspectors discover “dirty and dangerous” conditions at the governor’s prison, the report says."
    assert pairs(original, copy, "quote") == [("quote", "squalid and unsafe", "dirty and dangerous")]
    same = "Inspectors find ‘squalid and unsafe’ conditions at the governor’s prison."
    assert pairs(same, same.replace("find", "discover").replace("‘", "“").replace("’ ", "” ")) == []


def test_apostrophes_and_a_lone_single_mark_quote_nothing() -> None:
    original = "The farmers’ union met in the ‘90s at the mayor’s office in Kellmouth."
    copy = "The growers’ union met in the ‘90s at the mayor’s office in Kellmouth."
    assert pairs(original, copy, "quote") == []


def test_a_quotation_turned_into_indirect_speech_is_not_a_change() -> None:
    original = "\u201cPeople still want a proper sausage roll,\u201d said Ruth Dalton, the managing director."
    copy = "Ruth Dalton, the managing director, said people still wanted a proper sausage roll."
    assert pairs(original, copy) == []


def test_a_quotation_split_into_two_is_not_a_change() -> None:
    original = "\u201cWe act now. We act together,\u201d the mayor said at the meeting in the town hall."
    copy = ("\u201cWe act now,\u201d the mayor said at the meeting in the town hall. "
            "\u201cWe act together.\u201d")
    assert pairs(original, copy, "quote") == []


def test_a_quotation_whose_opening_mark_was_lost_is_still_compared() -> None:
    original = ("\u201cWe should not be providing military funding to a nation that violates human "
                "rights,\u201d he said. The waiver was issued in April.")
    copy = ("He said: Military funding to a nation that routinely violates human rights \u201c "
            "The waiver was issued in April.")
    found = [c for c in changes(original, copy) if c.kind == "quote"]
    assert len(found) == 1
    assert found[0].copy_text.startswith("Military funding")
    assert found[0].copy_text.endswith("rights")


# -------------------------------------------------------------- attribution --
def test_a_quotation_given_to_another_speaker_is_an_attribution_change() -> None:
    original = ("\u201cOur members kept this port running,\u201d said union regional secretary Dara Quinn. "
                "The talks resume on Monday.")
    copy = ("\u201cOur members kept this port running,\u201d said port chief executive Malcolm Reid. "
            "The talks resume on Monday.")
    found = pairs(original, copy)
    assert [kind for kind, _o, _c in found] == ["attribution"]
    assert "Dara Quinn" in found[0][1] and "Malcolm Reid" in found[0][2]


def test_a_different_source_after_according_to_is_an_attribution_change() -> None:
    found = pairs("According to the council's own figures, a household will pay \u00a386 more.",
                  "According to the opposition's figures, a household will pay \u00a386 more.")
    assert [kind for kind, _o, _c in found] == ["attribution"]


def test_a_quote_given_by_he_said_to_another_named_person_is_an_attribution_change() -> None:
    found = pairs("Kwame Addo, president of the students\u2019 union, backed the staff. "
                  "\u201cOur members have lost teaching twice,\u201d he said.",
                  "Kwame Addo, president of the students\u2019 union, backed the staff. "
                  "\u201cOur members have lost teaching twice,\u201d said Dr Mara Rhys-Lacey.")
    assert [kind for kind, _o, _c in found] == ["attribution"]
    assert "Addo" in found[0][1] and "Rhys-Lacey" in found[0][2]


def test_he_said_named_by_the_person_it_stands_for_is_no_change() -> None:
    # The pronoun's referent named in an apposition: the copy only spells out who "he" is.
    assert pairs("The leader of the district council, Ian Colbeck, called it a blow. "
                 "He said the council would set up a taskforce.",
                 "The leader of the district council, Ian Colbeck, called it a blow. "
                 "Ian Colbeck said the council would set up a taskforce.") == []


def test_a_misspelt_speaker_is_a_name_change_not_an_attribution() -> None:
    found = pairs("\u201cWe cannot keep signing these deals,\u201d Beck said in a statement.",
                  "\u201cWe cannot keep signing these deals,\u201d Becker said in a statement.")
    assert found == [("name", "Beck", "Becker")]


# ----------------------------------------------------------------- negation --
def test_a_dropped_negation_is_a_negation_change() -> None:
    found = pairs("Transport Secretary Helen Marsh did not rule out intervening in the dispute.",
                  "Transport Secretary Helen Marsh ruled out intervening in the dispute.")
    assert [kind for kind, _o, _c in found] == ["negation"]
    assert "not" in found[0][1] and "not" not in found[0][2]


def test_a_negation_dropped_beside_one_that_stays_is_still_a_change() -> None:
    # The kept "did not" must not count for the dropped "would not" a word away.
    found = pairs("Payments for those who did not move would not be capped at the legal minimum.",
                  "Payments for those who did not move would be capped at the legal minimum.")
    assert [kind for kind, _o, _c in found] == ["negation"]
    assert "would not be" in found[0][1] and "would be" in found[0][2]


def test_an_added_negation_is_a_negation_change() -> None:
    found = pairs("A spokesperson said ministers would consider the request.",
                  "A spokesperson said ministers would not consider the request.")
    assert [kind for kind, _o, _c in found] == ["negation"]


@pytest.mark.parametrize(("original", "copy"), [
    ("Some residents were unable to return for months.", "Some residents could not return for months."),
    ("The council would not approve any further delays.", "The council would approve no more delays."),
    ("The minister did not answer the question.", "The minister failed to answer the question."),
])
def test_a_negation_said_another_way_is_not_a_change(original: str, copy: str) -> None:
    assert pairs(original, copy) == []


# ---------------------------------------------------------------- paraphrase --
def test_synonym_spin_that_keeps_every_fact_gives_no_change() -> None:
    original = ("Greggs rival Crumb & Co will open 12 new shops across the north-east of England this "
                "year, creating around 150 jobs, the company said on Wednesday. The Newcastle-based "
                "chain, founded by sisters Ruth and Amy Dalton in 2009, already runs 48 bakeries.")
    copy = ("Crumb & Co, a rival to Greggs, is going to open twelve new stores across England's "
            "north-east this year, creating about 150 jobs, the firm announced on Wednesday. The chain, "
            "which is based in Newcastle and was founded by sisters Ruth and Amy Dalton in 2009, already "
            "operates 48 bakeries.")
    assert pairs(original, copy) == []


def test_names_inside_glued_scraped_link_text_are_not_compared() -> None:
    original = "Secretary of State Antony Blinken notified Congress in April about the waiver."
    copy = ("Secretary of State Anthony BlinkAntony BlinkenState called on Azerbaijan to pull its forces "
            "back from the border.Progressive groups called on Biden to condemn it MORE notified Congress "
            "in April about the waiver.")
    assert ("name", "Antony Blinken", "Anthony Blink") in pairs(original, copy)


# --------------------------------------------------------------- properties --
TEXT = st.text(max_size=300)
FACTY = st.lists(st.sampled_from([
    "Rep.", "Adam", "Schiff", "said", "\u201c", "\u201d", '"', "not", "didn't", "12", "1,200", "\u00a33.5m",
    "10.15pm", "3 June", "Tuesday", "May", "according to", "the", "State", "Department", "\n\n", "\r\n",
    ".", ",", "\u0130", "\u00df", "\ufb01", "\U0001d518", "e\u0301", "\u00a0", "SchiffLone", "U.S.",
    "per cent", "%", "twenty-five", "third", "north", "\u0661\u0662", "\u00bd", "2\u00b2", "O'Brien",
]), max_size=60).map(" ".join)


def _check_spans(original: str, copy: str, block: Block) -> None:
    first = find_changes(original, copy, block, 0)
    assert first == find_changes(original, copy, block, 0)  # deterministic
    for change in first:
        assert block.original[0] <= change.original[0] <= change.original[1] <= block.original[1]
        assert block.copy[0] <= change.copy[0] <= change.copy[1] <= block.copy[1]
        assert original[change.original[0]:change.original[1]] == change.original_text
        assert copy[change.copy[0]:change.copy[1]] == change.copy_text
        assert change.kind in ("name", "number", "date", "place", "quote", "attribution", "negation")


@SETTINGS
@given(TEXT | FACTY, TEXT | FACTY, st.data())
def test_change_spans_lie_inside_their_block_for_any_text(original: str, copy: str, data) -> None:
    o1 = data.draw(st.integers(0, len(original)))
    o2 = data.draw(st.integers(o1, len(original)))
    c1 = data.draw(st.integers(0, len(copy)))
    c2 = data.draw(st.integers(c1, len(copy)))
    _check_spans(original, copy, Block(Relation.EDITED, (o1, o2), (c1, c2), 0.5))


@SETTINGS
@given(FACTY, st.sampled_from([("12", "21"), ("not ", ""), ("Tuesday", "Friday"), ("Schiff", "Shift")]))
def test_changes_of_an_aligned_pair_lie_inside_their_blocks(original: str, swap: tuple[str, str]) -> None:
    copy = original.replace(*swap)
    result = align(original, copy)
    for change in result.changes:
        block = result.blocks[change.block]
        assert block.kind.derived
        assert block.original[0] <= change.original[0] <= change.original[1] <= block.original[1]
        assert block.copy[0] <= change.copy[0] <= change.copy[1] <= block.copy[1]


def test_a_block_without_both_spans_has_no_changes() -> None:
    assert find_changes("a b c", "a b c", Block(Relation.INSERTED, None, (0, 5), None), 0) == []


def _own_regex_tokens(text: str) -> list[tuple[int, int]]:
    """The detector's tokens the slow obvious way: its own word pattern, glued strings split."""
    out = []
    for match in facts_doc._TOKEN.finditer(text):
        word, offset = match.group(), match.start()
        pieces = facts_doc._GLUE.split(word) if facts_doc._forms(word)[3] & facts_doc.GLUED else [word]
        for piece in pieces:
            out.append((offset, offset + len(piece)))
            offset += len(piece)
    return out


@SETTINGS
@given(TEXT | FACTY | st.sampled_from(["U.S.Army at 22:00", "J.R.R.Tolkien's 12:30pm\u2019s", "1:23aBc x.Y.z."]))
def test_tokens_read_from_the_engine_are_the_detectors_own(text: str) -> None:
    doc = facts_doc.analyse(text, tokenize(text), split_paragraphs(text))
    assert list(zip(doc.starts, doc.ends, strict=True)) == _own_regex_tokens(text)


@SETTINGS
@given(FACTY, st.sampled_from([("12", "21"), ("not ", ""), ("Tuesday", "Friday"), ("Schiff", "Shift")]))
def test_the_pair_read_once_finds_what_each_block_read_alone_finds(original: str, swap: tuple[str, str]) -> None:
    copy = original.replace(*swap)
    result = align(original, copy)
    alone = [change for index, block in enumerate(result.blocks) if block.kind.derived
             for change in find_changes(original, copy, block, index)]
    assert list(result.changes) == alone


# ------------------------------------------------------------------ the seed --
def _touches(a: list[int] | tuple[int, int], b: list[int] | tuple[int, int]) -> bool:
    """score.py's overlap rule (empty spans count when their point lies inside the other)."""
    if a[0] == a[1] and b[0] == b[1]:
        return a[0] == b[0]
    if a[0] == a[1]:
        return b[0] <= a[0] <= b[1]
    if b[0] == b[1]:
        return a[0] <= b[0] <= a[1]
    return max(a[0], b[0]) < min(a[1], b[1])


@needs_shared()
def test_seed_pair_change_recall_and_precision() -> None:
    original, copy = read_text(SEED / "original.txt"), read_text(SEED / "copy.txt")
    truth = json.loads(read_text(SEED / "truth.json"))["changes"]
    predicted = align(original, copy).changes

    def hit(c: Change, t: dict) -> bool:
        return _touches(c.copy, t["copy"]) and _touches(c.original, t["original"])

    found = [t for t in truth if any(hit(c, t) for c in predicted)]
    good = [c for c in predicted if any(hit(c, t) for t in truth)]
    recall, precision = len(found) / len(truth), len(good) / max(len(predicted), 1)
    missed = [(t["kind"], t["original_text"][:40]) for t in truth if t not in found]
    extra = [(c.kind, c.original_text[:40], c.copy_text[:40]) for c in predicted if c not in good]
    assert recall >= 0.8, missed
    assert precision >= 0.7, extra


def test_the_same_amount_in_other_units_is_not_a_changed_number() -> None:
    original = "Harbour keeper Ada Lind kept the light burning for forty years before she retired."
    copy = "Harbour keeper Ada Lind kept the light burning for four decades before she retired."
    assert [c for c in align(original, copy).changes if c.kind == "number"] == []


def test_a_different_amount_in_other_units_is_a_changed_number() -> None:
    original = "Harbour keeper Ada Lind kept the light burning for forty years before she retired."
    copy = "Harbour keeper Ada Lind kept the light burning for three decades before she retired."
    changes = [c for c in align(original, copy).changes if c.kind == "number"]
    assert [(c.original_text, c.copy_text) for c in changes] == [("forty", "three")]


def test_a_month_after_as_early_as_is_a_date() -> None:
    original = "Council leader Maren Achterberg said work could begin as early as March."
    copy = "Council leader Maren Achterberg said work could start in April."
    changes = [(c.kind, c.original_text, c.copy_text) for c in align(original, copy).changes]
    assert changes == [("date", "March", "April")]


def test_injected_text_inside_a_quotation_does_not_make_it_a_misquote() -> None:
    from app.align import align

    quote = ("\u201cWe have not been able to staff two units safely for several years. Mothers and babies "
             "are safer in one well-staffed unit than in two that are stretched,\u201d Dr Farah Quilliam said.")
    copy = quote.replace("several years. ", "several years. ADVERTISEMENT ")
    result = align(quote, copy)
    injected = [copy[b.copy[0]:b.copy[1]] for b in result.blocks if b.parent is not None]
    assert injected == ["ADVERTISEMENT"]
    assert [change.kind for change in result.changes] == []
