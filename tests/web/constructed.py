"""A hand-built alignment that shows every kind of row and of changed fact, so page tests do not
depend on the engine.

The quote row nests marks the way real copies do: a changed name inside a changed quotation,
an injected run inside the same quotation, a dropped "not" (a fact with no text in the copy),
and facts inside word-diff spans.
"""

from __future__ import annotations

from app.align import ENGINE_VERSION, Alignment, Block, Change, Relation, Span, WordOp, summarise

ORIGINAL = (
    "Alpha paragraph stays the same.\r\nIt has a second line.\r\n\r\n"
    "The mayor firmly said on Monday that the bridge will close.\r\n\r\n"
    "Rain fell across the north all week long.\r\n\r\n"
    "A dropped paragraph nobody copied.\r\n\r\n"
    "Closing words of the original.\r\n\r\n"
    "\u201cThe State Department will not fund it,\u201d Reeker told 12 reporters in Baku."
)
COPY = (
    "Closing words of the original.\r\n\r\n"
    "Alpha paragraph stays the same.\r\nIt has a second line.\r\n\r\n"
    "The mayor said on Tuesday that the old bridge will close. Subscribe now!\r\n\r\n"
    "Throughout the week, rain soaked the northern region.\r\n\r\n"
    "\u201cThe Foreign Ministry will fund it SHARE THIS,\u201d Riger told 21 reporters in Baku.\r\n\r\n"
    "A brand-new paragraph."
)


def span(text: str, fragment: str, after: int = 0) -> Span:
    start = text.index(fragment, after)
    return (start, start + len(fragment))


def point(text: str, before: str) -> Span:
    """An empty span right before ``before`` (where a dropped word was)."""
    start = text.index(before)
    return (start, start)


def paragraphs(text: str) -> tuple[Span, ...]:
    spans, pos = [], 0
    for part in text.split("\r\n\r\n"):
        spans.append((pos, pos + len(part)))
        pos += len(part) + 4
    return tuple(spans)


O_ALPHA = span(ORIGINAL, "Alpha paragraph stays the same.\r\nIt has a second line.")
O_MAYOR = span(ORIGINAL, "The mayor firmly said on Monday that the bridge will close.")
O_RAIN = span(ORIGINAL, "Rain fell across the north all week long.")
O_DROPPED = span(ORIGINAL, "A dropped paragraph nobody copied.")
O_CLOSING = span(ORIGINAL, "Closing words of the original.")
O_QUOTE_PARA = paragraphs(ORIGINAL)[5]
C_CLOSING = span(COPY, "Closing words of the original.")
C_ALPHA = span(COPY, "Alpha paragraph stays the same.\r\nIt has a second line.")
C_MAYOR = span(COPY, "The mayor said on Tuesday that the old bridge will close. Subscribe now!")
C_RAIN = span(COPY, "Throughout the week, rain soaked the northern region.")
C_QUOTE_PARA = paragraphs(COPY)[4]
C_NEW = span(COPY, "A brand-new paragraph.")

O_QUOTE = span(ORIGINAL, "\u201cThe State Department will not fund it,\u201d")
C_QUOTE = span(COPY, "\u201cThe Foreign Ministry will fund it SHARE THIS,\u201d")
C_INJECTED = span(COPY, "SHARE THIS")

EDITED_INDEX = 2
QUOTE_INDEX = 6
BLOCKS = (
    Block(Relation.VERBATIM, O_CLOSING, C_CLOSING, 1.0, (4,), (0,), moved=True,
          note="moved from paragraph 5"),
    Block(Relation.VERBATIM, O_ALPHA, C_ALPHA, 1.0, (0,), (1,)),
    Block(Relation.EDITED, O_MAYOR, C_MAYOR, 0.82, (1,), (2,), diff=(
        WordOp("delete", span(ORIGINAL, "firmly"), None),
        WordOp("replace", span(ORIGINAL, "Monday"), span(COPY, "Tuesday")),
        WordOp("insert", None, span(COPY, "old")),
        WordOp("insert", None, span(COPY, "Subscribe now")),
    )),
    Block(Relation.INSERTED, None, span(COPY, "Subscribe now!"), None, (), (2,), note="injected",
          parent=EDITED_INDEX),
    Block(Relation.PARAPHRASED, O_RAIN, C_RAIN, 0.41, (2,), (3,), diff=(
        WordOp("replace", span(ORIGINAL, "Rain fell across the north all week long"),
               span(COPY, "Throughout the week, rain soaked the northern region")),
    )),
    Block(Relation.OMITTED, O_DROPPED, None, None, (3,), ()),
    Block(Relation.EDITED, O_QUOTE_PARA, C_QUOTE_PARA, 0.74, (5,), (4,), diff=(
        WordOp("replace", span(ORIGINAL, "State Department"), span(COPY, "Foreign Ministry")),
        WordOp("delete", span(ORIGINAL, "not"), None),
        WordOp("insert", None, C_INJECTED),
        WordOp("replace", span(ORIGINAL, "Reeker"), span(COPY, "Riger")),
        WordOp("replace", span(ORIGINAL, "12"), span(COPY, "21")),
    )),
    Block(Relation.INSERTED, None, C_INJECTED, None, (), (4,), note="injected", parent=QUOTE_INDEX),
    Block(Relation.INSERTED, None, C_NEW, None, (), (5,)),
)

CHANGES = (
    Change("date", span(ORIGINAL, "Monday"), span(COPY, "Tuesday"), "Monday", "Tuesday",
           EDITED_INDEX, "date: Monday -> Tuesday"),
    Change("quote", O_QUOTE, C_QUOTE, ORIGINAL[slice(*O_QUOTE)], COPY[slice(*C_QUOTE)], QUOTE_INDEX,
           "quotation reworded"),
    Change("name", span(ORIGINAL, "State Department"), span(COPY, "Foreign Ministry"),
           "State Department", "Foreign Ministry", QUOTE_INDEX, "name: State Department -> Foreign Ministry"),
    Change("negation", span(ORIGINAL, "not"), point(COPY, "fund it SHARE"), "not", "", QUOTE_INDEX,
           "negation dropped"),
    Change("name", span(ORIGINAL, "Reeker"), span(COPY, "Riger"), "Reeker", "Riger", QUOTE_INDEX,
           "name: Reeker -> Riger"),
    Change("number", span(ORIGINAL, "12"), span(COPY, "21"), "12", "21", QUOTE_INDEX, "number: 12 -> 21"),
)

ALIGNMENT = Alignment(
    original_length=len(ORIGINAL),
    copy_length=len(COPY),
    original_paragraphs=paragraphs(ORIGINAL),
    copy_paragraphs=paragraphs(COPY),
    blocks=BLOCKS,
    changes=CHANGES,
    summary=summarise(ORIGINAL, COPY, BLOCKS),
    engine_version=ENGINE_VERSION,
)

# The row each top-level block becomes, in copy order, and the block index behind each row.
ROW_KINDS = ["verbatim", "verbatim", "edited", "paraphrased", "omitted", "edited", "inserted"]
ROW_BLOCKS = [0, 1, 2, 4, 5, 6, 8]
# The facts as the list at the top shows them, in copy order: (kind, original, copy, row number).
FACTS = [
    ("date", "Monday", "Tuesday", 3),
    ("quote", ORIGINAL[slice(*O_QUOTE)], COPY[slice(*C_QUOTE)], 6),
    ("name", "State Department", "Foreign Ministry", 6),
    ("negation", "not", "", 6),
    ("name", "Reeker", "Riger", 6),
    ("number", "12", "21", 6),
]
