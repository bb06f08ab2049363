"""The compiled engine (``setup.py`` builds ``app/align`` with Cython): it is what runs where
it can be built, it aligns exactly as the Python source does, an edited source runs in place of
a compiled module built from an older one, and an install without a C compiler still works."""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

import app.align
from app.align import align, compiled_modules
from app.config import PROJECT_ROOT
from app.demo import DEMO_PAIRS, demo_corpus_text
from bench.synth import generate

ENGINE = PROJECT_ROOT / "app" / "align"
MODULES = sorted(path.stem for path in ENGINE.glob("*.py") if path.name != "__init__.py")
SEED = PROJECT_ROOT.parent / "shared" / "examples" / "seed-azerbaijan"


def _can_compile() -> bool:
    """A C compiler and Python's headers are at hand, so the build compiles the engine."""
    compiler = (sysconfig.get_config_var("CC") or "cc").split()[0]
    headers = Path(sysconfig.get_paths()["include"]) / "Python.h"
    return shutil.which(compiler) is not None and headers.exists()


def _without_python_switch(**extra: str) -> dict[str, str]:
    """This process's environment without ``COPYDESK_ENGINE`` (CI sets it for one run of the
    engine's tests), with ``extra`` added."""
    return {**{k: v for k, v in os.environ.items() if k != "COPYDESK_ENGINE"}, **extra}


def _run(code: str, *, path: Path | None = None, env: dict[str, str] | None = None) -> str:
    """Runs ``code`` in a new interpreter (with ``path`` first on its module path) and
    returns what it printed."""
    prelude = f"import sys; sys.path.insert(0, {str(path)!r})\n" if path else ""
    result = subprocess.run([sys.executable, "-c", prelude + code], capture_output=True, text=True,
                            env={**os.environ, **(env or {})}, cwd=PROJECT_ROOT, check=False, timeout=300)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_the_engine_runs_compiled_where_it_can_be_built() -> None:
    if os.environ.get("COPYDESK_ENGINE") == "python":
        assert compiled_modules() == []
        assert app.align.engine.__file__.endswith("engine.py")
        return
    if not _can_compile():
        pytest.skip("no C compiler or Python headers here: the engine runs as Python")
    assert compiled_modules() == MODULES, (
        "engine modules run from source: rebuild the engine (make test does; or "
        "`pip install --no-deps --editable .`)")


def test_the_python_switch_runs_every_module_from_its_source() -> None:
    out = _run("import app.align as a; from app.align import engine, seeds; "
               "print(a.compiled_modules(), engine.__file__, seeds.__file__)",
               env={"COPYDESK_ENGINE": "python"})
    assert out.startswith("[] ")
    assert out.split()[1:] == [str(ENGINE / "engine.py"), str(ENGINE / "seeds.py")]


# Pieces of odd text for the engines to agree on: curly and straight quotes, glued link text,
# dotted initials, clock times, figures, negations, breadcrumbs, CRLF and other line breaks.
ODD = ["The", "mayor", "said", "\u2018", "\u2019", "\u201c", "\u201d", '"', "'s", "not", "12", "21", "Kellmouth",
       "Ann", "Voss", ".", ",", " ", "\n\n", "\n", "\r\n", "governor\u2019s", "\u201890s", "March", "2024", "%",
       "$3", "million", "told", "according", "to", "\u00ab", "\u00bb", "U.S.", "10.15pm", "SchiffLone", "\u00e9",
       "\u03a9mega", "\x1e", "Dr.", "1,200", "percent", "didn't", "Port", "Council", "of", "the", "Source link", "MORE"]


def _odd_pairs(count: int) -> list[tuple[str, str]]:
    """Short pairs of odd text: a copy that is the original with a fifth of its pieces
    swapped, or (one in four) another text altogether."""
    rng = random.Random(907)
    pairs = []
    for _ in range(count):
        original = [rng.choice(ODD) for _ in range(rng.randint(0, 90))]
        copy = ([rng.choice(ODD) for _ in range(rng.randint(0, 90))] if rng.random() < 0.25 else
                [w if rng.random() > 0.2 else rng.choice(ODD) for w in original])
        pairs.append((" ".join(original), " ".join(copy)))
    return pairs


def _pairs() -> list[tuple[str, str]]:
    synth = generate(demo_corpus_text(), 3_000)
    pairs = [(synth.original, synth.copy)] + [(p.original.text, p.copy.text) for p in DEMO_PAIRS] + _odd_pairs(200)
    if SEED.is_dir():  # (absent in a user's checkout: the other pairs still compare)
        pairs.append(((SEED / "original.txt").read_text(encoding="utf-8"),
                      (SEED / "copy.txt").read_text(encoding="utf-8")))
    return pairs


