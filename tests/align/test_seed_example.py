"""The defining example: a real content-farm copy, labelled in ../shared (read by path)."""

from __future__ import annotations

import json

import pytest

from app.align import Relation, align
from tests.conftest import SEED, needs_shared, read_text

pytestmark = needs_shared()


@pytest.fixture(scope="module")
def seed() -> tuple[str, str, dict]:
    truth = json.loads(read_text(SEED / "truth.json"))
    return read_text(SEED / "original.txt"), read_text(SEED / "copy.txt"), truth


def predicted_links(result, truth: dict) -> set[tuple[int, int]]:
    """The scorer's rule: a block links paragraphs it overlaps by 30% of the shorter span."""
    def hits(span, paragraphs):
        return [i for i, (s, e) in enumerate(paragraphs)
                if e > s and max(0, min(span[1], e) - max(span[0], s)) / min(span[1] - span[0], e - s) >= 0.3]
    links = set()
    for block in result.blocks:
        if block.kind.derived:
            for c in hits(block.copy, truth["copy"]["paragraphs"]):
                for o in hits(block.original, truth["original"]["paragraphs"]):
                    links.add((c, o))
    return links


def test_seed_pair_links_reach_f1_of_at_least_0_9(seed) -> None:
    original, copy, truth = seed
    result = align(original, copy)
    expected = {(link["copy_paragraph"], link["original_paragraph"]) for link in truth["links"]}
    got = predicted_links(result, truth)
    tp = len(got & expected)
    precision, recall = tp / len(got), tp / len(expected)
    f1 = 2 * precision * recall / (precision + recall)
    assert f1 >= 0.9, f"missing {sorted(expected - got)}, extra {sorted(got - expected)}"


def test_seed_pair_split_quote_is_one_block_from_its_paragraph(seed) -> None:
    original, copy, truth = seed
    result = align(original, copy)
    block = next(b for b in result.blocks if 5 in b.copy_paragraphs)
    assert block.copy_paragraphs == (5, 6) and block.original_paragraphs == (4,)


def test_seed_pair_source_link_tail_is_inserted_and_left_out_paragraphs_omitted(seed) -> None:
    original, copy, truth = seed
    result = align(original, copy)
    last = [b for b in result.blocks if b.parent is None and b.copy is not None][-1]
    assert last.kind is Relation.INSERTED
    assert copy[last.copy[0]:last.copy[1]] == "Source link"
    omitted = {b.original_paragraphs[0] for b in result.blocks if b.kind is Relation.OMITTED}
    assert omitted == {o["original_paragraph"] for o in truth["omitted"]}


def test_seed_pair_glued_link_text_is_marked_injected(seed) -> None:
    original, copy, truth = seed
    result = align(original, copy)
    injected = [b.copy for b in result.blocks if b.parent is not None]
    for label in (t for t in truth["inserted"] if t["type"] == "injected" and len(t["text"]) > 100):
        start, end = label["copy"]
        overlap = sum(max(0, min(end, e) - max(start, s)) for s, e in injected)
        assert overlap >= 0.6 * (end - start), label["text"][:40]


def test_seed_pair_offsets_index_the_texts(seed) -> None:
    original, copy, truth = seed
    result = align(original, copy)
    assert result.original_length == truth["original"]["length"] == len(original)
    assert result.copy_length == truth["copy"]["length"] == len(copy)
    for mine, theirs in zip(result.copy_paragraphs, truth["copy"]["paragraphs"], strict=True):
        assert copy[mine[0]:mine[1]].strip() == copy[theirs[0]:theirs[1]].strip()
