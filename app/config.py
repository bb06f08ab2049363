"""Settings: every knob of the app, typed and validated, read from the environment on demand."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

if TYPE_CHECKING:
    from app.ingest.fetch import FetchSettings

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "sqlite:///./data/copydesk.db"


class Settings(BaseSettings):
    """Configuration. Environment variables use the prefix ``COPYDESK_``, except the three
    everyone expects unprefixed: ``DATABASE_URL``, ``HOST`` and ``PORT``."""

    model_config = SettingsConfigDict(env_prefix="COPYDESK_", extra="ignore", frozen=True)

    database_url: str = Field(
        DEFAULT_DATABASE_URL,
        validation_alias=AliasChoices("DATABASE_URL", "COPYDESK_DATABASE_URL", "database_url"),
        description="SQLAlchemy URL of the database; SQLite file by default, postgresql+psycopg:// for PostgreSQL.",
    )
    host: str = Field(
        "127.0.0.1",
        validation_alias=AliasChoices("HOST", "COPYDESK_HOST", "host"),
        description="Interface the web server listens on.",
    )
    port: int = Field(
        8000,
        ge=0,
        le=65535,
        validation_alias=AliasChoices("PORT", "COPYDESK_PORT", "port"),
        description="TCP port the web server listens on.",
    )
    max_text_bytes: int = Field(
        2 * 1024 * 1024,
        gt=0,
        description="Largest accepted text per side, in bytes of UTF-8 (default 2 MB).",
    )
    max_upload_bytes: int = Field(
        20 * 1024 * 1024,
        gt=0,
        description="Largest accepted uploaded file per side (.txt, .md, .html, .docx, .pdf), in bytes "
                    "(default 20 MB); the text extracted from it must still fit max_text_bytes.",
    )
    fetch_timeout: float = Field(
        10.0,
        gt=0,
        le=120,
        description="Seconds the server waits for a page it fetches from a URL, redirects included.",
    )
    fetch_max_bytes: int = Field(
        5 * 1024 * 1024,
        gt=0,
        description="Largest page or document the server fetches from a URL, in bytes (default 5 MB).",
    )
    fetch_allow_private: bool = Field(
        False,
        description="Fetch URLs whose host resolves to a private, loopback, link-local or other "
                    "non-public address (for tests and intranets; off guards against server-side "
                    "request forgery).",
    )
    page_size: int = Field(20, ge=1, le=500, description="Pairs per page on the dashboard and in GET /api/v1/pairs.")
    load_demo: bool = Field(True, description="Load the demo pairs on start when the database holds no pairs.")
    log_level: str = Field("info", description="Log level of the web server (debug, info, warning, error).")
    create_admin: bool = Field(
        True,
        description="On start, when the database has no users, create the user `admin` with a random "
                    "password and print it once to the console.",
    )
    secure_cookies: Literal["auto", "always", "never"] = Field(
        "auto",
        description="Mark the login cookies Secure (sent over HTTPS only): `auto` when the request came "
                    "over HTTPS (directly or through a proxy trusted by FORWARDED_ALLOW_IPS), "
                    "`always`, or `never`.",
    )

    def fetch_settings(self) -> FetchSettings:
        """The limits fetch_url works within, from the fetch_* settings."""
        # Imported here: importing the settings must not load trafilatura, lxml and pypdf.
        from app.ingest.fetch import FetchSettings

        return FetchSettings(timeout=self.fetch_timeout, max_bytes=self.fetch_max_bytes,
                             allow_private=self.fetch_allow_private)

    @field_validator("database_url")
    @classmethod
    def _known_scheme(cls, value: str) -> str:
        if not value.startswith(("sqlite", "postgresql")):
            raise ValueError("DATABASE_URL must be a sqlite:// or postgresql:// URL")
        return value

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        value = value.lower()
        if value not in {"critical", "error", "warning", "info", "debug", "trace"}:
            raise ValueError("log_level must be one of critical, error, warning, info, debug, trace")
        return value
