"""Password hashing with Argon2id (argon2-cffi's maintained defaults, RFC 9106 low-memory profile)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

#: The hasher in use: argon2-cffi's defaults (RFC 9106 low-memory profile). The test suite swaps in
#: the smallest parameters to stay fast.
HASHER = PasswordHasher()
MIN_LENGTH = 10


def hash_password(password: str) -> str:
    return HASHER.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Whether ``password`` matches; False for a wrong password or a damaged hash."""
    try:
        return HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Whether the hash was made with weaker parameters than today's (rehash on next login)."""
    try:
        return HASHER.check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


def password_problem(password: str) -> str | None:
    """Why ``password`` is not acceptable, or None.

    >>> password_problem("short")
    'A password needs at least 10 characters'
    >>> password_problem("correct horse battery") is None
    True
    """
    if len(password) < MIN_LENGTH:
        return f"A password needs at least {MIN_LENGTH} characters"
    if not password.strip():
        return "A password cannot be only spaces"
    return None
