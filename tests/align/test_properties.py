"""Properties that hold for any input: spans in range, coverage, verbatim identity, reordering."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from app.align import Alignment, Relation, align

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=3, max_size=9)
SENTENCE = st.lists(WORD, min_size=5, max_size=14).map(lambda ws: " ".join(ws).capitalize() + ".")
PARAGRAPH = st.lists(SENTENCE, min_size=1, max_size=3).map(" ".join)
ANY_TEXT = st.text(max_size=400)
SEPARATOR = st.sampled_from(["\n\n", "\r\n\r\n", "\n \n", "\n\n\n", "\u2029", "\n"])


def check_invariants(original: str, copy: str, result: Alignment) -> None:
    assert result.original_length == len(original)
    assert result.copy_length == len(copy)
    for text, spans in ((original, result.original_paragraphs), (copy, result.copy_paragraphs)):
        previous_end = 0
        for start, end in spans:
            assert previous_end <= start < end <= len(text)
            assert not text[start].isspace() and not text[end - 1].isspace()
            previous_end = end
    covered: list[int] = []
    for index, block in enumerate(result.blocks):
        for span, length in ((block.original, len(original)), (block.copy, len(copy))):
            if span is not None:
                assert 0 <= span[0] <= span[1] <= length
        if block.kind.derived:
            assert block.original is not None and block.copy is not None
            assert block.score is not None and 0.0 <= block.score <= 1.0
        if block.kind is Relation.INSERTED:
            assert block.copy is not None and block.original is None
        if block.kind is Relation.OMITTED:
            assert block.original is not None and block.copy is None
        if block.parent is None:
            covered.extend(block.copy_paragraphs)
        else:
            parent = result.blocks[block.parent]
            assert parent.kind.derived and block.kind is Relation.INSERTED
            assert parent.copy[0] <= block.copy[0] <= block.copy[1] <= parent.copy[1]
            assert block.parent < index
        for op in block.diff:
            if op.original is not None:
                assert block.original[0] <= op.original[0] <= op.original[1] <= block.original[1]
            if op.copy is not None:
                assert block.copy[0] <= op.copy[0] <= op.copy[1] <= block.copy[1]
    # Every copy paragraph lies in a row, and rows never overlap in the copy. (A paragraph may
    # lie in two rows: a derived run of its sentences, and the copier's own text around it.)
    assert set(covered) == set(range(len(result.copy_paragraphs)))
    rows = sorted(b.copy for b in result.blocks if b.parent is None and b.copy is not None)
    for (_, end), (start, _) in zip(rows, rows[1:]):
        assert end <= start
    used = {o for b in result.blocks for o in b.original_paragraphs}
    assert used == set(range(len(result.original_paragraphs)))
    # A derived row names the paragraphs its spans reach.
    for block in result.blocks:
        if block.kind.derived and block.parent is None:
            assert block.original_paragraphs == spanned(result.original_paragraphs, block.original)
            assert block.copy_paragraphs == spanned(result.copy_paragraphs, block.copy)
    for figure in (result.summary.original_reused, result.summary.copy_derived):
        assert 0.0 <= figure <= 1.0


def spanned(paragraphs: tuple[tuple[int, int], ...], span: tuple[int, int]) -> tuple[int, ...]:
    return tuple(k for k, (start, end) in enumerate(paragraphs) if start < span[1] and end > span[0])


@SETTINGS
@given(ANY_TEXT, ANY_TEXT)
# Found by hypothesis: "\x1e" ends a line, so each text has lines for paragraphs, and a
# passage joined over the middle line must name it (it was in no row); a passage cut to its
# supported words must not name a line it no longer reaches.
@example("0\x1e1\r0", "0\r0")
@example("0", "0\x1e1\r0")
@example("Aaa aaa aaa aaa aaa aaa aaa aaa.",
         "Aaa aaa aaaa aaaa aaaa aaaa aaaa.\u2029aa\u2029Aaa aaa aaa aaa aaa aaa aaa aaa.")
def test_any_unicode_text_aligns_with_spans_in_range(original: str, copy: str) -> None:
    check_invariants(original, copy, align(original, copy))


@SETTINGS
@given(st.lists(PARAGRAPH, min_size=1, max_size=6), SEPARATOR)
def test_identical_texts_give_only_verbatim_blocks(paragraphs: list[str], separator: str) -> None:
    text = separator.join(paragraphs)
    result = align(text, text)
    check_invariants(text, text, result)
    assert {b.kind for b in result.blocks} == {Relation.VERBATIM}


@SETTINGS
@given(st.lists(PARAGRAPH, min_size=2, max_size=7, unique=True), st.randoms(use_true_random=False))
def test_reordered_paragraphs_are_still_found(paragraphs: list[str], rnd: random.Random) -> None:
    order = list(range(len(paragraphs)))
    rnd.shuffle(order)
    original = "\n\n".join(paragraphs)
    copy = "\n\n".join(paragraphs[i] for i in order)
    result = align(original, copy)
    check_invariants(original, copy, result)
    found = {b.copy_paragraphs[0]: b.original_paragraphs for b in result.blocks if b.kind.derived}
    for copy_index, original_index in enumerate(order):
        if paragraphs.count(paragraphs[original_index]) == 1:
            assert original_index in found.get(copy_index, ())


@SETTINGS
@given(st.lists(PARAGRAPH, min_size=1, max_size=5), st.lists(PARAGRAPH, min_size=1, max_size=5),
       st.sampled_from([" ", "\n", "\r\n", "\n\n  \t", "\u00a0"]))
def test_trailing_whitespace_changes_nothing(original_paras: list[str], copy_paras: list[str],
                                             tail: str) -> None:
    original = "\n\n".join(original_paras)
    copy = "\n\n".join(copy_paras + original_paras[:2])
    plain = align(original, copy)
    padded = align(original + tail, copy + tail)
    assert [b.to_dict() for b in padded.blocks] == [b.to_dict() for b in plain.blocks]


@SETTINGS
@given(st.lists(PARAGRAPH, min_size=1, max_size=5))
def test_windows_line_breaks_keep_offsets_exact(paragraphs: list[str]) -> None:
    unix = "\n\n".join(p.replace(". ", ".\n") for p in paragraphs)
    windows = unix.replace("\n", "\r\n")
    unix_result, windows_result = align(unix, unix), align(windows, windows)
    check_invariants(windows, windows, windows_result)
    assert [windows[s:e].replace("\r\n", "\n") for s, e in windows_result.original_paragraphs] == \
        [unix[s:e] for s, e in unix_result.original_paragraphs]
    assert [b.kind for b in windows_result.blocks] == [b.kind for b in unix_result.blocks]
