"""Pydantic models of the JSON API under /api/v1: what it accepts, returns and reports as errors."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    SkipValidation,
    StrictBool,
    StrictInt,
    model_validator,
)
from pydantic_core import PydanticCustomError

MAX_TITLE = 500
# The range app.services.pairs.MIN_SIMILARITY_RANGE accepts (a test keeps the two equal).
MIN_SIMILARITY = (0.1, 0.9)


def _valid_unicode(value: str) -> str:
    """Refuse lone surrogates: JSON's ``\\ud800`` escapes parse into them, and no database
    can store them as UTF-8."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise PydanticCustomError(
            "unicode_surrogate",
            "Contains an unpaired surrogate (U+{code}) at position {position}: not valid Unicode text",
            {"code": f"{ord(value[exc.start]):04X}", "position": exc.start},
        ) from None
    return value


def _as_utc(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; every time the app stores is UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


UnicodeText = Annotated[str, AfterValidator(_valid_unicode)]
Title = Annotated[str, Field(max_length=MAX_TITLE), AfterValidator(_valid_unicode)]
UtcDatetime = Annotated[datetime, AfterValidator(_as_utc)]


# --- requests ---------------------------------------------------------------------------------


SOURCE_FIELDS = ("text", "html", "url", "file_base64")


class ArticleIn(BaseModel):
    """One side of a submission: its text sent as ``text``, or extracted by copydesk from pasted
    ``html``, a page it fetches from ``url``, or a file (``file_base64`` with its ``filename``).
    Give exactly one of the four. A text is stored exactly as sent (line endings and surrounding
    whitespace included), so alignment offsets index it; the raw html, page or file is kept with
    its SHA-256 as evidence."""

    model_config = ConfigDict(extra="forbid")

    title: Title | None = Field(
        None, description="Headline of the article; defaults to the title found in the html, page "
                          "or file, then to the first line of the text.")
    text: UnicodeText | None = Field(
        None,
        description="The full text, UTF-8, at most the `max_text_bytes` setting (2 MB by default). "
                    "Paragraphs are separated by blank lines (or by single line breaks when the text "
                    "has no blank lines).")
    html: UnicodeText | None = Field(
        None, description="A web page's HTML (a saved page, or its source): the article's title and "
                          "text are extracted from it, leaving out navigation, share buttons, "
                          "comments and related-article lists.")
    url: UnicodeText | None = Field(
        None, description="An http(s) address the server fetches the article from (a web page, a "
                          "PDF, a .docx or plain text), within the `fetch_timeout` and "
                          "`fetch_max_bytes` settings; addresses in private, loopback and link-local "
                          "networks are refused unless `fetch_allow_private` is on.")
    file_base64: str | None = Field(
        None, json_schema_extra={"contentEncoding": "base64"},
        description="A file's bytes in base64: .txt, .md, .html/.htm, .docx or .pdf (with a text "
                    "layer), at most the `max_upload_bytes` setting; `filename` is required with it.")
    filename: UnicodeText | None = Field(
        None, max_length=500, description="The file's name; its extension and content tell its type.")
    content_type: str | None = Field(
        None, max_length=200, description="The file's media type, if known (a hint; the content decides).")
    source_url: UnicodeText | None = Field(
        None, description="Where the article was published; http:// or https:// only. Defaults to "
                          "the address a fetched page was found at.")

    @model_validator(mode="after")
    def _one_source(self) -> ArticleIn:
        given = [name for name in SOURCE_FIELDS if getattr(self, name) is not None]
        if not given:
            raise PydanticCustomError("missing_source", "Give the article as one of text, html, url or "
                                                        "file_base64")
        if len(given) > 1:
            raise PydanticCustomError("several_sources", "Give only one of text, html, url or file_base64 "
                                                         "(this side has {given})", {"given": " and ".join(given)})
        if self.file_base64 is not None and not (self.filename or "").strip():
            raise PydanticCustomError("missing_filename", "A file_base64 needs its filename (its extension "
                                                          "tells the file's type)")
        if self.file_base64 is None and (self.filename is not None or self.content_type is not None):
            raise PydanticCustomError("filename_without_file", "filename and content_type go with file_base64")
        return self


class PairIn(BaseModel):
    """An original article and a suspected copy of it."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{
            "title": "Harbour strike coverage",
            "original": {
                "title": "Dockers walk out over night shifts",
                "source_url": "https://example.com/news/dockers-strike",
                "text": "Dockers at the north harbour stopped work on Monday.\n\n"
                        "The union says night shifts doubled in a year.",
            },
            "copy": {
                "title": "Harbour workers strike",
                "text": "Harbour workers stopped work on Monday.\n\n"
                        "The union says night shifts doubled in a year.\n\nSubscribe for more.",
            },
        }]},
    )

    title: Title | None = Field(
        None, description="Name of the pair; defaults to the two article titles.")
    original: ArticleIn = Field(description="The original article.")
    # `copy` would shadow BaseModel.copy: the attribute is `copy_`, the JSON key `copy`.
    copy_: ArticleIn = Field(alias="copy", description="The suspected copy.")


class SettingsIn(BaseModel):
    """The settings a reviewer can change on a pair; the pair is aligned again with them."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"min_similarity": 0.4, "quotes_copied": False}]},
    )

    min_similarity: float = Field(
        ge=MIN_SIMILARITY[0], le=MIN_SIMILARITY[1], allow_inf_nan=False,
        description=f"How similar a copy sentence must be to an original one to link them, "
                    f"{MIN_SIMILARITY[0]} to {MIN_SIMILARITY[1]} (default 0.3); higher links fewer "
                    "paragraphs. The engine's lower bar for sentences whose neighbours vouch for "
                    "them moves in proportion.")
    quotes_copied: StrictBool = Field(
        description="Whether text inside quotation marks counts as copied (default true). When "
                    "false, quotations count neither as copied nor as new in the figures.")


