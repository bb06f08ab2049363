"""FastAPI dependencies: the user behind a request (login-session cookie or API token) and the
permission an action needs. Every route but the login page and static files depends on them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import Depends, Request

from app.auth.roles import Permission, can
from app.auth.tokens import find_api_token, find_session
from app.db import SessionDep
from app.errors import Forbidden, NotAuthenticated
from app.models import User

SESSION_COOKIE = "copydesk_session"
# A token's "last used" time is written at most this often (not one write per API call).
_TOUCH_EVERY = timedelta(minutes=1)


def current_user(request: Request, session: SessionDep) -> User:
    """The user behind the request: a bearer API token, else the session cookie.

    Sets ``request.state.auth`` to "token" or "session" (CSRF applies to sessions only) and,
    for a session, ``request.state.login_session``. Raises NotAuthenticated otherwise.
    """
    cached = getattr(request.state, "user", None)
    if cached is not None:
        return cached
    header = request.headers.get("authorization", "")
    if header:
        scheme, _, secret = header.partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            raise NotAuthenticated("The Authorization header must be 'Bearer <API token>'")
        token = find_api_token(session, secret.strip())
        if token is None:
            raise NotAuthenticated("The API token is not valid (unknown, revoked, or its account deactivated)")
        moment = datetime.now(UTC)
        last = token.last_used_at
        if last is None or moment - (last if last.tzinfo else last.replace(tzinfo=UTC)) > _TOUCH_EVERY:
            token.last_used_at = moment
            session.commit()
        request.state.auth = "token"
        request.state.user = token.user
        return token.user
    cookie = request.cookies.get(SESSION_COOKIE)
    row = find_session(session, cookie) if cookie else None
    if row is None:
        raise NotAuthenticated()
    request.state.auth = "session"
    request.state.login_session = row
    request.state.user = row.user
    return row.user


CurrentUser = Annotated[User, Depends(current_user)]


def require(permission: Permission) -> Callable[..., User]:
    """A dependency giving the current user when their role has ``permission``, else 403."""

    def dependency(user: CurrentUser) -> User:
        if not can(user.role, permission):
            raise Forbidden(f"Your role ({user.role}) may not do this: it needs the '{permission}' permission")
        return user

    dependency.__name__ = f"require_{permission}"
    return dependency
