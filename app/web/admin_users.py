"""The users page for admins: list accounts, create one, change a role, deactivate or reactivate."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Path, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from app.auth import accounts
from app.auth.csrf import CsrfProtected
from app.auth.deps import require
from app.auth.roles import DESCRIPTIONS, Permission, Role
from app.db import SessionDep
from app.errors import InvalidInput
from app.web.templating import is_htmx, render

router = APIRouter(prefix="/admin/users", include_in_schema=False,
                   dependencies=[Depends(require(Permission.MANAGE_USERS))])

UserId = Annotated[int, Path(ge=1, le=2**63 - 1)]
FormText = Annotated[str, Form(max_length=1000)]
VARY = {"Vary": "HX-Request"}


@router.get("", name="admin_users")
def users_page(request: Request, session: SessionDep) -> Response:
    """Every account with its role, whether it is active, and its last login."""
    return _users(request, session)


@router.post("", name="admin_create_user", dependencies=[CsrfProtected])
def create_user(request: Request, session: SessionDep, username: FormText = "", role: FormText = "",
                password: FormText = "") -> Response:
    """Add an account with an initial password (to be handed over and changed by its owner)."""
    try:
        user = accounts.create_user(session, username, password, role)
    except InvalidInput as exc:
        session.rollback()
        return _users(request, session, errors=exc.errors, form={"username": username, "role": role},
                      status_code=422)
    session.commit()
    return _done(request, session, f"Account {user.username} created ({user.role}).")


@router.post("/{user_id}/role", name="admin_set_role", dependencies=[CsrfProtected])
def set_role(request: Request, session: SessionDep, user_id: UserId, role: FormText = "") -> Response:
    """Give an account another role; the last active admin keeps theirs."""
    user = accounts.get_user(session, user_id)
    try:
        accounts.set_role(session, user, role)
    except InvalidInput as exc:
        session.rollback()
        return _users(request, session, row_errors={user.id: exc.errors.get("role", exc.message)}, status_code=422)
    session.commit()
    return _done(request, session, f"{user.username} is now {user.role}.")


@router.post("/{user_id}/active", name="admin_set_active", dependencies=[CsrfProtected])
def set_active(request: Request, session: SessionDep, user_id: UserId, active: FormText = "") -> Response:
    """Deactivate (logged out everywhere, API tokens refused) or reactivate an account."""
    user = accounts.get_user(session, user_id)
    if active not in ("0", "1"):
        return _users(request, session, row_errors={user.id: "Say whether the account is to be active"},
                      status_code=422)
    try:
        accounts.set_active(session, user, active == "1")
    except InvalidInput as exc:
        session.rollback()
        return _users(request, session, row_errors={user.id: exc.errors.get("active", exc.message)}, status_code=422)
    session.commit()
    return _done(request, session, f"{user.username} is {'active again' if user.active else 'deactivated'}.")


def _done(request: Request, session: Session, message: str) -> Response:
    if is_htmx(request):
        return _users(request, session, message=message)
    return RedirectResponse("/admin/users", status_code=303)


def _users(request: Request, session: Session, *, errors: dict[str, str] | None = None,
           row_errors: dict[int, str] | None = None, form: dict[str, str] | None = None,
           message: str = "", status_code: int = 200) -> Response:
    """The users page, or to htmx the users partial it includes."""
    context: dict[str, Any] = {
        "active": "users",
        "users": accounts.list_users(session),
        "roles": [(role.value, DESCRIPTIONS[role]) for role in Role],
        "errors": errors or {},
        "row_errors": row_errors or {},
        "form": form or {"username": "", "role": Role.VIEWER.value},
        "message": message,
    }
    template = "partials/admin_users.html" if is_htmx(request) else "pages/admin_users.html"
    return render(request, template, context, status_code=status_code, headers=VARY)
