"""Extractions held between the form and the save: files on disk under a random token, for the
user who made them, checked against their SHA-256 and forgotten after a day.

The raw input (an upload, a fetched page, pasted HTML) never goes back to the browser: the
preview carries only the token, so what is saved as evidence is what the server read.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import tempfile
import time
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from app.services.pairs import RawSource

MAX_AGE_SECONDS = 24 * 60 * 60
FOLDER_NAME = "pending_uploads"
TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")


@dataclass(frozen=True)
class Pending:
    """One side's extraction as the form produced it: the text and title found, what to warn
    about, and the raw input to keep."""

    token: str
    text: str
    title: str | None
    warnings: tuple[str, ...]
    source: RawSource

    @property
    def label(self) -> str:
        """How the page names the input: the file's name, the address, or "the pasted HTML"."""
        if self.source.kind == "url":
            return self.source.url or "the page"
        if self.source.kind == "file":
            return self.source.filename or "the file"
        return "the pasted HTML"

    @property
    def size(self) -> int:
        return len(self.source.raw)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.source.raw).hexdigest()

    def confirmed(self, text: str) -> str:
        """``text`` as the user confirmed it, with the line breaks of the extraction: browsers
        send CRLF from a text box, which would otherwise change a text extracted with LF."""
        return text.replace("\r\n", "\n") if "\r" not in self.text else text


class PendingStore:
    """``put`` an extraction, ``get`` it back by token (for the same user), ``drop`` it once saved."""

    def __init__(self, folder: Path, *, max_age: float = MAX_AGE_SECONDS) -> None:
        self.folder = folder
        self.max_age = max_age

    def put(self, *, user_id: int, text: str, title: str | None, warnings: tuple[str, ...],
            source: RawSource) -> Pending:
        self.folder.mkdir(parents=True, exist_ok=True)
        self._sweep()
        token = secrets.token_urlsafe(24)
        meta = {"user_id": user_id, "sha256": hashlib.sha256(source.raw).hexdigest(), "text": text,
                "title": title, "warnings": list(warnings), "source": _source_meta(source)}
        self._write(self._path(token, ".bin"), source.raw)
        self._write(self._path(token, ".json"), json.dumps(meta).encode("utf-8"))
        return Pending(token=token, text=text, title=title, warnings=warnings, source=source)

    def get(self, token: str, *, user_id: int) -> Pending | None:
        """The extraction kept under ``token``; None when the token is malformed, unknown,
        expired, another user's, or its bytes no longer match their SHA-256."""
        if not TOKEN.fullmatch(token):
            return None
        try:
            if time.time() - self._path(token, ".json").stat().st_mtime > self.max_age:
                return None
            meta = json.loads(self._path(token, ".json").read_bytes())
            raw = self._path(token, ".bin").read_bytes()
        except (OSError, ValueError):
            return None
        if meta.get("user_id") != user_id or hashlib.sha256(raw).hexdigest() != meta.get("sha256"):
            return None
        return Pending(token=token, text=meta["text"], title=meta["title"], warnings=tuple(meta["warnings"]),
                       source=_source_from_meta(meta["source"], raw))

    def drop(self, token: str) -> None:
        if TOKEN.fullmatch(token):
            for suffix in (".json", ".bin"):
                self._path(token, suffix).unlink(missing_ok=True)

    def _path(self, token: str, suffix: str) -> Path:
        return self.folder / f"{token}{suffix}"

    def _write(self, path: Path, data: bytes) -> None:
        """Write to a temporary file and rename it, so a reader never sees half a file."""
        handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".part-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def _sweep(self) -> None:
        """Forget what has expired (previews nobody saved)."""
        cutoff = time.time() - self.max_age
        for path in self.folder.iterdir():
            try:
                if path.stat().st_mtime < cutoff:
                    path.unlink(missing_ok=True)
            except OSError:
                continue


def store_folder(database: str | None, backend: str) -> Path:
    """Where pending extractions live: next to a SQLite database file, else in the system's
    temporary folder.

    >>> store_folder("data/copydesk.db", "sqlite")
    PosixPath('data/pending_uploads')
    >>> store_folder("copydesk", "postgresql").name
    'copydesk-pending_uploads'
    """
    if backend == "sqlite" and database and database != ":memory:":
        return Path(database).parent / FOLDER_NAME
    return Path(tempfile.gettempdir()) / f"copydesk-{FOLDER_NAME}"


def _source_meta(source: RawSource) -> dict[str, object]:
    meta = asdict(source)
    del meta["raw"]
    meta["fetched_at"] = source.fetched_at.isoformat() if source.fetched_at else None
    return meta


def _source_from_meta(meta: dict[str, object], raw: bytes) -> RawSource:
    fetched_at = meta.get("fetched_at")
    return RawSource(**{**meta, "raw": raw,  # type: ignore[arg-type]
                        "fetched_at": datetime.fromisoformat(fetched_at) if isinstance(fetched_at, str) else None})
