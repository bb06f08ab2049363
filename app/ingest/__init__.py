"""Turning submitted bytes, pages and URLs into clean text: decoding, extraction, fetching, limits.
Pure: no web framework, no database."""

from app.ingest.extracted import Extracted, ExtractionError
from app.ingest.fetch import FetchSettings, fetch_url
from app.ingest.files import extract_file
from app.ingest.html import extract_html
from app.ingest.text import IngestError, decode_upload, validate_source_url, validate_text

__all__ = ["Extracted", "ExtractionError", "FetchSettings", "IngestError", "decode_upload", "extract_file",
           "extract_html", "fetch_url", "validate_source_url", "validate_text"]