# --- responses --------------------------------------------------------------------------------


class SourceOut(BaseModel):
    """The raw input a text was extracted from, kept as evidence; its bytes are at ``raw_url``."""

    kind: Literal["file", "url", "html"] = Field(
        description="`file`: uploaded; `url`: fetched by the server; `html`: pasted HTML.")
    format: Literal["txt", "md", "html", "docx", "pdf"] = Field(description="The type it was read as.")
    filename: str | None
    content_type: str | None = Field(description="The media type it came with, if any.")
    encoding: str | None = Field(description="The encoding the text was decoded with (null for "
                                             "docx and pdf).")
    encoding_detected: bool = Field(description="True when the encoding was guessed: the input was "
                                                "not UTF-8 and declared none.")
    size: int = Field(ge=0, description="Size of the raw input in bytes.")
    sha256: str = Field(description="SHA-256 of the raw input, in hex.")
    url: str | None = Field(description="The address asked for (a fetched page).")
    final_url: str | None = Field(description="The address that answered, after redirects.")
    http_status: int | None
    fetched_at: UtcDatetime | None = Field(description="When the server fetched the page.")
    raw_url: str = Field(description="The raw input, byte for byte, in the API.")


class ArticleOut(BaseModel):
    """One stored article, without its text."""

    id: int
    title: str
    source_url: str | None
    sha256: str = Field(description="SHA-256 of the text encoded as UTF-8, in hex.")
    length: int = Field(description="Length of the text in characters (code points), "
                                    "the unit of every alignment offset.")
    created_at: UtcDatetime
    source: SourceOut | None = Field(
        description="What the text was extracted from; null for a text sent as text.")


class ArticleDetail(ArticleOut):
    """One stored article with its text, exactly as submitted."""

    text: str


