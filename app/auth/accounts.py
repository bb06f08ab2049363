"""Accounts as use cases: create users, check a login, change a password, a role or whether an
account is active, API tokens of a user, and the first admin of an empty installation.

Functions take the session first and flush, never commit; the caller commits once.
"""

from __future__ import annotations

import re
import secrets
from datetime import datetime
from functools import cache

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.auth.passwords import hash_password, needs_rehash, password_problem, verify_password
from app.auth.roles import Role
from app.auth.tokens import create_api_token, end_all_sessions
from app.errors import InvalidInput, NotFound
from app.models import ApiToken, LoginSession, User

USERNAME = re.compile(r"[a-z0-9_.-]{1,80}")
TOKEN_NAME_MAX = 100
FIRST_ADMIN = "admin"
NO_ADMIN_LEFT = ("copydesk needs at least one active admin: make another account an admin first, "
                 "then change this one")


def normalize_username(raw: str) -> str:
    """Usernames are stored and compared in lower case, without surrounding spaces.

    >>> normalize_username("  Alice ")
    'alice'
    """
    return raw.strip().lower()


def username_problem(username: str) -> str | None:
    """Why ``username`` (already normalised) cannot name an account, or None.

    >>> username_problem("alice.k"), username_problem("")
    (None, 'Enter a username')
    >>> username_problem("al ice")
    'A username may hold only letters a-z, digits and . _ - (at most 80 characters)'
    """
    if not username:
        return "Enter a username"
    if not USERNAME.fullmatch(username):
        return "A username may hold only letters a-z, digits and . _ - (at most 80 characters)"
    return None


def role_problem(role: str) -> str | None:
    """Why ``role`` is not a role, or None.

    >>> role_problem("checker"), role_problem("boss")
    (None, 'Choose a role: admin, editor, checker or viewer')
    """
    if role in {item.value for item in Role}:
        return None
    return "Choose a role: admin, editor, checker or viewer"


# --- users ------------------------------------------------------------------------------------


def find_user(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(User.username == normalize_username(username)))


def get_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("user", user_id)
    return user


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.username)))


def create_user(session: Session, username: str, password: str, role: str) -> User:
    """A new active account; InvalidInput (field -> message) when any value is not acceptable."""
    name = normalize_username(username)
    errors = {}
    problem = username_problem(name)
    if problem is None and find_user(session, name) is not None:
        problem = f"There is already an account named {name}"
    if problem:
        errors["username"] = problem
    if (problem := role_problem(role)) is not None:
        errors["role"] = problem
    if (problem := password_problem(password)) is not None:
        errors["password"] = problem
    if errors:
        raise InvalidInput(errors)
    user = User(username=name, password_hash=hash_password(password), role=role, active=True)
    session.add(user)
    session.flush()
    return user


def authenticate(session: Session, username: str, password: str, *, moment: datetime) -> User | None:
    """The active user ``username`` when ``password`` is theirs, else None (whatever the reason,
    so a login page cannot tell which part was wrong). Upgrades an old hash; sets last_login_at."""
    user = find_user(session, username)
    if user is None:
        # Spend the time a real check takes, so response times do not reveal who has an account.
        verify_password(_unused_hash(), password)
        return None
    if not verify_password(user.password_hash, password) or not user.active:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = moment
    session.flush()
    return user


@cache
def _unused_hash() -> str:
    return hash_password(secrets.token_urlsafe(16))


def change_password(session: Session, user: User, *, current: str, new: str, again: str,
                    keep: LoginSession | None = None) -> None:
    """Set ``user``'s password to ``new`` after checking ``current``; every other login session
    of theirs ends (``keep`` is the one making the change)."""
    errors = {}
    if not verify_password(user.password_hash, current):
        errors["current_password"] = "This is not your current password"
    if (problem := password_problem(new)) is not None:
        errors["new_password"] = problem
    elif new != again:
        errors["new_password_again"] = "The two new passwords are not the same"
    if errors:
        raise InvalidInput(errors)
    user.password_hash = hash_password(new)
    for row in session.scalars(select(LoginSession).where(LoginSession.user_id == user.id)):
        if row is not keep:
            session.delete(row)
    session.flush()


def set_role(session: Session, user: User, role: str) -> None:
    """Give ``user`` another role; never the last active admin's."""
    if (problem := role_problem(role)) is not None:
        raise InvalidInput({"role": problem})
    if _would_leave_no_admin(session, user, role=role, active=user.active):
        raise InvalidInput({"role": NO_ADMIN_LEFT})
    user.role = role
    session.flush()


def set_active(session: Session, user: User, active: bool) -> None:
    """Deactivate (their sessions end; their API tokens stop working) or reactivate ``user``;
    never deactivate the last active admin."""
    if _would_leave_no_admin(session, user, role=user.role, active=active):
        raise InvalidInput({"active": NO_ADMIN_LEFT})
    user.active = active
    if not active:
        end_all_sessions(session, user)
    session.flush()


def _would_leave_no_admin(session: Session, user: User, *, role: str, active: bool) -> bool:
    if user.role != Role.ADMIN or not user.active or (role == Role.ADMIN and active):
        return False
    others = session.scalar(select(func.count()).select_from(User).where(
        User.role == Role.ADMIN, User.active.is_(True), User.id != user.id))
    return not others


def create_first_admin(session: Session) -> str | None:
    """On an installation without users: the account ``admin`` with a random password, which
    is returned (to be shown once). None when there are users already."""
    if session.scalar(select(func.count()).select_from(User)):
        return None
    password = secrets.token_urlsafe(12)
    session.add(User(username=FIRST_ADMIN, password_hash=hash_password(password), role=Role.ADMIN,
                     active=True))
    session.flush()
    return password


# --- API tokens -------------------------------------------------------------------------------


def tokens_of(session: Session, user: User) -> list[ApiToken]:
    """``user``'s API tokens, newest first, revoked ones included (to tell what stopped working)."""
    return list(session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)
                                .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())))


def new_api_token(session: Session, user: User, name: str) -> tuple[str, ApiToken]:
    """A named API token for ``user``: the secret (to show once) and the stored row."""
    name = " ".join(name.split())
    if not name:
        raise InvalidInput({"name": "Give the token a name, e.g. where it is used"})
    if len(name) > TOKEN_NAME_MAX:
        raise InvalidInput({"name": f"A token name has at most {TOKEN_NAME_MAX} characters"})
    return create_api_token(session, user, name)
