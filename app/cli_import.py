"""``copydesk import FILE.csv``: pairs from a CSV of file paths and URLs, with a progress bar on
stderr and a summary of what was stored and what failed (row numbers count the header as row 1,
as a spreadsheet shows them)."""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.config import Settings
    from app.models import User
    from app.services.pairs import ArticleInput

REQUIRED = ("original", "copy")
COLUMNS = (*REQUIRED, "original_title", "copy_title", "title")
BAR_WIDTH = 24


class BadCsv(Exception):
    """A CSV that cannot be imported at all; the message names the file."""


@dataclass(frozen=True)
class Row:
    number: int
    cells: dict[str, str]


@dataclass(frozen=True)
class Failure:
    row: int
    reason: str


def read_rows(path: Path) -> list[Row]:
    """The data rows of the CSV at ``path`` (UTF-8, a header naming the columns), or BadCsv."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle, strict=True)
            header = reader.fieldnames or []
            _check_header(path, header)
            rows = [Row(number, {key: (value or "").strip() for key, value in record.items() if key})
                    for number, record in enumerate(reader, start=2)]
    except FileNotFoundError:
        raise BadCsv(f"{path}: no such file") from None
    except IsADirectoryError:
        raise BadCsv(f"{path}: is a directory, not a CSV file") from None
    except UnicodeDecodeError:
        raise BadCsv(f"{path} is not UTF-8 text: save the CSV as UTF-8 and try again") from None
    except csv.Error as exc:
        raise BadCsv(f"{path} is not a readable CSV file: {exc}") from None
    except OSError as exc:
        raise BadCsv(f"{path}: {exc.strerror or exc}") from None
    if not rows:
        raise BadCsv(f"{path} has a header but no rows")
    return rows


def _check_header(path: Path, header: Sequence[str]) -> None:
    missing = [name for name in REQUIRED if name not in header]
    unknown = [name for name in header if name not in COLUMNS]
    if missing or unknown:
        problems = [f"no column {' or '.join(missing)}"] if missing else []
        problems += [f"unknown column {', '.join(repr(name) for name in unknown)}"] if unknown else []
        raise BadCsv(f"{path}: {'; '.join(problems)} (the columns are {', '.join(COLUMNS)}; the first line "
                     "must name them)")


def import_rows(session: Session, rows: Sequence[Row], *, folder: Path, settings: Settings,
                user: User | None, progress: Progress) -> tuple[int, list[Failure]]:
    """Store a pair per row (each committed on its own); return how many were stored and why the
    others failed."""
    from app.errors import InvalidInput
    from app.services.pairs import create_pair

    stored, failures = 0, []
    for done, row in enumerate(rows):
        progress.show(done, f"row {row.number}")
        try:
            original, copy = (_side(row, side, folder, settings) for side in REQUIRED)
            create_pair(session, original, copy, max_bytes=settings.max_text_bytes,
                        title=row.cells.get("title") or None, user=user)
        except _SideError as exc:
            failures.append(Failure(row.number, str(exc)))
            continue
        except InvalidInput as exc:
            failures.append(Failure(row.number, "; ".join(f"{key.replace('.', ' ')}: {message}"
                                                          for key, message in exc.errors.items())))
            continue
        session.commit()
        stored += 1
    progress.show(len(rows), "done")
    progress.close()
    return stored, failures


class _SideError(Exception):
    """One side of a row that could not be read."""


def _side(row: Row, side: str, folder: Path, settings: Settings) -> ArticleInput:
    from app.ingest import IngestError, extract_file, fetch_url
    from app.services.pairs import ArticleInput, RawSource

    where = row.cells.get(side, "")
    if not where:
        raise _SideError(f"{side}: the cell is empty (give a file path or an http(s) URL)")
    try:
        if where.lower().startswith(("http://", "https://")):
            kind, extracted = "url", fetch_url(where, settings=settings.fetch_settings())
        else:
            kind, extracted = "file", extract_file(_read_file(folder / where, settings.max_upload_bytes),
                                                   filename=Path(where).name, content_type=None,
                                                   max_bytes=settings.max_upload_bytes)
    except IngestError as exc:
        raise _SideError(f"{side}: {exc.message}") from None
    title = row.cells.get(f"{side}_title") or (extracted.title or "")[:500]
    return ArticleInput(title=title, text=extracted.text,
                        source=RawSource.from_extracted(kind, extracted))  # type: ignore[arg-type]


def _read_file(path: Path, max_bytes: int) -> bytes:
    """The file's bytes; a file over the limit is refused without being read."""
    from app.ingest import IngestError
    from app.ingest.text import human_size

    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise IngestError(f"{path.name} is {human_size(size)}; the limit is {human_size(max_bytes)} per file",
                              too_large=True)
        return path.read_bytes()
    except FileNotFoundError:
        raise IngestError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise IngestError(f"{path}: is a directory, not a file") from None
    except OSError as exc:
        raise IngestError(f"{path}: {exc.strerror or exc}") from None


class Progress:
    """Progress on ``stream``: a bar redrawn in place on a terminal, one line per step otherwise
    (a log file or a pipe)."""

    def __init__(self, total: int, stream: TextIO | None = None) -> None:
        self.total = total
        self.stream = stream if stream is not None else sys.stderr
        self.tty = self.stream.isatty()

    def show(self, done: int, what: str) -> None:
        if self.tty:
            filled = BAR_WIDTH * done // max(self.total, 1)
            bar = "#" * filled + "-" * (BAR_WIDTH - filled)
            self.stream.write(f"\r[{bar}] {done}/{self.total} {what:<20}")
        elif done < self.total:
            self.stream.write(f"[{done + 1}/{self.total}] {what}\n")
        self.stream.flush()

    def close(self) -> None:
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()


def summary(stored: int, failures: Sequence[Failure]) -> Iterator[str]:
    """The lines that end an import.

    >>> print("\\n".join(summary(2, [Failure(3, "copy: a.txt: no such file")])))
    Stored 2 pairs; 1 row failed:
      row 3: copy: a.txt: no such file
    """
    stored_text = f"Stored {stored} pair{'' if stored == 1 else 's'}"
    if not failures:
        yield f"{stored_text}."
        return
    yield f"{stored_text}; {len(failures)} row{'' if len(failures) == 1 else 's'} failed:"
    for failure in failures:
        yield f"  row {failure.row}: {failure.reason}"
