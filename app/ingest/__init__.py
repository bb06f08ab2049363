"""Turning submitted bytes into clean text: decoding, validation and limits. Pure: no web, no db."""

from app.ingest.text import IngestError, decode_upload, validate_source_url, validate_text

__all__ = ["IngestError", "decode_upload", "validate_source_url", "validate_text"]
