"""From the first form to the preview, and from the preview to the stored pair: each side's text
read from its file, its address, pasted HTML or the text box; the raw inputs kept meanwhile.

Which input counts, when several are filled in: a file chosen now, a file kept from an earlier
try, the address, then the text box (as HTML when its box is ticked).
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request
from sqlalchemy.orm import Session

from app.config import Settings
from app.ingest import Extracted, IngestError, extract_file, extract_html, fetch_url
from app.ingest.text import human_size
from app.models import Pair, User
from app.services.pairs import ArticleInput, RawSource, SourceKind, create_pair, validate_side
from app.web.forms import PairForm, PreviewForm, PreviewSide, SideForm
from app.web.upload_store import Pending, PendingStore, store_folder

MAX_TITLE = 500


@dataclass(frozen=True)
class Reading:
    """A side's text as read, and the raw input it came from (None for text pasted as text)."""

    text: str
    title: str | None = None
    warnings: tuple[str, ...] = ()
    source: RawSource | None = None
    #: Already kept in the store (a file from an earlier try).
    pending: Pending | None = None


def pending_store(request: Request) -> PendingStore:
    """The store of the app's database: its folder is next to a SQLite file."""
    url = request.app.state.engine.url
    return PendingStore(store_folder(url.database, url.get_backend_name()))


def prepare(form: PairForm, *, settings: Settings, store: PendingStore, user_id: int) -> PreviewForm | None:
    """Read both sides of ``form`` for the preview, keeping their raw inputs in ``store``; None,
    with ``form.errors`` filled in, when a side cannot be read. A file that was read is kept even
    then, so that the form comes back without asking for it again."""
    readings = [_checked_reading(side, form, settings) for side in form.sides]
    form.sort_errors()
    if form.errors:
        for side, reading in zip(form.sides, readings, strict=True):
            if reading is not None and _input_field(side) == "file":
                side.kept = _kept(reading, store, user_id)
        return None
    preview = PreviewForm()
    for side, reading, target in zip(form.sides, readings, preview.sides, strict=True):
        assert reading is not None  # no errors: every side was read
        target.pending = _kept(reading, store, user_id) if reading.source is not None else None
        target.title = side.title.strip() or (reading.title or "")[:MAX_TITLE]
        target.source_url = side.source_url or (reading.source.address if reading.source else None) or ""
        target.text = reading.text
    return preview


def save(session: Session, preview: PreviewForm, *, max_bytes: int, user: User) -> Pair:
    """Store the pair as confirmed in the preview, with the raw inputs kept for it
    (InvalidInput/TooLarge, nothing stored, when a side is refused)."""
    return create_pair(session, _article_input(preview.original), _article_input(preview.copy),
                       max_bytes=max_bytes, user=user)


def _article_input(side: PreviewSide) -> ArticleInput:
    return ArticleInput(title=side.title, text=side.text, source_url=side.source_url or None,
                        source=side.pending.source if side.pending else None)


def _input_field(side: SideForm) -> str:
    """The field a side's text comes from, where messages about it go."""
    if side.upload is not None or side.kept is not None:
        return "file"
    return "url" if side.url else "text"


def _checked_reading(side: SideForm, form: PairForm, settings: Settings) -> Reading | None:
    """The side's reading, None when its text could not be read or is refused; the side's
    problems (the other fields' too) are added to ``form.errors``."""
    where = f"{side.side}.{_input_field(side)}"
    try:
        reading = _read(side, settings)
    except IngestError as exc:
        form.errors[where] = exc.message
        form.too_large = form.too_large or exc.too_large
        reading = None
    # The title and the source URL are checked even when the text could not be read.
    text = reading.text if reading is not None else ""
    errors = validate_side(side.side, ArticleInput(title=side.title, text=text, source_url=side.source_url),
                           max_bytes=settings.max_text_bytes)
    text_error = errors.pop(f"{side.side}.text", None)
    if text_error and reading is not None:
        errors[where] = text_error
        form.too_large = form.too_large or len(text.encode("utf-8", "surrogatepass")) > settings.max_text_bytes
    form.errors.update(errors)
    return None if text_error else reading


def _read(side: SideForm, settings: Settings) -> Reading:
    if side.upload is not None:
        return _from("file", extract_file(side.upload.data, filename=side.upload.filename,
                                          content_type=side.upload.content_type,
                                          max_bytes=settings.max_upload_bytes))
    if side.kept is not None:
        kept = side.kept
        return Reading(text=kept.text, title=kept.title, warnings=kept.warnings, source=kept.source, pending=kept)
    if side.url:
        return _from("url", fetch_url(side.url, settings=settings.fetch_settings()))
    if side.is_html:
        size = len(side.text.encode("utf-8", "surrogatepass"))
        if size > settings.max_upload_bytes:
            raise IngestError(f"The pasted HTML is {human_size(size)}; the limit is "
                              f"{human_size(settings.max_upload_bytes)}", too_large=True)
        return _from("html", extract_html(side.text))
    return Reading(text=side.text)


def _from(kind: SourceKind, extracted: Extracted) -> Reading:
    return Reading(text=extracted.text, title=extracted.title, warnings=extracted.warnings,
                   source=RawSource.from_extracted(kind, extracted))


def _kept(reading: Reading, store: PendingStore, user_id: int) -> Pending:
    if reading.pending is not None:
        return reading.pending
    assert reading.source is not None
    return store.put(user_id=user_id, text=reading.text, title=reading.title, warnings=reading.warnings,
                     source=reading.source)
