"""The README stays honest: the two commands up front, every setting, make target and command."""

from __future__ import annotations

import argparse
import re

import pytest
from pydantic import AliasChoices

from app.align import FORMAT
from app.cli import build_parser
from app.config import PROJECT_ROOT, Settings

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
MAKEFILE = (PROJECT_ROOT / "Makefile").read_text(encoding="utf-8")
TARGETS = re.findall(r"^([a-z][a-z-]*):(?!=)", MAKEFILE, flags=re.MULTILINE)


def env_var(name: str) -> str:
    """The environment variable a Settings field is documented under (its first alias)."""
    alias = Settings.model_fields[name].validation_alias
    if isinstance(alias, AliasChoices):
        return str(alias.choices[0])
    return f"{Settings.model_config.get('env_prefix', '')}{name}".upper()


def readme_row(variable: str) -> str:
    rows = [line for line in README.splitlines() if line.startswith(f"| `{variable}` |")]
    assert len(rows) == 1, f"README's settings table has no single row for {variable}"
    return rows[0]


def test_the_first_screen_shows_the_two_commands_and_the_screenshot() -> None:
    first_screen = "\n".join(README.splitlines()[:40])
    assert "make run" in first_screen
    assert "make test" in first_screen
    assert "http://127.0.0.1:8000" in first_screen
    assert "](docs/comparison.png)" in first_screen


def test_every_image_the_readme_shows_exists() -> None:
    images = re.findall(r"!\[[^\]]*\]\(([^)\s]+)\)", README)
    assert "docs/comparison.png" in images
    for image in images:
        path = PROJECT_ROOT / image
        assert path.is_file(), f"README shows {image}, which does not exist (make screenshot makes it)"
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", f"{image} is not a PNG"


@pytest.mark.parametrize("field", sorted(Settings.model_fields))
def test_every_setting_has_a_row_with_its_variable_and_default(field: str) -> None:
    info = Settings.model_fields[field]
    row = readme_row(env_var(field))
    default = str(info.default).lower() if isinstance(info.default, bool) else str(info.default)
    assert f"`{default}`" in row, f"README gives another default for {env_var(field)} than {default!r}"
    assert len(row.split("|")) >= 5 and row.split("|")[3].strip(), f"{env_var(field)} has no meaning"


def test_the_settings_table_names_no_setting_that_does_not_exist() -> None:
    documented = re.findall(r"^\| `([A-Z_]+)` \|", README, flags=re.MULTILINE)
    assert sorted(documented) == sorted(env_var(field) for field in Settings.model_fields)


def test_the_makefile_has_the_targets_the_issue_names() -> None:
    assert TARGETS[0] == "run", "plain `make` must run the app"
    assert {"run", "test", "bench", "migrate", "demo", "screenshot", "clean", "help"} <= set(TARGETS)


@pytest.mark.parametrize("target", TARGETS)
def test_every_make_target_is_in_the_readme_and_in_make_help(target: str) -> None:
    assert f"make {target}" in README
    line = next(line for line in MAKEFILE.splitlines() if line.startswith(f"{target}:"))
    assert "## " in line, f"`{target}` has no `## description` for make help"


def test_makefile_recipes_are_indented_with_tabs() -> None:
    lines = MAKEFILE.splitlines()
    for number, line in enumerate(lines[1:], start=2):
        previous = lines[number - 2]
        if line.startswith(" ") and (previous.startswith("\t") or re.match(r"^[^#\s][^=]*:", previous)):
            pytest.fail(f"Makefile line {number} is a recipe line indented with spaces")


def test_every_command_is_documented_with_an_example() -> None:
    subcommands = next(action for action in build_parser()._actions
                       if isinstance(action, argparse._SubParsersAction))
    commands = list(subcommands.choices)
    assert commands == ["serve", "align", "demo", "migrate", "createuser", "realign", "import"]
    for command in commands:
        assert f"`copydesk {command}" in README, f"README does not document `copydesk {command}`"
        assert f"copydesk {command}" in README.split("## Command line", 1)[1]


def test_the_alignment_contract_is_documented_with_its_format_name() -> None:
    assert f"`{FORMAT}`" in README
    for key in ('"format"', '"original"', '"copy"', '"blocks"', '"kind"', '"score"', '"changes"',
                '"original_text"', '"copy_text"', '"summary"', '"original_reused"', '"copy_derived"',
                '"length"', '"paragraphs"'):
        assert key in README, f"README's contract lacks {key}"
