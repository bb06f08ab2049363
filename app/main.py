"""The application factory: wires settings, database, routers, static files, error handling, and
the first admin of an empty installation."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from app import __version__
from app.auth.accounts import FIRST_ADMIN, create_first_admin
from app.auth.tokens import now
from app.config import PROJECT_ROOT, Settings
from app.db import make_engine, make_sessionmaker
from app.errors import CopydeskError, InvalidInput, NotAuthenticated

FIRST_ADMIN_NOTICE = """
copydesk: there were no users, so an admin account was created. Its password is shown only this once:

    username: {username}
    password: {password}

Log in with it and change the password on the account page (/account).
"""


def create_app(settings: Settings | None = None) -> FastAPI:
    """A ready-to-serve app. On start (the ASGI lifespan) it creates the first admin when the
    database has no users and ``create_admin`` is on; otherwise nothing touches the database
    until a request does."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if settings.create_admin:
            await run_in_threadpool(announce_first_admin, app.state.sessionmaker)
        yield

    app = FastAPI(
        title="copydesk",
        version=__version__,
        description="Compare an original article with a suspected copy: aligned paragraphs, "
                    "colour-coded reuse, and the figures behind them. Every route needs an API "
                    "token (`Authorization: Bearer ...`, made on the account page).",
        docs_url="/docs",
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
        lifespan=lifespan,
    )
    engine = make_engine(settings.database_url)
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessionmaker = make_sessionmaker(engine)
    # What time it is, for login throttling; tests put a clock of their own here.
    app.state.clock = now
    app.mount("/static", StaticFiles(directory=PROJECT_ROOT / "static"), name="static")

    from app import api, web
    from app.web.auth_pages import login_redirect

    api.install(app)
    web.install(app)

    @app.exception_handler(CopydeskError)
    async def _domain_error(request: Request, exc: CopydeskError) -> Response:
        if request.url.path.startswith("/api/"):
            detail: object = exc.message
            if isinstance(exc, InvalidInput):
                detail = [{"loc": key.split("."), "msg": msg} for key, msg in exc.errors.items()]
            headers = {"WWW-Authenticate": "Bearer"} if isinstance(exc, NotAuthenticated) else None
            return JSONResponse({"detail": detail}, status_code=exc.status, headers=headers)
        if isinstance(exc, NotAuthenticated):
            return login_redirect(request)
        return web.render_error(request, exc.status, exc.message)

    return app


def announce_first_admin(factory: sessionmaker[Session]) -> None:
    """Create the first admin of an installation without users and print its password to the
    console, once: the next start finds a user and says nothing."""
    with factory() as session:
        try:
            password = create_first_admin(session)
            session.commit()
        except IntegrityError:
            return  # another worker process created it at the same moment
        except SQLAlchemyError as exc:
            print(f"copydesk: could not look for users ({type(exc).__name__}); is the database migrated? "
                  "Run `copydesk migrate`.", file=sys.stderr, flush=True)
            return
    if password is not None:
        print(FIRST_ADMIN_NOTICE.format(username=FIRST_ADMIN, password=password), file=sys.stderr, flush=True)
