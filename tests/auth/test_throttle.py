"""Login throttling per account and per address: five failures in a row, then 429 (even with the
right password) until a lock that doubles with each further failure has passed. The app's clock
is moved by hand: nothing here sleeps."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.auth.throttle import lock_after
from tests.auth.conftest import Clock
from tests.auth.test_login import submit
from tests.conftest import PASSWORD, MakeUser

WRONG = "not the password"


def fail(client: TestClient, username: str, times: int) -> None:
    for _ in range(times):
        assert submit(client, username, WRONG).status_code == 401


def browser_at(app: FastAPI, address: str) -> TestClient:
    return TestClient(app, client=(address, 40000))


def test_after_five_failures_even_the_right_password_waits_for_the_lock(
        anon_client: TestClient, make_user: MakeUser, clock: Clock) -> None:
    make_user("alice")
    fail(anon_client, "alice", 5)

    refused = submit(anon_client, "alice", PASSWORD)

    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "30"
    assert "try again in 30 seconds" in refused.text
    assert "copydesk_session" not in refused.cookies
    clock.advance(29)
    assert submit(anon_client, "alice", PASSWORD).status_code == 429
    clock.advance(1)
    assert submit(anon_client, "alice", PASSWORD).status_code == 303


def test_four_failures_do_not_lock(anon_client: TestClient, make_user: MakeUser, clock: Clock) -> None:
    make_user("alice")
    fail(anon_client, "alice", 4)

    assert submit(anon_client, "alice", PASSWORD).status_code == 303


def test_each_failure_after_a_lock_doubles_it_up_to_fifteen_minutes(
        anon_client: TestClient, make_user: MakeUser, clock: Clock) -> None:
    make_user("alice")
    fail(anon_client, "alice", 5)
    clock.advance(30)

    fail(anon_client, "alice", 1)

    assert submit(anon_client, "alice", PASSWORD).headers["Retry-After"] == "60"
    assert [lock_after(n).total_seconds() for n in (5, 6, 10, 11, 50)] == [30, 60, 900, 900, 900]


def test_attempts_during_a_lock_do_not_lengthen_it(anon_client: TestClient, make_user: MakeUser,
                                                   clock: Clock) -> None:
    make_user("alice")
    fail(anon_client, "alice", 5)

    for _ in range(3):
        assert submit(anon_client, "alice", WRONG).status_code == 429
    clock.advance(30)

    assert submit(anon_client, "alice", PASSWORD).status_code == 303


def test_the_account_is_locked_from_every_address(app: FastAPI, make_user: MakeUser, clock: Clock) -> None:
    make_user("alice")
    with browser_at(app, "198.51.100.1") as attacker, browser_at(app, "203.0.113.9") as owner:
        fail(attacker, "alice", 5)

        assert submit(owner, "alice", PASSWORD).status_code == 429


def test_one_address_trying_many_accounts_is_locked_for_all_of_them(
        app: FastAPI, make_user: MakeUser, clock: Clock) -> None:
    make_user("bob")
    with browser_at(app, "198.51.100.1") as guesser, browser_at(app, "203.0.113.9") as elsewhere:
        for name in ("ann", "ben", "cat", "dan", "eve"):
            fail(guesser, name, 1)

        assert submit(guesser, "bob", PASSWORD).status_code == 429
        assert submit(elsewhere, "bob", PASSWORD).status_code == 303


def test_a_success_forgets_the_failures(anon_client: TestClient, make_user: MakeUser, clock: Clock) -> None:
    make_user("alice")
    fail(anon_client, "alice", 4)
    assert submit(anon_client, "alice", PASSWORD).status_code == 303
    anon_client.cookies.clear()

    fail(anon_client, "alice", 4)

    assert submit(anon_client, "alice", PASSWORD).status_code == 303


def test_a_run_of_failures_a_day_old_is_forgotten(anon_client: TestClient, make_user: MakeUser,
                                                  clock: Clock) -> None:
    make_user("alice")
    fail(anon_client, "alice", 4)
    clock.advance(24 * 3600 + 1)

    fail(anon_client, "alice", 1)

    assert submit(anon_client, "alice", PASSWORD).status_code == 303
