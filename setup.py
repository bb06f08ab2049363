"""Build step of the alignment engine: its modules (``app/align``) compiled with Cython.

The project's metadata lives in ``pyproject.toml``; this file only adds the compiled engine.
Cython compiles the engine's plain Python as it is (no Cython-only syntax, so the same files
run as Python): the compiled modules give the same output, about 15 % faster (see the
README). Each module is optional: without a C compiler or Python's headers the install goes
on and the engine runs as Python. ``COPYDESK_ENGINE=python`` skips the build.

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
        self.built: set[str] = set()
        super().run()
        # (what the install copies is what this command lists: the modules that were built)
        self.extensions = [ext for ext in self.extensions if ext.name in self.built]
        folder = Path(self.get_ext_fullpath(f"{PACKAGE}.engine")).parent
        folder.mkdir(parents=True, exist_ok=True)
        # (only the modules built or up to date in this run: a compiled file left by an older
        # build of a module that failed now is not listed, so its source runs)
        built = {path.stem: source_digest(path) for path in engine_modules() if f"{PACKAGE}.{path.stem}" in self.built}
        (folder / MANIFEST).write_text(json.dumps({"modules": built}, indent=1, sort_keys=True) + "\n")

    def build_extension(self, ext) -> None:  # (ext: setuptools' Extension)
        # Each module is optional. (distutils' own filter for optional extensions misses the
        # compiler errors of recent setuptools, which raise a CompileError of another class.)
        try:
            super().build_extension(ext)
        except Exception as error:  # (whatever failed, the module stays Python)
            self.warn(f"{ext.name} is not compiled and runs as Python: {error}")
            return
        self.built.add(ext.name)


def extensions() -> list:
    if os.environ.get("COPYDESK_ENGINE") == "python":
        return []
    from Cython.Build import cythonize
    from setuptools import Extension

    # (no debug symbols: they double the compile time and nobody steps through the C)
    modules = [Extension(f"{PACKAGE}.{path.stem}", [str(path.relative_to(SOURCES.parent.parent))],
                         extra_compile_args=["-g0", "-O2"])
               for path in engine_modules()]
    built = cythonize(
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
    for ext in built:  # (set here: cythonize makes new extensions, without this flag)
        ext.optional = True  # an install in place copies only the modules that were built
    return built


setup(ext_modules=extensions(), cmdclass={"build_ext": BuildEngine})
