"""The Jinja environment of the HTML pages: template folder, filters, static URLs, rendering."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

import jinja2
from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import HTMLResponse

from app import __version__
from app.auth.csrf import session_csrf_token
from app.auth.roles import Permission, can
from app.config import PROJECT_ROOT
from app.models import User

TEMPLATES_DIR = PROJECT_ROOT / "templates"
STATIC_DIR = PROJECT_ROOT / "static"

HTMX_PATH = "vendor/htmx.min.js"
HTMX_VERSION = "2.0.11"
HTMX_SHA384 = "2OatzQy1H+Zd/IIrjr1TcuDGqLXeHhbooAyJY1KdQMKnr4LZ22k31GBLdYKHmVjg"

# Pages load nothing from elsewhere and run no inline script, so user text that slipped past
# escaping still could not execute. (FastAPI's /docs needs a CDN, so this is not app-wide.)
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def make_templates() -> Jinja2Templates:
    """The template renderer: autoescaping everywhere, undefined names are errors."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["percent"] = percent
    env.filters["datetime"] = format_datetime
    env.filters["isodatetime"] = iso_datetime
    env.filters["paragraphs"] = paragraph_list
    env.filters["filesize"] = filesize
    env.globals["static_url"] = static_url
    env.globals["app_version"] = __version__
    env.globals["htmx_integrity"] = f"sha384-{HTMX_SHA384}"
    env.globals["htmx_path"] = HTMX_PATH
    return Jinja2Templates(env=env)


def render(request: Request, template: str, context: Mapping[str, Any] | None = None, *,
           status_code: int = 200, headers: Mapping[str, str] | None = None) -> HTMLResponse:
    """``template`` rendered with ``context`` and the security headers every page carries.

    Every template also gets ``user`` (the logged-in User or None), ``csrf_token`` (the value
    forms send back as the hidden ``csrf_token`` field; "" without a login session) and
    ``may("manage_pairs")``, whether the user's role has a permission (to hide what it may not use;
    the server checks again).
    """
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(
        request, template, {**auth_context(request), **(context or {})}, status_code=status_code,
        headers={**SECURITY_HEADERS, **(headers or {})},
    )


def auth_context(request: Request) -> dict[str, Any]:
    """Who is asking, for the templates: see :func:`render`."""
    user: User | None = getattr(request.state, "user", None)
    may: Callable[[str], bool] = partial(_may, user)
    return {"user": user, "csrf_token": session_csrf_token(request), "may": may}


def _may(user: User | None, permission: str) -> bool:
    return user is not None and can(user.role, Permission(permission))


def is_htmx(request: Request) -> bool:
    """True for an htmx request that wants a fragment (a history restore wants the whole page)."""
    return (request.headers.get("HX-Request") == "true"
            and request.headers.get("HX-History-Restore-Request") != "true")


def static_url(path: str) -> str:
    """URL of a file under static/, with a content hash so browsers never run stale code.

    >>> static_url("vendor/htmx.min.js").startswith("/static/vendor/htmx.min.js?v=")
    True
    """
    return f"/static/{path}?v={_digest(path)}"


@lru_cache(maxsize=64)
def _digest(path: str) -> str:
    file = STATIC_DIR / path
    if not file.is_file() or not file.resolve().is_relative_to(STATIC_DIR.resolve()):
        raise ValueError(f"no static file {path!r}")
    return hashlib.sha256(Path(file).read_bytes()).hexdigest()[:12]


def percent(value: float | None) -> str:
    """A share 0..1 as a whole percentage that never claims 0% or 100% when it is not exact.

    >>> [percent(v) for v in (None, 0, 0.004, 0.5, 0.7249, 0.996, 1)]
    ['–', '0%', '<1%', '50%', '72%', '99%', '100%']
    """
    if value is None:
        return "–"
    share = value * 100
    if 0 < share < 1:
        return "<1%"
    if 99 < share < 100:
        return "99%"
    return f"{math.floor(share + 0.5):d}%"


def _as_utc(value: datetime) -> datetime:
    # SQLite hands back naive datetimes; every stored time is UTC.
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def format_datetime(value: datetime) -> str:
    """A stored time for people: ``2026-11-22 23:15 UTC``.

    >>> format_datetime(datetime(2026, 11, 22, 23, 15, 7))
    '2026-11-22 23:15 UTC'
    """
    return _as_utc(value).strftime("%Y-%m-%d %H:%M UTC")


def iso_datetime(value: datetime) -> str:
    """A stored time for ``<time datetime>``.

    >>> iso_datetime(datetime(2026, 11, 22, 23, 15, 7))
    '2026-11-22T23:15:07Z'
    """
    return _as_utc(value).strftime("%Y-%m-%dT%H:%M:%SZ")


def paragraph_list(indices: tuple[int, ...] | list[int]) -> str:
    """Zero-based paragraph indices as people number them: runs collapse to ranges.

    >>> paragraph_list((0,)), paragraph_list((2, 3, 4)), paragraph_list((1, 5, 6)), paragraph_list(())
    ('¶ 1', '¶ 3–5', '¶ 2, 6–7', '')
    """
    if not indices:
        return ""
    numbers = sorted({i + 1 for i in indices})
    runs: list[list[int]] = [[numbers[0], numbers[0]]]
    for n in numbers[1:]:
        if n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    return "¶ " + ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in runs)


def filesize(n: int) -> str:
    """A byte count the way the upload messages say it.

    >>> filesize(2 * 1024 * 1024), filesize(64 * 1024), filesize(100)
    ('2.0 MB', '64 KB', '100 bytes')
    """
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n} bytes"
