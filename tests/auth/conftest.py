"""Fixtures of the access tests: a stored pair, clients logged in with each role (by login
session or by API token), a frozen clock, and a snapshot of what the database holds."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from app.models import ApiToken, LoginSession, Pair, User
from app.services.pairs import ArticleInput, create_pair
from tests.conftest import ApiToken as MakeToken
from tests.conftest import MakeUser, sign_in

ORIGINAL = "The council approved the budget on Monday.\n\nThe mayor said it was a fair deal."
COPY = "The council approved the budget on Monday.\n\nSubscribe for more."
ROLES = ("viewer", "checker", "editor", "admin")
ClientFor = Callable[[str], TestClient]
Snapshot = Callable[[], dict[str, Any]]


@pytest.fixture
def pair_id(db: sessionmaker[Session]) -> int:
    """A pair stored through the service layer."""
    with db() as session:
        pair = create_pair(session, ArticleInput("Budget", ORIGINAL), ArticleInput("Budget copy", COPY),
                           max_bytes=100_000)
        session.commit()
        return pair.id


@pytest.fixture
def session_client(app: FastAPI, make_user: MakeUser) -> Iterator[ClientFor]:
    """``session_client("checker")``: a browser logged in as a new account with that role (named
    after it), sending its CSRF token with every request."""
    opened: list[TestClient] = []

    def make(role: str) -> TestClient:
        test_client = TestClient(app, follow_redirects=False)
        test_client.__enter__()
        opened.append(test_client)
        sign_in(test_client, make_user(role, role))
        return test_client

    yield make
    for test_client in opened:
        test_client.__exit__(None, None, None)


@pytest.fixture
def token_client(app: FastAPI, make_user: MakeUser, api_token: MakeToken) -> Iterator[ClientFor]:
    """``token_client("checker")``: a script using the API token of a new account with that role."""
    opened: list[TestClient] = []

    def make(role: str) -> TestClient:
        make_user(role, role)
        test_client = TestClient(app, follow_redirects=False,
                                 headers={"Authorization": f"Bearer {api_token(role)}"})
        test_client.__enter__()
        opened.append(test_client)
        return test_client

    yield make
    for test_client in opened:
        test_client.__exit__(None, None, None)


class Clock:
    """A clock the test moves by hand (login throttling reads the app's clock)."""

    def __init__(self) -> None:
        self.moment = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.moment

    def advance(self, seconds: float) -> None:
        self.moment += timedelta(seconds=seconds)


@pytest.fixture
def clock(app: FastAPI) -> Clock:
    app.state.clock = Clock()
    return app.state.clock


@pytest.fixture
def snapshot(db: sessionmaker[Session]) -> Snapshot:
    """What a refused request must leave alone: pairs with their settings, users, sessions, tokens."""

    def take() -> dict[str, Any]:
        with db() as session:
            return {
                "pairs": [(p.id, p.title, p.alignment.options if p.alignment else None)
                          for p in session.scalars(select(Pair).order_by(Pair.id))],
                "users": [(u.username, u.role, u.active, u.password_hash)
                          for u in session.scalars(select(User).order_by(User.id))],
                "sessions": session.scalar(select(func.count()).select_from(LoginSession)),
                "tokens": [(t.id, t.revoked_at) for t in session.scalars(select(ApiToken).order_by(ApiToken.id))],
            }

    return take
