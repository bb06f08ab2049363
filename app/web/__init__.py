"""HTML pages and htmx fragments."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response


def install(app: FastAPI) -> None:
    """Register the page routes on ``app``."""


def render_error(request: Request, status: int, message: str) -> Response:
    """An error page (or an error partial for htmx requests) with ``status``."""
    return HTMLResponse(f"<p>{message}</p>", status_code=status)
