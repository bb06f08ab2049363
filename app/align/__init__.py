"""The alignment engine: which parts of a copy come from which parts of an original.

Standard library and rapidfuzz only; no web framework, no database.

The modules may run compiled (``setup.py`` builds them with Cython where a C compiler is at
hand). This package's own code loads a compiled module only while it was built from the
source as it is now, and never with ``COPYDESK_ENGINE=python``; otherwise the source runs.

>>> result = align("One paragraph here.\\n\\nAnother one.", "One paragraph here.")
>>> [b.kind.value for b in result.blocks]
['verbatim', 'omitted']
"""

import hashlib
import json
import os
import sys
from importlib import import_module
from importlib.abc import MetaPathFinder
from importlib.machinery import ModuleSpec
from importlib.util import spec_from_file_location
from pathlib import Path

_HERE = Path(__file__).resolve().parent
# The engine's modules, by name: every one may run compiled or from its source.
MODULES: tuple[str, ...] = tuple(sorted(path.stem for path in _HERE.glob("*.py") if path.name != "__init__.py"))


class _SourceFirst(MetaPathFinder):
    """Loads the engine modules named from their Python source, past any compiled module."""

    def __init__(self, stems: frozenset[str]) -> None:
        self.stems = stems

    def find_spec(self, fullname: str, path: object = None, target: object = None) -> ModuleSpec | None:
        package, _, stem = fullname.rpartition(".")
        if package != __name__ or stem not in self.stems:
            return None
        return spec_from_file_location(fullname, _HERE / f"{stem}.py")


def _stale_or_uncompiled() -> frozenset[str]:
    """The engine modules to load from source: those the build (``setup.py``) did not compile
    from their source as it is now, or all of them with ``COPYDESK_ENGINE=python``."""
    stems = frozenset(MODULES)
    if os.environ.get("COPYDESK_ENGINE") == "python":
        return stems
    try:
        built = json.loads((_HERE / "_compiled.json").read_text(encoding="utf-8"))["modules"]
    except (OSError, ValueError, KeyError, TypeError):
        return stems  # never compiled
    if not isinstance(built, dict):
        return stems  # (a record this code did not write)
    return frozenset(stem for stem in stems
                     if built.get(stem) != hashlib.sha256((_HERE / f"{stem}.py").read_bytes()).hexdigest())


def compiled_modules() -> list[str]:
    """The engine modules that run compiled, by name: all of them after a build with a C
    compiler at hand, none when the engine runs as Python."""
    return [stem for stem in MODULES if not str(import_module(f"{__name__}.{stem}").__file__).endswith(".py")]


_SOURCE = _stale_or_uncompiled()
if _SOURCE:
    sys.meta_path.insert(0, _SourceFirst(_SOURCE))

from app.align.engine import ENGINE_VERSION, Options, align, summarise
from app.align.model import (
    CHANGE_KINDS,
    DERIVED,
    FORMAT,
    Alignment,
    Block,
    Change,
    Relation,
    Span,
    Summary,
    WordOp,
)
from app.align.text import split_paragraphs

__all__ = [
    "CHANGE_KINDS",
    "DERIVED",
    "ENGINE_VERSION",
    "FORMAT",
    "MODULES",
    "Alignment",
    "Block",
    "Change",
    "Options",
    "Relation",
    "Span",
    "Summary",
    "WordOp",
    "align",
    "compiled_modules",
    "summarise",
    "split_paragraphs",
]
