"""pytest set-up for the whole checkout (the fixtures are in ``tests/conftest.py``).

The engine's modules usually run compiled (``setup.py``). Collecting their doctests, pytest
imports ``app.align.text`` and finds that its ``__file__`` is the compiled file, not the
``text.py`` it collected, and would refuse it as another module of the same name. It is the
same module, built from that very source (``app.align`` loads a compiled module only then), so
pytest's check is off while it collects the engine's doctests, and only then.
"""

from __future__ import annotations

import os
from collections.abc import Generator
from pathlib import Path

import pytest

ENGINE = Path(__file__).resolve().parent / "app" / "align"
_IGNORE_MISMATCH = "PY_IGNORE_IMPORTMISMATCH"  # (read by pytest each time it imports a file)


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> Generator[None, pytest.CollectReport, pytest.CollectReport]:
    # (no test lives in the engine's folder: a file collected there is one of its modules)
    if not (isinstance(collector, pytest.File) and collector.path.parent == ENGINE):
        return (yield)
    before = os.environ.get(_IGNORE_MISMATCH)
    os.environ[_IGNORE_MISMATCH] = "1"
    try:
        return (yield)
    finally:
        if before is None:
            del os.environ[_IGNORE_MISMATCH]
        else:
            os.environ[_IGNORE_MISMATCH] = before
