"""JSON routes for pairs: submit (one or a batch; texts, HTML, URLs or files), list, fetch, fetch
the alignment or a raw source, change the settings, delete.

Reading needs any login; submitting, changing settings and deleting need MANAGE_PAIRS (and, for a
browser's login session rather than an API token, the CSRF token in the X-CSRF-Token header).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from dataclasses import dataclass, field
from math import ceil
from typing import Annotated, Any, Literal
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from sqlalchemy.orm import Session

from app.align import Alignment
from app.api.routing import ApiRoute
from app.auth.csrf import CsrfProtected
from app.auth.deps import require
from app.auth.roles import Permission
from app.config import Settings
from app.db import SessionDep
from app.errors import InvalidInput, TooLarge
from app.ingest import Extracted, IngestError, extract_file, extract_html, fetch_url
from app.ingest.text import human_size
from app.models import Article, ArticleSource, Pair, User
from app.schemas import (
    MAX_BATCH,
    MAX_TITLE,
    SOURCE_FIELDS,
    AlignmentDocument,
    ArticleIn,
    BatchIn,
    BatchItemOut,
    BatchOut,
    ErrorMessage,
    FieldError,
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

Side = Annotated[Literal["original", "copy"], Path(description="Which text: `original` or `copy`.")]
FORMAT_TYPES = {"txt": "text/plain", "md": "text/markdown", "html": "text/html", "pdf": "application/pdf",
                "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}

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
    description="Per side, send the `text` (stored exactly as sent: line endings and surrounding "
                "whitespace included), or `html` to extract the article from, or a `url` for the "
                "server to fetch it from, or a file as `file_base64` with its `filename`. The raw "
                "html, page or file is kept with its SHA-256 (`source`; its bytes at "
                "`source.raw_url`; `source.encoding_detected` says when an encoding was guessed). "
                "Both texts are aligned; the response is the new pair with its summary. The "
                "`Location` header names the pair in the API; `url` is its comparison page.",
    response_description="The pair was stored and aligned.",
    responses={
        400: {"model": ErrorMessage, "description": "The body is not JSON, or not a JSON object."},
        413: {"model": FieldErrors | ErrorMessage,
              "description": "A text is over the `max_text_bytes` setting or a file or page over its "
                             "limit (field errors), or the whole body is far over the limit (a "
                             "message; the body is not read)."},
        415: {"model": ErrorMessage, "description": "The body is not sent as application/json."},
        422: {"model": FieldErrors,
              "description": "A field is missing, of the wrong type, or invalid: an empty text, a "
                             "source URL that is not http(s), a title over 500 characters, a file "
                             "or page copydesk cannot read, an address it does not fetch."},
    },
)
def create_pair(body: PairIn, request: Request, response: Response, session: SessionDep,
                settings: SettingsDep, user: PairManager) -> PairOut:
    out = _create(body, request, session, settings, user)
    session.commit()
    response.headers["Location"] = out.api_url
    return out


@router.post(
    "/pairs/batch",
    response_model=BatchOut,
    operation_id="createPairs",
    dependencies=[CsrfProtected],
    summary="Submit several pairs at once",
    description=f"Up to {MAX_BATCH} pairs, each as POST /api/v1/pairs takes it. Each item is stored "
                "or refused on its own: the answer lists, in order, the stored pair (status 201) or "
                "the errors (status 413 or 422) of each item. Pages are fetched one after another, "
                "so a batch of addresses may take a while.",
    responses={
        400: {"model": ErrorMessage, "description": "The body is not JSON, or not a JSON object."},
        413: {"model": ErrorMessage, "description": "The body is far over the size limit (not read)."},
        415: {"model": ErrorMessage, "description": "The body is not sent as application/json."},
        422: {"model": FieldErrors, "description": "`items` is missing, empty, not a list, or longer "
                                                   f"than {MAX_BATCH}."},
    },
)
def create_pairs(body: BatchIn, request: Request, session: SessionDep, settings: SettingsDep,
                 user: PairManager) -> BatchOut:
    items = [_batch_item(index, item, request, session, settings, user) for index, item in enumerate(body.items)]
    session.commit()
    created = sum(1 for item in items if item.pair is not None)
    return BatchOut(items=items, created=created, failed=len(items) - created)


@router.get(
    "/pairs/{pair_id}/sources/{side}",
    response_class=Response,
    operation_id="getSource",
    dependencies=READ,
    summary="Fetch the raw input one side's text was read from",
    description="The uploaded file, fetched page or pasted HTML exactly as received, as a download. "
                "`X-Content-SHA256` carries the SHA-256 of the bytes (the same as `source.sha256` "
                "of the article). 404 when that side was sent as text.",
    responses={200: {"content": {"application/octet-stream": {}},
                     "description": "The bytes, with the media type of their format."},
               **NOT_FOUND},
)
def get_source(pair_id: PairId, side: Side, session: SessionDep) -> Response:
    source = service.get_source(session, pair_id, side)
    name = source.filename or f"pair-{pair_id}-{side}.{source.format}"
    return Response(content=source.raw, media_type=_media_type(source), headers={
        "X-Content-SHA256": source.sha256,
        "Content-Disposition": _attachment(name),
        # The bytes are someone else's page: never run it as ours.
        "Content-Security-Policy": "sandbox; default-src 'none'",
        "X-Content-Type-Options": "nosniff",
    })


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
    sources = service.source_metadata(session, [i for pair in rows for i in (pair.original_id, pair.copy_id)])
    pages = ceil(total / size)
    return PairPage(
        items=[PairOut.model_validate(_pair_data(request, pair, _stored_summary(pair), sources=sources,
                                                 open_notes=counts[pair.id]))
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
    sources = service.source_metadata(session, [pair.original_id, pair.copy_id])
    return PairDetail.model_validate(_pair_data(request, pair, _summary(alignment), sources=sources, texts=True,
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


def _create(body: PairIn, request: Request, session: Session, settings: Settings, user: User) -> PairOut:
    """Read both sides, store the pair (not committed) and describe it; InvalidInput naming the
    field sent (``copy.url``) when a side cannot be read or stored."""
    read = {side: _read_side(side, data, settings) for side, data in (("original", body.original),
                                                                       ("copy", body.copy_))}
    problems = {key: message for reading in read.values() for key, message in reading.errors.items()}
    if problems:
        too_large = any(reading.too_large for reading in read.values())
        raise (TooLarge if too_large else InvalidInput)(problems)
    try:
        pair = service.create_pair(session, read["original"].article, read["copy"].article,
                                   max_bytes=settings.max_text_bytes, title=body.title, user=user)
    except InvalidInput as exc:
        # A text read from html, a page or a file is reported at the field that was sent.
        raise type(exc)({_sent_field(key, read): message for key, message in exc.errors.items()}) from None
    alignment = service.alignment_for(session, pair)
    sources = service.source_metadata(session, [pair.original_id, pair.copy_id])
    return PairOut.model_validate(_pair_data(request, pair, _summary(alignment), sources=sources))


@dataclass
class _Reading:
    """One side as read from the request: the input to store, or the errors of the field sent."""

    sent: str
    article: service.ArticleInput = service.ArticleInput(title="", text="")
    errors: dict[str, str] = field(default_factory=dict)
    too_large: bool = False


def _read_side(side: str, data: ArticleIn, settings: Settings) -> _Reading:
    sent = next(name for name in SOURCE_FIELDS if getattr(data, name) is not None)
    reading = _Reading(sent=sent)
    if data.text is not None:
        reading.article = service.ArticleInput(title=data.title or "", text=data.text, source_url=data.source_url)
        return reading
    try:
        kind, extracted = _extract(data, settings)
    except IngestError as exc:
        reading.errors[f"{side}.{sent}"] = exc.message
        reading.too_large = exc.too_large
        return reading
    reading.article = service.ArticleInput(
        title=data.title or (extracted.title or "")[:MAX_TITLE], text=extracted.text,
        source_url=data.source_url, source=service.RawSource.from_extracted(kind, extracted))
    return reading


def _extract(data: ArticleIn, settings: Settings) -> tuple[service.SourceKind, Extracted]:
    if data.html is not None:
        size = len(data.html.encode("utf-8"))
        if size > settings.max_upload_bytes:
            raise IngestError(f"The HTML is {human_size(size)}; the limit is {human_size(settings.max_upload_bytes)}",
                              too_large=True)
        return "html", extract_html(data.html)
    if data.url is not None:
        return "url", fetch_url(data.url, settings=settings.fetch_settings())
    try:
        raw = base64.b64decode("".join((data.file_base64 or "").split()), validate=True)
    except (binascii.Error, ValueError):
        raise IngestError("file_base64 is not valid base64") from None
    return "file", extract_file(raw, filename=data.filename, content_type=data.content_type,
                                max_bytes=settings.max_upload_bytes)


def _sent_field(key: str, read: dict[str, _Reading]) -> str:
    """``copy.text`` as ``copy.url`` when the copy's text was fetched from a URL.

    >>> _sent_field("copy.text", {"copy": _Reading(sent="url")}), _sent_field("copy.title", {})
    ('copy.url', 'copy.title')
    """
    side, _, name = key.partition(".")
    return f"{side}.{read[side].sent}" if name == "text" else key


def _batch_item(index: int, item: object, request: Request, session: Session, settings: Settings,
                user: User) -> BatchItemOut:
    try:
        body = PairIn.model_validate(item)
    except ValidationError as exc:
        return BatchItemOut(index=index, status=422, pair=None, errors=[
            FieldError(loc=list(error["loc"]), msg=error["msg"], type=error["type"]) for error in exc.errors()])
    try:
        pair = _create(body, request, session, settings, user)
    except InvalidInput as exc:
        return BatchItemOut(index=index, status=exc.status, pair=None, errors=[
            FieldError(loc=key.split("."), msg=message, type="value_error") for key, message in exc.errors.items()])
    return BatchItemOut(index=index, status=201, pair=pair, errors=[])


def _media_type(source: ArticleSource) -> str:
    """The media type of the source's format, with the charset its text was decoded with."""
    media_type = FORMAT_TYPES[source.format]
    return f"{media_type}; charset={source.encoding}" if source.encoding else media_type


