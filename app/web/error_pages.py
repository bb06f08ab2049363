"""Errors as HTML: an error page in the site layout, or an error partial for htmx requests.

The handlers installed here answer for every path outside ``/api/``; API paths are handed to the
handler that was registered before (the API's own, or FastAPI's default JSON one).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler, request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.web.templating import is_htmx, render

Handler = Callable[[Request, Exception], Awaitable[Response] | Response]

TITLES = {
    400: "Bad request",
    403: "Not allowed",
    404: "Page not found",
    405: "Method not allowed",
    413: "Too large",
    422: "Something in the request is not right",
    429: "Too many attempts",
    500: "Something went wrong",
}
SERVER_ERROR = ("Something went wrong on our side and the page could not be shown. "
                "Nothing you submitted was lost; please try again.")


def render_error(request: Request, status: int, message: str, *,
                 headers: dict[str, str] | None = None) -> Response:
    """An error page with ``status``, or the error partial when htmx asked for a fragment."""
    context = {"status": status, "title": _title(status), "message": message}
    if is_htmx(request):
        # htmx swaps it into the page's message area and leaves the address bar alone.
        htmx_headers = {"HX-Retarget": "#flash", "HX-Reswap": "innerHTML", "HX-Push-Url": "false"}
        return render(request, "partials/error.html", context, status_code=status,
                      headers={**htmx_headers, **(headers or {}), "Vary": "HX-Request"})
    return render(request, "pages/error.html", context, status_code=status,
                  headers={**(headers or {}), "Vary": "HX-Request"})


def _title(status: int) -> str:
    if status in TITLES:
        return TITLES[status]
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def install_error_handlers(app: FastAPI) -> None:
    """HTML answers for HTTP errors, invalid requests and crashes outside ``/api/``."""
    previous_http: Handler = app.exception_handlers.get(StarletteHTTPException, http_exception_handler)
    previous_invalid: Handler = app.exception_handlers.get(
        RequestValidationError, request_validation_exception_handler)
    previous_crash: Handler | None = app.exception_handlers.get(Exception) or app.exception_handlers.get(500)

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        if _is_api(request):
            return await _call(previous_http, request, exc)
        message = exc.detail if exc.status_code != 404 else (
            "There is no page at this address. It may have been deleted, or the link is mistyped.")
        return render_error(request, exc.status_code, str(message), headers=exc.headers)

    async def invalid_request(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        if _is_api(request):
            return await _call(previous_invalid, request, exc)
        problems = list(exc.errors())
        if any(problem.get("loc", ("",))[0] == "path" for problem in problems):
            # /pairs/abc names no pair: that is a missing page, not a malformed request.
            return render_error(request, 404, "There is no page at this address.")
        details = "; ".join(f"{_where(problem)}: {problem.get('msg', 'is not valid')}" for problem in problems)
        return render_error(request, 422, f"The request could not be understood ({details}).")

    async def crash(request: Request, exc: Exception) -> Response:
        # Starlette re-raises after answering, so the server still logs the traceback.
        if _is_api(request):
            if previous_crash is not None:
                return await _call(previous_crash, request, exc)
            return JSONResponse({"detail": "Internal Server Error"}, status_code=500)
        return render_error(request, 500, SERVER_ERROR)

    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, invalid_request)
    app.add_exception_handler(Exception, crash)


def _where(problem: dict[str, Any]) -> str:
    parts = [str(part) for part in problem.get("loc") or ()]
    # ("query", "page") reads as "page"; the first element only names where the value came from.
    return " ".join(parts[1:] or parts) or "request"


async def _call(handler: Handler, request: Request, exc: Exception) -> Response:
    result = handler(request, exc)
    if isinstance(result, Response):
        return result
    return await result
