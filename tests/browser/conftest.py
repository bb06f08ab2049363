"""Browser-test fixtures: one live uvicorn server for the session, pytest-playwright pointed at it,
its accounts (``live_editor``, ``live_checker``; password ``PASSWORD``), and a pair on it with the
hand-built alignment of the page tests. Pages start logged out: ``log_in_page`` logs one in."""

from __future__ import annotations

from collections.abc import Generator, Iterator

import pytest

from app.db import make_engine, make_sessionmaker
from app.services.pairs import ArticleInput, create_pair
from tests.browser.live_server import LiveServer, log_in_page
from tests.web import constructed


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The app served by uvicorn on a free port of 127.0.0.1, over a freshly migrated SQLite file."""
    with LiveServer(tmp_path_factory.mktemp("live-server")) as server:
        yield server


@pytest.fixture(scope="session")
def live_editor(live_server: LiveServer) -> str:
    """The username of an editor account on the live server."""
    return live_server.add_user("editor", "editor")


@pytest.fixture(scope="session")
def live_checker(live_server: LiveServer) -> str:
    """The username of a checker account on the live server."""
    return live_server.add_user("checker", "checker")


@pytest.fixture
def editor_logged_in(request: pytest.FixtureRequest, live_editor: str, base_url: str) -> None:
    """Log the test's ``page`` (if it has one) in as ``live_editor`` through the login page."""
    if "page" in request.fixturenames:
        log_in_page(request.getfixturevalue("page"), base_url, live_editor)


@pytest.fixture(scope="session")
def base_url(live_server: LiveServer) -> str:
    """pytest-playwright resolves ``page.goto("/...")`` against this."""
    return live_server.url


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]
                              ) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    server = getattr(item, "funcargs", {}).get("live_server")
    if report.failed and isinstance(server, LiveServer):
        report.sections.append(("live server log", server.log() or "(empty)"))
    return report


@pytest.fixture
def constructed_pair(live_server: LiveServer) -> str:
    """The path of a pair on the live server whose stored alignment is the hand-built one of
    tests/web/constructed.py (changed facts of every sort, nested marks, injected runs)."""
    engine = make_engine(live_server.database_url)
    try:
        with make_sessionmaker(engine)() as session:
            pair = create_pair(session, ArticleInput("Bridge to close", constructed.ORIGINAL),
                               ArticleInput("Bridge closing, says mayor", constructed.COPY),
                               max_bytes=2 * 1024 * 1024)
            session.flush()
            assert pair.alignment is not None
            pair.alignment.result = constructed.ALIGNMENT.to_dict()
            session.commit()
            return f"/pairs/{pair.id}"
    finally:
        engine.dispose()