class SummaryOut(BaseModel):
    """Headline figures of the pair's alignment."""

    original_reused: float = Field(ge=0, le=1, description="Share of the original's characters "
                                                           "reused in the copy.")
    copy_derived: float = Field(ge=0, le=1, description="Share of the copy's characters derived "
                                                        "from the original.")
    counts: dict[str, int] = Field(
        description="Rows per kind (verbatim, edited, paraphrased, inserted, omitted), and "
                    "`injected`: runs of foreign text inside copied paragraphs.",
        examples=[{"verbatim": 3, "edited": 1, "paraphrased": 0, "inserted": 1, "omitted": 0,
                   "injected": 0}])
    engine_version: str = Field(description="Version of the alignment engine that computed them.")


class SettingsOut(BaseModel):
    """A pair's settings after the change, and the figures of its new alignment."""

    min_similarity: float
    quotes_copied: bool
    is_default: bool = Field(description="True when both settings are the defaults.")
    alignment_url: str = Field(description="The pair's `copydesk.alignment/1` document, now made "
                                           "with these settings.")
    summary: SummaryOut


class PairOut(BaseModel):
    """A stored pair: links, both articles (without texts) and the alignment summary."""

    model_config = ConfigDict(serialize_by_alias=True)

    id: int
    url: str = Field(description="The comparison page in the browser.")
    api_url: str = Field(description="This pair in the API.")
    alignment_url: str = Field(description="The pair's `copydesk.alignment/1` document.")
    title: str
    created_at: UtcDatetime
    original: ArticleOut
    copy_: ArticleOut = Field(alias="copy")
    summary: SummaryOut | None = Field(
        description="Figures of the stored alignment; null while none is stored.")
    verdict: Literal["new", "in_review", "confirmed_copy", "not_a_copy"] = Field(
        description="new -> in_review -> confirmed_copy or not_a_copy, set by an editor.")
    open_notes: int = Field(ge=0, description="Notes on the pair whose status is open.")


class PairDetail(PairOut):
    """A stored pair with both texts."""

    original: ArticleDetail
    copy_: ArticleDetail = Field(alias="copy")
    summary: SummaryOut


MAX_BATCH = 50


class BatchIn(BaseModel):
    """Several pairs to submit at once; each is stored or refused on its own."""

    model_config = ConfigDict(extra="forbid")

    # Validated one by one by the route, so that one bad item does not refuse the others.
    items: list[SkipValidation[PairIn]] = Field(
        min_length=1, max_length=MAX_BATCH,
        description=f"1 to {MAX_BATCH} pairs, each as POST /api/v1/pairs takes it. Pages are fetched "
                    "one after another.")


class BatchItemOut(BaseModel):
    """The outcome of one item, at ``index`` in the request's list."""

    index: int = Field(ge=0)
    status: int = Field(description="201 when stored; otherwise 413 or 422 as POST /api/v1/pairs "
                                    "would have answered.", examples=[201])
    pair: PairOut | None = Field(description="The stored pair (null when refused).")
    errors: list[FieldError] = Field(description="Why it was refused; `loc` starts at the item, e.g. "
                                                 "`[\"copy\", \"url\"]`. Empty when stored.")


class BatchOut(BaseModel):
    """Every item's outcome, in the order sent."""

    items: list[BatchItemOut]
    created: int = Field(ge=0, description="How many pairs were stored.")
    failed: int = Field(ge=0, description="How many items were refused.")


class PairPage(BaseModel):
    """One page of pairs, newest first."""

    items: list[PairOut]
    page: int = Field(ge=1)
    page_size: int = Field(ge=1)
    total: int = Field(ge=0, description="Number of pairs on all pages.")
    pages: int = Field(ge=0, description="Number of pages.")
    next: str | None = Field(description="The next page, or null on the last one.")
    prev: str | None = Field(description="The previous page, or null on the first one.")


# --- the alignment document (documentation of the copydesk.alignment/1 contract) ---------------


