"""JSON API under /api/v1."""

from __future__ import annotations

from fastapi import FastAPI


def install(app: FastAPI) -> None:
    """Register the API routes and error handlers on ``app``."""
