"""The engine on small hand-made pairs: every relation it must recognise."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from app.align import DERIVED, FORMAT, Alignment, Options, Relation, align, summarise

P1 = "The city council approved the new harbour budget on Tuesday after a long debate."
P2 = "Mayor Ellen Voss said the vote would let the port hire forty inspectors by spring."
P3 = "Opposition members argued that the fishing fleet had not been consulted at all."
P4 = "Residents can read the full budget at the library on Market Street until May."
P5 = "Harbour master Ruud Keel warned that the old quay walls were crumbling fast."


def paras(*items: str) -> str:
    return "\n\n".join(items)


def kinds(result: Alignment) -> list[str]:
    return [b.kind.value for b in result.blocks if b.parent is None]


def test_identical_texts_give_only_verbatim_blocks() -> None:
    text = paras(P1, P2, P3)
    result = align(text, text)
    assert kinds(result) == ["verbatim"] * 3
    assert [b.score for b in result.blocks] == [1.0] * 3
    assert result.summary.original_reused == 1.0
    assert result.summary.copy_derived == 1.0


def test_whitespace_and_punctuation_differences_stay_verbatim() -> None:
    result = align(paras(P1), "The city council approved the new harbour budget, on Tuesday after a long debate!")
    assert kinds(result) == ["verbatim"]


def test_a_few_changed_words_make_an_edited_block_with_word_differences() -> None:
    copy = P2.replace("forty", "fifty").replace("spring", "summer")
    result = align(paras(P2), paras(copy))
    (block,) = result.blocks
    assert block.kind is Relation.EDITED
    assert 0.7 <= block.score < 1.0
    changed_copy = {copy[op.copy[0]:op.copy[1]] for op in block.diff if op.copy}
    changed_original = {P2[op.original[0]:op.original[1]] for op in block.diff if op.original}
    assert changed_copy == {"fifty", "summer"}
    assert changed_original == {"forty", "spring"}


def test_reworded_paragraph_is_paraphrased_and_still_linked() -> None:
    copy = ("On Tuesday, following lengthy debate, the new budget for the harbour "
            "was approved by the city council members.")
    result = align(paras(P1, P2), paras(copy))
    derived = [b for b in result.blocks if b.kind.derived]
    assert [(b.kind, b.original_paragraphs) for b in derived] == [(Relation.PARAPHRASED, (0,))]


def test_new_paragraph_is_inserted_and_dropped_one_is_omitted() -> None:
    ad = "Subscribe now to get unlimited access to all our premium journalism today."
    result = align(paras(P1, P2, P3), paras(P1, ad, P3))
    assert kinds(result) == ["verbatim", "omitted", "inserted", "verbatim"] or \
        kinds(result) == ["verbatim", "inserted", "omitted", "verbatim"]
    inserted = next(b for b in result.blocks if b.kind is Relation.INSERTED)
    assert inserted.original is None and inserted.copy_paragraphs == (1,)
    omitted = next(b for b in result.blocks if b.kind is Relation.OMITTED)
    assert omitted.copy is None and omitted.original_paragraphs == (1,)


def test_paragraph_split_in_two_is_one_block_with_a_note() -> None:
    first, second = P2.split(" said ")
    copy = paras(P1, first + " said:", second)
    result = align(paras(P1, P2), copy)
    block = result.blocks[1]
    assert block.original_paragraphs == (1,)
    assert block.copy_paragraphs == (1, 2)
    assert block.note == "split into 2 paragraphs"


def test_two_paragraphs_merged_into_one_are_one_block_with_a_note() -> None:
    copy = paras(P1, P2 + " " + P3)
    result = align(paras(P1, P2, P3), copy)
    block = result.blocks[1]
    assert block.original_paragraphs == (1, 2)
    assert block.copy_paragraphs == (1,)
    assert block.note == "merged from 2 paragraphs"


def test_moved_paragraph_is_found_and_says_where_it_came_from() -> None:
    result = align(paras(P1, P2, P3, P4, P5), paras(P5, P1, P2, P3, P4))
    links = [(b.copy_paragraphs, b.original_paragraphs, b.moved) for b in result.blocks]
    assert links == [((0,), (4,), True), ((1,), (0,), False), ((2,), (1,), False),
                     ((3,), (2,), False), ((4,), (3,), False)]
    assert result.blocks[0].note == "moved from paragraph 5"


def test_injected_link_text_inside_a_copied_paragraph_is_an_inserted_child_block() -> None:
    junk = "Lone Wolf actor Rudy Marsh poses the greatest threat to the galaxy says cosmic fan club MORE"
    copy = paras(P1, P2.replace("Voss said", "Voss" + junk + " said"))
    result = align(paras(P1, P2), copy)
    parent_index = next(i for i, b in enumerate(result.blocks) if b.copy_paragraphs == (1,) and b.kind.derived)
    assert result.blocks[parent_index].kind is Relation.VERBATIM
    children = result.children(parent_index)
    assert len(children) == 1
    child = children[0]
    assert child.kind is Relation.INSERTED and child.parent == parent_index
    assert copy[child.copy[0]:child.copy[1]] == junk
    assert result.summary.counts["injected"] == 1


def test_summary_counts_shares_of_non_whitespace_characters() -> None:
    result = align(paras(P1, P2), paras(P1))
    expected = len(P1.replace(" ", "")) / (len(P1.replace(" ", "")) + len(P2.replace(" ", "")))
    assert result.summary.original_reused == pytest.approx(expected, abs=1e-3)
    assert result.summary.copy_derived == 1.0
    assert result.summary.counts == {"verbatim": 1, "edited": 0, "paraphrased": 0, "inserted": 0,
                                     "omitted": 1, "injected": 0}


def test_unrelated_texts_share_no_derived_block() -> None:
    other = paras("Quarterly results of the textile firm beat every forecast made in January.",
                  "Analysts expect the new looms to double output before the autumn fair opens.")
    result = align(paras(P1, P2, P3), other)
    assert not [b for b in result.blocks if b.kind in DERIVED]
    assert result.summary.copy_derived == 0.0


def test_empty_texts_give_an_empty_alignment() -> None:
    result = align("", "")
    assert result.blocks == () and result.original_paragraphs == () and result.copy_paragraphs == ()


def test_to_dict_follows_the_contract_and_round_trips() -> None:
    result = align(paras(P1, P2, P3), paras(P3, P1 + " MORE", "Source link"))
    data = json.loads(json.dumps(result.to_dict()))
    assert data["format"] == FORMAT
    assert set(data) >= {"format", "original", "copy", "blocks", "changes", "summary"}
    assert data["original"] == {"length": len(paras(P1, P2, P3)),
                                "paragraphs": [list(p) for p in result.original_paragraphs]}
    for block in data["blocks"]:
        assert set(block) >= {"kind", "original", "copy", "score"}
    assert set(data["summary"]) >= {"original_reused", "copy_derived"}
    assert Alignment.from_dict(data) == result


def test_from_dict_refuses_another_format() -> None:
    with pytest.raises(ValueError, match="not a copydesk.alignment/1 document"):
        Alignment.from_dict({"format": "something/2"})


def test_options_are_validated() -> None:
    with pytest.raises(ValueError, match="min_similarity"):
        Options(min_similarity=1.5)
    with pytest.raises(ValueError, match="injected_min_words"):
        Options(injected_min_words=0)


def test_a_higher_minimum_similarity_links_less() -> None:
    copy = ("On Tuesday, following lengthy debate, the new budget for the harbour "
            "was approved by the city council members.")
    loose = align(paras(P1), copy)
    strict = align(paras(P1), copy, options=Options(min_similarity=0.9, rescue_similarity=0.9))
    assert [b.kind for b in loose.blocks if b.parent is None] == [Relation.PARAPHRASED]
    assert [b.kind for b in strict.blocks] == [Relation.OMITTED, Relation.INSERTED] or \
        [b.kind for b in strict.blocks] == [Relation.INSERTED, Relation.OMITTED]


def test_engine_imports_no_web_framework_and_no_database() -> None:
    code = (
        "import sys, app.align as a\n"
        "a.align('One two three four five.', 'One two three four five.')\n"
        "bad = [m for m in ('fastapi', 'starlette', 'sqlalchemy', 'jinja2', 'pydantic') if m in sys.modules]\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_quotations_not_counted_as_copied_leave_quoted_text_out_of_the_figures() -> None:
    quote = '“We will rebuild the harbour wall before winter,” the mayor said on Friday morning.'
    own = "Residents of the old quarter gathered outside the town hall to hear the plans read aloud."
    original = paras(P1, quote)
    copy = paras(P1, quote, own)
    with_quotes = align(original, copy).summary
    without = align(original, copy, options=Options(quotes_copied=False)).summary
    assert without.copy_derived < with_quotes.copy_derived
    kept = len(P1.replace(" ", "")) + len("the mayor said on Friday morning.".replace(" ", "")) + 2
    total = kept + len(own.replace(" ", ""))
    assert without.copy_derived == pytest.approx(kept / total, abs=1e-3)


def test_stripping_injected_text_raises_the_share_of_the_copy_that_is_derived() -> None:
    junk = "Lone Wolf actor Rudy Marsh poses the greatest threat to the galaxy says cosmic fan club MORE"
    copy = paras(P1, P2.replace("Voss said", "Voss" + junk + " said"))
    result = align(paras(P1, P2), copy)
    stripped = summarise(paras(P1, P2), copy, result.blocks, strip_injected=True)
    assert result.summary.copy_derived < stripped.copy_derived == 1.0


def test_a_copy_pasted_one_paragraph_to_a_line_is_aligned_paragraph_by_paragraph() -> None:
    # No blank lines, but every line a whole paragraph: not a hard-wrapped text to treat as one
    # passage, an article whose paragraphs each have their own source.
    paragraphs = [
        P1 + " The vote came after months of delay and two public hearings in the town hall.",
        P2 + " She added that the first of them would start work on the eastern quay in April.",
        P3 + " Their spokesman called the process rushed and promised to appeal the decision.",
        P5 + " Repairs to the walls were not part of the budget approved this week, he said.",
    ]
    copy = "\n".join(p.replace("said", "stated") for p in paragraphs)
    result = align(paras(*paragraphs), copy)
    derived = [b for b in result.blocks if b.kind.derived]
    assert [(b.original_paragraphs, b.copy_paragraphs) for b in derived] == [((k,), (k,)) for k in range(4)]


def test_align_leaves_the_garbage_collector_as_it_found_it(monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    assert gc.isenabled()
    align(paras(P1), paras(P1))
    assert gc.isenabled()
    gc.disable()
    try:
        align(paras(P1), paras(P1))
        assert not gc.isenabled()
    finally:
        gc.enable()
    def broken(text: str) -> None:
        raise RuntimeError("segmenting failed")

    monkeypatch.setattr("app.align.engine.segment", broken)
    with pytest.raises(RuntimeError):
        align(paras(P1), paras(P1))
    assert gc.isenabled()


def test_summary_figures_count_every_kind_of_whitespace_as_whitespace() -> None:
    import re

    from app.align.engine import _SPACES, _count_union

    everything = [chr(c) for c in range(sys.maxunicode + 1)]
    assert list(_SPACES) == [c for c in everything if c.isspace()] == [c for c in everything if re.match(r"\s", c)]
    text = "Tab\there,\u00a0no-break\u2009thin\r\nand\u3000ideographic."
    assert _count_union(text, [(0, len(text))]) == len("".join(text.split()))
    assert _count_union(text, [(5, 20), (0, 3), (10, 12)]) == len("".join((text[0:3] + " " + text[5:20]).split()))


def test_seed_keys_come_in_the_sentences_order_whatever_the_string_hashing() -> None:
    """The keys' order decides which keys a sentence with few rare ones ranks first, and the
    order its candidates' scores are added up in: it must not change from one process to the
    next (a set's order follows Python's per-process string hashing)."""
    from app.align.seeds import _sentence_keys
    from app.align.units import segment

    doc = segment("Harbour cranes stand idle at the harbour. Old cranes rust slowly.")
    keys = [list(k) for k in _sentence_keys(doc)]
    assert keys == [["harbour", "cran", "stand", "idl", "at", "the", "harbour cran", "cran stand", "stand idl",
                     "idl at", "at the", "the harbour"],
                    ["old", "cran", "rust", "slowly", "old cran", "cran rust", "rust slowly"]]
    script = ("import json, sys; sys.path.insert(0, '.'); from app.align import align; "
              "print(json.dumps(align(sys.argv[1], sys.argv[2]).to_dict(), sort_keys=True))")
    original = " ".join(f"Ward {w} votes on the plan at dawn." for w in "abcdefghij") + "\n\nThe plan at dawn."
    copy = "The ward votes on the plan at dawn.\n\nA plan at dawn."
    outputs = {subprocess.run([sys.executable, "-c", script, original, copy], capture_output=True, text=True,
                              check=True, env={**os.environ, "PYTHONHASHSEED": str(seed)}).stdout
               for seed in (1, 2, 3)}
    assert len(outputs) == 1