class AlignedText(BaseModel):
    model_config = ConfigDict(extra="allow")

    length: int = Field(description="Length of the text in characters (code points).")
    paragraphs: list[tuple[int, int]] = Field(description="Half-open [start, end) spans.")


class AlignedBlock(BaseModel):
    model_config = ConfigDict(extra="allow")

    kind: str = Field(description="verbatim, edited, paraphrased, inserted or omitted.",
                      examples=["edited"])
    original: tuple[int, int] | None = Field(description="Span in the original; null when inserted.")
    copy_: tuple[int, int] | None = Field(alias="copy", description="Span in the copy; null when omitted.")
    score: float | None = Field(description="Similarity 0..1; null for inserted and omitted blocks.")


class AlignedChange(BaseModel):
    model_config = ConfigDict(extra="allow")

    kind: str = Field(examples=["number"])
    original: tuple[int, int]
    copy_: tuple[int, int] = Field(alias="copy")
    original_text: str
    copy_text: str


class AlignmentSummary(BaseModel):
    model_config = ConfigDict(extra="allow")

    original_reused: float
    copy_derived: float


class AlignmentDocument(BaseModel):
    """The ``copydesk.alignment/1`` document: a contract read by tools outside copydesk. These keys
    are always present; more may be added. Offsets are code points, end exclusive."""

    model_config = ConfigDict(extra="allow")

    format: str = Field(examples=["copydesk.alignment/1"])
    original: AlignedText
    copy_: AlignedText = Field(alias="copy")
    blocks: list[AlignedBlock]
    changes: list[AlignedChange]
    summary: AlignmentSummary


# --- review: notes, replies, statuses, verdict, activity ----------------------------------------

Side = Literal["original", "copy"]
Label = Literal["misquote", "changed_fact", "injected", "copied", "other"]
Status = Literal["open", "confirmed", "dismissed"]
Verdict = Literal["new", "in_review", "confirmed_copy", "not_a_copy"]
# Plain text; the review service strips it and allows at most 10,000 characters (422 beyond).
NoteBody = Annotated[str, Field(min_length=1, description="Plain text, at most 10,000 characters; "
                                                          "line breaks are kept."),
                     AfterValidator(_valid_unicode)]
Version = Annotated[StrictInt, Field(ge=1, description="The version the note or reply was read with; "
                                                        "an edit against an older one is refused (409).")]


class NoteIn(BaseModel):
    """A new note on a passage of one side of a pair."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "side": "copy", "start": 88, "end": 98, "exact": "45 million", "label": "changed_fact",
        "body": "The original says 40 million."}]})

    side: Side = Field(description="The text the passage is in.")
    start: StrictInt = Field(ge=0, description="Offset of the passage's first character (code points).")
    end: StrictInt = Field(ge=1, description="Offset just after its last character (end exclusive).")
    exact: UnicodeText | None = Field(
        None, description="The passage's text as the client saw it; when given it must equal the "
                          "text at start..end (it guards against notes placed on an outdated text).")
    label: Label = Field(description="What kind of problem the note is about.")
    body: NoteBody


class NotePatch(BaseModel):
    """A change to a note's body and/or label, made against the version read."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "version": 1, "body": "The original says 40 million, not 45."}]})

    version: Version
    body: NoteBody | None = None
    label: Label | None = None


class StatusIn(BaseModel):
    """A note's new status."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"status": "confirmed"}]})

    status: Status
    version: Version | None = Field(None, description="When given, the change is refused (409) if "
                                                      "the note has changed since this version.")


class ReplyIn(BaseModel):
    """A reply in a note's thread."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"body": "Agreed."}]})

    body: NoteBody


class ReplyPatch(BaseModel):
    """A change to a reply's body, made against the version read."""

    model_config = ConfigDict(extra="forbid")

    version: Version
    body: NoteBody


