"""PDF text layers to paragraphs with pypdf; scanned pages (no text layer) are reported, not read."""

from __future__ import annotations

import io
import re

import pypdf
from pypdf.errors import DependencyError, PyPdfError

from app.ingest.extracted import ExtractionError, clean_title, join_paragraphs

# A word broken at a line end: a hyphen (ASCII, U+2010 or a soft hyphen) between letters.
LINE_END_HYPHEN = re.compile(r"(?<=[^\W\d_])[-\u2010\u00ad]\n(?=([^\W\d_]))")
BLANK_LINES = re.compile(r"\n[ \t]*\n\s*")


def pdf_text(data: bytes, *, name: str) -> tuple[str, str | None, tuple[str, ...]]:
    """The text of a PDF's text layer, its title (from the document information) and warnings
    about pages without text."""
    reader = _open(data, name)
    pages: list[str] = []
    warnings: list[str] = []
    for number, page in enumerate(reader.pages, start=1):
        text = _page_text(page, name, number)
        if text.strip():
            pages.append(text)
        else:
            warnings.append(f"PDF page {number} has no text layer")
    if not pages:
        raise ExtractionError(f"{name} is a scanned PDF: it has no text layer, and copydesk does not do OCR")
    title = clean_title(reader.metadata.title if reader.metadata else None)
    paragraphs = [paragraph for text in pages for paragraph in paragraphs_of(text)]
    return join_paragraphs(paragraphs, title=title), title, tuple(warnings)


def paragraphs_of(page: str) -> list[str]:
    """A page of layout-mode text as paragraphs: blank lines separate them, the lines within one
    are joined with a space, a word hyphenated across a line end is joined again.

    >>> paragraphs_of("  The barrier opened after six\\n  years of work; the engi-\\n  neers cheered.\\n\\n  Next one.")
    ['The barrier opened after six years of work; the engineers cheered.', 'Next one.']
    """
    paragraphs = []
    for block in BLANK_LINES.split(page):
        lines = "\n".join(line.strip() for line in block.splitlines() if line.strip())
        paragraphs.append(LINE_END_HYPHEN.sub(_rejoin, lines).replace("\n", " "))
    return [paragraph for paragraph in paragraphs if paragraph]


def _rejoin(match: re.Match[str]) -> str:
    """Join the halves when the next line goes on in lower case ("engi-/neers"); a capital
    ("Anglo-/Saxon") keeps its hyphen."""
    return "" if match.group(1).islower() else "-"


def _open(data: bytes, name: str) -> pypdf.PdfReader:
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        locked = reader.is_encrypted and not reader.decrypt("")
        if not locked:
            len(reader.pages)  # reads the page tree, where damaged files fail
    except DependencyError:
        # AES needs the optional `cryptography` package, which copydesk does not install.
        raise ExtractionError(f"{name} is encrypted with AES, which copydesk cannot read; "
                              "save it without protection and upload it again") from None
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        raise ExtractionError(f"{name} could not be read as a PDF ({type(exc).__name__})") from None
    if locked:
        raise ExtractionError(f"{name} is protected by a password; save it without one and upload it again")
    return reader


def _page_text(page: pypdf.PageObject, name: str, number: int) -> str:
    """Layout mode keeps the vertical gaps between paragraphs as blank lines; plain mode does not."""
    try:
        return page.extract_text(extraction_mode="layout")
    except (PyPdfError, ValueError, KeyError, TypeError) as exc:
        raise ExtractionError(f"{name}: page {number} could not be read ({type(exc).__name__})") from None
