"""JSON routes that export: a pair as one JSON document, its notes as W3C Web Annotations
(JSON-LD), and the list of pairs as CSV. Reading only: any login may use them.

The response builders here also serve the same files behind the page links (app.web.report).
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from app.api.pairs import NOT_FOUND, PREFIX, PairId
from app.api.routing import ApiRoute
from app.auth.deps import require
from app.auth.roles import Permission
from app.db import SessionDep
from app.services import exports
from app.services.pairs import alignment_for, get_pair

router = APIRouter(prefix=PREFIX, tags=["exports"], route_class=ApiRoute)
READ = [Depends(require(Permission.READ))]

#: The media type the W3C Web Annotation Protocol asks an annotation server to answer with.
JSON_LD = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'
CSV = "text/csv; charset=utf-8; header=present"
#: Excel reads a CSV file as UTF-8 only when it starts with a byte order mark.
BOM = "\ufeff"


@router.get(
    "/pairs/{pair_id}/export",
    response_class=Response,
    operation_id="exportPair",
    dependencies=READ,
    summary=f"Export a pair as one JSON document ({exports.EXPORT_FORMAT})",
    description="Both texts exactly as stored with their SHA-256, where each came from (the raw "
                "source's metadata and hash; the bytes themselves at each side's `source.raw_url`), "
                "the alignment document (`copydesk.alignment/1`), the pair's settings, its notes with "
                "replies, status history and where each sits in the texts now, the activity log and "
                "the verdict. Recomputes (and stores) the alignment when the engine has changed.",
    responses={200: {"description": "The pair document.", "content": {"application/json": {}}},
               **NOT_FOUND},
)
def export_pair(pair_id: PairId, request: Request, session: SessionDep) -> Response:
    return pair_export_response(request, session, pair_id)


@router.get(
    "/pairs/{pair_id}/annotations",
    response_class=Response,
    operation_id="getPairAnnotations",
    dependencies=READ,
    summary="A pair's notes as a W3C Web Annotation collection (JSON-LD)",
    description="An `AnnotationCollection` whose first (and only) `AnnotationPage` holds every note "
                "as an `Annotation`: the note's body and label, and a target on the side's text "
                "(`/api/v1/pairs/{id}/texts/{side}`) with a `TextQuoteSelector` (exact, prefix, suffix) "
                "and, unless the passage is gone, a `TextPositionSelector` (start, end: where it is now).",
    responses={200: {"description": "The annotation collection.", "content": {JSON_LD: {}}}, **NOT_FOUND},
)
def pair_annotations(pair_id: PairId, request: Request, session: SessionDep) -> Response:
    return annotations_response(request, session, pair_id)


@router.get(
    "/pairs.csv",
    response_class=Response,
    operation_id="exportPairsCsv",
    dependencies=READ,
    summary="The list of pairs as CSV",
    description="Every pair, newest first, one line each: " + ", ".join(f"`{c}`" for c in exports.CSV_COLUMNS)
                + ". UTF-8 with a byte order mark (so spreadsheets read it as UTF-8), comma-separated, "
                "CRLF line ends; figures are shares from 0 to 1. A cell starting with = + - @ (a "
                "formula to a spreadsheet) gets a leading apostrophe.",
    responses={200: {"description": "The CSV file.", "content": {"text/csv": {}}}},
)
def pairs_csv(session: SessionDep) -> Response:
    return pairs_csv_response(session)


def pair_export_response(request: Request, session: Session, pair_id: int) -> Response:
    """The pair document as a download named after the pair."""
    pair = get_pair(session, pair_id)
    alignment = alignment_for(session, pair)
    session.commit()  # a recomputed alignment is stored, as every other read does
    document = exports.pair_document(session, pair, alignment, base_url=_base_url(request))
    return _download(_json(document), "application/json", f"copydesk-pair-{pair.id}.json")


def annotations_response(request: Request, session: Session, pair_id: int) -> Response:
    collection = exports.annotation_collection(session, get_pair(session, pair_id), base_url=_base_url(request))
    return Response(_json(collection), media_type=JSON_LD)


def pairs_csv_response(session: Session) -> Response:
    return _download(BOM + exports.write_csv(exports.pair_rows(session)), CSV, "copydesk-pairs.csv")


def _json(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2)


def _download(content: str, media_type: str, filename: str) -> Response:
    return Response(content, media_type=media_type,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _base_url(request: Request) -> str:
    """The app's absolute address, which annotation ids and targets must be (IRIs)."""
    return str(request.base_url).rstrip("/")
