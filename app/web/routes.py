"""HTML routes: the dashboard, the new-comparison form, the comparison page, its settings, deletion.

Every route needs a login; changing anything needs the MANAGE_PAIRS permission and the CSRF token.
The account, users and login pages are included from their own modules.
"""

from __future__ import annotations

import math
from typing import Annotated, cast

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.auth.csrf import CsrfProtected, check_csrf
from app.auth.deps import require
from app.auth.roles import Permission
from app.config import Settings
from app.db import SessionDep
from app.errors import InvalidInput, NotFound
from app.models import Pair, User
from app.services.pairs import alignment_for, change_settings, delete_pair, get_pair, list_pairs
from app.web import account, admin_users, auth_pages
from app.web.error_pages import render_error
from app.web.forms import PairForm, PreviewForm, body_limit, part_limit, read_pair_form, read_preview_form
from app.web.pair_page import dashboard_context, render_report
from app.web.settings_form import SettingsForm, read_settings_form
from app.web.templating import filesize, is_htmx, render
from app.web.upload_preview import pending_store, prepare, save
from app.web.view import ROW_FILTERS, RowFilter, View

router = APIRouter(include_in_schema=False)
router.include_router(auth_pages.router)
router.include_router(account.router)
router.include_router(admin_users.router)

READ = [Depends(require(Permission.READ))]
MANAGE_PAIRS = [Depends(require(Permission.MANAGE_PAIRS))]
# Routes that read their own (large) form call check_csrf themselves once it is read.
CHANGE_PAIRS = [*MANAGE_PAIRS, CsrfProtected]
PairManager = Annotated[User, Depends(require(Permission.MANAGE_PAIRS))]

PairId = Annotated[int, Path(ge=1, le=2**63 - 1)]
# Room in the preview's body beyond its two texts: titles, addresses, tokens, boundaries.
PREVIEW_SLACK = 64 * 1024


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


@router.get("/", name="dashboard", dependencies=READ)
def dashboard(request: Request, session: SessionDep,
              page: Annotated[int, Query(ge=1, le=1_000_000)] = 1) -> Response:
    """Every comparison, newest first, one page at a time."""
    page_size = _settings(request).page_size
    pairs, total = list_pairs(session, page=page, page_size=page_size)
    return render(request, "pages/dashboard.html", {
        "pairs": pairs,
        "total": total,
        "page": page,
        "pages": max(1, math.ceil(total / page_size)),
        "active": "dashboard",
        **dashboard_context(session, pairs),
    })


@router.get("/pairs/new", name="new_pair", dependencies=MANAGE_PAIRS)
def new_pair(request: Request) -> Response:
    """The empty form."""
    return _form_page(request, PairForm())


@router.post("/pairs/new/preview", name="preview_pair")
async def preview(request: Request, user: PairManager) -> Response:
    """Read both sides (files, pages, pasted HTML or text) and show what was read, to correct and
    confirm; nothing is stored yet. On any problem, the form again with the input kept."""
    settings = _settings(request)
    data = await _read_form(request, body_limit(settings.max_text_bytes, settings.max_upload_bytes),
                            part_limit(settings.max_text_bytes, settings.max_upload_bytes))
    if isinstance(data, Response):
        return data
    store = pending_store(request)
    try:
        check_csrf(request, data)
        form = await read_pair_form(data, store=store, user_id=user.id)
    finally:
        await data.close()
    result = await run_in_threadpool(prepare, form, settings=settings, store=store, user_id=user.id)
    if result is None:
        return _form_page(request, form)
    return _preview_page(request, result)


@router.post("/pairs/new", name="create_pair")
async def create(request: Request, session: SessionDep, user: PairManager) -> Response:
    """Store the pair as confirmed in the preview (texts, and tokens of the raw inputs they were
    read from) and show it; on any problem, the preview again with the input kept."""
    settings = _settings(request)
    # A text box at the limit, with room for a browser's CRLF line breaks.
    field_limit = 4 * settings.max_text_bytes
    data = await _read_form(request, 2 * field_limit + PREVIEW_SLACK, field_limit)
    if isinstance(data, Response):
        return data
    store = pending_store(request)
    try:
        check_csrf(request, data)
        form = read_preview_form(data, store=store, user_id=user.id)
    finally:
        await data.close()
    if form.errors:
        return _preview_page(request, form)
    try:
        pair_id = await run_in_threadpool(_store, session, form, settings.max_text_bytes, user)
    except InvalidInput as exc:
        form.errors.update(exc.errors)
        form.too_large = exc.status == 413
        return _preview_page(request, form)
    for side in form.sides:
        if side.pending is not None:
            store.drop(side.pending.token)
    return RedirectResponse(f"/pairs/{pair_id}", status_code=303)


async def _read_form(request: Request, limit: int, field_limit: int) -> FormData | Response:
    """The submitted form, or the empty form page saying why it was not read."""
    settings = _settings(request)
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > limit:
        return _form_page(request, PairForm(too_large=True), message=_too_big_message(settings))
    try:
        return await request.form(max_part_size=field_limit)
    except StarletteHTTPException as exc:
        if "maximum size" in str(exc.detail):
            return _form_page(request, PairForm(too_large=True), message=_too_big_message(settings))
        return _form_page(request, PairForm(), status_code=400,
                          message=f"The form could not be read ({exc.detail}). Please submit it again.")


