"""The application factory: wires settings, database, routers, static files and error handling."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles

from app import __version__
from app.config import PROJECT_ROOT, Settings
from app.db import make_engine, make_sessionmaker
from app.errors import CopydeskError, InvalidInput


def create_app(settings: Settings | None = None) -> FastAPI:
    """A ready-to-serve app; nothing touches the database until a request does."""
    settings = settings or Settings()
    app = FastAPI(
        title="copydesk",
        version=__version__,
        description="Compare an original article with a suspected copy: aligned paragraphs, "
                    "colour-coded reuse, and the figures behind them.",
        docs_url="/docs",
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
    )
    engine = make_engine(settings.database_url)
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessionmaker = make_sessionmaker(engine)
    app.mount("/static", StaticFiles(directory=PROJECT_ROOT / "static"), name="static")

    from app import api, web

    api.install(app)
    web.install(app)

    @app.exception_handler(CopydeskError)
    async def _domain_error(request: Request, exc: CopydeskError) -> Response:
        if request.url.path.startswith("/api/"):
            detail: object = exc.message
            if isinstance(exc, InvalidInput):
                detail = [{"loc": key.split("."), "msg": msg} for key, msg in exc.errors.items()]
            return JSONResponse({"detail": detail}, status_code=exc.status)
        return web.render_error(request, exc.status, exc.message)

    return app
