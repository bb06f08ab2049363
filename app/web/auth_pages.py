"""The login and logout pages, the login-session cookie, and the way to the login page for a
request that has no login."""

from __future__ import annotations

import math
import secrets
from collections.abc import Callable
from datetime import datetime
from typing import Annotated
from urllib.parse import urlencode, urlsplit

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from app.auth import throttle
from app.auth.accounts import authenticate
from app.auth.csrf import CsrfProtected
from app.auth.deps import SESSION_COOKIE, current_user
from app.auth.tokens import SESSION_LIFETIME, end_session, same, start_session
from app.config import Settings
from app.db import SessionDep
from app.errors import NotAuthenticated
from app.web.templating import is_htmx, render

router = APIRouter(include_in_schema=False)

#: The login form's own CSRF token (double submit: this cookie must equal the form's field), so a
#: third-party page cannot log a browser into an account of the attacker's choosing.
LOGIN_CSRF_COOKIE = "copydesk_login_csrf"
LOGIN_PATH = "/login"
WRONG_LOGIN = "Wrong username or password"
EXPIRED_FORM = "The login form had expired. Please enter your username and password again."
Clock = Callable[[], datetime]


def safe_next(target: str | None) -> str:
    """Where to go after logging in: ``target`` when it is a path on this site, else "/".

    >>> safe_next("/pairs/3?hide_verbatim=true")
    '/pairs/3?hide_verbatim=true'
    >>> [safe_next(t) for t in ("//evil.example/", "https://evil.example/", "/\\\\evil.example", "pairs", None)]
    ['/', '/', '/', '/', '/']
    """
    if not target or not target.startswith("/") or target.startswith("//"):
        return "/"
    if "\\" in target or any(ord(ch) < 32 or ord(ch) == 127 for ch in target):
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or parts.path.startswith((LOGIN_PATH, "/logout")):
        return "/"
    return target


def login_redirect(request: Request) -> Response:
    """The answer to a page request without a login: the login page, coming back here after.

    htmx gets a 401 with ``HX-Redirect`` (it would otherwise swap the login page into a fragment).
    Only a GET is come back to: other methods cannot be replayed by a redirect.
    """
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    target = LOGIN_PATH
    if request.method in ("GET", "HEAD") and safe_next(here) != "/":
        target += "?" + urlencode({"next": here})
    if is_htmx(request):
        return Response(status_code=401, headers={"HX-Redirect": target, "Vary": "HX-Request"})
    return RedirectResponse(target, status_code=303)


def cookie_secure(request: Request) -> bool:
    """Whether cookies get the Secure flag: the ``secure_cookies`` setting, or (``auto``) whether
    the request came over HTTPS (uvicorn reads X-Forwarded-Proto from trusted proxies)."""
    settings: Settings = request.app.state.settings
    if settings.secure_cookies == "auto":
        return request.url.scheme == "https"
    return settings.secure_cookies == "always"


def set_session_cookie(response: Response, request: Request, token: str) -> None:
    response.set_cookie(SESSION_COOKIE, token, max_age=int(SESSION_LIFETIME.total_seconds()), path="/",
                        httponly=True, samesite="lax", secure=cookie_secure(request))


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.get(LOGIN_PATH, name="login")
def login_page(request: Request, session: SessionDep,
               next_url: Annotated[str, Query(alias="next", max_length=2000)] = "/") -> Response:
    """The login form; someone already logged in goes straight on."""
    if _logged_in(request, session):
        return RedirectResponse(safe_next(next_url), status_code=303)
    return _login_form(request, next_url=safe_next(next_url))


@router.post(LOGIN_PATH, name="do_login")
def login(request: Request, session: SessionDep,
          username: Annotated[str, Form(max_length=200)] = "",
          password: Annotated[str, Form(max_length=1000)] = "",
          csrf_token: Annotated[str, Form(max_length=200)] = "",
          next_url: Annotated[str, Form(alias="next", max_length=2000)] = "/") -> Response:
    """Check the form and the throttle, then the password; on success a new login session."""
    next_url = safe_next(next_url)
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not cookie or not csrf_token or not same(cookie, csrf_token):
        return _login_form(request, next_url=next_url, username=username, message=EXPIRED_FORM,
                           status_code=403)
    clock: Clock = request.app.state.clock
    moment = clock()
    keys = throttle.keys_for(username, client_address(request))
    until = throttle.locked_until(session, keys, moment)
    if until is not None:
        return _locked(request, next_url, username, math.ceil((until - moment).total_seconds()))
    user = authenticate(session, username, password, moment=moment)
    if user is None:
        throttle.record_failure(session, keys, moment)
        session.commit()
        return _login_form(request, next_url=next_url, username=username, message=WRONG_LOGIN,
                           status_code=401)
    throttle.clear(session, keys)
    old = request.cookies.get(SESSION_COOKIE)
    if old:
        end_session(session, old)  # a fresh session id on every login (no session fixation)
    token, _row = start_session(session, user)
    session.commit()
    response = RedirectResponse(next_url, status_code=303)
    set_session_cookie(response, request, token)
    response.delete_cookie(LOGIN_CSRF_COOKIE, path=LOGIN_PATH)
    return response


@router.post("/logout", name="logout", dependencies=[CsrfProtected])
def logout(request: Request, session: SessionDep) -> Response:
    """End this browser's login session and show the login page."""
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        end_session(session, cookie)
        session.commit()
    response = RedirectResponse(LOGIN_PATH, status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax",
                           secure=cookie_secure(request))
    return response


def _logged_in(request: Request, session: Session) -> bool:
    try:
        current_user(request, session)
    except NotAuthenticated:
        return False
    return True


def _locked(request: Request, next_url: str, username: str, seconds: int) -> Response:
    wait = f"{seconds} seconds" if seconds < 120 else f"{math.ceil(seconds / 60)} minutes"
    message = (f"Too many failed logins for this account or from this address. Logging in is "
               f"paused: try again in {wait}.")
    response = _login_form(request, next_url=next_url, username=username, message=message, status_code=429)
    response.headers["Retry-After"] = str(seconds)
    return response


def _login_form(request: Request, *, next_url: str, username: str = "", message: str = "",
                status_code: int = 200) -> Response:
    """The login page with a fresh login-form token in its field and its cookie."""
    token = secrets.token_urlsafe(32)
    response = render(request, "pages/login.html", {
        "next_url": next_url, "username": username, "message": message, "login_csrf": token,
    }, status_code=status_code, headers={"Cache-Control": "no-store"})
    response.set_cookie(LOGIN_CSRF_COOKIE, token, path=LOGIN_PATH, httponly=True, samesite="strict",
                        secure=cookie_secure(request))
    return response
