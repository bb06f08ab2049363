"""Pydantic models of the JSON API under /api/v1: what it accepts, returns and reports as errors."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictBool
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


class ArticleIn(BaseModel):
    """One side of a submission. The text is stored exactly as sent (line endings and
    surrounding whitespace included), so alignment offsets index it."""

    model_config = ConfigDict(extra="forbid")

    title: Title | None = Field(
        None, description="Headline of the article; defaults to the first line of the text.")
    text: UnicodeText = Field(
        description="The full text, UTF-8, at most the `max_text_bytes` setting (2 MB by default). "
                    "Paragraphs are separated by blank lines (or by single line breaks when the text "
                    "has no blank lines).")
    source_url: UnicodeText | None = Field(
        None, description="Where the article was published; http:// or https:// only.")


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


class ArticleOut(BaseModel):
    """One stored article, without its text."""

    id: int
    title: str
    source_url: str | None
    sha256: str = Field(description="SHA-256 of the text encoded as UTF-8, in hex.")
    length: int = Field(description="Length of the text in characters (code points), "
                                    "the unit of every alignment offset.")
    created_at: UtcDatetime


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


class PairDetail(PairOut):
    """A stored pair with both texts."""

    original: ArticleDetail
    copy_: ArticleDetail = Field(alias="copy")
    summary: SummaryOut


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
