"""The new-comparison form: a multipart submission read into two sides, their values and errors.

Each side's text comes from, in this order: a file uploaded now, a file kept from an earlier
submission that came back with errors (carried in hidden fields, byte for byte), the textarea.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field

from starlette.datastructures import FormData, UploadFile

from app.ingest import IngestError, decode_upload
from app.services.pairs import ArticleInput, validate_side

SIDE_LABELS = {"original": "Original", "copy": "Copy"}
_FIELD_ORDER = [f"{side}.{name}" for side in SIDE_LABELS for name in ("title", "source_url", "text", "file")]


@dataclass
class SideForm:
    """One side of the form as the user filled it in."""

    side: str
    title: str = ""
    source_url: str = ""
    text: str = ""
    file_name: str = ""
    file_data: bytes | None = None
    file_text: str | None = None

    @property
    def label(self) -> str:
        return SIDE_LABELS[self.side]

    @property
    def kept_file(self) -> str:
        """The accepted file, base64-encoded for the hidden field that keeps it ("" if none)."""
        if self.file_data is None or self.file_text is None:
            return ""
        return base64.b64encode(self.file_data).decode("ascii")

    @property
    def chosen_text(self) -> str:
        return self.file_text if self.file_text is not None else self.text

    def to_input(self) -> ArticleInput:
        return ArticleInput(title=self.title, text=self.chosen_text, source_url=self.source_url or None)


@dataclass
class PairForm:
    """Both sides, and the field errors keyed ``{side}.{field}`` (field: title, source_url, text, file)."""

    original: SideForm = field(default_factory=lambda: SideForm("original"))
    copy: SideForm = field(default_factory=lambda: SideForm("copy"))
    errors: dict[str, str] = field(default_factory=dict)
    too_large: bool = False

    @property
    def sides(self) -> tuple[SideForm, SideForm]:
        return (self.original, self.copy)

    @property
    def status_code(self) -> int:
        return 413 if self.too_large else 422


def body_limit(max_text_bytes: int) -> int:
    """Largest request body worth reading: two sides of text, file and kept file, with room to spare.

    >>> body_limit(1000)
    1056576
    """
    return 8 * max_text_bytes + 1024 * 1024


async def read_pair_form(form: FormData, *, max_bytes: int) -> PairForm:
    """The submitted form, decoded and validated; ``errors`` is empty when it can be stored."""
    result = PairForm()
    for side in result.sides:
        side.title = _text_field(form, f"{side.side}_title")
        side.source_url = _text_field(form, f"{side.side}_source_url").strip()
        side.text = _text_field(form, f"{side.side}_text")
        await _read_file(form, side, result, max_bytes=max_bytes)
    for side in result.sides:
        errors = validate_side(side.side, side.to_input(), max_bytes=max_bytes)
        text_error = errors.pop(f"{side.side}.text", None)
        if text_error and f"{side.side}.file" not in result.errors:
            # A file that was read is what the message is about, so it goes next to the file.
            errors[f"{side.side}.file" if side.file_text is not None else f"{side.side}.text"] = text_error
            if len(side.chosen_text.encode("utf-8", "surrogatepass")) > max_bytes:
                result.too_large = True
        result.errors.update(errors)
    # The error summary lists problems in the order the fields appear on the page.
    result.errors = dict(sorted(result.errors.items(), key=lambda item: _FIELD_ORDER.index(item[0])
                                if item[0] in _FIELD_ORDER else len(_FIELD_ORDER)))
    return result


def _text_field(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


async def _read_file(form: FormData, side: SideForm, result: PairForm, *, max_bytes: int) -> None:
    upload = form.get(f"{side.side}_file")
    name, data = "", b""
    if isinstance(upload, UploadFile) and upload.filename:
        name, data = upload.filename, await upload.read()
    elif not _text_field(form, f"{side.side}_kept_discard"):
        name = _text_field(form, f"{side.side}_kept_name")
        try:
            data = base64.b64decode(_text_field(form, f"{side.side}_kept_file"), validate=True)
        except (binascii.Error, ValueError):
            name = ""
    if not name:
        return
    side.file_name = name
    try:
        text = decode_upload(data, name, max_bytes=max_bytes)
    except IngestError as exc:
        result.errors[f"{side.side}.file"] = exc.message
        result.too_large = result.too_large or exc.too_large
        return
    if not text.strip():
        result.errors[f"{side.side}.file"] = f"{name} is empty"
        return
    side.file_data, side.file_text = data, text

