"""Shared fixtures: settings on a temporary SQLite file, a migrated database copied per test,
accounts (``make_user``, ``login``, ``api_token``), HTTP clients over the real ASGI stack (``client``
logged in as the editor "editor", ``anon_client`` not logged in), and the Playwright overrides for
Debian's chromium.

The settings turn ``create_admin`` off, so no app of the tests makes (and prints) a first admin
unless a test asks for it.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.auth import passwords
from app.auth.csrf import HEADER
from app.auth.deps import SESSION_COOKIE
from app.auth.tokens import create_api_token, find_session, start_session
from app.config import PROJECT_ROOT, Settings
from app.db import make_engine, make_sessionmaker
from app.main import create_app
from app.models import User
from app.web.auth_pages import LOGIN_CSRF_COOKIE
from tests.ingest.conftest import LocalServer, running_server

SHARED = PROJECT_ROOT.parent / "shared"
SEED = SHARED / "examples" / "seed-azerbaijan"
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
PASSWORD = "correct horse battery"
MakeUser = Callable[..., User]
Login = Callable[..., None]
ApiToken = Callable[[str], str]


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
    return Settings(database_url=f"sqlite:///{db_path}", load_demo=False, create_admin=False)


@pytest.fixture(scope="session", autouse=True)
def cheap_password_hashing() -> Iterator[None]:
    """Argon2id at its smallest cost: the same code paths without a quarter of a second per hash
    (the app's own parameters are argon2-cffi's defaults; hashes record their parameters)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(passwords, "HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
        yield


@pytest.fixture
def db(settings: Settings) -> Iterator[sessionmaker[Session]]:
    """Sessions on the test's database, independent of any app (users exist before it starts)."""
    engine = make_engine(settings.database_url)
    yield make_sessionmaker(engine)
    engine.dispose()


@pytest.fixture
def make_user(db: sessionmaker[Session]) -> MakeUser:
    """``make_user("alice", "checker", password=..., active=True)``: an account, stored."""

    def make(username: str, role: str = "editor", password: str = PASSWORD, *, active: bool = True) -> User:
        with db() as db_session:
            user = User(username=username, password_hash=passwords.hash_password(password), role=role,
                        active=active)
            db_session.add(user)
            db_session.commit()
            return user

    return make


@pytest.fixture
def api_token(db: sessionmaker[Session]) -> ApiToken:
    """``api_token("alice")``: a new API token (its secret) of an existing account."""

    def token(username: str) -> str:
        with db() as db_session:
            user = db_session.scalars(select(User).where(User.username == username)).one()
            secret, _row = create_api_token(db_session, user, f"test token of {username}")
            db_session.commit()
            return secret

    return token


@pytest.fixture
def login() -> Login:
    """``login(client, "alice")``: log ``client`` in through the login form (a real POST /login)
    and send the session's CSRF token with its requests from then on, as htmx does."""
    return log_in


def log_in(test_client: TestClient, username: str, password: str = PASSWORD) -> None:
    form = test_client.get("/login")
    assert form.status_code == 200, form.text
    response = test_client.post("/login", data={
        "username": username, "password": password, "csrf_token": form.cookies[LOGIN_CSRF_COOKIE],
    }, follow_redirects=False)
    assert response.status_code == 303, f"logging in as {username} failed: {response.text}"
    with test_client.app.state.sessionmaker() as db_session:  # type: ignore[attr-defined]
        row = find_session(db_session, response.cookies[SESSION_COOKIE])
        assert row is not None
        test_client.headers[HEADER] = row.csrf_token


def sign_in(test_client: TestClient, user: User) -> None:
    """Log ``test_client`` in as ``user`` without the login form (a session made directly: the
    fixtures of hundreds of tests need no page round trip), CSRF header included."""
    with test_client.app.state.sessionmaker() as db_session:  # type: ignore[attr-defined]
        token, row = start_session(db_session, db_session.get(User, user.id))
        db_session.commit()
    test_client.cookies.set(SESSION_COOKIE, token)
    test_client.headers[HEADER] = row.csrf_token


@pytest.fixture
def app(settings: Settings) -> Iterator[FastAPI]:
    application = create_app(settings)
    yield application
    application.state.engine.dispose()


@pytest.fixture
def editor(make_user: MakeUser) -> User:
    """The editor account "editor" that ``client`` is logged in as."""
    return make_user("editor", "editor")


@pytest.fixture
def client(app: FastAPI, editor: User) -> Iterator[TestClient]:
    """A browser logged in as the editor "editor" (may do everything but manage users)."""
    with TestClient(app) as test_client:
        sign_in(test_client, editor)
        yield test_client


@pytest.fixture
def anon_client(app: FastAPI) -> Iterator[TestClient]:
    """A browser that has not logged in, on the same app as ``client``."""
    with TestClient(app) as test_client:
        yield test_client


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


@pytest.fixture
def site() -> Iterator[LocalServer]:
    """A web server on 127.0.0.1 whose pages each test sets in ``site.routes`` (for the URL
    inputs of the form, the API and the CSV import)."""
    yield from running_server("127.0.0.1")
