"""Decoding uploaded text files strictly as UTF-8 and checking texts and URLs."""

from __future__ import annotations

from urllib.parse import urlsplit

ALLOWED_SUFFIXES = (".txt", ".md", ".markdown", ".text")


class IngestError(ValueError):
    """Input that cannot become a text; the message is shown to the user as is."""

    def __init__(self, message: str, *, too_large: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.too_large = too_large


def decode_upload(data: bytes, filename: str, *, max_bytes: int) -> str:
    """The text of an uploaded ``.txt``/``.md`` file: UTF-8 only, never guessed.

    >>> decode_upload("Caf\\u00e9".encode(), "a.txt", max_bytes=100)
    'Café'
    >>> decode_upload(b"\\xe9t\\xe9", "a.txt", max_bytes=100)
    Traceback (most recent call last):
    ...
    app.ingest.text.IngestError: a.txt is not UTF-8 text (byte 0xe9 at position 0 cannot be decoded; it may be Latin-1 or Windows-1252). Save it as UTF-8 and upload it again.
    """
    name = filename or "the file"
    if filename and not filename.lower().endswith(ALLOWED_SUFFIXES):
        raise IngestError(f"{name}: only .txt and .md files can be uploaded")
    if len(data) > max_bytes:
        raise IngestError(f"{name} is {human_size(len(data))}; the limit is {human_size(max_bytes)} per text",
                          too_large=True)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise IngestError(f"{name} is UTF-16 text, not UTF-8. Save it as UTF-8 and upload it again.")
    if _looks_binary(data):
        raise IngestError(f"{name} is a binary file, not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = data[exc.start]
        raise IngestError(
            f"{name} is not UTF-8 text (byte 0x{bad:02x} at position {exc.start} cannot be decoded; "
            "it may be Latin-1 or Windows-1252). Save it as UTF-8 and upload it again."
        ) from None
    return text.removeprefix("\ufeff")


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    control = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    return bool(sample) and control / len(sample) > 0.05


def validate_text(text: str, *, max_bytes: int, what: str = "The text") -> str:
    """``text`` unchanged if it has words in it and fits the limit, else IngestError.

    >>> validate_text("  ", max_bytes=10)
    Traceback (most recent call last):
    ...
    app.ingest.text.IngestError: The text is empty
    """
    if not text or not text.strip():
        raise IngestError(f"{what} is empty")
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        raise IngestError(f"{what} is {human_size(size)}; the limit is {human_size(max_bytes)} per text",
                          too_large=True)
    if "\x00" in text:
        raise IngestError(f"{what} contains NUL characters: it is not plain text")
    return text


def validate_source_url(url: str | None) -> str | None:
    """A trimmed http(s) URL, or None for an empty field.

    >>> validate_source_url(" https://example.com/a ")
    'https://example.com/a'
    >>> validate_source_url("javascript:alert(1)")
    Traceback (most recent call last):
    ...
    app.ingest.text.IngestError: The source URL must start with http:// or https://
    """
    if url is None or not url.strip():
        return None
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise IngestError("The source URL must start with http:// or https://")
    if len(url) > 2000:
        raise IngestError("The source URL is longer than 2000 characters")
    if any(c.isspace() for c in url):
        raise IngestError("The source URL must not contain spaces")
    return url


def human_size(n: int) -> str:
    """A byte count as people read it in an error message.

    >>> human_size(5 * 1024 * 1024), human_size(2048), human_size(12)
    ('5.0 MB', '2 KB', '12 bytes')
    """
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n} bytes"
