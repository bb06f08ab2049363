"""Logging in and out: the form and its own CSRF cookie, the session cookie's flags, where the
browser goes next, one message for every failure, deactivated accounts, rehashing old hashes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.auth.deps import SESSION_COOKIE
from app.auth.passwords import verify_password
from app.models import LoginSession, User
from app.web.auth_pages import LOGIN_CSRF_COOKIE, safe_next
from tests.conftest import PASSWORD, Login, MakeUser
from tests.web.html import one, parse


def submit(client: TestClient, username: str, password: str = PASSWORD, **extra: str):  # type: ignore[no-untyped-def]
    """Fetch the login form, then post it the way a browser does (its hidden fields included)."""
    form = parse(client.get("/login" + (f"?next={extra.pop('query_next')}" if "query_next" in extra else "")))
    fields = {tag["name"]: tag.get("value", "") for tag in form.select("form.login-form input[type=hidden]")}
    return client.post("/login", data={**fields, "username": username, "password": password, **extra},
                       follow_redirects=False)


def sessions_of(db: sessionmaker[Session], username: str) -> list[LoginSession]:
    with db() as session:
        return list(session.scalars(select(LoginSession).join(User).where(User.username == username)))


def test_the_login_page_has_a_form_with_its_own_csrf_token_in_a_strict_cookie(anon_client: TestClient) -> None:
    response = anon_client.get("/login")

    assert response.status_code == 200
    assert response.template.name == "pages/login.html"  # type: ignore[attr-defined]
    form = one(parse(response), "form.login-form")
    assert form["method"] == "post" and form["action"] == "/login"
    token = one(form, 'input[name="csrf_token"]')["value"]
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{LOGIN_CSRF_COOKIE}={token};")
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/login" in cookie
    assert response.headers["cache-control"] == "no-store"


def test_logging_in_sets_a_session_cookie_and_goes_to_the_dashboard(
        anon_client: TestClient, make_user: MakeUser, db: sessionmaker[Session]) -> None:
    make_user("alice", "checker")

    response = submit(anon_client, "Alice")

    assert response.status_code == 303
    assert response.headers["location"] == "/"
    cookie = next(value for value in response.headers.get_list("set-cookie")
                  if value.startswith(f"{SESSION_COOKIE}="))
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie  # plain http here
    assert len(sessions_of(db, "alice")) == 1
    page = parse(anon_client.get("/"))
    assert one(page, ".who-name").get_text() == "alice"
    with db() as session:
        assert session.scalars(select(User).where(User.username == "alice")).one().last_login_at is not None


def test_over_https_the_session_cookie_is_secure(app: FastAPI, make_user: MakeUser) -> None:
    make_user("alice")
    with TestClient(app, base_url="https://testserver") as browser:
        response = submit(browser, "alice")

    cookie = next(value for value in response.headers.get_list("set-cookie")
                  if value.startswith(f"{SESSION_COOKIE}="))
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie


def test_the_browser_goes_back_to_the_page_it_asked_for(anon_client: TestClient, make_user: MakeUser) -> None:
    make_user("alice")

    response = submit(anon_client, "alice", query_next="/pairs/7%3Fhide_verbatim%3D1")

    assert response.headers["location"] == "/pairs/7?hide_verbatim=1"


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "/\\evil.example",
                                    "javascript:alert(1)", "/login", "evil.example"])
def test_a_next_address_off_the_site_is_replaced_by_the_dashboard(
        anon_client: TestClient, make_user: MakeUser, target: str) -> None:
    make_user("alice")

    response = submit(anon_client, "alice", next=target)

    assert response.status_code == 303
    assert response.headers["location"] == "/"
    assert safe_next(target) == "/"


@pytest.mark.parametrize("username, password", [("alice", "wrong password!"), ("nobody", PASSWORD), ("", "")])
def test_every_failure_says_the_same_and_logs_nobody_in(
        anon_client: TestClient, make_user: MakeUser, db: sessionmaker[Session], username: str, password: str) -> None:
    make_user("alice")

    response = submit(anon_client, username, password)

    assert response.status_code == 401
    assert one(parse(response), "#login-error").get_text(strip=True) == "Wrong username or password"
    assert SESSION_COOKIE not in response.cookies
    assert sessions_of(db, "alice") == []
    assert one(parse(response), "#username")["value"] == username  # kept, to fix a typo


def test_a_deactivated_account_cannot_log_in(anon_client: TestClient, make_user: MakeUser,
                                             db: sessionmaker[Session]) -> None:
    make_user("gone", active=False)

    response = submit(anon_client, "gone")

    assert response.status_code == 401
    assert "Wrong username or password" in response.text
    assert sessions_of(db, "gone") == []


@pytest.mark.parametrize("token", [None, "forged"])
def test_a_login_post_without_the_forms_own_token_is_refused(
        anon_client: TestClient, make_user: MakeUser, db: sessionmaker[Session], token: str | None) -> None:
    """A third-party page cannot log the browser into an account it chose (login CSRF)."""
    make_user("alice")
    anon_client.get("/login")

    response = anon_client.post("/login", data={"username": "alice", "password": PASSWORD,
                                                **({"csrf_token": token} if token else {})},
                                follow_redirects=False)

    assert response.status_code == 403
    assert "The login form had expired" in response.text
    assert sessions_of(db, "alice") == []


def test_an_old_hash_is_upgraded_when_its_owner_logs_in(anon_client: TestClient, db: sessionmaker[Session]) -> None:
    weaker = PasswordHasher(time_cost=1, memory_cost=16, parallelism=2).hash(PASSWORD)
    with db() as session:
        session.add(User(username="old", password_hash=weaker, role="viewer"))
        session.commit()

    assert submit(anon_client, "old").status_code == 303

    with db() as session:
        stored = session.scalars(select(User).where(User.username == "old")).one().password_hash
    assert stored != weaker and "p=1" in stored
    assert verify_password(stored, PASSWORD)


def test_logging_in_again_replaces_the_old_session(anon_client: TestClient, make_user: MakeUser,
                                                    db: sessionmaker[Session], login: Login) -> None:
    """A session id planted in the browser before the login is never the one logged in."""
    make_user("alice")
    login(anon_client, "alice")
    first = sessions_of(db, "alice")
    planted = anon_client.cookies[SESSION_COOKIE]
    anon_client.cookies.delete(SESSION_COOKIE)
    form_token = anon_client.get("/login").cookies[LOGIN_CSRF_COOKIE]
    anon_client.cookies.set(SESSION_COOKIE, planted)

    response = anon_client.post("/login", data={"username": "alice", "password": PASSWORD,
                                                "csrf_token": form_token}, follow_redirects=False)

    assert response.status_code == 303
    assert response.cookies[SESSION_COOKIE] != planted
    assert [row.token_hash for row in sessions_of(db, "alice")] != [first[0].token_hash]
    assert len(sessions_of(db, "alice")) == 1


def test_someone_logged_in_skips_the_login_page(client: TestClient) -> None:
    response = client.get("/login?next=/account", follow_redirects=False)

    assert response.status_code == 303
    assert response.headers["location"] == "/account"


# --- logout ------------------------------------------------------------------------------------


@pytest.fixture
def alice(anon_client: TestClient, make_user: MakeUser, login: Login) -> Iterator[TestClient]:
    make_user("alice")
    login(anon_client, "alice")
    yield anon_client


def test_logging_out_ends_the_session_and_shows_the_login_page(alice: TestClient, db: sessionmaker[Session]) -> None:
    cookie = alice.cookies[SESSION_COOKIE]

    response = alice.post("/logout", follow_redirects=False)

    assert response.status_code == 303
    assert response.headers["location"] == "/login"
    assert sessions_of(db, "alice") == []
    alice.cookies.set(SESSION_COOKIE, cookie)  # replaying the old cookie does not help
    assert alice.get("/account", follow_redirects=False).headers["location"] == "/login?next=%2Faccount"


def test_logging_out_needs_the_csrf_token(alice: TestClient, db: sessionmaker[Session]) -> None:
    """Otherwise any page could log a user out."""
    del alice.headers["X-CSRF-Token"]

    assert alice.post("/logout", follow_redirects=False).status_code == 403
    assert len(sessions_of(db, "alice")) == 1


def test_the_log_out_button_is_a_form_posting_the_csrf_token(alice: TestClient) -> None:
    page = parse(alice.get("/"))

    form = one(page, "form.logout-form")
    assert form["method"] == "post" and form["action"] == "/logout"
    assert one(form, 'input[name="csrf_token"]')["value"] == alice.headers["X-CSRF-Token"]
    assert one(page, "body")["hx-headers"] == '{"X-CSRF-Token": "%s"}' % alice.headers["X-CSRF-Token"]
