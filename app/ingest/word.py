"""Word documents (.docx) to text with python-docx: paragraphs and table rows in document order."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

import docx
from docx.document import Document
from docx.table import Table
from docx.text.paragraph import Paragraph

from app.ingest.extracted import ExtractionError, clean_title, join_paragraphs
from app.ingest.text import human_size

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# A .docx is a zip: refuse one that unpacks to far more than any article (a zip bomb).
MAX_UNPACKED_BYTES = 200 * 1024 * 1024


def docx_text(data: bytes, *, name: str) -> tuple[str, str | None]:
    """The text and title of a .docx; the title is its core property, else its first heading."""
    document = _open(data, name)
    paragraphs = list(_blocks(document))
    title = clean_title(document.core_properties.title) or _first_heading(document)
    text = join_paragraphs(paragraphs, title=title)
    if not text:
        raise ExtractionError(f"{name} is a Word document with no text in it")
    return text, title


def _open(data: bytes, name: str) -> Document:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > MAX_UNPACKED_BYTES:
            raise ExtractionError(f"{name} unpacks to {human_size(unpacked)}, more than any article needs; "
                                  "copydesk does not read it")
        return docx.Document(io.BytesIO(data))
    except ExtractionError:
        raise
    except Exception as exc:  # python-docx raises KeyError, ValueError, lxml and zip errors alike
        raise ExtractionError(f"{name} could not be read as a Word document ({type(exc).__name__}); "
                              "open it in Word and save it again as .docx") from None


def _blocks(document: Document) -> Iterator[str]:
    """Paragraph texts (headings included) and table rows (cells separated by tabs), in order."""
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            yield block.text
        elif isinstance(block, Table):
            yield from ("\t".join(cell.text.strip() for cell in row.cells) for row in block.rows)


def _first_heading(document: Document) -> str | None:
    for paragraph in document.paragraphs:
        style = paragraph.style.name if paragraph.style is not None else ""
        if style.startswith(("Heading", "Title")) and paragraph.text.strip():
            return clean_title(paragraph.text)
    return None
