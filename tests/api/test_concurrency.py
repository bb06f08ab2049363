"""Many people on one pair at once, through the whole HTTP stack: a live uvicorn server on a SQLite
file takes concurrent note creations and status changes from many clients, and loses nothing."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest
from sqlalchemy import func, select

from app.auth.tokens import create_api_token
from app.db import make_engine, make_sessionmaker
from app.models import Activity, Note, User
from tests.api.conftest import COPY, ORIGINAL
from tests.browser.live_server import LiveServer

API = "/api/v1"
WRITERS = [f"checker{n}" for n in range(6)] + ["editor0", "editor1"]
NOTES = 60
SEEDED = 4
#: One status change after every third creation.
STATUS_CHANGES = NOTES // 3
WORKERS = 16
STATUSES = ("confirmed", "dismissed", "open")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[LiveServer]:
    with LiveServer(tmp_path) as live:
        yield live


def tokens_for(server: LiveServer, usernames: list[str]) -> dict[str, str]:
    """An account and an API token for each username, stored in the server's database."""
    for username in usernames:
        server.add_user(username, "editor" if username.startswith("editor") else "checker")
    engine = make_engine(server.database_url)
    try:
        with make_sessionmaker(engine)() as session:
            tokens = {}
            for username in usernames:
                user = session.scalars(select(User).where(User.username == username)).one()
                tokens[username] = create_api_token(session, user, "load test")[0]
            session.commit()
            return tokens
    finally:
        engine.dispose()


def request(server: LiveServer, token: str, method: str, path: str, payload: dict[str, Any]) -> httpx.Response:
    """One request from its own client (its own connection), as separate people would send it."""
    with httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {token}"}, timeout=120) as client:
        return client.request(method, path, json=payload)


def test_concurrent_note_creations_and_status_changes_are_all_stored_exactly_once(server: LiveServer) -> None:
    tokens = tokens_for(server, WRITERS)
    created = request(server, tokens["editor0"], "POST", f"{API}/pairs",
                      {"original": {"text": ORIGINAL}, "copy": {"text": COPY}})
    assert created.status_code == 201, created.text
    notes_url = f"{API}/pairs/{created.json()['id']}/notes"
    start = COPY.index("45 million")

    def note(n: int) -> dict[str, Any]:
        return {"side": "copy", "start": start, "end": start + 10, "label": "changed_fact", "body": f"note #{n}"}

    seeded = [request(server, tokens["editor1"], "POST", notes_url, note(-n - 1)).json()["id"]
              for n in range(SEEDED)]
    jobs = []
    for n in range(NOTES):
        token = tokens[WRITERS[n % len(WRITERS)]]
        jobs.append((token, "POST", notes_url, note(n)))
        if n % 3 == 2:
            change = n // 3
            jobs.append((token, "PUT", f"{API}/notes/{seeded[change % SEEDED]}/status",
                         {"status": STATUSES[change % len(STATUSES)]}))
    assert len(jobs) == NOTES + STATUS_CHANGES

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        responses = list(pool.map(lambda job: request(server, *job), jobs, timeout=300))

    problems = [(r.request.method, r.status_code, r.text) for r in responses
                if r.status_code not in (200, 201)]
    assert problems == [], server.log()
    assert "database is locked" not in server.log()
    engine = make_engine(server.database_url)
    try:
        with make_sessionmaker(engine)() as session:
            bodies = session.scalars(select(Note.body)).all()
            assert sorted(bodies) == sorted(f"note #{n}" for n in range(-SEEDED, NOTES))
            assert session.scalar(select(func.count()).select_from(Activity).where(
                Activity.action == "note_added")) == SEEDED + NOTES
            for note_id in seeded:
                assert_history_is_unbroken(session.get(Note, note_id))
    finally:
        engine.dispose()


def assert_history_is_unbroken(note: Note | None) -> None:
    """Each recorded change starts from the status the previous one left: no change was made
    from a status someone else had already replaced, and every change raised the version once."""
    assert note is not None
    status = "open"
    for change in note.status_changes:
        assert change.old_status == status != change.new_status
        status = change.new_status
    assert note.status == status
    assert note.version == 1 + len(note.status_changes)
