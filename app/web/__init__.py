"""HTML pages and htmx fragments: routes, the Jinja environment and the HTML error pages."""

from __future__ import annotations

from fastapi import FastAPI

from app.web import notes, report
from app.web.error_pages import install_error_handlers, render_error
from app.web.routes import router
from app.web.templating import make_templates


def install(app: FastAPI) -> None:
    """Register the page routes, the templates and the HTML error handlers on ``app``.

    Call it after the API is installed: the error handlers defer to the ones found for ``/api/``.
    """
    app.state.templates = make_templates()
    app.include_router(router)
    app.include_router(notes.router)
    app.include_router(report.router)
    install_error_handlers(app)


__all__ = ["install", "render_error"]
