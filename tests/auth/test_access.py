"""Who may do what, enforced on the server: every role against every pair action of the pages and
the API (allowed, or 403 with nothing changed), requests without a login, and CSRF."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from starlette.routing import BaseRoute

from app.auth.csrf import HEADER
from app.auth.roles import Permission, can
from tests.auth.conftest import COPY, ORIGINAL, ROLES, ClientFor, Snapshot
from tests.web.html import parse


@dataclass(frozen=True)
class Action:
    method: str
    path: str
    permission: Permission
    allowed_status: int
    form: dict[str, str] | None = None
    json: dict[str, Any] | None = None
    #: Whether it changes what the database holds (a refusal must change nothing).
    changes: bool = False

    def send(self, client: TestClient, pair_id: int) -> Any:
        kwargs: dict[str, Any] = {}
        if self.form is not None:
            kwargs["data"] = self.form
        if self.json is not None:
            kwargs["json"] = self.json
        return client.request(self.method, self.path.format(id=pair_id), **kwargs)


NEW_PAIR_FORM = {"original_text": ORIGINAL, "copy_text": COPY, "original_title": "A", "copy_title": "B"}
PAGE_ACTIONS = {
    "dashboard": Action("GET", "/", Permission.READ, 200),
    "pair page": Action("GET", "/pairs/{id}", Permission.READ, 200),
    "new pair form": Action("GET", "/pairs/new", Permission.MANAGE_PAIRS, 200),
    "create pair": Action("POST", "/pairs/new", Permission.MANAGE_PAIRS, 303, form=NEW_PAIR_FORM, changes=True),
    "confirm delete": Action("GET", "/pairs/{id}/delete", Permission.MANAGE_PAIRS, 200),
    "delete pair": Action("POST", "/pairs/{id}/delete", Permission.MANAGE_PAIRS, 303, form={}, changes=True),
    "pair settings": Action("POST", "/pairs/{id}/settings", Permission.MANAGE_PAIRS, 303,
                            form={"min_similarity": "0.6"}, changes=True),
}
API_ACTIONS = {
    "list pairs": Action("GET", "/api/v1/pairs", Permission.READ, 200),
    "get pair": Action("GET", "/api/v1/pairs/{id}", Permission.READ, 200),
    "get alignment": Action("GET", "/api/v1/pairs/{id}/alignment", Permission.READ, 200),
    "create pair": Action("POST", "/api/v1/pairs", Permission.MANAGE_PAIRS, 201,
                          json={"original": {"text": ORIGINAL}, "copy": {"text": COPY}}, changes=True),
    "delete pair": Action("DELETE", "/api/v1/pairs/{id}", Permission.MANAGE_PAIRS, 204, changes=True),
    "pair settings": Action("PUT", "/api/v1/pairs/{id}/settings", Permission.MANAGE_PAIRS, 200,
                            json={"min_similarity": 0.6, "quotes_copied": True}, changes=True),
}


def test_the_matrix_covers_each_permission_boundary() -> None:
    assert [role for role in ROLES if can(role, Permission.MANAGE_PAIRS)] == ["editor", "admin"]
    assert all(can(role, Permission.READ) for role in ROLES)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", PAGE_ACTIONS)
def test_page_actions_are_allowed_or_refused_by_role(name: str, role: str, session_client: ClientFor,
                                                      pair_id: int, snapshot: Snapshot) -> None:
    action = PAGE_ACTIONS[name]
    before = snapshot()

    response = action.send(session_client(role), pair_id)

    if can(role, action.permission):
        assert response.status_code == action.allowed_status, response.text
        assert (snapshot()["pairs"] != before["pairs"]) == action.changes
    else:
        assert response.status_code == 403
        assert response.template.name == "pages/error.html"  # type: ignore[attr-defined]
        assert f"Your role ({role}) may not do this" in response.text
        assert snapshot()["pairs"] == before["pairs"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", API_ACTIONS)
def test_api_actions_are_allowed_or_refused_by_role(name: str, role: str, token_client: ClientFor,
                                                     pair_id: int, snapshot: Snapshot) -> None:
    action = API_ACTIONS[name]
    before = snapshot()

    response = action.send(token_client(role), pair_id)

    if can(role, action.permission):
        assert response.status_code == action.allowed_status, response.text
        assert (snapshot()["pairs"] != before["pairs"]) == action.changes
    else:
        assert response.status_code == 403
        assert response.json() == {"detail": f"Your role ({role}) may not do this: it needs the "
                                             "'manage_pairs' permission"}
        assert snapshot()["pairs"] == before["pairs"]


def test_a_checker_sees_no_buttons_for_what_the_role_may_not_do(session_client: ClientFor, pair_id: int) -> None:
    checker = session_client("checker")

    dashboard = parse(checker.get("/"))
    page = parse(checker.get(f"/pairs/{pair_id}"))

    assert dashboard.select('a[href="/pairs/new"]') == []
    assert page.select(f'a[href="/pairs/{pair_id}/delete"]') == []
    assert page.select("#settings-form") == []
    assert page.select(".settings-now")  # the settings themselves are still shown


def test_an_editor_sees_them(session_client: ClientFor, pair_id: int) -> None:
    page = parse(session_client("editor").get(f"/pairs/{pair_id}"))

    assert page.select(f'a[href="/pairs/{pair_id}/delete"]')
    assert page.select("#settings-form")
    assert page.select('a[href="/admin/users"]') == []


# --- without a login ---------------------------------------------------------------------------


def test_a_page_without_a_login_sends_the_browser_to_the_login_page_and_back(
        anon_client: TestClient, pair_id: int) -> None:
    response = anon_client.get(f"/pairs/{pair_id}?hide_verbatim=1", follow_redirects=False)

    assert response.status_code == 303
    assert response.headers["location"] == f"/login?next=%2Fpairs%2F{pair_id}%3Fhide_verbatim%3D1"


def test_htmx_without_a_login_is_told_to_load_the_login_page(anon_client: TestClient, pair_id: int) -> None:
    response = anon_client.get(f"/pairs/{pair_id}", headers={"HX-Request": "true"}, follow_redirects=False)

    assert response.status_code == 401
    assert response.headers["HX-Redirect"] == f"/login?next=%2Fpairs%2F{pair_id}"


def test_a_forged_post_without_a_login_changes_nothing(anon_client: TestClient, pair_id: int,
                                                       snapshot: Snapshot) -> None:
    before = snapshot()

    response = anon_client.post(f"/pairs/{pair_id}/delete", follow_redirects=False)

    assert response.status_code == 303
    assert response.headers["location"] == "/login"
    assert snapshot() == before


@pytest.mark.parametrize("authorization", [None, "Bearer cdk_not-a-token", "Basic ZWRpdG9yOnB3", "Bearer "])
def test_the_api_without_a_valid_token_answers_401_with_a_bearer_challenge(
        anon_client: TestClient, pair_id: int, authorization: str | None) -> None:
    headers = {"Authorization": authorization} if authorization else {}

    response = anon_client.get(f"/api/v1/pairs/{pair_id}", headers=headers)

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert response.json()["detail"]


PUBLIC = {("GET", "/login"), ("POST", "/login"), ("GET", "/docs"), ("GET", "/docs/oauth2-redirect"),
          ("GET", "/api/v1/openapi.json")}


def every_route(routes: list[BaseRoute]) -> list[tuple[str, str]]:
    """(method, path) of every route, those of included routers too."""
    found = []
    for route in routes:
        included = getattr(route, "original_router", None)
        if included is not None:
            found += every_route(included.routes)
        elif isinstance(route, APIRoute):
            found += [(method, route.path) for method in route.methods - {"HEAD"}]
    return sorted(found)


def example_url(path: str) -> str:
    """``/pairs/{pair_id}/text/{side}`` -> ``/pairs/1/text/copy``."""
    return re.sub(r"\{[a-z_]+_id\}", "1", path).replace("{side}", "copy")


def test_every_route_but_the_login_page_and_the_docs_needs_a_login(app: FastAPI, anon_client: TestClient) -> None:
    routes = every_route(app.routes)
    assert ("POST", "/pairs/{pair_id}/delete") in routes and ("GET", "/api/v1/pairs") in routes

    for method, path in routes:
        if (method, path) in PUBLIC:
            continue
        response = anon_client.request(method, example_url(path), follow_redirects=False)
        assert "{" not in example_url(path)
        if path.startswith("/api/"):
            assert response.status_code == 401, (method, path, response.status_code)
        else:
            assert response.status_code == 303, (method, path, response.status_code)
            assert response.headers["location"].startswith("/login"), (method, path)


def test_static_files_the_login_page_and_the_api_description_stay_public(anon_client: TestClient) -> None:
    assert anon_client.get("/static/css/app.css").status_code == 200
    assert anon_client.get("/login").status_code == 200
    assert anon_client.get("/api/v1/openapi.json").status_code == 200


# --- CSRF --------------------------------------------------------------------------------------


@pytest.mark.parametrize("token", [None, "wrong-token"])
def test_a_session_post_without_the_right_csrf_token_is_refused_and_changes_nothing(
        session_client: ClientFor, pair_id: int, snapshot: Snapshot, token: str | None) -> None:
    editor = session_client("editor")
    del editor.headers[HEADER]
    before = snapshot()

    response = editor.post(f"/pairs/{pair_id}/delete", data={"csrf_token": token} if token else {})

    assert response.status_code == 403
    assert "CSRF token missing or wrong" in response.text
    assert snapshot() == before


def test_the_csrf_token_may_come_as_the_form_field_of_a_plain_form(session_client: ClientFor, pair_id: int) -> None:
    editor = session_client("editor")
    token = editor.headers.pop(HEADER)
    form = parse(editor.get(f"/pairs/{pair_id}/delete"))
    assert form.select_one('form input[name="csrf_token"]')["value"] == token  # type: ignore[index]

    response = editor.post(f"/pairs/{pair_id}/delete", data={"csrf_token": token})

    assert response.status_code == 303
    assert editor.get(f"/pairs/{pair_id}").status_code == 404


def test_the_new_pair_form_checks_the_csrf_token_of_its_large_form(session_client: ClientFor,
                                                                  snapshot: Snapshot) -> None:
    editor = session_client("editor")
    token = editor.headers.pop(HEADER)
    before = snapshot()

    refused = editor.post("/pairs/new", data=NEW_PAIR_FORM, files={"unused": ("", b"")})
    assert refused.status_code == 403
    assert snapshot() == before

    accepted = editor.post("/pairs/new", data={**NEW_PAIR_FORM, "csrf_token": token}, files={"unused": ("", b"")})
    assert accepted.status_code == 303
    assert len(snapshot()["pairs"]) == 1


def test_api_calls_from_a_browser_session_need_the_csrf_header(session_client: ClientFor, pair_id: int,
                                                               snapshot: Snapshot) -> None:
    editor = session_client("editor")
    token = editor.headers.pop(HEADER)
    before = snapshot()

    assert editor.delete(f"/api/v1/pairs/{pair_id}").status_code == 403
    assert snapshot() == before
    assert editor.delete(f"/api/v1/pairs/{pair_id}", headers={HEADER: token}).status_code == 204


def test_an_api_token_needs_no_csrf_token(token_client: ClientFor, pair_id: int) -> None:
    script = token_client("editor")
    assert HEADER not in script.headers

    assert script.delete(f"/api/v1/pairs/{pair_id}").status_code == 204
