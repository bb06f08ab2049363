"""docker-compose.yml and the Dockerfile, checked offline: no Docker engine runs here."""

from __future__ import annotations

import fnmatch
import json
import re
import subprocess
import sys
from typing import Any
from urllib.parse import urlsplit

import pytest
from ruamel.yaml import YAML

from app.config import PROJECT_ROOT

COMPOSE = PROJECT_ROOT / "docker-compose.yml"
DOCKERFILE = PROJECT_ROOT / "Dockerfile"
DOCKERIGNORE = PROJECT_ROOT / ".dockerignore"
# What the running app reads from the source tree (app.config.PROJECT_ROOT).
RUNTIME_PATHS = ("pyproject.toml", "setup.py", "README.md", "alembic.ini", "app", "app/demo_data", "migrations",
                 "templates", "static")


def interpolate(value: str) -> str:
    """Compose's ``${VAR:-default}`` with nothing set in the environment: the default."""
    return re.sub(r"\$\{[A-Z_]+:-([^}]*)\}", r"\1", value)


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    with open(COMPOSE, encoding="utf-8") as handle:
        return YAML(typ="safe", pure=True).load(handle)


@pytest.fixture(scope="module")
def dockerfile() -> list[tuple[str, str]]:
    """The Dockerfile's instructions as (KEYWORD, arguments), continuation lines joined."""
    text = re.sub(r"\\\n\s*", " ", DOCKERFILE.read_text(encoding="utf-8"))
    instructions = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, arguments = line.partition(" ")
            instructions.append((keyword.upper(), arguments.strip()))
    return instructions


def test_the_file_is_valid_against_the_compose_specification() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.compose-spec", str(COMPOSE)],
        capture_output=True, text=True, check=False, timeout=120)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok -- validation done" in result.stdout


def test_the_validator_rejects_a_file_that_breaks_the_specification(tmp_path: Any) -> None:
    broken = tmp_path / "docker-compose.yml"
    broken.write_text("services:\n  app:\n    image: copydesk\n    depends_on: 7\n", encoding="utf-8")

    result = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.compose-spec", str(broken)],
        capture_output=True, text=True, check=False, timeout=120)

    assert result.returncode == 1


def test_db_is_the_official_postgres_image_with_a_named_volume_and_a_healthcheck(compose: dict[str, Any]) -> None:
    db = compose["services"]["db"]

    assert db["image"] == "postgres:16"
    volume, _, target = db["volumes"][0].partition(":")
    assert target == "/var/lib/postgresql/data"
    assert volume in compose["volumes"]
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    assert {"POSTGRES_DB", "POSTGRES_USER", "POSTGRES_PASSWORD"} <= db["environment"].keys()


def test_app_is_built_here_and_pointed_at_the_db_service(compose: dict[str, Any]) -> None:
    app, db = compose["services"]["app"], compose["services"]["db"]

    assert app["build"]["context"] == "."
    assert (PROJECT_ROOT / app["build"].get("dockerfile", "Dockerfile")).is_file()
    url = urlsplit(interpolate(app["environment"]["DATABASE_URL"]))
    assert url.scheme == "postgresql+psycopg"
    assert (url.hostname, url.port) == ("db", 5432)
    assert url.path == "/" + db["environment"]["POSTGRES_DB"]
    assert url.username == db["environment"]["POSTGRES_USER"]
    assert url.password == interpolate(db["environment"]["POSTGRES_PASSWORD"])
    assert app["environment"]["HOST"] == "0.0.0.0"


def test_app_waits_for_a_healthy_db_and_publishes_port_8000(compose: dict[str, Any]) -> None:
    app = compose["services"]["app"]

    assert app["depends_on"]["db"]["condition"] == "service_healthy"
    assert any(str(port).endswith(":8000") for port in app["ports"])
    assert str(app["environment"]["PORT"]) == "8000"


def test_the_image_is_python_311_slim_and_runs_as_an_unprivileged_user(
        dockerfile: list[tuple[str, str]]) -> None:
    keywords = dict(dockerfile)

    assert dockerfile[0] == ("FROM", "python:3.11-slim")
    assert keywords["USER"] not in ("root", "0")
    assert keywords["EXPOSE"] == "8000"


def test_the_container_runs_the_migrations_before_serving(dockerfile: list[tuple[str, str]]) -> None:
    command = " ".join(arguments for keyword, arguments in dockerfile if keyword in ("CMD", "ENTRYPOINT"))
    if command.startswith("["):
        command = " ".join(json.loads(command))

    assert "copydesk migrate" in command and "copydesk serve" in command
    assert command.index("copydesk migrate") < command.index("copydesk serve")
    # a new image re-aligns what the engine it replaces aligned before serving any page
    assert command.index("copydesk migrate") < command.index("copydesk realign") < command.index("copydesk serve")
    assert "&&" in command, "the server must not start when the migrations fail"


def test_the_image_holds_everything_the_app_reads_at_run_time(dockerfile: list[tuple[str, str]]) -> None:
    copied = {part.rstrip("/") for keyword, arguments in dockerfile if keyword == "COPY"
              for part in arguments.split()[:-1]}
    ignored = [line.strip() for line in DOCKERIGNORE.read_text(encoding="utf-8").splitlines()
               if line.strip() and not line.startswith("#")]

    for path in RUNTIME_PATHS:
        assert path in copied or path.split("/")[0] in copied, f"the Dockerfile does not copy {path}"
        assert not any(fnmatch.fnmatch(path, pattern) for pattern in ignored), f".dockerignore drops {path}"
    assert any("pip install" in arguments and "--editable ." in arguments
               for keyword, arguments in dockerfile if keyword == "RUN")
