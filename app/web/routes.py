"""HTML routes: the dashboard, the new-comparison form, the comparison page and deletion."""

from __future__ import annotations

import math
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.config import Settings
from app.db import SessionDep
from app.errors import InvalidInput, NotFound
from app.models import Pair
from app.services.pairs import alignment_for, create_pair, delete_pair, get_pair, list_pairs
from app.web.comparison import build_comparison
from app.web.error_pages import render_error
from app.web.forms import PairForm, body_limit, read_pair_form
from app.web.templating import filesize, is_htmx, render

router = APIRouter(include_in_schema=False)

PairId = Annotated[int, Path(ge=1, le=2**63 - 1)]
# One URL serves the whole page and, to htmx, the rows partial: caches must keep them apart.
VARY = {"Vary": "HX-Request"}


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


@router.get("/", name="dashboard")
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
    })


@router.get("/pairs/new", name="new_pair")
def new_pair(request: Request) -> Response:
    """The empty form."""
    return _form_page(request, PairForm())


@router.post("/pairs/new", name="create_pair")
async def create(request: Request, session: SessionDep) -> Response:
    """Store the submitted pair and show it; on any problem, the form again with the input kept."""
    settings = _settings(request)
    limit = body_limit(settings.max_text_bytes)
    too_big = PairForm(too_large=True)
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > limit:
        return _form_page(request, too_big, message=_too_big_message(settings))
    try:
        data = await request.form(max_part_size=limit)
    except StarletteHTTPException as exc:
        if "maximum size" in str(exc.detail):
            return _form_page(request, too_big, message=_too_big_message(settings))
        return _form_page(request, PairForm(), status_code=400,
                          message=f"The form could not be read ({exc.detail}). Please submit it again.")
    try:
        form = await read_pair_form(data, max_bytes=settings.max_text_bytes)
    finally:
        await data.close()
    if form.errors:
        return _form_page(request, form)
    try:
        pair_id = await run_in_threadpool(_store, session, form, settings.max_text_bytes)
    except InvalidInput as exc:
        form.errors.update(exc.errors)
        form.too_large = exc.status == 413
        return _form_page(request, form)
    return RedirectResponse(f"/pairs/{pair_id}", status_code=303)


def _store(session: Session, form: PairForm, max_bytes: int) -> int:
    pair = create_pair(session, form.original.to_input(), form.copy.to_input(), max_bytes=max_bytes)
    session.commit()
    return pair.id


def _too_big_message(settings: Settings) -> str:
    return (f"The submission is far larger than the limit of {filesize(settings.max_text_bytes)} "
            "per text, so it was not read. "
            "Please choose smaller texts.")


def _form_page(request: Request, form: PairForm, *, status_code: int | None = None,
               message: str = "") -> Response:
    if status_code is None:
        status_code = form.status_code if (form.errors or message) else 200
    return render(request, "pages/new_pair.html", {
        "form": form,
        "errors": form.errors,
        "message": message,
        "max_text_bytes": _settings(request).max_text_bytes,
        "active": "new",
    }, status_code=status_code)


@router.get("/pairs/{pair_id}", name="pair")
def show_pair(request: Request, pair_id: PairId, session: SessionDep,
              hide_verbatim: bool = False) -> Response:
    """The side-by-side comparison; to htmx, only the rows partial."""
    pair = _find(session, pair_id)
    if pair is None:
        return _missing(request, pair_id)
    alignment = alignment_for(session, pair)
    session.commit()  # the first view stores the alignment it computed
    comparison = build_comparison(alignment, pair.original.text, pair.copy.text)
    base = f"/pairs/{pair.id}"
    context = {
        "pair": pair,
        "comparison": comparison,
        "items": comparison.visible(hide_verbatim=hide_verbatim),
        "hide_verbatim": hide_verbatim,
        "toggle_url": base if hide_verbatim else f"{base}?hide_verbatim=1",
    }
    if is_htmx(request):
        return render(request, "partials/rows.html", context, headers=VARY)
    return render(request, "pages/pair.html", context, headers=VARY)


@router.get("/pairs/{pair_id}/delete", name="confirm_delete")
def confirm_delete(request: Request, pair_id: PairId, session: SessionDep) -> Response:
    """Ask before deleting: the form on this page does it."""
    pair = _find(session, pair_id)
    if pair is None:
        return _missing(request, pair_id)
    return render(request, "pages/confirm_delete.html", {"pair": pair})


@router.post("/pairs/{pair_id}/delete", name="delete_pair")
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
