"""What an extraction yields (Extracted) and how it fails (ExtractionError)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from app.ingest.text import IngestError


class ExtractionError(IngestError):
    """An upload, pasted page or URL that yields no text; ``message`` is shown next to the field.

    It is an IngestError, not an ``app.errors.InvalidInput``: ingest imports nothing else from
    ``app``, and only the caller knows the form field (``original.file``, ``copy.url``) to name.
    ``too_large`` marks a size limit, so the caller can answer 413 instead of 422.
    """


@dataclass(frozen=True)
class Extracted:
    """One side's text as extracted, with the raw input kept as evidence and what was assumed.

    ``text`` holds paragraphs separated by blank lines (``"\\n"`` newlines); for .txt/.md it is
    the file exactly as decoded, minus a byte-order mark, since the user confirms it as shown.
    """

    text: str
    title: str | None
    format: str
    encoding: str | None
    encoding_detected: bool
    raw: bytes
    content_type: str | None
    filename: str | None
    url: str | None = None
    final_url: str | None = None
    http_status: int | None = None
    fetched_at: datetime | None = None
    warnings: tuple[str, ...] = ()


def join_paragraphs(paragraphs: Iterable[str], *, title: str | None = None) -> str:
    """Non-empty paragraphs separated by blank lines, without a leading copy of ``title``
    (it is shown in the title field; kept in the text it would be aligned twice).

    >>> join_paragraphs(["Flood barrier", " ", "It opened.", "Residents cheered."], title="Flood barrier")
    'It opened.\\n\\nResidents cheered.'
    """
    kept = [paragraph.strip() for paragraph in paragraphs if paragraph.strip()]
    if kept and title and _same_words(kept[0], title):
        kept = kept[1:]
    return "\n\n".join(kept)


def _same_words(a: str, b: str) -> bool:
    return a.split() == b.split()


def clean_title(title: str | None) -> str | None:
    """A title with its whitespace collapsed, or None when it has no words.

    >>> clean_title("  Flood\\n barrier  "), clean_title(" ")
    ('Flood barrier', None)
    """
    if title is None:
        return None
    return " ".join(title.split()) or None
