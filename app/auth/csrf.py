"""CSRF protection for cookie-authenticated requests.

Every state-changing request made with a login-session cookie must carry the session's CSRF
token: htmx sends it as the ``X-CSRF-Token`` header (set once on ``<body hx-headers>``), plain
forms as the hidden ``csrf_token`` field. Requests authenticated by an API token carry no cookie
a third-party page could ride on, so they need none.
"""

from __future__ import annotations

from fastapi import Depends, Request
from starlette.datastructures import FormData

from app.auth.deps import current_user
from app.auth.tokens import same
from app.errors import Forbidden

HEADER = "X-CSRF-Token"
FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
MESSAGE = "This form has expired or did not come from copydesk (CSRF token missing or wrong): reload the page and try again"


def session_csrf_token(request: Request) -> str:
    """The CSRF token of the request's login session ("" without one), for templates."""
    row = getattr(request.state, "login_session", None)
    return row.csrf_token if row is not None else ""


def check_csrf(request: Request, form: FormData | None = None) -> None:
    """Raise Forbidden unless a session request carries its CSRF token (header, or ``form``'s
    field). Routes that read a large form themselves call this with the form they read."""
    if request.method in SAFE_METHODS or getattr(request.state, "auth", None) != "session":
        return
    expected = session_csrf_token(request)
    sent = request.headers.get(HEADER) or (str(form.get(FIELD) or "") if form is not None else "")
    if not expected or not sent or not same(sent, expected):
        raise Forbidden(MESSAGE)


async def verify_csrf(request: Request, _user: object = Depends(current_user)) -> None:
    """Dependency: the CSRF check for routes whose body is a small form, JSON, or nothing
    (the header is read first; a form body only when the header is absent)."""
    if request.method in SAFE_METHODS or getattr(request.state, "auth", None) != "session":
        return
    form = None
    if HEADER.lower() not in request.headers and request.headers.get("content-type", "").startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()
    check_csrf(request, form)


CsrfProtected = Depends(verify_csrf)
