"""The first start of an installation without users: one admin with a random password, printed
once to the console; later starts say nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.config import Settings
from app.main import create_app
from app.models import User
from tests.auth.test_login import submit


def start(settings: Settings) -> None:
    app = create_app(settings)
    with TestClient(app):
        pass
    app.state.engine.dispose()


def test_the_first_start_creates_one_admin_and_prints_its_password_once(
        settings: Settings, db: sessionmaker[Session], capsys: pytest.CaptureFixture[str]) -> None:
    settings = settings.model_copy(update={"create_admin": True})

    start(settings)
    printed = capsys.readouterr().err
    start(settings)

    assert capsys.readouterr().err == ""
    with db() as session:
        users = session.scalars(select(User)).all()
    assert [(user.username, user.role, user.active) for user in users] == [("admin", "admin", True)]
    password = printed.split("password: ")[1].split()[0]
    assert len(password) >= 16
    assert "username: admin" in printed and "change the password on the account page" in printed
    app = create_app(settings)
    with TestClient(app) as browser:
        assert submit(browser, "admin", password).status_code == 303
    app.state.engine.dispose()


def test_an_installation_with_users_gets_no_new_admin(settings: Settings, make_user, db: sessionmaker[Session],  # type: ignore[no-untyped-def]
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    make_user("editor")

    start(settings.model_copy(update={"create_admin": True}))

    assert capsys.readouterr().err == ""
    with db() as session:
        assert session.scalars(select(User.username)).all() == ["editor"]


def test_create_admin_off_leaves_the_users_table_empty(settings: Settings, db: sessionmaker[Session],
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    start(settings)

    assert capsys.readouterr().err == ""
    with db() as session:
        assert session.scalars(select(User)).all() == []


def test_a_database_that_was_never_migrated_is_reported_not_a_crash(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    start(Settings(database_url=f"sqlite:///{tmp_path / 'empty.db'}", load_demo=False))

    assert "Run `copydesk migrate`" in capsys.readouterr().err
