"""The evidence report of a pair, as a printable page and as PDF, and the page links to the
exports (the pair as JSON, the list of pairs as CSV). Reading only: any login may use them.

The PDF is the page's own HTML laid out by WeasyPrint, which fetches nothing from the network:
its URL fetcher serves the files under static/ from disk and refuses everything else.
"""

from __future__ import annotations

import mimetypes
from typing import Annotated, Any
from urllib.parse import unquote, urlsplit

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from app.api.exports import pair_export_response, pairs_csv_response
from app.auth.deps import require
from app.auth.roles import Permission
from app.db import SessionDep
from app.models import Pair, utcnow
from app.services.evidence import creation, matched_passages, sides
from app.services.pairs import alignment_for, get_pair, pair_options, summary_without_injected
from app.web.comparison import Comparison
from app.web.pair_page import compare, load_review, page_context
from app.web.settings_form import describe, differences
from app.web.templating import STATIC_DIR, auth_context, render
from app.web.view import View

router = APIRouter(include_in_schema=False)
READ = [Depends(require(Permission.READ))]
PairId = Annotated[int, Path(ge=1, le=2**63 - 1)]

TEMPLATE = "pages/report.html"
#: The address WeasyPrint resolves the page's root-relative links against; nothing answers at
#: it: the fetcher below serves its /static/ paths from disk.
PDF_BASE_URL = "https://copydesk.invalid/"


@router.get("/pairs/{pair_id}/report", name="pair_report", dependencies=READ)
def report(request: Request, pair_id: PairId, session: SessionDep) -> Response:
    """The printable evidence report (print it, or save it as PDF from the browser)."""
    return render(request, TEMPLATE, report_context(session, get_pair(session, pair_id)))


@router.get("/pairs/{pair_id}/report.pdf", name="pair_report_pdf", dependencies=READ)
def report_pdf(request: Request, pair_id: PairId, session: SessionDep) -> Response:
    """The same report as a PDF download."""
    pair = get_pair(session, pair_id)
    templates = request.app.state.templates
    html = templates.get_template(TEMPLATE).render({**auth_context(request), **report_context(session, pair)})
    return Response(render_pdf(html), media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="copydesk-report-pair-{pair.id}.pdf"'})


@router.get("/pairs/{pair_id}/export.json", name="pair_export", dependencies=READ)
def export_json(request: Request, pair_id: PairId, session: SessionDep) -> Response:
    """The pair as JSON, as GET /api/v1/pairs/{id}/export serves it, for the page's link."""
    return pair_export_response(request, session, pair_id)


@router.get("/pairs.csv", name="pairs_csv", dependencies=READ)
def export_csv(session: SessionDep) -> Response:
    """The list of pairs as CSV, as GET /api/v1/pairs.csv serves it, for the dashboard's link."""
    return pairs_csv_response(session)


def report_context(session: Session, pair: Pair) -> dict[str, Any]:
    """Everything the report states: the comparison as the page builds it (every row shown,
    injected text marked, not stripped) and the evidence around it."""
    alignment = alignment_for(session, pair)
    session.commit()  # the first view of a pair stores the alignment it computed, as the page does
    review = load_review(session, pair)
    view = View()
    comparison = compare(pair, alignment, view, review)
    options = pair_options(pair)
    return {
        **page_context(pair, comparison, view, review),
        "sides": sides(pair),
        "made": creation(session, pair),
        "summary": alignment.summary,
        "stripped": summary_without_injected(pair, alignment) if comparison.injected else None,
        "engine_version": alignment.engine_version,
        "settings_words": describe(options),
        "settings_differences": differences(options),
        "passages": matched_passages(pair, alignment),
        "note_rows": note_rows(comparison),
        "generated_at": utcnow(),
    }


def note_rows(comparison: Comparison) -> dict[int, int]:
    """Note id -> the number of the row whose text holds it (notes on no row are left out)."""
    return {span.id: row.number for row in comparison.rows for span in row.notes}


def render_pdf(html: str) -> bytes:
    """``html`` laid out as a PDF, with the static files it links to and nothing else."""
    return HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=StaticFilesOnly()).write_pdf()


class StaticFilesOnly(URLFetcher):
    """WeasyPrint's URL fetcher for the report: a /static/ path under PDF_BASE_URL is read from
    static/ on disk; any other address (a source URL, a file path, data the user typed) is
    refused, so making a PDF neither reaches the network nor reads other files."""

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        base = urlsplit(PDF_BASE_URL)
        root = STATIC_DIR.resolve()
        if (parts.scheme, parts.netloc) == (base.scheme, base.netloc) and parts.path.startswith("/static/"):
            file = (root / unquote(parts.path.removeprefix("/static/"))).resolve()
            if file.is_relative_to(root) and file.is_file():
                content_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
                return URLFetcherResponse(url, file.read_bytes(), {"Content-Type": content_type})
        raise ValueError(f"the PDF report loads only copydesk's own static files, not {url}")
