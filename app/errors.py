"""Domain errors carrying data; app.main turns them into HTTP responses in one place."""

from __future__ import annotations


class CopydeskError(Exception):
    """Base of every error the app reports to a user."""

    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(CopydeskError):
    """An id that names nothing."""

    status = 404

    def __init__(self, kind: str, ident: object) -> None:
        super().__init__(f"{kind} {ident} not found")
        self.kind = kind
        self.ident = ident


class InvalidInput(CopydeskError):
    """Input that cannot be accepted; ``errors`` maps a field name to its message."""

    status = 422

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


class TooLarge(InvalidInput):
    """A text over the size limit."""

    status = 413


class NotAuthenticated(CopydeskError):
    """No valid login session or API token: pages send the browser to the login page, the API
    answers 401."""

    status = 401

    def __init__(self, message: str = "Log in first: this needs an account") -> None:
        super().__init__(message)


class Forbidden(CopydeskError):
    """A logged-in user whose role does not allow the action (or a request without a valid
    CSRF token); nothing is changed."""

    status = 403


class Conflict(CopydeskError):
    """An edit made against a version someone else has changed in the meantime."""

    status = 409

    def __init__(self, message: str, current: object = None) -> None:
        super().__init__(message)
        self.current = current
