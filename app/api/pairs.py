"""JSON routes for pairs: submit, list, fetch, fetch the alignment, change its settings, delete.

Reading needs any login; submitting, changing settings and deleting need MANAGE_PAIRS (and, for a
browser's login session rather than an API token, the CSRF token in the X-CSRF-Token header).
"""

from __future__ import annotations

from math import ceil
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.responses import JSONResponse

from app.align import Alignment
from app.api.routing import ApiRoute
from app.auth.csrf import CsrfProtected
from app.auth.deps import require
from app.auth.roles import Permission
from app.config import Settings
from app.db import SessionDep
from app.models import Article, Pair, User
from app.schemas import (
    AlignmentDocument,
    ArticleIn,
    ErrorMessage,
    FieldErrors,
    PairDetail,
    PairIn,
    PairOut,
    PairPage,
    SettingsIn,
    SettingsOut,
    SummaryOut,
)
from app.services import pairs as service
from app.services.review import open_note_counts

PREFIX = "/api/v1"
MAX_PAGE_SIZE = 100
MAX_PAGE = 2**31 - 1  # keeps the SQL OFFSET inside every database's integer range
MAX_ID = 2**63 - 1


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(get_settings)]
PairId = Annotated[int, Path(ge=1, le=MAX_ID, description="Id of the pair.", examples=[1])]

NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorMessage, "description": "No pair has this id (or the id is not a whole number)."}}
INVALID_QUERY: dict[int | str, dict[str, Any]] = {
    422: {"model": FieldErrors, "description": "A query parameter is out of range or not a number."}}

router = APIRouter(prefix=PREFIX, tags=["pairs"], route_class=ApiRoute)

READ = [Depends(require(Permission.READ))]
CHANGE_PAIRS = [Depends(require(Permission.MANAGE_PAIRS)), CsrfProtected]
PairManager = Annotated[User, Depends(require(Permission.MANAGE_PAIRS))]


@router.post(
    "/pairs",
    status_code=201,
    response_model=PairOut,
    operation_id="createPair",
    dependencies=[CsrfProtected],
    summary="Submit an original and a suspected copy",
    description="Stores both texts exactly as sent (line endings and surrounding whitespace "
                "included), aligns them, and returns the new pair with its summary. The `Location` "
                "header names the pair in the API; `url` is its comparison page.",
    response_description="The pair was stored and aligned.",
    responses={
        400: {"model": ErrorMessage, "description": "The body is not JSON, or not a JSON object."},
        413: {"model": FieldErrors | ErrorMessage,
              "description": "A text is over the `max_text_bytes` setting (field errors), or the "
                             "whole body is far over it (a message; the body is not read)."},
        415: {"model": ErrorMessage, "description": "The body is not sent as application/json."},
        422: {"model": FieldErrors,
              "description": "A field is missing, of the wrong type, or invalid: an empty text, a "
                             "source URL that is not http(s), a title over 500 characters."},
    },
)
def create_pair(body: PairIn, request: Request, response: Response, session: SessionDep,
                settings: SettingsDep, user: PairManager) -> PairOut:
    pair = service.create_pair(session, _article_input(body.original), _article_input(body.copy_),
                               max_bytes=settings.max_text_bytes, title=body.title, user=user)
    alignment = service.alignment_for(session, pair)
    session.commit()
    out = PairOut.model_validate(_pair_data(request, pair, _summary(alignment)))
    response.headers["Location"] = out.api_url
    return out


@router.get(
    "/pairs",
    response_model=PairPage,
    operation_id="listPairs",
    dependencies=READ,
    summary="List pairs, newest first",
    description="One page of pairs without their texts. Follow `next` and `prev` to move between "
                "pages; a page past the last one is empty. Summaries are those of the stored "
                "alignments (see `summary.engine_version`).",
    responses=INVALID_QUERY,
)
def list_pairs(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    page: Annotated[int, Query(ge=1, le=MAX_PAGE, description="Page number, from 1.")] = 1,
    page_size: Annotated[int | None, Query(
        ge=1, le=MAX_PAGE_SIZE,
        description=f"Pairs per page, 1 to {MAX_PAGE_SIZE}; defaults to the `page_size` setting "
                    f"(at most {MAX_PAGE_SIZE}).",
    )] = None,
) -> PairPage:
    size = page_size or min(settings.page_size, MAX_PAGE_SIZE)
    rows, total = service.list_pairs(session, page=page, page_size=size)
    counts = open_note_counts(session, [pair.id for pair in rows])
    pages = ceil(total / size)
    return PairPage(
        items=[PairOut.model_validate(_pair_data(request, pair, _stored_summary(pair), open_notes=counts[pair.id]))
               for pair in rows],
        page=page,
        page_size=size,
        total=total,
        pages=pages,
        next=_page_link(request, page + 1, size) if page < pages else None,
        prev=_page_link(request, min(page - 1, max(pages, 1)), size) if page > 1 else None,
    )


@router.get(
    "/pairs/{pair_id}",
    response_model=PairDetail,
    operation_id="getPair",
    dependencies=READ,
    summary="Fetch a pair with both texts",
    description="Both articles with their texts exactly as submitted, and the summary of the "
                "pair's alignment (recomputed first if the engine has changed since it was stored).",
    responses=NOT_FOUND,
)
def get_pair(pair_id: PairId, request: Request, session: SessionDep) -> PairDetail:
    pair = service.get_pair(session, pair_id)
    alignment = service.alignment_for(session, pair)
    session.commit()
    return PairDetail.model_validate(_pair_data(request, pair, _summary(alignment), texts=True,
                                                open_notes=open_note_counts(session, [pair.id])[pair.id]))