def _store(session: Session, form: PreviewForm, max_bytes: int, user: User) -> int:
    pair = save(session, form, max_bytes=max_bytes, user=user)
    session.commit()
    return pair.id


def _too_big_message(settings: Settings) -> str:
    return (f"The submission is far larger than the limits of {filesize(settings.max_text_bytes)} "
            f"per text and {filesize(settings.max_upload_bytes)} per file, so it was not read. "
            "Please choose smaller texts or files.")


def _form_page(request: Request, form: PairForm, *, status_code: int | None = None,
               message: str = "") -> Response:
    if status_code is None:
        status_code = form.status_code if (form.errors or message) else 200
    settings = _settings(request)
    return render(request, "pages/new_pair.html", {
        "form": form,
        "errors": form.errors,
        "message": message,
        "max_text_bytes": settings.max_text_bytes,
        "max_upload_bytes": settings.max_upload_bytes,
        "active": "new",
    }, status_code=status_code)


def _preview_page(request: Request, form: PreviewForm) -> Response:
    return render(request, "pages/preview_pair.html", {
        "form": form,
        "errors": form.errors,
        "active": "new",
    }, status_code=form.status_code if form.errors else 200)


@router.get("/pairs/{pair_id}", name="pair", dependencies=READ)
def show_pair(request: Request, pair_id: PairId, session: SessionDep,
              hide_verbatim: bool = False, strip_injected: bool = False, rows: RowFilter = "all") -> Response:
    """The side-by-side comparison; to htmx, only the report partial (figures, facts, rows)."""
    pair = _find(session, pair_id)
    if pair is None:
        return _missing(request, pair_id)
    alignment = alignment_for(session, pair)
    session.commit()  # the first view stores the alignment it computed
    view = View(hide_verbatim=hide_verbatim, strip_injected=strip_injected, rows=rows)
    return render_report(request, session, pair, alignment, view)


@router.post("/pairs/{pair_id}/settings", name="pair_settings", dependencies=[CsrfProtected])
async def save_settings(request: Request, pair_id: PairId, session: SessionDep, user: PairManager) -> Response:
    """Store the reviewer's settings on the pair and re-align it; the page (or, to htmx, the
    report partial) again with the message next to the field when a value is not acceptable."""
    async with request.form() as data:
        form = read_settings_form(data)
        view = View(hide_verbatim=_flag(data.get("hide_verbatim")),
                    strip_injected=_flag(data.get("strip_injected")), rows=_row_filter(data.get("rows")))
    return await run_in_threadpool(_apply_settings, request, session, pair_id, form, view, user)


def _apply_settings(request: Request, session: Session, pair_id: int, form: SettingsForm,
                    view: View, user: User) -> Response:
    pair = _find(session, pair_id)
    if pair is None:
        return _missing(request, pair_id)
    if form.errors or form.value is None:
        alignment = alignment_for(session, pair)
        session.commit()
        return render_report(request, session, pair, alignment, view, form=form, status_code=422)
    try:
        alignment = change_settings(session, pair, min_similarity=form.value,
                                    quotes_copied=form.quotes_copied, user=user)
    except InvalidInput as exc:
        session.rollback()
        form.errors.update(exc.errors)
        return render_report(request, session, pair, alignment_for(session, pair), view, form=form,
                             status_code=422)
    session.commit()
    if is_htmx(request):
        return render_report(request, session, pair, alignment, view, saved=True)
    return RedirectResponse(view.url(pair.id), status_code=303)


def _flag(value: object) -> bool:
    return value in ("1", "true", "on", "yes")


def _row_filter(value: object) -> RowFilter:
    """The settings form keeps the page's row filter; anything unknown shows all rows."""
    return cast(RowFilter, value) if isinstance(value, str) and value in ROW_FILTERS else "all"


@router.get("/pairs/{pair_id}/delete", name="confirm_delete", dependencies=MANAGE_PAIRS)
def confirm_delete(request: Request, pair_id: PairId, session: SessionDep) -> Response:
    """Ask before deleting: the form on this page does it."""
    pair = _find(session, pair_id)
    if pair is None:
        return _missing(request, pair_id)
    return render(request, "pages/confirm_delete.html", {"pair": pair})


@router.post("/pairs/{pair_id}/delete", name="delete_pair", dependencies=CHANGE_PAIRS)
def delete(request: Request, pair_id: PairId, session: SessionDep) -> Response:
    """Delete the pair (and its texts when nothing else uses them), then back to the dashboard."""
    try:
        delete_pair(session, pair_id)
    except NotFound:
        return _missing(request, pair_id)
    session.commit()
    return RedirectResponse("/", status_code=303)


def _find(session: Session, pair_id: int) -> Pair | None:
    try:
        return get_pair(session, pair_id)
    except NotFound:
        return None


def _missing(request: Request, pair_id: int) -> Response:
    return render_error(request, 404, f"There is no comparison number {pair_id}. "
                                      "It may have been deleted, or the link is mistyped.")
