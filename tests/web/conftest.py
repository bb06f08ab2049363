"""Fixtures of the HTML tests: pairs stored through the services, clients with other settings."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.align import ENGINE_VERSION
from app.config import Settings
from app.main import create_app
from app.models import User
from app.services.pairs import ArticleInput, create_pair
from tests.conftest import sign_in
from tests.web import constructed

MakeClient = Callable[..., TestClient]


@pytest.fixture
def make_client(settings: Settings, editor: User) -> Iterator[MakeClient]:
    """Another client on the same database, with some settings changed (``max_text_bytes=64``),
    logged in as the editor."""
    opened: list[TestClient] = []

    def make(**changes: Any) -> TestClient:
        test_client = TestClient(create_app(settings.model_copy(update=changes)))
        test_client.__enter__()
        opened.append(test_client)
        sign_in(test_client, editor)
        return test_client

    yield make
    for test_client in opened:
        test_client.__exit__(None, None, None)
        test_client.app.state.engine.dispose()  # type: ignore[attr-defined]


@pytest.fixture
def store_pair(session: Session) -> Callable[..., int]:
    """Store a pair through the service layer (the real engine aligns it); returns its id."""

    def store(original: str, copy: str, *, original_title: str = "Original",
              copy_title: str = "Copy", original_url: str | None = None,
              copy_url: str | None = None) -> int:
        pair = create_pair(session, ArticleInput(original_title, original, original_url),
                           ArticleInput(copy_title, copy, copy_url), max_bytes=2 * 1024 * 1024)
        session.commit()
        return pair.id

    return store


@pytest.fixture
def constructed_pair(session: Session, store_pair: Callable[..., int]) -> int:
    """A pair whose stored alignment is the hand-built one in tests/web/constructed.py."""
    pair_id = store_pair(constructed.ORIGINAL, constructed.COPY,
                         original_title="Bridge to close", copy_title="Bridge closing, says mayor",
                         original_url="https://ledger.example/bridge",
                         copy_url="https://copycat.example/bridge")
    from app.services.pairs import get_pair

    stored = get_pair(session, pair_id).alignment
    assert stored is not None
    stored.engine_version = ENGINE_VERSION
    stored.result = constructed.ALIGNMENT.to_dict()
    session.commit()
    return pair_id
