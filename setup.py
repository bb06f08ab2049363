"""Build step of the alignment engine: its modules (``app/align``) compiled with Cython.

The project's metadata lives in ``pyproject.toml``; this file only adds the compiled engine.
Cython compiles the engine's plain Python as it is (no Cython-only syntax, so the same files
run as Python): the compiled modules give the same output, about an eighth faster (see the
README). Each extension is optional: without a C compiler or Python's headers the install
goes on and the engine runs as Python. ``COPYDESK_ENGINE=python`` skips the build.

Next to the compiled modules the build writes ``_compiled.json``: the SHA-256 of each source
it compiled. ``app.align`` loads a compiled module only while its source still has that
digest, so an edited engine file runs as written until the next install rebuilds it.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from setuptools import setup
from setuptools.command.build_ext import build_ext

PACKAGE = "app.align"
SOURCES = Path(__file__).resolve().parent / "app" / "align"
MANIFEST = "_compiled.json"


def engine_modules() -> list[Path]:
    """The engine's modules to compile: all but the package's ``__init__``, which chooses
    between compiled and source modules and so must stay Python."""
    return sorted(path for path in SOURCES.glob("*.py") if path.name != "__init__.py")


def source_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class BuildEngine(build_ext):
    """``build_ext`` that records which sources its compiled modules were built from."""

    def finalize_options(self) -> None:
        super().finalize_options()
        if not self.parallel:  # (one compiler per core: the C of a module is about 1 MB)
            self.parallel = os.cpu_count() or 1

    def run(self) -> None:
        super().run()
        built: dict[str, str] = {}
        folder = None
        for path in engine_modules():
            target = Path(self.get_ext_fullpath(f"{PACKAGE}.{path.stem}"))
            folder = target.parent
            if target.exists():  # (an optional extension that failed to build is missing)
                built[path.stem] = source_digest(path)
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)
            (folder / MANIFEST).write_text(json.dumps({"modules": built}, indent=1, sort_keys=True) + "\n")


def extensions() -> list:
    if os.environ.get("COPYDESK_ENGINE") == "python":
        return []
    from Cython.Build import cythonize
    from setuptools import Extension

    # (no debug symbols: they double the compile time and nobody steps through the C)
    modules = [Extension(f"{PACKAGE}.{path.stem}", [str(path.relative_to(SOURCES.parent.parent))], optional=True,
                         extra_compile_args=["-g0", "-O2"])
               for path in engine_modules()]
    return cythonize(
        modules,
        build_dir="build/cython",
        language_level=3,
        quiet=True,
        nthreads=os.cpu_count() or 1,
        compiler_directives={
            # annotations document types; they are not C types, nor checked at run time
            "annotation_typing": False,
            # functions keep Python's behaviour: introspection, docstrings for doctest
            "binding": True,
            # (doctest reads the docstrings from the functions themselves; without this
            # each one is collected twice)
            "autotestdict": False,
        },
    )


setup(ext_modules=extensions(), cmdclass={"build_ext": BuildEngine})
