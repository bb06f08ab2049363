"""Fixtures of the API tests: clients using an API token (the editor's), a pair to submit, an app
with a small size limit, row counts."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from app.config import Settings
from app.main import create_app
from app.models import Article, Pair, StoredAlignment, User
from tests.conftest import ApiToken

ORIGINAL = (
    "The harbour board approved the new container terminal on Tuesday after a long debate.\r\n\r\n"
    "Construction will cost 40 million euros and take three years, chair Ellen Voss said.\r\n\r\n"
    "Local fishermen say they were never consulted about the dredging of the north channel.\r\n"
)
COPY = (
    "The harbour board approved the new container terminal on Tuesday after a long debate.\r\n\r\n"
    "Building it will cost 45 million euros and take three years, chair Ellen Voss said.\r\n\r\n"
    "Subscribe to our newsletter for more port news.\r\n"
)
SMALL_LIMIT = 1000  # bytes per text in small_client

Counts = Callable[[], dict[str, int]]


@pytest.fixture
def body() -> dict[str, Any]:
    """A valid POST body (a fresh dict: tests change it), texts with CRLF line endings."""
    return {
        "title": "Terminal story",
        "original": {"title": "Board approves terminal", "text": ORIGINAL,
                     "source_url": "https://example.com/news/terminal"},
        "copy": {"title": "Terminal approved", "text": COPY},
    }


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def client(app: FastAPI, editor: User, api_token: ApiToken) -> Iterator[TestClient]:
    """A script using the API with the editor's API token (no cookies, no CSRF token)."""
    with TestClient(app, headers=bearer(api_token(editor.username))) as test_client:
        yield test_client


@pytest.fixture
def small_client(db_path: Path, editor: User, api_token: ApiToken) -> Iterator[TestClient]:
    """An app whose texts may be at most SMALL_LIMIT bytes, and files little more (request bodies
    2 * 1000 + 64 KB)."""
    app = create_app(Settings(database_url=f"sqlite:///{db_path}", max_text_bytes=SMALL_LIMIT,
                              max_upload_bytes=SMALL_LIMIT * 3 // 4, load_demo=False, create_admin=False))
    with TestClient(app, headers=bearer(api_token(editor.username))) as test_client:
        yield test_client
    app.state.engine.dispose()


def _counter(test_client: TestClient) -> Counts:
    def counts() -> dict[str, int]:
        with test_client.app.state.sessionmaker() as session:  # type: ignore[attr-defined]
            return {model.__tablename__: session.scalar(select(func.count()).select_from(model)) or 0
                    for model in (Article, Pair, StoredAlignment)}
    return counts


@pytest.fixture
def rows(client: TestClient) -> Counts:
    """Rows per table in the database behind ``client``, read in a fresh session."""
    return _counter(client)


@pytest.fixture
def small_rows(small_client: TestClient) -> Counts:
    return _counter(small_client)

