"""Browser-test fixtures: one live uvicorn server for the session, pytest-playwright pointed at it."""

from __future__ import annotations

from collections.abc import Generator, Iterator

import pytest

from tests.browser.live_server import LiveServer


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The app served by uvicorn on a free port of 127.0.0.1, over a freshly migrated SQLite file."""
    with LiveServer(tmp_path_factory.mktemp("live-server")) as server:
        yield server


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
