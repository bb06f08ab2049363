"""Every role against every review action through the API: allowed ones succeed, refused ones get
403 and change nothing (a forged request is refused on the server, whatever the page shows)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient

from app.models import User
from tests.api.conftest import COPY
from tests.api.reviewing import API, ROLES, Desk, open_desk

ALL = frozenset(ROLES)
WRITERS = frozenset({"checker", "editor", "admin"})
EDITORS = frozenset({"editor", "admin"})
ADMIN = frozenset({"admin"})


@dataclass(frozen=True)
class Action:
    """A request made as ``who`` against notes and replies of another checker (carl) or, with
    ``own``, against a note the actor wrote first; ``changes`` says whether success alters state."""

    name: str
    allowed: frozenset[str]
    status: int
    send: Callable[[Desk, str, dict[str, int]], httpx.Response]
    changes: bool = True
    own: bool = False


def note_payload() -> dict[str, Any]:
    start = COPY.index("three years")
    return {"side": "copy", "start": start, "end": start + 11, "label": "other", "body": "Check the years."}


ACTIONS = [
    Action("list notes", ALL, 200, lambda d, who, t: d.call(who, "GET", f"{API}/pairs/{d.pair_id}/notes"),
           changes=False),
    Action("read a note", ALL, 200, lambda d, who, t: d.call(who, "GET", f"{API}/notes/{t['note']}"),
           changes=False),
    Action("read the activity", ALL, 200,
           lambda d, who, t: d.call(who, "GET", f"{API}/pairs/{d.pair_id}/activity"), changes=False),
    Action("read a text", ALL, 200, lambda d, who, t: d.call(who, "GET", f"{API}/pairs/{d.pair_id}/texts/copy"),
           changes=False),
    Action("add a note", WRITERS, 201,
           lambda d, who, t: d.call(who, "POST", f"{API}/pairs/{d.pair_id}/notes", json=note_payload())),
    Action("edit own note", WRITERS, 200, own=True, send=lambda d, who, t: d.call(
        who, "PATCH", f"{API}/notes/{t['own']}", json={"version": 1, "body": "Edited by its author."})),
    Action("delete own note", WRITERS, 204, own=True,
           send=lambda d, who, t: d.call(who, "DELETE", f"{API}/notes/{t['own']}")),
    Action("edit someone else's note", ADMIN, 200, lambda d, who, t: d.call(
        who, "PATCH", f"{API}/notes/{t['note']}", json={"version": 1, "body": "Overwritten."})),
    Action("delete someone else's note", ADMIN, 204,
           lambda d, who, t: d.call(who, "DELETE", f"{API}/notes/{t['note']}")),
    Action("set a note's status", WRITERS, 200, lambda d, who, t: d.call(
        who, "PUT", f"{API}/notes/{t['note']}/status", json={"status": "confirmed"})),
    Action("reply", WRITERS, 201, lambda d, who, t: d.call(
        who, "POST", f"{API}/notes/{t['note']}/replies", json={"body": "A reply."})),
    Action("edit someone else's reply", ADMIN, 200, lambda d, who, t: d.call(
        who, "PATCH", f"{API}/replies/{t['reply']}", json={"version": 1, "body": "Overwritten."})),
    Action("delete someone else's reply", ADMIN, 204,
           lambda d, who, t: d.call(who, "DELETE", f"{API}/replies/{t['reply']}")),
    Action("set the verdict", EDITORS, 200, lambda d, who, t: d.call(
        who, "PUT", f"{API}/pairs/{d.pair_id}/verdict", json={"verdict": "in_review"})),
    Action("correct a text", EDITORS, 200, lambda d, who, t: d.call(
        who, "PUT", f"{API}/pairs/{d.pair_id}/texts/copy", json={"text": COPY + "\r\nA corrected line.\r\n"})),
]
CASES = [pytest.param(role, action, id=f"{role} may {'' if role in action.allowed else 'not '}{action.name}")
         for action in ACTIONS for role in ROLES if not (action.own and role not in action.allowed)]


@pytest.fixture
def desk(anon_client: TestClient, make_user: Callable[..., User], api_token: Callable[[str], str]) -> Desk:
    return open_desk(anon_client, make_user, api_token)


@pytest.mark.parametrize(("role", "action"), CASES)
def test_each_role_may_do_what_its_permissions_allow_and_nothing_else(desk: Desk, role: str,
                                                                     action: Action) -> None:
    who = ROLES[role]
    note = desk.add_note("carl")
    targets = {"note": note["id"], "reply": desk.add_reply("carl", note["id"])["id"]}
    if action.own:
        targets["own"] = desk.add_note(who, "Ellen Voss")["id"]
    before = desk.snapshot()

    response = action.send(desk, who, targets)

    if role in action.allowed:
        assert response.status_code == action.status, response.text
        assert (desk.snapshot() != before) == action.changes
    else:
        assert response.status_code == 403, response.text
        assert role in response.json()["detail"] or "author" in response.json()["detail"]
        assert desk.snapshot() == before

