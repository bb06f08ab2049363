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
