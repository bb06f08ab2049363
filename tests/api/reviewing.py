"""Helpers of the review API tests: a desk of accounts (one per role, each with an API token) and
a pair to review, and a snapshot of everything a refused request must leave unchanged."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx2 as httpx
from fastapi.testclient import TestClient
from sqlalchemy import select

from app.models import Activity, Note, Pair, Reply, User
from tests.api.conftest import COPY, ORIGINAL

API = "/api/v1"
#: username -> role; "carl" is a second checker, the author of notes others try to change.
ACCOUNTS = {"vic": "viewer", "chloe": "checker", "carl": "checker", "ed": "editor", "ada": "admin"}
ROLES = {"viewer": "vic", "checker": "chloe", "editor": "ed", "admin": "ada"}


@dataclass
class Desk:
    """An app with an account per role and a pair; ``call(who, ...)`` sends a request with the
    API token of ``who``."""

    client: TestClient
    tokens: dict[str, str]
    pair_id: int

    def call(self, who: str | None, method: str, url: str, *, headers: dict[str, str] | None = None,
             **kwargs: Any) -> httpx.Response:
        auth = {"Authorization": f"Bearer {self.tokens[who]}"} if who else {}
        return self.client.request(method, url, headers={**auth, **(headers or {})}, **kwargs)

    def add_note(self, who: str, passage: str = "45 million", *, side: str = "copy", body: str = "Was 40.",
                 label: str = "changed_fact", occurrence: int = 0) -> dict[str, Any]:
        text = COPY if side == "copy" else ORIGINAL
        start = -1
        for _ in range(occurrence + 1):
            start = text.index(passage, start + 1)
        response = self.call(who, "POST", f"{API}/pairs/{self.pair_id}/notes", json={
            "side": side, "start": start, "end": start + len(passage), "exact": passage, "label": label,
            "body": body})
        assert response.status_code == 201, response.text
        return response.json()

    def add_reply(self, who: str, note_id: int, body: str = "Agreed.") -> dict[str, Any]:
        response = self.call(who, "POST", f"{API}/notes/{note_id}/replies", json={"body": body})
        assert response.status_code == 201, response.text
        return response.json()

    def notes(self, who: str = "vic") -> list[dict[str, Any]]:
        response = self.call(who, "GET", f"{API}/pairs/{self.pair_id}/notes")
        assert response.status_code == 200, response.text
        return response.json()["items"]

    def snapshot(self) -> dict[str, Any]:
        """Everything a refused request must leave as it was, read in a fresh session."""
        with self.client.app.state.sessionmaker() as session:  # type: ignore[attr-defined]
            pair = session.get(Pair, self.pair_id)
            assert pair is not None
            return {
                "notes": [(n.id, n.body, n.label, n.status, n.version) for n in session.scalars(select(Note))],
                "replies": [(r.id, r.body, r.version) for r in session.scalars(select(Reply))],
                "pair": (pair.verdict, pair.verdict_by_id, pair.original.text, pair.copy.text),
                "activity": len(session.scalars(select(Activity)).all()),
            }


def open_desk(client: TestClient, make_user: Callable[..., User], api_token: Callable[[str], str]) -> Desk:
    """Accounts for every role with their tokens, and a pair submitted by the editor."""
    for username, role in ACCOUNTS.items():
        make_user(username, role)
    tokens = {username: api_token(username) for username in ACCOUNTS}
    desk = Desk(client, tokens, 0)
    response = desk.call("ed", "POST", f"{API}/pairs", json={
        "title": "Terminal story", "original": {"text": ORIGINAL}, "copy": {"text": COPY}})
    assert response.status_code == 201, response.text
    desk.pair_id = response.json()["id"]
    return desk
