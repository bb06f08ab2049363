"""The engine on the PAN 2013 text-alignment subset in ../shared (read by path, never copied):
the issue's plagdet targets per obfuscation category, and no reuse found where there is none.

The figures are computed with ../shared/tools/score.py's own functions (through bench/run.py,
which `make bench` prints them with), so a change that costs quality fails here, not only in
the benchmark."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bench.run import copydesk, load_scorer, score_set
from tests.conftest import SHARED, needs_shared

pytestmark = needs_shared()

TARGETS = {"02-no-obfuscation": 0.93, "03-random-obfuscation": 0.89, "04-translation-obfuscation": 0.89,
           "05-summary-obfuscation": 0.60}


@pytest.fixture(scope="module")
def pan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pan")
    subprocess.run([sys.executable, str(SHARED / "tools" / "pan_pairs.py"), "--out", str(out)], check=True,
                   capture_output=True)
    return out


@pytest.mark.parametrize("category", sorted(TARGETS))
def test_plagdet_reaches_the_target(pan: Path, category: str) -> None:
    figures = score_set(load_scorer(), pan / category, copydesk)
    assert figures["pairs"] > 0
    assert figures["plagdet"] >= TARGETS[category], figures


def test_documents_without_reuse_get_no_derived_text(pan: Path) -> None:
    figures = score_set(load_scorer(), pan / "01-no-plagiarism", copydesk)
    assert figures["negatives"] == figures["pairs"] > 0
    assert figures["negative_cover"] <= 0.01, figures


# Pairs where the engine joins pieces of one passage over lines of their own (each line is a
# paragraph of a text without blank lines), or cuts a side to the words the other supports:
# the row must name the lines its spans reach (a line between two pieces was once in no row).
# (Rows here follow passages, which start and end inside lines, so a line may also be in the
# row of the text before a passage.)
JOINED_OVER_LINES = ["02-no-obfuscation/suspicious-document00455-source-document02817",
                     "02-no-obfuscation/suspicious-document01061-source-document00856",
                     "03-random-obfuscation/suspicious-document00641-source-document00815",
                     "04-translation-obfuscation/suspicious-document00139-source-document00124"]


@pytest.mark.parametrize("name", JOINED_OVER_LINES)
def test_passage_rows_name_the_lines_they_reach_and_leave_none_out(pan: Path, name: str) -> None:
    from app.align import align
    from tests.align.test_properties import spanned

    original = (pan / name / "original.txt").read_text(encoding="utf-8")
    copy = (pan / name / "copy.txt").read_text(encoding="utf-8")
    result = align(original, copy)
    assert {o for b in result.blocks for o in b.original_paragraphs} == set(range(len(result.original_paragraphs)))
    assert {c for b in result.blocks for c in b.copy_paragraphs} == set(range(len(result.copy_paragraphs)))
    derived = [b for b in result.blocks if b.kind.derived]
    assert derived
    for block in derived:
        assert block.original_paragraphs == spanned(result.original_paragraphs, block.original)
        assert block.copy_paragraphs == spanned(result.copy_paragraphs, block.copy)
