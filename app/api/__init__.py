"""JSON API under /api/v1."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from app.api import exports, notes, review
from app.api.pairs import PREFIX, router


def install(app: FastAPI) -> None:
    """Register the API routes on ``app``; their error handling lives in their route class."""
    app.include_router(router)
    app.include_router(notes.router)
    app.include_router(review.router)
    app.include_router(exports.router)
    _document_path_errors_as_404(app)


def _document_path_errors_as_404(app: FastAPI) -> None:
    """Drop the 422 FastAPI documents on every operation with parameters from the API's operations
    whose only parameters are in the path: a bad id there is answered 404, so 422 cannot happen."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = generate()
            for path, operations in schema["paths"].items():
                if not path.startswith(PREFIX):
                    continue
                for operation in operations.values():
                    in_path_only = all(p["in"] == "path" for p in operation.get("parameters", []))
                    if in_path_only and "requestBody" not in operation:
                        operation["responses"].pop("422", None)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
