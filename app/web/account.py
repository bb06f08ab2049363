"""The account page: change one's own password, create and revoke one's API tokens."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Path, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from app.auth import accounts
from app.auth.csrf import CsrfProtected
from app.auth.deps import CurrentUser, require
from app.auth.roles import DESCRIPTIONS, Permission, Role
from app.auth.tokens import revoke_api_token
from app.db import SessionDep
from app.errors import InvalidInput
from app.models import ApiToken, User
from app.web.templating import is_htmx, render

router = APIRouter(include_in_schema=False, dependencies=[Depends(require(Permission.READ))])

TokenId = Annotated[int, Path(ge=1, le=2**63 - 1)]
Secret = Annotated[str, Form(max_length=1000)]
# The page holds a token's secret right after it is made: no cache may keep it.
NO_STORE = {"Cache-Control": "no-store", "Vary": "HX-Request"}


@router.get("/account", name="account")
def account_page(request: Request, user: CurrentUser, session: SessionDep) -> Response:
    """Who you are, your password, your API tokens."""
    return _page(request, user, tokens=accounts.tokens_of(session, user))


@router.post("/account/password", name="change_password", dependencies=[CsrfProtected])
def change_password(request: Request, user: CurrentUser, session: SessionDep,
                    current_password: Secret = "", new_password: Secret = "",
                    new_password_again: Secret = "") -> Response:
    """Change one's password; every other browser logged in as this user is logged out."""
    try:
        accounts.change_password(session, user, current=current_password, new=new_password,
                                 again=new_password_again, keep=getattr(request.state, "login_session", None))
    except InvalidInput as exc:
        session.rollback()
        return _password_form(request, user, session, errors=exc.errors, status_code=422)
    session.commit()
    if is_htmx(request):
        return _password_form(request, user, session, changed=True)
    return RedirectResponse("/account?password=changed", status_code=303)


@router.post("/account/tokens", name="create_token", dependencies=[CsrfProtected])
def create_token(request: Request, user: CurrentUser, session: SessionDep,
                 name: Annotated[str, Form(max_length=1000)] = "") -> Response:
    """Make an API token and show its secret, this once (so the answer is not a redirect)."""
    try:
        secret, row = accounts.new_api_token(session, user, name)
    except InvalidInput as exc:
        session.rollback()
        return _tokens(request, user, session, errors=exc.errors, name=name, status_code=422)
    session.commit()
    return _tokens(request, user, session, new_secret=secret, new_token=row)


@router.post("/account/tokens/{token_id}/revoke", name="revoke_token", dependencies=[CsrfProtected])
def revoke_token(request: Request, user: CurrentUser, session: SessionDep, token_id: TokenId) -> Response:
    """Revoke one of one's own live tokens; requests made with it are refused from now on."""
    if not revoke_api_token(session, user, token_id):
        return _tokens(request, user, session, status_code=404,
                       errors={"token": f"You have no live API token number {token_id}"})
    session.commit()
    if is_htmx(request):
        return _tokens(request, user, session, revoked=token_id)
    return RedirectResponse("/account#tokens", status_code=303)


def _page(request: Request, user: User, *, tokens: list[ApiToken], status_code: int = 200,
          **extra: Any) -> Response:
    context = {
        "active": "account",
        "tokens": tokens,
        "role_description": DESCRIPTIONS[Role(user.role)],
        "password_changed": request.query_params.get("password") == "changed",
        "password_errors": {},
        "token_errors": {},
        "token_name": "",
        "new_secret": None,
        "new_token": None,
        "revoked": None,
        **extra,
    }
    return render(request, "pages/account.html", context, status_code=status_code, headers=NO_STORE)


def _password_form(request: Request, user: User, session: Session, *, errors: dict[str, str] | None = None,
                   changed: bool = False, status_code: int = 200) -> Response:
    """The password form alone to htmx, else the whole page around it."""
    if is_htmx(request):
        return render(request, "partials/account_password.html",
                      {"password_errors": errors or {}, "password_changed": changed},
                      status_code=status_code, headers=NO_STORE)
    return _page(request, user, tokens=accounts.tokens_of(session, user), status_code=status_code,
                 password_errors=errors or {})


def _tokens(request: Request, user: User, session: Session, *, errors: dict[str, str] | None = None,
            name: str = "", new_secret: str | None = None, new_token: ApiToken | None = None,
            revoked: int | None = None, status_code: int = 200) -> Response:
    """The token list alone to htmx, else the whole page around it."""
    context = {"tokens": accounts.tokens_of(session, user), "token_errors": errors or {},
               "token_name": name, "new_secret": new_secret, "new_token": new_token, "revoked": revoked}
    if is_htmx(request):
        return render(request, "partials/account_tokens.html", context, status_code=status_code,
                      headers=NO_STORE)
    return _page(request, user, status_code=status_code, **context)
