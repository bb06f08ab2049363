"""The account page: changing one's password (other sessions end) and API tokens (made, shown
once, used, revoked), as plain forms and through htmx."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.auth.tokens import digest
from app.models import ApiToken, LoginSession, User
from tests.auth.conftest import Snapshot
from tests.auth.test_login import submit
from tests.conftest import PASSWORD, MakeUser, sign_in
from tests.web.html import one, parse, text_of

NEW = "a much better passphrase"
HTMX = {"HX-Request": "true"}


def test_the_account_page_names_the_user_and_the_role(client: TestClient) -> None:
    response = client.get("/account")

    assert response.status_code == 200
    assert response.template.name == "pages/account.html"  # type: ignore[attr-defined]
    assert "logged in as editor" in " ".join(parse(response).select_one(".lead").get_text().split())  # type: ignore[union-attr]
    assert response.headers["cache-control"] == "no-store"


# --- password ---------------------------------------------------------------------------------


def change(client: TestClient, current: str, new: str, again: str, **headers: str):  # type: ignore[no-untyped-def]
    return client.post("/account/password", data={"current_password": current, "new_password": new,
                                                  "new_password_again": again},
                       headers=headers, follow_redirects=False)


@pytest.mark.parametrize("current, new, again, field, message", [
    ("wrong password", NEW, NEW, "current_password", "This is not your current password"),
    (PASSWORD, "short", "short", "new_password", "A password needs at least 10 characters"),
    (PASSWORD, NEW, NEW + "!", "new_password_again", "The two new passwords are not the same"),
])
def test_a_password_change_that_is_not_right_says_why_and_changes_nothing(
        client: TestClient, snapshot: Snapshot, current: str, new: str, again: str, field: str,
        message: str) -> None:
    before = snapshot()

    response = change(client, current, new, again)

    assert response.status_code == 422
    assert text_of(one(parse(response), f"#{field}-error")) == f"Error: {message}"
    assert snapshot() == before


def test_changing_the_password_ends_the_other_sessions_but_not_this_one(
        app: FastAPI, client: TestClient, editor: User, db: sessionmaker[Session]) -> None:
    with TestClient(app) as other_browser:
        sign_in(other_browser, editor)

        response = change(client, PASSWORD, NEW, NEW)

        assert response.status_code == 303
        assert response.headers["location"] == "/account?password=changed"
        assert other_browser.get("/", follow_redirects=False).status_code == 303  # logged out
    assert client.get("/").status_code == 200
    assert one(parse(client.get("/account?password=changed")), "#password-changed")
    with db() as session:
        assert len(session.scalars(select(LoginSession)).all()) == 1


def test_the_new_password_logs_in_and_the_old_one_does_not(client: TestClient, anon_client: TestClient) -> None:
    assert change(client, PASSWORD, NEW, NEW).status_code == 303

    assert submit(anon_client, "editor", PASSWORD).status_code == 401
    assert submit(anon_client, "editor", NEW).status_code == 303


def test_htmx_gets_the_password_form_back_in_place(client: TestClient) -> None:
    refused = change(client, "wrong password", NEW, NEW, **HTMX)
    changed = change(client, PASSWORD, NEW, NEW, **HTMX)

    assert refused.status_code == 422
    assert refused.template.name == "partials/account_password.html"  # type: ignore[attr-defined]
    assert changed.status_code == 200
    assert one(parse(changed), "#password-changed")


# --- API tokens -------------------------------------------------------------------------------


def create_token(client: TestClient, name: str, **headers: str):  # type: ignore[no-untyped-def]
    return client.post("/account/tokens", data={"name": name}, headers=headers)


def test_a_new_token_is_shown_once_and_stored_only_as_a_hash(client: TestClient, db: sessionmaker[Session]) -> None:
    response = create_token(client, "nightly import")

    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    secret = one(parse(response), "#new-token-secret").get_text()
    assert secret.startswith("cdk_")
    with db() as session:
        row = session.scalars(select(ApiToken)).one()
    assert (row.name, row.token_hash, row.prefix) == ("nightly import", digest(secret), secret[:10])
    again = client.get("/account")
    assert secret not in again.text
    assert one(parse(again), f"#token-{row.id} .token-name").get_text() == "nightly import"


def test_the_token_works_on_the_api_until_it_is_revoked(client: TestClient, anon_client: TestClient,
                                                        db: sessionmaker[Session]) -> None:
    secret = one(parse(create_token(client, "script")), "#new-token-secret").get_text()
    bearer = {"Authorization": f"Bearer {secret}"}
    assert anon_client.get("/api/v1/pairs", headers=bearer).status_code == 200
    with db() as session:
        token = session.scalars(select(ApiToken)).one()
        assert token.last_used_at is not None

    response = client.post(f"/account/tokens/{token.id}/revoke", follow_redirects=False)

    assert response.status_code == 303
    refused = anon_client.get("/api/v1/pairs", headers=bearer)
    assert refused.status_code == 401
    assert "revoked" in refused.json()["detail"]
    assert "revoked" in one(parse(client.get("/account")), f"#token-{token.id} .token-state").get_text()


def test_htmx_gets_the_token_list_back_in_place(client: TestClient, db: sessionmaker[Session]) -> None:
    created = create_token(client, "laptop", **HTMX)
    with db() as session:
        token_id = session.scalars(select(ApiToken.id)).one()
    revoked = client.post(f"/account/tokens/{token_id}/revoke", headers=HTMX)

    assert created.template.name == "partials/account_tokens.html"  # type: ignore[attr-defined]
    assert one(parse(created), "#new-token-secret")
    assert revoked.status_code == 200
    assert parse(revoked).select(f'form[action="/account/tokens/{token_id}/revoke"]') == []


@pytest.mark.parametrize("name, message", [("   ", "Give the token a name"), ("x" * 101, "at most 100")])
def test_a_token_needs_a_sensible_name(client: TestClient, snapshot: Snapshot, name: str, message: str) -> None:
    before = snapshot()

    response = create_token(client, name)

    assert response.status_code == 422
    assert message in one(parse(response), "#name-error").get_text()
    assert snapshot() == before


def test_nobody_revokes_someone_elses_token(client: TestClient, make_user: MakeUser, api_token,  # type: ignore[no-untyped-def]
                                            db: sessionmaker[Session], snapshot: Snapshot) -> None:
    make_user("bob")
    api_token("bob")
    with db() as session:
        bobs = session.scalars(select(ApiToken).join(User).where(User.username == "bob")).one()
    before = snapshot()

    response = client.post(f"/account/tokens/{bobs.id}/revoke")

    assert response.status_code == 404
    assert snapshot() == before
