"""`make bench` runs end to end (small sizes): the speed table names the interpreter and the engine
build it timed and holds a copydesk and a difflib row for each pair, next to the floor."""

from __future__ import annotations

import platform

import pytest

from app.align import compiled_modules
from bench.run import main


def test_bench_prints_the_interpreter_and_a_row_per_aligner(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--no-quality", "--words", "2000", "--runs", "1"]) == 0
    out = capsys.readouterr().out
    assert f"Python {platform.python_version()} (CPython, " in out
    expected = "engine: compiled with Cython (" if compiled_modules() else "engine: Python source"
    assert expected in out
    rows = [line for line in out.splitlines() if line.startswith("generated 2,000 words")]
    assert [row.split()[4] for row in rows] == ["copydesk", "difflib"]
    assert "floor" in out
