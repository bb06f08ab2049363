"""The new-comparison forms: the first form (per side a text or HTML box, a file, an address) and
the preview form (the texts as the user confirmed them), read into sides with their errors.

Field errors are keyed ``{side}.{field}`` (field: title, source_url, text, file, url), the order
the fields appear on the page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from starlette.datastructures import FormData, UploadFile

from app.web.upload_store import Pending, PendingStore

SIDE_LABELS = {"original": "Original", "copy": "Copy"}
SIDES = tuple(SIDE_LABELS)
_FIELD_ORDER = [f"{side}.{name}" for side in SIDES for name in ("title", "source_url", "text", "file", "url")]
# Slack for titles, addresses, tokens and multipart boundaries.
_SLACK = 1024 * 1024


@dataclass(frozen=True)
class Upload:
    """A file chosen in the form."""

    filename: str
    content_type: str | None
    data: bytes


@dataclass
class SideForm:
    """One side of the first form as the user filled it in."""

    side: str
    title: str = ""
    source_url: str = ""
    text: str = ""
    is_html: bool = False
    url: str = ""
    upload: Upload | None = None
    #: A file read on an earlier try of the form, kept so it need not be uploaded again.
    kept: Pending | None = None

    @property
    def label(self) -> str:
        return SIDE_LABELS[self.side]


@dataclass
class PairForm:
    """Both sides of the first form, and its field errors."""

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

    def sort_errors(self) -> None:
        """Order the errors as the fields appear on the page, for the error summary."""
        self.errors = sort_errors(self.errors)


@dataclass
class PreviewSide:
    """One side of the preview: the text to confirm, and the extraction it came from (None for
    text pasted as text)."""

    side: str
    title: str = ""
    source_url: str = ""
    text: str = ""
    pending: Pending | None = None

    @property
    def label(self) -> str:
        return SIDE_LABELS[self.side]


@dataclass
class PreviewForm:
    """Both sides of the preview, and its field errors."""

    original: PreviewSide = field(default_factory=lambda: PreviewSide("original"))
    copy: PreviewSide = field(default_factory=lambda: PreviewSide("copy"))
    errors: dict[str, str] = field(default_factory=dict)
    too_large: bool = False

    @property
    def sides(self) -> tuple[PreviewSide, PreviewSide]:
        return (self.original, self.copy)

    @property
    def status_code(self) -> int:
        return 413 if self.too_large else 422


def sort_errors(errors: dict[str, str]) -> dict[str, str]:
    """``errors`` in the order of the fields on the page (unknown keys last).

    >>> list(sort_errors({"copy.text": "a", "original.url": "b", "original.title": "c"}))
    ['original.title', 'original.url', 'copy.text']
    """
    return dict(sorted(errors.items(), key=lambda item: _FIELD_ORDER.index(item[0])
                       if item[0] in _FIELD_ORDER else len(_FIELD_ORDER)))


def part_limit(max_text_bytes: int, max_upload_bytes: int) -> int:
    """Largest form field read: a text box may hold pasted HTML as large as an uploaded file.

    >>> part_limit(1000, 5000)
    9000
    """
    return 4 * max_text_bytes + max_upload_bytes


def body_limit(max_text_bytes: int, max_upload_bytes: int) -> int:
    """Largest request body worth reading: per side a text box and a file, with room to spare.

    >>> body_limit(1000, 5000)
    1076576
    """
    return 2 * (part_limit(max_text_bytes, max_upload_bytes) + max_upload_bytes) + _SLACK


async def read_pair_form(form: FormData, *, store: PendingStore, user_id: int) -> PairForm:
    """The first form's fields and files as submitted (nothing extracted yet)."""
    result = PairForm()
    for side in result.sides:
        name = side.side
        side.title = _text_field(form, f"{name}_title")
        side.source_url = _text_field(form, f"{name}_source_url").strip()
        side.text = _text_field(form, f"{name}_text")
        side.is_html = bool(_text_field(form, f"{name}_is_html"))
        side.url = _text_field(form, f"{name}_url").strip()
        side.upload = await _upload(form, f"{name}_file")
        if side.upload is None and not _text_field(form, f"{name}_kept_discard"):
            side.kept = store.get(_text_field(form, f"{name}_kept"), user_id=user_id)
    return result


def read_preview_form(form: FormData, *, store: PendingStore, user_id: int) -> PreviewForm:
    """The preview's fields, each side with the extraction its token names; a token that no
    longer names one (expired, or the server's folder was cleared) is an error on that side."""
    result = PreviewForm()
    for side in result.sides:
        name = side.side
        side.title = _text_field(form, f"{name}_title")
        side.source_url = _text_field(form, f"{name}_source_url").strip()
        side.text = _text_field(form, f"{name}_text")
        token = _text_field(form, f"{name}_source")
        if token:
            side.pending = store.get(token, user_id=user_id)
            if side.pending is None:
                result.errors[f"{name}.text"] = ("What this text was read from is no longer kept (a "
                                                 "preview is kept for a day). Please start again.")
            else:
                side.text = side.pending.confirmed(side.text)
    return result


def _text_field(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


async def _upload(form: FormData, name: str) -> Upload | None:
    value = form.get(name)
    if not isinstance(value, UploadFile) or not value.filename:
        return None
    return Upload(filename=value.filename, content_type=value.content_type, data=await value.read())