def _attachment(filename: str) -> str:
    """A Content-Disposition for ``filename``: an ASCII fallback and the name itself (RFC 6266).

    >>> print(_attachment('Café "draft".docx'))
    attachment; filename="Caf_ _draft_.docx"; filename*=UTF-8''Caf%C3%A9%20%22draft%22.docx
    """
    fallback = "".join(c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in filename)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def _link(request: Request, path: str) -> str:
    """A root-relative link that survives a proxy mounting the app under a prefix."""
    return request.scope.get("root_path", "").rstrip("/") + path


def _page_link(request: Request, page: int, size: int) -> str:
    return _link(request, f"{PREFIX}/pairs?{urlencode({'page': page, 'page_size': size})}")


def _pair_data(request: Request, pair: Pair, summary: SummaryOut | None, *,
               sources: Mapping[int, ArticleSource], texts: bool = False, open_notes: int = 0) -> dict[str, Any]:
    """The pair as the response models take it; ``sources`` are the raw sources by article id
    (see ``service.source_metadata``)."""
    api_url = _link(request, f"{PREFIX}/pairs/{pair.id}")
    return {
        "id": pair.id,
        "url": _link(request, f"/pairs/{pair.id}"),
        "api_url": api_url,
        "alignment_url": f"{api_url}/alignment",
        "title": pair.title,
        "created_at": pair.created_at,
        "original": _article_data(pair.original, sources.get(pair.original_id), f"{api_url}/sources/original",
                                  texts=texts),
        "copy": _article_data(pair.copy, sources.get(pair.copy_id), f"{api_url}/sources/copy", texts=texts),
        "summary": summary,
        "verdict": pair.verdict,
        "open_notes": open_notes,
    }


def _article_data(article: Article, source: ArticleSource | None, raw_url: str, *, texts: bool) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": article.id, "title": article.title, "source_url": article.source_url,
        "sha256": article.sha256, "length": article.length, "created_at": article.created_at,
        "source": _source_data(source, raw_url) if source is not None else None,
    }
    if texts:
        data["text"] = article.text
    return data


def _source_data(source: ArticleSource, raw_url: str) -> dict[str, Any]:
    return {
        "kind": source.kind, "format": source.format, "filename": source.filename,
        "content_type": source.content_type, "encoding": source.encoding,
        "encoding_detected": source.encoding_detected, "size": source.size, "sha256": source.sha256,
        "url": source.url, "final_url": source.final_url, "http_status": source.http_status,
        "fetched_at": source.fetched_at, "raw_url": raw_url,
    }


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
