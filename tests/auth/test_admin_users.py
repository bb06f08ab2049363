"""The users page: admins list, create, re-role, deactivate and reactivate accounts; nobody else
may; the last active admin stays one."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.models import User
from tests.auth.conftest import ClientFor, Snapshot
from tests.auth.test_login import submit
from tests.conftest import PASSWORD, MakeUser
from tests.web.html import one, parse, text_of

HTMX = {"HX-Request": "true"}


def user_id(db: sessionmaker[Session], username: str) -> int:
    with db() as session:
        return session.scalars(select(User.id).where(User.username == username)).one()


def stored(db: sessionmaker[Session], username: str) -> User:
    with db() as session:
        return session.scalars(select(User).where(User.username == username)).one()


@pytest.fixture
def admin(session_client: ClientFor) -> TestClient:
    return session_client("admin")


def test_the_page_lists_every_account_with_role_state_and_last_login(
        admin: TestClient, make_user: MakeUser, db: sessionmaker[Session]) -> None:
    make_user("zoe", "viewer", active=False)

    response = admin.get("/admin/users")

    assert response.status_code == 200
    assert response.template.name == "pages/admin_users.html"  # type: ignore[attr-defined]
    rows = parse(response).select("tr.user")
    assert [row["data-username"] for row in rows] == ["admin", "zoe"]
    zoe = one(parse(response), f"#user-{user_id(db, 'zoe')}")
    assert "inactive" in zoe["class"]
    assert one(zoe, "select option[selected]")["value"] == "viewer"
    assert "never" in text_of(zoe)
    assert one(parse(response), 'nav a[href="/admin/users"]')


@pytest.mark.parametrize("role", ["viewer", "checker", "editor"])
def test_nobody_but_an_admin_may_see_or_change_users(session_client: ClientFor, role: str,
                                                     snapshot: Snapshot) -> None:
    someone = session_client(role)
    before = snapshot()

    assert someone.get("/admin/users").status_code == 403
    assert someone.post("/admin/users", data={"username": "mallory", "role": "admin",
                                              "password": PASSWORD}).status_code == 403
    assert someone.post(f"/admin/users/1/role", data={"role": "admin"}).status_code == 403
    assert snapshot() == before
    assert parse(someone.get("/")).select('a[href="/admin/users"]') == []


def test_an_admin_creates_an_account_that_can_log_in(admin: TestClient, anon_client: TestClient,
                                                     db: sessionmaker[Session]) -> None:
    response = admin.post("/admin/users", data={"username": " Carla ", "role": "checker",
                                                "password": "initial password 1"})

    assert response.status_code == 303
    assert (stored(db, "carla").role, stored(db, "carla").active) == ("checker", True)
    assert submit(anon_client, "carla", "initial password 1").status_code == 303


@pytest.mark.parametrize("form, field, message", [
    ({"username": "admin", "role": "viewer", "password": PASSWORD}, "username", "already an account named admin"),
    ({"username": "bad name!", "role": "viewer", "password": PASSWORD}, "username", "may hold only"),
    ({"username": "dora", "role": "boss", "password": PASSWORD}, "role", "Choose a role"),
    ({"username": "dora", "role": "viewer", "password": "short"}, "password", "at least 10 characters"),
])
def test_a_new_account_that_is_not_right_says_why_and_nothing_is_stored(
        admin: TestClient, snapshot: Snapshot, form: dict[str, str], field: str, message: str) -> None:
    before = snapshot()

    response = admin.post("/admin/users", data=form)

    assert response.status_code == 422
    assert message in text_of(one(parse(response), f"#{field}-error"))
    assert snapshot() == before


def test_an_admin_changes_a_role_and_htmx_gets_the_list_back(admin: TestClient, make_user: MakeUser,
                                                              db: sessionmaker[Session]) -> None:
    make_user("eric", "viewer")

    response = admin.post(f"/admin/users/{user_id(db, 'eric')}/role", data={"role": "editor"}, headers=HTMX)

    assert response.status_code == 200
    assert response.template.name == "partials/admin_users.html"  # type: ignore[attr-defined]
    assert text_of(one(parse(response), "#users-message")) == "eric is now editor."
    assert stored(db, "eric").role == "editor"


def test_deactivating_ends_the_sessions_and_stops_the_tokens(
        admin: TestClient, session_client: ClientFor, token_client: ClientFor, db: sessionmaker[Session]) -> None:
    browser, script = session_client("editor"), token_client("checker")
    assert browser.get("/").status_code == 200 and script.get("/api/v1/pairs").status_code == 200

    for name in ("editor", "checker"):
        assert admin.post(f"/admin/users/{user_id(db, name)}/active", data={"active": "0"}).status_code == 303

    assert browser.get("/").status_code == 303
    assert script.get("/api/v1/pairs").status_code == 401
    assert stored(db, "editor").active is False

    admin.post(f"/admin/users/{user_id(db, 'checker')}/active", data={"active": "1"})
    assert script.get("/api/v1/pairs").status_code == 200


@pytest.mark.parametrize("path, data", [("role", {"role": "editor"}), ("active", {"active": "0"})])
def test_the_last_active_admin_cannot_demote_or_deactivate_themselves(
        admin: TestClient, db: sessionmaker[Session], snapshot: Snapshot, path: str, data: dict[str, str]) -> None:
    before = snapshot()

    response = admin.post(f"/admin/users/{user_id(db, 'admin')}/{path}", data=data)

    assert response.status_code == 422
    assert "needs at least one active admin" in text_of(one(parse(response), ".user .field-error"))
    assert snapshot() == before


def test_with_a_second_admin_one_may_step_down(admin: TestClient, make_user: MakeUser,
                                                db: sessionmaker[Session]) -> None:
    make_user("second", "admin")

    response = admin.post(f"/admin/users/{user_id(db, 'admin')}/role", data={"role": "editor"})

    assert response.status_code == 303
    assert stored(db, "admin").role == "editor"
    assert admin.get("/admin/users").status_code == 403  # the role counts from the next request on


def test_an_unknown_account_is_404(admin: TestClient) -> None:
    assert admin.post("/admin/users/999/role", data={"role": "viewer"}).status_code == 404