def test_compiled_and_python_engines_give_the_same_alignments(tmp_path: Path) -> None:
    pairs = _pairs()
    (tmp_path / "pairs.json").write_text(json.dumps(pairs), encoding="utf-8")
    out = _run(
        "import json, app.align as a\n"
        f"pairs = json.load(open({str(tmp_path / 'pairs.json')!r}, encoding='utf-8'))\n"
        "print(json.dumps({'compiled': a.compiled_modules(),\n"
        "                  'alignments': [a.align(o, c).to_dict() for o, c in pairs]}))",
        env={"COPYDESK_ENGINE": "python"})
    source = json.loads(out)
    assert source["compiled"] == []
    here = [align(original, copy).to_dict() for original, copy in pairs]
    assert len(here) == len(pairs) >= 204
    assert all(alignment["blocks"] for alignment in here[:4]), "an alignment with no blocks compares nothing"
    for mine, theirs in zip(here, source["alignments"], strict=True):
        assert mine == theirs


def _engine_copy(tmp_path: Path) -> Path:
    """A copy of the ``app`` package's engine part (compiled modules and build record included)
    under ``tmp_path``, importable as ``app.align``."""
    (tmp_path / "app").mkdir()
    shutil.copy(PROJECT_ROOT / "app" / "__init__.py", tmp_path / "app" / "__init__.py")
    shutil.copytree(ENGINE, tmp_path / "app" / "align", ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path / "app" / "align"


def test_an_edited_source_runs_in_place_of_its_compiled_module(tmp_path: Path) -> None:
    engine = _engine_copy(tmp_path)
    words = engine / "words.py"
    words.write_text(words.read_text(encoding="utf-8") + "\nEDITED = True\n", encoding="utf-8")
    out = _run("import json, app.align as a; from app.align import words; "
               "print(json.dumps([a.compiled_modules(), words.__file__, words.EDITED, "
               "[b.kind.value for b in a.align('A first line of words.', 'A first line of words.').blocks]]))",
               path=tmp_path)
    compiled, words_file, edited, kinds = json.loads(out)
    assert words_file == str(words) and edited is True
    assert compiled == [m for m in compiled_modules() if m != "words"]  # (the others as built)
    assert kinds == ["verbatim"]


@pytest.mark.parametrize("record", [None, "not json", '{"modules": ["engine"]}', '{"built": {}}'],
                         ids=["missing", "not-json", "modules-not-a-mapping", "no-modules"])
def test_without_a_readable_build_record_every_module_runs_from_source(tmp_path: Path, record: str | None) -> None:
    engine = _engine_copy(tmp_path)
    (engine / "_compiled.json").unlink(missing_ok=True)
    if record is not None:
        (engine / "_compiled.json").write_text(record, encoding="utf-8")
    out = _run("import app.align as a; print(a.compiled_modules(), a.engine.__file__)", path=tmp_path)
    assert out.split() == ["[]", str(engine / "engine.py")]


def test_without_a_c_compiler_the_install_goes_on_and_the_engine_runs_as_python(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    for name in ("pyproject.toml", "setup.py", "README.md"):
        shutil.copy(PROJECT_ROOT / name, project / name)
    shutil.copytree(PROJECT_ROOT / "app", project / "app",
                    ignore=shutil.ignore_patterns("__pycache__", "*.so", "_compiled.json"))
    subprocess.run([sys.executable, "-m", "venv", str(tmp_path / "venv")], check=True, timeout=300)
    install = subprocess.run(
        [str(tmp_path / "venv" / "bin" / "python"), "-m", "pip", "install", "--quiet", "--no-deps",
         "--disable-pip-version-check", "--editable", str(project)],
        capture_output=True, text=True, env=_without_python_switch(CC="/bin/false"), check=False, timeout=600)

    assert install.returncode == 0, install.stderr[-3000:]
    assert json.loads((project / "app" / "align" / "_compiled.json").read_text(encoding="utf-8")) == {"modules": {}}
    assert not list((project / "app" / "align").glob("*.so"))
    out = _run("import app.align as a; print(a.compiled_modules(), a.align('Same words here.', 'Same words here.')"
               ".blocks[0].kind.value)", path=project)
    assert out.split() == ["[]", "verbatim"]
