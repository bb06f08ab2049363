"""The dependency rules of STYLE.md: what each layer of ``app`` may import, and house habits."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from app.config import PROJECT_ROOT

APP = PROJECT_ROOT / "app"
FRAMEWORKS = ("fastapi", "starlette", "sqlalchemy", "jinja2", "pydantic", "pydantic_settings",
              "alembic", "uvicorn")
MODULES = sorted(path for path in APP.rglob("*.py") if "__pycache__" not in path.parts)


def module_name(path: Path) -> str:
    parts = path.relative_to(PROJECT_ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path) -> set[str]:
    """Every module ``path`` imports, anywhere in the file, relative imports made absolute."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def modules_under(package: str) -> list[Path]:
    return [path for path in MODULES if module_name(path) == package
            or module_name(path).startswith(package + ".")]


def fresh_interpreter(code: str) -> dict[str, list[str]]:
    """Run ``code`` in a new Python; it leaves ``loaded`` (sorted module names) in the JSON it prints."""
    script = textwrap.dedent(code) + "\nimport json, sys\nprint(json.dumps({'loaded': sorted(sys.modules)}))\n"
    result = subprocess.run([sys.executable, "-c", script], cwd=PROJECT_ROOT, capture_output=True,
                            text=True, check=False, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def frameworks_in(loaded: list[str]) -> list[str]:
    return sorted(name for name in loaded if name.split(".")[0] in FRAMEWORKS)


def app_modules_in(loaded: list[str]) -> list[str]:
    return sorted(name for name in loaded if name == "app" or name.startswith("app."))


# --- the engine and ingest stand alone ---------------------------------------------------------


def test_importing_and_running_the_engine_loads_no_framework_and_no_other_app_module() -> None:
    loaded = fresh_interpreter("""
        from app.align import align
        result = align("One paragraph.\\n\\nTwo paragraphs.", "Two paragraphs!\\n\\nRead more")
        assert result.to_dict()["format"] == "copydesk.alignment/1"
    """)["loaded"]

    assert frameworks_in(loaded) == []
    assert [name for name in app_modules_in(loaded) if name != "app" and not name.startswith("app.align")] == []


def test_importing_and_using_ingest_loads_no_framework_and_no_other_app_module() -> None:
    loaded = fresh_interpreter("""
        from app.ingest import decode_upload, validate_source_url
        assert decode_upload(b"Plain text.", "a.txt", max_bytes=100) == "Plain text."
        validate_source_url("https://example.com/")
    """)["loaded"]

    assert frameworks_in(loaded) == []
    assert [name for name in app_modules_in(loaded) if name != "app" and not name.startswith("app.ingest")] == []


@pytest.mark.parametrize("path", modules_under("app.align"), ids=module_name)
def test_the_engine_imports_only_the_standard_library_and_rapidfuzz(path: Path) -> None:
    allowed = set(sys.stdlib_module_names) | {"rapidfuzz", "app"}
    for module in imported_modules(path):
        top = module.split(".")[0]
        assert top in allowed, f"{module_name(path)} imports {module}"
        if top == "app":
            assert module == "app" or module.startswith("app.align"), f"{module_name(path)} imports {module}"


@pytest.mark.parametrize("path", modules_under("app.ingest"), ids=module_name)
def test_ingest_depends_on_nothing_else_in_app(path: Path) -> None:
    for module in imported_modules(path):
        if module.split(".")[0] == "app":
            assert module.startswith("app.ingest"), f"{module_name(path)} imports {module}"
        assert module.split(".")[0] not in FRAMEWORKS, f"{module_name(path)} imports {module}"


def test_the_align_command_needs_neither_the_web_stack_nor_a_database(tmp_path: Path) -> None:
    (tmp_path / "o.txt").write_text("A line of news.\n\nAnother line.", encoding="utf-8")
    (tmp_path / "c.txt").write_text("A line of news.", encoding="utf-8")

    loaded = fresh_interpreter(f"""
        import contextlib, io
        from app.cli import main
        with contextlib.redirect_stdout(io.StringIO()):
            assert main(["align", {str(tmp_path / "o.txt")!r}, {str(tmp_path / "c.txt")!r}]) == 0
    """)["loaded"]

    assert frameworks_in(loaded) == []


# --- the layers --------------------------------------------------------------------------------


@pytest.mark.parametrize("path", modules_under("app.services"), ids=module_name)
def test_services_use_only_the_engine_ingest_models_db_errors_and_roles(path: Path) -> None:
    allowed = ("app.services", "app.align", "app.ingest", "app.models", "app.db", "app.errors", "app.auth.roles")
    for module in imported_modules(path):
        top = module.split(".")[0]
        if top == "app":
            assert module.startswith(allowed), f"{module_name(path)} imports {module}"
        assert top not in ("fastapi", "starlette", "jinja2"), f"{module_name(path)} imports {module}"


@pytest.mark.parametrize("path", modules_under("app.web") + modules_under("app.api"), ids=module_name)
def test_web_and_api_build_no_queries_and_do_not_wire_the_app(path: Path) -> None:
    for module in imported_modules(path):
        if module.split(".")[0] == "sqlalchemy":
            assert module in ("sqlalchemy.orm", "sqlalchemy.orm.Session"), \
                f"{module_name(path)} imports {module}: queries belong in app.services"
        assert module != "app.main" and not module.startswith("app.main."), \
            f"{module_name(path)} imports app.main: only main wires everything"
        assert not module.startswith("app.cli"), f"{module_name(path)} imports {module}"


@pytest.mark.parametrize("path", [APP / "auth" / "accounts.py", APP / "auth" / "throttle.py"], ids=module_name)
def test_the_account_use_cases_know_nothing_of_the_web(path: Path) -> None:
    for module in imported_modules(path):
        assert module.split(".")[0] not in ("fastapi", "starlette", "jinja2"), f"{module_name(path)} imports {module}"
        assert not module.startswith(("app.web", "app.api", "app.auth.deps", "app.auth.csrf")), \
            f"{module_name(path)} imports {module}"


def test_errors_carry_data_without_http() -> None:
    for module in imported_modules(APP / "errors.py"):
        assert module.split(".")[0] not in FRAMEWORKS, f"app.errors imports {module}"


def test_nothing_in_app_reads_settings_or_opens_a_database_at_import_time(tmp_path: Path) -> None:
    names = [module_name(path) for path in MODULES]
    code = f"""
        import importlib, os
        os.environ["DATABASE_URL"] = "not a database url"
        for name in {names!r}:
            importlib.import_module(name)
    """
    result = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=tmp_path,
                            capture_output=True, text=True, check=False, timeout=120)

    assert result.returncode == 0, result.stderr
    assert list(tmp_path.iterdir()) == []


# --- house habits ------------------------------------------------------------------------------


@pytest.mark.parametrize("path", MODULES, ids=module_name)
def test_every_module_opens_with_a_one_line_docstring(path: Path) -> None:
    docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
    assert docstring, f"{module_name(path)} has no module docstring"
    assert docstring.splitlines()[0].strip(), f"{module_name(path)}: the docstring's first line is empty"


@pytest.mark.parametrize("path", MODULES, ids=module_name)
def test_every_signature_in_app_is_annotated(path: Path) -> None:
    missing = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        arguments = node.args.posonlyargs + node.args.args + node.args.kwonlyargs
        arguments += [arg for arg in (node.args.vararg, node.args.kwarg) if arg is not None]
        unannotated = [arg.arg for arg in arguments if arg.annotation is None and arg.arg not in ("self", "cls")]
        if unannotated or node.returns is None:
            missing.append(f"{node.name}({', '.join(unannotated)}){'' if node.returns else ' -> ?'}")
    assert missing == [], f"{module_name(path)}: unannotated " + "; ".join(missing)
