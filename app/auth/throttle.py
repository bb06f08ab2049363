"""Login throttling: after a run of failed logins for one account or from one address, further
attempts are refused for a while, the wait doubling with every further failure.

Counting per account stops guessing one password from many addresses; counting per address stops
trying many accounts from one. Times come from the caller (the app's injectable clock).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.models import LoginThrottle

FREE_FAILURES = 5
FIRST_LOCK = timedelta(seconds=30)
LONGEST_LOCK = timedelta(minutes=15)
# A run of failures this old is forgotten: one bad day does not lock an address for good.
FORGET_AFTER = timedelta(days=1)
KEY_LENGTH = 200


def keys_for(username: str, address: str) -> tuple[str, str]:
    """The two counters a login attempt touches.

    >>> keys_for("Alice", "192.0.2.7")
    ('user:alice', 'addr:192.0.2.7')
    """
    return (f"user:{username.strip().lower()}"[:KEY_LENGTH], f"addr:{address}"[:KEY_LENGTH])


def lock_after(failures: int) -> timedelta:
    """How long attempts are refused after ``failures`` failures in a row.

    >>> [int(lock_after(n).total_seconds()) for n in (4, 5, 6, 7, 9, 20)]
    [0, 30, 60, 120, 480, 900]
    """
    if failures < FREE_FAILURES:
        return timedelta(0)
    return min(FIRST_LOCK * 2 ** min(failures - FREE_FAILURES, 16), LONGEST_LOCK)


def locked_until(session: Session, keys: Iterable[str], moment: datetime) -> datetime | None:
    """The end of the longest lock still running on any of ``keys``, or None."""
    rows = session.scalars(select(LoginThrottle).where(LoginThrottle.key.in_(list(keys))))
    ends = [_aware(row.locked_until) for row in rows if row.locked_until is not None]
    return max((end for end in ends if end > moment), default=None)


def record_failure(session: Session, keys: Iterable[str], moment: datetime) -> None:
    """Count a failed login on each of ``keys``; from the FREE_FAILURES-th on, lock them."""
    for key in keys:
        row = session.get(LoginThrottle, key)
        if row is None:
            row = LoginThrottle(key=key, failures=0)
            session.add(row)
        elif _aware(row.last_failure_at) < moment - FORGET_AFTER:
            row.failures = 0
        row.failures += 1
        row.last_failure_at = moment
        wait = lock_after(row.failures)
        row.locked_until = moment + wait if wait else None
    session.flush()


def clear(session: Session, keys: Iterable[str]) -> None:
    """Forget the failures on ``keys`` (after a successful login)."""
    session.execute(delete(LoginThrottle).where(LoginThrottle.key.in_(list(keys))))
    session.flush()


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes for what was stored as UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
