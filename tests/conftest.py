"""Shared fixtures: settings on a temporary SQLite file, a migrated database copied per test,
an HTTP client over the real ASGI stack, and the Playwright overrides for Debian's chromium."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.config import PROJECT_ROOT, Settings
from app.main import create_app

SHARED = PROJECT_ROOT.parent / "shared"
SEED = SHARED / "examples" / "seed-azerbaijan"
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"


def needs_shared() -> pytest.MarkDecorator:
    """Skip (with the reason) only where ../shared is absent: a user's checkout, never CI."""
    return pytest.mark.skipif(not SHARED.is_dir(), reason=f"{SHARED} is absent (a user's checkout)")


def read_text(path: Path) -> str:
    with open(path, encoding="utf-8", newline="") as handle:
        return handle.read()


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database file migrated once per run; tests get copies of it."""
    from app.migrate import upgrade

    path = tmp_path_factory.mktemp("template") / "copydesk.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture
def db_path(tmp_path: Path, migrated_template: Path) -> Path:
    path = tmp_path / "copydesk.db"
    shutil.copyfile(migrated_template, path)
    return path


@pytest.fixture
def settings(db_path: Path) -> Settings:
    return Settings(database_url=f"sqlite:///{db_path}", load_demo=False)


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    app = create_app(settings)
    with TestClient(app) as test_client:
        yield test_client
    app.state.engine.dispose()


@pytest.fixture
def session(client: TestClient) -> Iterator[Session]:
    """A session on the same database the client's app uses (to look behind the HTTP stack)."""
    with client.app.state.sessionmaker() as db_session:  # type: ignore[attr-defined]
        yield db_session


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-quic", "--no-first-run"],
    }
