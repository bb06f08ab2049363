"""A hand-built alignment that shows every kind of row, so page tests do not depend on the engine."""

from __future__ import annotations

from app.align import ENGINE_VERSION, Alignment, Block, Relation, Span, Summary, WordOp

ORIGINAL = (
    "Alpha paragraph stays the same.\r\nIt has a second line.\r\n\r\n"
    "The mayor firmly said on Monday that the bridge will close.\r\n\r\n"
    "Rain fell across the north all week long.\r\n\r\n"
    "A dropped paragraph nobody copied.\r\n\r\n"
    "Closing words of the original."
)
COPY = (
    "Closing words of the original.\r\n\r\n"
    "Alpha paragraph stays the same.\r\nIt has a second line.\r\n\r\n"
    "The mayor said on Tuesday that the old bridge will close. Subscribe now!\r\n\r\n"
    "Throughout the week, rain soaked the northern region.\r\n\r\n"
    "A brand-new paragraph."
)


def span(text: str, fragment: str, after: int = 0) -> Span:
    start = text.index(fragment, after)
    return (start, start + len(fragment))


def _paragraphs(text: str) -> tuple[Span, ...]:
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
C_CLOSING = span(COPY, "Closing words of the original.")
C_ALPHA = span(COPY, "Alpha paragraph stays the same.\r\nIt has a second line.")
C_MAYOR = span(COPY, "The mayor said on Tuesday that the old bridge will close. Subscribe now!")
C_RAIN = span(COPY, "Throughout the week, rain soaked the northern region.")
C_NEW = span(COPY, "A brand-new paragraph.")

EDITED_INDEX = 2
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
    Block(Relation.INSERTED, None, C_NEW, None, (), (4,)),
)

ALIGNMENT = Alignment(
    original_length=len(ORIGINAL),
    copy_length=len(COPY),
    original_paragraphs=_paragraphs(ORIGINAL),
    copy_paragraphs=_paragraphs(COPY),
    blocks=BLOCKS,
    changes=(),
    summary=Summary(0.8125, 0.6875, {}),
    engine_version=ENGINE_VERSION,
)

# The row each top-level block becomes, in copy order.
ROW_KINDS = ["verbatim", "verbatim", "edited", "paraphrased", "omitted", "inserted"]
