"""A real uvicorn server in a thread, on a free port of 127.0.0.1, over a migrated SQLite file, and
logging a browser page into it through the login page."""

from __future__ import annotations

import logging
import socket
import threading
import time
from pathlib import Path
from types import TracebackType

import uvicorn
from playwright.sync_api import Page, expect

from app.auth.passwords import hash_password
from app.config import Settings
from app.db import make_engine, make_sessionmaker
from app.main import create_app
from app.migrate import upgrade
from app.models import User

START_TIMEOUT = 30.0
LOGGERS = ("uvicorn", "uvicorn.error")
PASSWORD = "correct horse battery"


class ServerFailed(RuntimeError):
    """The server did not come up; the message carries everything it logged."""


class LiveServer:
    """``with LiveServer(folder) as server:`` serves the app at ``server.url`` until the block ends.

    The server's log (uvicorn's and the app's) goes to ``folder/server.log``; ``log()`` reads it,
    so a failing test can show what the server said.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.database_url = f"sqlite:///{folder / 'copydesk.db'}"
        self.log_path = folder / "server.log"
        self.url = ""
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace") if self.log_path.exists() else ""

    def start(self) -> LiveServer:
        upgrade(self.database_url)
        app = create_app(Settings(database_url=self.database_url, load_demo=False, create_admin=False))
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        config = uvicorn.Config(app, log_config=self._log_config(), ws="none", lifespan="on",
                                access_log=False)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [sock]},
                                        name="live-server", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + START_TIMEOUT
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise ServerFailed(f"the live server did not start; its log:\n{self.log()}")
            time.sleep(0.02)
        self.url = f"http://127.0.0.1:{port}"
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=START_TIMEOUT)
        for name in LOGGERS:
            logger = logging.getLogger(name)
            for handler in list(logger.handlers):
                logger.removeHandler(handler)
                handler.close()
            logger.propagate = True

    def add_user(self, username: str, role: str, password: str = PASSWORD) -> str:
        """Store an account in the server's database; returns its username."""
        engine = make_engine(self.database_url)
        try:
            with make_sessionmaker(engine)() as session:
                session.add(User(username=username, password_hash=hash_password(password), role=role))
                session.commit()
        finally:
            engine.dispose()
        return username

    def __enter__(self) -> LiveServer:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    def _log_config(self) -> dict[str, object]:
        handler = {"class": "logging.FileHandler", "filename": str(self.log_path), "encoding": "utf-8",
                   "formatter": "plain"}
        return {
            "version": 1,
            "disable_existing_loggers": False,
            "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
            "handlers": {"file": handler},
            "loggers": {
                name: {"handlers": ["file"], "level": "INFO", "propagate": False} for name in LOGGERS
            },
        }


def log_in_page(page: Page, base_url: str, username: str, password: str = PASSWORD) -> None:
    """Log ``page`` in through the login form, as a person would, and wait for the dashboard."""
    page.goto(f"{base_url}/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator(".who-name")).to_have_text(username)
