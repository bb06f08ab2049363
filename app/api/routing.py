"""The API's route class: the request body limit, JSON errors for requests the API cannot read,
and the authentication every API route documents (a bearer API token; 401 without one).

Handling these per route (not as app-wide exception handlers) keeps HTML routes out of it: they
keep FastAPI's defaults or whatever handlers the web layer installs.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Depends, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from fastapi.security import HTTPBearer
from starlette.exceptions import HTTPException
from starlette.types import Message, Receive

from app.config import Settings
from app.errors import InvalidInput
from app.schemas import ErrorMessage

JSON_SLACK = 64 * 1024
Handler = Callable[[Request], Coroutine[Any, Any, Response]]

# Only describes the scheme (the "Authorize" button of /docs); app.auth.deps checks the token.
BEARER = HTTPBearer(auto_error=False, scheme_name="APIToken",
                    description="A personal API token, made on the account page: "
                                "`Authorization: Bearer cdk_...`")
UNAUTHENTICATED: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorMessage, "description": "No API token (or login session), or one that is unknown, "
                                                "revoked, or whose account is deactivated."}}
REFUSED: dict[int | str, dict[str, Any]] = {
    403: {"model": ErrorMessage, "description": "The account's role may not do this (or a browser session "
                                                "sent no valid X-CSRF-Token header); nothing was changed."}}
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def body_limit(settings: Settings) -> int:
    """Largest request body read: two sides at their size limit, plus room for JSON and titles. A
    side is a text of at most ``max_text_bytes`` or a file of at most ``max_upload_bytes`` sent as
    base64 (four bytes for every three).

    >>> body_limit(Settings(max_text_bytes=1000, max_upload_bytes=600))
    67536
    >>> body_limit(Settings(max_text_bytes=1000, max_upload_bytes=3000))
    73536
    """
    return 2 * side_limit(settings) + JSON_SLACK


def side_limit(settings: Settings) -> int:
    """The most bytes one side of a request may take in the JSON body."""
    return max(settings.max_text_bytes, 4 * math.ceil(settings.max_upload_bytes / 3))


class BodyTooLarge(HTTPException):
    """Raised while reading a body (sent without Content-Length) that outgrows the limit; an
    HTTPException so that FastAPI's body reader passes it on instead of calling it a parse error."""

    def __init__(self, limit: int) -> None:
        super().__init__(status_code=413, detail=_too_large_message(None, limit))


class ApiRoute(APIRoute):
    """An APIRoute that documents its authentication (401; 403 for a change) and whose request
    problems come back as JSON ``{"detail": ...}``:

    - 413 when the body is over :func:`body_limit` (by Content-Length, before reading it);
    - 400 when the body is not JSON, or not a JSON object;
    - 415 when it is not sent as ``application/json``;
    - 404 for a path id that cannot name anything (``/pairs/abc``), like any unknown id;
    - 422 (or 413 for a text over the limit) listing field errors, one shape whether pydantic
      or a service (:class:`app.errors.InvalidInput`) found them.
    """

    def get_route_handler(self) -> Handler:
        handler = super().get_route_handler()

        async def api_handler(request: Request) -> Response:
            limit = body_limit(request.app.state.settings)
            declared = _content_length(request)
            if declared is not None and declared > limit:
                return _error(413, _too_large_message(declared, limit))
            try:
                return await handler(Request(request.scope, _limited(request.receive, limit)))
            except BodyTooLarge as exc:
                return _error(413, str(exc.detail))
            except RequestValidationError as exc:
                return _validation_error(exc)
            except InvalidInput as exc:
                return JSONResponse({"detail": [
                    {"loc": ["body", *key.split(".")], "msg": msg, "type": "value_error"}
                    for key, msg in exc.errors.items()
                ]}, status_code=exc.status)
            except HTTPException as exc:
                if isinstance(exc.__cause__, UnicodeDecodeError):
                    return _error(400, "The request body is not valid JSON: it is not UTF-8 text")
                raise

        return api_handler

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        changes = not set(kwargs.get("methods") or ()) <= SAFE_METHODS
        kwargs["responses"] = {**UNAUTHENTICATED, **(REFUSED if changes else {}), **(kwargs.get("responses") or {})}
        kwargs["dependencies"] = [Depends(BEARER), *(kwargs.get("dependencies") or ())]
        super().__init__(path, endpoint, **kwargs)


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"detail": message}, status_code=status)


def _content_length(request: Request) -> int | None:
    value = request.headers.get("content-length")
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _limited(receive: Receive, limit: int) -> Receive:
    """``receive`` that stops a body (streamed without Content-Length) once it passes ``limit``."""
    seen = 0

    async def limited_receive() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise BodyTooLarge(limit)
        return message

    return limited_receive


def _too_large_message(size: int | None, limit: int) -> str:
    side = (limit - JSON_SLACK) // 2
    what = "The request body" if size is None else f"The request body ({_size(size)})"
    return (f"{what} is over the limit of {_size(limit)} (two sides of at most {_size(side)} each: "
            f"a text, or a file as base64; plus JSON). Send the JSON as UTF-8, without \\u escapes.")


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):.2f} MB" if n >= 1024 * 1024 else f"{n:,} bytes"


_JSON_TYPES = {dict: "an object", list: "an array", str: "a string", int: "a number",
               float: "a number", bool: "a boolean", type(None): "null"}


def _validation_error(exc: RequestValidationError) -> JSONResponse:
    errors = exc.errors()
    for item in errors:
        loc = tuple(item["loc"])
        if item["type"] == "json_invalid":
            return _error(400, _json_error_message(exc.body, item))
        if loc == ("body",):
            given = item.get("input")
            if isinstance(given, bytes):
                return _error(415, "Send the request body as JSON, with the header "
                                  "Content-Type: application/json")
            if item["type"] == "missing":
                return _error(400, "The request body is empty: send a JSON object")
            kind = _JSON_TYPES.get(type(given), "not an object")
            return _error(400, f"The request body must be a JSON object, not {kind}")
        if loc[:1] == ("path",):
            name = str(loc[-1]).removesuffix("_id")
            return _error(404, f"{name} {item.get('input')} not found")
    return JSONResponse({"detail": [
        {"loc": list(item["loc"]), "msg": item["msg"], "type": item["type"]} for item in errors
    ]}, status_code=422)


def _json_error_message(document: Any, item: dict[str, Any]) -> str:
    reason = (item.get("ctx") or {}).get("error", "JSON decode error")
    position = item["loc"][-1]
    if isinstance(document, str) and isinstance(position, int):
        line = document.count("\n", 0, position) + 1
        column = position - (document.rfind("\n", 0, position) + 1) + 1
        reason = f"{reason} at line {line}, column {column}"
    return f"The request body is not valid JSON: {reason}"