class VerdictIn(BaseModel):
    """A pair's new verdict: new -> in_review -> confirmed_copy | not_a_copy (and back to in_review)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"verdict": "in_review"}]})

    verdict: Verdict


class TextIn(BaseModel):
    """The corrected full text of one side."""

    model_config = ConfigDict(extra="forbid")

    text: UnicodeText = Field(description="The whole text, stored exactly as sent.")


class ReplyOut(BaseModel):
    id: int
    note_id: int
    author: str = Field(description="Username of the author.")
    body: str
    version: int
    created_at: UtcDatetime
    updated_at: UtcDatetime


class StatusChangeOut(BaseModel):
    user: str = Field(description="Username of who changed it.")
    old_status: str
    new_status: str
    at: UtcDatetime


class NoteOut(BaseModel):
    """A note, placed in its side's current text."""

    id: int
    pair_id: int
    side: Side
    anchor: Literal["anchored", "reanchored", "orphaned"] = Field(
        description="`anchored`: at its stored offsets; `reanchored`: the text changed and its quote "
                    "was found, with its context, at `start`..`end`; `orphaned`: its passage is gone "
                    "(start and end are null).")
    start: int | None = Field(description="Where the passage is now (code points), null when orphaned.")
    end: int | None
    exact: str = Field(description="The quoted passage (TextQuoteSelector).")
    prefix: str = Field(description="Up to 32 characters before it when the note was made.")
    suffix: str = Field(description="Up to 32 characters after it when the note was made.")
    label: str
    status: str
    body: str
    author: str = Field(description="Username of the author.")
    created_at: UtcDatetime
    updated_at: UtcDatetime
    version: int = Field(description="Send it back with an edit (PATCH) or a status change.")
    replies: list[ReplyOut]
    status_changes: list[StatusChangeOut]
    annotation: dict[str, Any] = Field(description="The note as a W3C Web Annotation (JSON-LD).")


class NoteList(BaseModel):
    """The notes of a pair, oldest first."""

    items: list[NoteOut]
    total: int
    orphaned: int = Field(description="How many notes lost their passage.")


class ConflictOut(BaseModel):
    """An edit against an outdated version: nothing was changed; ``current`` is the row as stored."""

    detail: str
    current: NoteOut | ReplyOut


class VerdictOut(BaseModel):
    pair_id: int
    verdict: Verdict
    verdict_by: str | None = Field(description="Username of who set it (null while new).")
    verdict_at: UtcDatetime | None
    next: list[Verdict] = Field(description="The verdicts the pair may move to from here.")


class ActivityOut(BaseModel):
    id: int
    action: str = Field(examples=["note_added"])
    user: str | None = Field(description="Username, or null for what copydesk did itself.")
    at: UtcDatetime
    text: str = Field(description="The entry in plain words.")
    detail: dict[str, Any]


class ActivityList(BaseModel):
    """A pair's activity, newest first."""

    items: list[ActivityOut]


class NoteCounts(BaseModel):
    anchored: int
    reanchored: int
    orphaned: int


class TextCorrectionOut(BaseModel):
    """The side's new text, the pair's new alignment, and where its notes landed."""

    pair_id: int
    side: Side
    length: int
    sha256: str
    summary: SummaryOut
    notes: NoteCounts = Field(description="The pair's notes (both sides) by anchor state.")
    orphaned: int = Field(description="Notes on this side that lost their passage.")


# --- errors -----------------------------------------------------------------------------------


class ErrorMessage(BaseModel):
    """An error that concerns the request as a whole."""

    detail: str = Field(examples=["pair 42 not found"])


class FieldError(BaseModel):
    """One invalid field; ``loc`` is its path, e.g. ``["body", "copy", "text"]``."""

    loc: list[str | int]
    msg: str
    type: str


class FieldErrors(BaseModel):
    """Errors in named fields of the request."""

    detail: list[FieldError] = Field(examples=[[
        {"loc": ["body", "copy", "text"], "msg": "The copy text is empty", "type": "value_error"}]])