@router.get(
    "/pairs/{pair_id}/alignment",
    response_model=None,
    operation_id="getAlignment",
    dependencies=READ,
    summary="Fetch the alignment of a pair (copydesk.alignment/1)",
    description="The `copydesk.alignment/1` document, the same as `copydesk align --json` prints: "
                "paragraph spans of both texts, aligned blocks with their kind and score, changes "
                "and summary figures. Offsets are code points into the texts exactly as submitted, "
                "end exclusive. Recomputed (and stored) when the engine has changed.",
    responses={200: {"model": AlignmentDocument, "description": "The alignment document."},
               **NOT_FOUND},
)
def get_alignment(pair_id: PairId, session: SessionDep) -> JSONResponse:
    pair = service.get_pair(session, pair_id)
    alignment = service.alignment_for(session, pair)
    session.commit()
    return JSONResponse(alignment.to_dict())


@router.put(
    "/pairs/{pair_id}/settings",
    response_model=SettingsOut,
    operation_id="putPairSettings",
    dependencies=[CsrfProtected],
    summary="Change a pair's alignment settings and re-align it",
    description="Stores the reviewer's settings on the pair (`min_similarity`, `quotes_copied`; "
                "both required) and aligns it again with them. The alignment document and the "
                "figures served afterwards are made with these settings; send the defaults "
                "(0.3, true) to reset.",
    responses={
        **NOT_FOUND,
        400: {"model": ErrorMessage, "description": "The body is not JSON, or not a JSON object."},
        415: {"model": ErrorMessage, "description": "The body is not sent as application/json."},
        422: {"model": FieldErrors, "description": "A setting is missing, of the wrong type or out "
                                                   "of range; nothing was changed."},
    },
)
def put_settings(pair_id: PairId, body: SettingsIn, request: Request, session: SessionDep,
                 user: PairManager) -> SettingsOut:
    pair = service.get_pair(session, pair_id)
    alignment = service.change_settings(session, pair, min_similarity=body.min_similarity,
                                        quotes_copied=body.quotes_copied, user=user)
    session.commit()
    options = service.pair_options(pair)
    return SettingsOut(
        min_similarity=options.min_similarity,
        quotes_copied=options.quotes_copied,
        is_default=options == service.DEFAULT_OPTIONS,
        alignment_url=_link(request, f"{PREFIX}/pairs/{pair.id}/alignment"),
        summary=_summary(alignment),
    )


@router.delete(
    "/pairs/{pair_id}",
    status_code=204,
    response_class=Response,
    operation_id="deletePair",
    dependencies=CHANGE_PAIRS,
    summary="Delete a pair",
    description="Deletes the pair, its alignment, and its articles unless another pair uses them.",
    response_description="Deleted.",
    responses=NOT_FOUND,
)
def delete_pair(pair_id: PairId, session: SessionDep) -> Response:
    service.delete_pair(session, pair_id)
    session.commit()
    return Response(status_code=204)


def _article_input(data: ArticleIn) -> service.ArticleInput:
    return service.ArticleInput(title=data.title or "", text=data.text, source_url=data.source_url)


def _link(request: Request, path: str) -> str:
    """A root-relative link that survives a proxy mounting the app under a prefix."""
    return request.scope.get("root_path", "").rstrip("/") + path


def _page_link(request: Request, page: int, size: int) -> str:
    return _link(request, f"{PREFIX}/pairs?{urlencode({'page': page, 'page_size': size})}")


def _pair_data(request: Request, pair: Pair, summary: SummaryOut | None, *,
               texts: bool = False, open_notes: int = 0) -> dict[str, Any]:
    api_url = _link(request, f"{PREFIX}/pairs/{pair.id}")
    return {
        "id": pair.id,
        "url": _link(request, f"/pairs/{pair.id}"),
        "api_url": api_url,
        "alignment_url": f"{api_url}/alignment",
        "title": pair.title,
        "created_at": pair.created_at,
        "original": _article_data(pair.original, texts=texts),
        "copy": _article_data(pair.copy, texts=texts),
        "summary": summary,
        "verdict": pair.verdict,
        "open_notes": open_notes,
    }


def _article_data(article: Article, *, texts: bool) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": article.id, "title": article.title, "source_url": article.source_url,
        "sha256": article.sha256, "length": article.length, "created_at": article.created_at,
    }
    if texts:
        data["text"] = article.text
    return data


def _summary(alignment: Alignment) -> SummaryOut:
    return SummaryOut(original_reused=alignment.summary.original_reused,
                      copy_derived=alignment.summary.copy_derived,
                      counts=dict(alignment.summary.counts),
                      engine_version=alignment.engine_version)


def _stored_summary(pair: Pair) -> SummaryOut | None:
    stored = pair.alignment
    if stored is None:
        return None
    return SummaryOut(original_reused=stored.original_reused, copy_derived=stored.copy_derived,
                      counts=dict(stored.result.get("summary", {}).get("counts", {})),
                      engine_version=stored.engine_version)
