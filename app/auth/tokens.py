"""Secrets handed to clients (login-session cookies, API tokens, CSRF tokens): random, and stored
only as SHA-256 so a copy of the database lets nobody in."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import ApiToken, LoginSession, User

SESSION_LIFETIME = timedelta(days=14)
#: API tokens start with this, so a leaked one is easy to recognise (and to scan for).
TOKEN_PREFIX = "cdk_"


def now() -> datetime:
    return datetime.now(UTC)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def same(a: str, b: str) -> bool:
    """Constant-time comparison of two secrets."""
    return hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))


def start_session(session: Session, user: User, *, lifetime: timedelta = SESSION_LIFETIME) -> tuple[str, LoginSession]:
    """A new login session for ``user``: the cookie value (shown once) and the stored row."""
    token = secrets.token_urlsafe(32)
    row = LoginSession(token_hash=digest(token), user=user, csrf_token=secrets.token_urlsafe(32),
                       created_at=now(), expires_at=now() + lifetime)
    session.add(row)
    session.flush()
    return token, row


def find_session(session: Session, token: str) -> LoginSession | None:
    """The live session behind a cookie value: not expired, its user active."""
    row = session.scalar(select(LoginSession).where(LoginSession.token_hash == digest(token)))
    if row is None or _aware(row.expires_at) <= now() or not row.user.active:
        return None
    return row


def end_session(session: Session, token: str) -> None:
    row = session.scalar(select(LoginSession).where(LoginSession.token_hash == digest(token)))
    if row is not None:
        session.delete(row)
        session.flush()


def end_all_sessions(session: Session, user: User) -> None:
    """Log ``user`` out everywhere (after a password change or deactivation)."""
    for row in session.scalars(select(LoginSession).where(LoginSession.user_id == user.id)):
        session.delete(row)
    session.flush()


def create_api_token(session: Session, user: User, name: str) -> tuple[str, ApiToken]:
    """A new API token for ``user``: the secret (shown once, never stored) and the stored row."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(user=user, name=name, token_hash=digest(secret), prefix=secret[:len(TOKEN_PREFIX) + 6],
                   created_at=now())
    session.add(row)
    session.flush()
    return secret, row


def find_api_token(session: Session, secret: str) -> ApiToken | None:
    """The live token behind a bearer secret: not revoked, its user active."""
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == digest(secret)))
    if row is None or row.revoked_at is not None or not row.user.active:
        return None
    return row


def revoke_api_token(session: Session, user: User, token_id: int) -> bool:
    """Revoke one of ``user``'s tokens; False when it is not theirs or not live."""
    row = session.get(ApiToken, token_id)
    if row is None or row.user_id != user.id or row.revoked_at is not None:
        return False
    row.revoked_at = now()
    session.flush()
    return True


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes for what was stored as UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
