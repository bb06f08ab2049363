"""Uploaded files to text: the format from the file name and the bytes themselves, then the
reader for it (.txt/.md decoded, .html through trafilatura, .docx, .pdf)."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import replace
from pathlib import PurePosixPath

from app.ingest.decode import decode_text
from app.ingest.extracted import Extracted, ExtractionError
from app.ingest.html import html_document
from app.ingest.pdf import pdf_text
from app.ingest.text import human_size
from app.ingest.word import DOCX_CONTENT_TYPE, docx_text

SUFFIXES = {".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html",
            ".xhtml": "html", ".docx": "docx", ".pdf": "pdf"}
CONTENT_TYPES = {"text/plain": "txt", "text/markdown": "md", "text/html": "html", "application/xhtml+xml": "html",
                 "application/pdf": "pdf", DOCX_CONTENT_TYPE: "docx"}
KINDS = {"txt": "text", "md": "text", "html": "a web page", "docx": "a Word document", "pdf": "a PDF"}
ACCEPTED = ".txt, .md, .html, .htm, .docx or .pdf"
# Leading bytes of files people upload by mistake, so the message can say what the file is.
MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF8", "a GIF image"),
    (b"II*\x00", "a TIFF image"), (b"MM\x00*", "a TIFF image"), (b"BM", "a BMP image"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Word (.doc) or Office file; save it as .docx"),
    (b"{\\rtf", "an RTF document; save it as .docx"), (b"MZ", "a Windows program"), (b"\x7fELF", "a program"),
    (b"\x1f\x8b", "a gzip archive"), (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"), (b"Rar!", "a RAR archive"),
    (b"BZh", "a bzip2 archive"), (b"ID3", "an MP3 file"), (b"OggS", "an Ogg audio file"),
    (b"%!PS", "a PostScript file"), (b"\x00\x00\x01\x00", "an icon"),
)
HTML_START = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)[\s>]",
                        re.IGNORECASE | re.DOTALL)


def extract_file(data: bytes, *, filename: str | None, content_type: str | None, max_bytes: int) -> Extracted:
    """The text of an uploaded file, or ExtractionError with a message for the user.

    The bytes decide the format when they are a PDF or a Word document (a PDF named .txt is
    read as a PDF, with a warning); a file named .pdf or .docx must be one; a binary that is
    neither (an image, an archive, a program) is refused, as is anything larger than ``max_bytes``.

    >>> extracted = extract_file(b"# Notes\\n\\nFirst.", filename="notes.md", content_type=None, max_bytes=1000)
    >>> extracted.format, extracted.encoding, extracted.text
    ('md', 'utf-8', '# Notes\\n\\nFirst.')
    """
    name = filename or "The file"
    if not data:
        raise ExtractionError(f"{name} is empty")
    if len(data) > max_bytes:
        raise ExtractionError(f"{name} is {human_size(len(data))}; the limit is {human_size(max_bytes)} per file",
                              too_large=True)
    claimed = _claimed_format(filename, content_type)
    actual = _sniffed_format(data, name)
    fmt = _resolve(claimed, actual, name)
    warnings = () if claimed in (None, fmt) else \
        (f"{name} is {KINDS[fmt]}, although its name says otherwise; it was read as {KINDS[fmt]}",)
    return _read(data, fmt, name=name, filename=filename, content_type=content_type, warnings=warnings)


def _claimed_format(filename: str | None, content_type: str | None) -> str | None:
    """The format the name says (its suffix), else the one the content type says, else None."""
    if filename and PurePosixPath(filename).suffix:
        suffix = PurePosixPath(filename).suffix.lower()
        if suffix not in SUFFIXES:
            raise ExtractionError(f"{filename}: copydesk reads {ACCEPTED} files, not {suffix}")
        return SUFFIXES[suffix]
    media_type = (content_type or "").split(";")[0].strip().lower()
    return CONTENT_TYPES.get(media_type)


def _sniffed_format(data: bytes, name: str) -> str | None:
    """"pdf" or "docx" when the bytes are one, "html" for a page, None for text; a known binary
    or a zip that is not a Word document is refused here."""
    if data[:1024].find(b"%PDF-") != -1:
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return _zip_format(data, name)
    for magic, what in MAGIC:
        if data.startswith(magic):
            raise ExtractionError(f"{name} is {what}, not a text, web page, Word document or PDF")
    if data[8:12] == b"WEBP" or data[4:8] == b"ftyp":
        raise ExtractionError(f"{name} is an image or video file, not a text, web page, Word document or PDF")
    return "html" if HTML_START.match(data[:4096]) else None


def _zip_format(data: bytes, name: str) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        raise ExtractionError(f"{name} is a damaged ZIP or Word file") from None
    if "word/document.xml" in names:
        return "docx"
    if any(entry.startswith(("xl/", "ppt/")) for entry in names):
        raise ExtractionError(f"{name} is an Excel or PowerPoint file; copydesk reads Word documents (.docx)")
    if "content.xml" in names:
        raise ExtractionError(f"{name} is an OpenDocument file; save it as .docx")
    raise ExtractionError(f"{name} is a ZIP archive, not a Word document")


def _resolve(claimed: str | None, actual: str | None, name: str) -> str:
    """Documents are what their bytes say; a name promising a PDF or Word file must keep it."""
    if actual in ("pdf", "docx"):
        return actual
    if claimed in ("pdf", "docx"):
        raise ExtractionError(f"{name} is not {KINDS[claimed]}: its content is not in that format")
    if actual == "html" and claimed != "md":
        return "html"
    return claimed or "txt"


def _read(data: bytes, fmt: str, *, name: str, filename: str | None, content_type: str | None,
          warnings: tuple[str, ...]) -> Extracted:
    if fmt == "html":
        extracted = html_document(data, name=name, filename=filename, content_type=content_type, url=None)
        return replace(extracted, warnings=warnings + extracted.warnings)
    if fmt in ("txt", "md"):
        extracted = text_document(data, fmt=fmt, name=name, filename=filename, content_type=content_type)
        return replace(extracted, warnings=warnings + extracted.warnings)
    if fmt == "pdf":
        text, title, page_warnings = pdf_text(data, name=name)
        warnings += page_warnings
    else:
        text, title = docx_text(data, name=name)
    return Extracted(text=text, title=title, format=fmt, encoding=None, encoding_detected=False, raw=data,
                     content_type=content_type, filename=filename, warnings=warnings)


def text_document(data: bytes, *, fmt: str, name: str, filename: str | None, content_type: str | None,
                  charset: str | None = None) -> Extracted:
    """A .txt or .md file (or a text/plain page) exactly as decoded, minus a byte-order mark."""
    decoded = decode_text(data, name=name, declared=charset)
    if not decoded.text.strip():
        raise ExtractionError(f"{name} is empty")
    return Extracted(text=decoded.text, title=None, format=fmt, encoding=decoded.encoding,
                     encoding_detected=decoded.detected, raw=data, content_type=content_type,
                     filename=filename, warnings=decoded.warnings)
