"""A pair's data for other tools: the whole pair as one JSON document, its notes as a W3C Web
Annotation collection, and the list of pairs as CSV a spreadsheet opens safely. Read-only."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import astuple, dataclass, fields
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from app.align import Alignment
from app.models import Activity, Article, ArticleSource, Note, Pair, StoredAlignment, utcnow
from app.services.activity import describe_activity
from app.services.evidence import Side, creation, sides
from app.services.pairs import options_to_dict, pair_options
from app.services.placing import Anchor, note_to_annotation, place_notes
from app.services.review import notes_for_pair

#: The name and version of the pair document's layout, for the tools that read it.
EXPORT_FORMAT = "copydesk.pair-export/1"
ANNOTATION_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
#: First characters that make a spreadsheet read a cell as a formula (or, tab and carriage
#: return, shift it into one): such cells get a leading apostrophe.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: Pairs read per query for the CSV: their stored results are loaded only to count changes.
CSV_BATCH = 100


# --- the pair as JSON ---------------------------------------------------------------------------


def pair_document(session: Session, pair: Pair, alignment: Alignment, *, base_url: str) -> dict[str, Any]:
    """Everything copydesk holds about ``pair`` except the raw source bytes (served apart, at the
    ``raw_url`` of each side): texts, sources, alignment, settings, notes, activity, verdict."""
    base = base_url.rstrip("/")
    made = creation(session, pair)
    notes = notes_for_pair(session, pair)
    return {
        "format": EXPORT_FORMAT,
        "exported_at": iso(utcnow()),
        "id": pair.id,
        "title": pair.title,
        "url": f"{base}/pairs/{pair.id}",
        "created_at": iso(pair.created_at),
        "created_by": made.by,
        "verdict": {"value": pair.verdict,
                    "set_by": pair.verdict_by.username if pair.verdict_by is not None else None,
                    "set_at": iso(pair.verdict_at) if pair.verdict_at is not None else None},
        "settings": options_to_dict(pair_options(pair)),
        **{side.name: _side(side, pair.id, base) for side in sides(pair)},
        "alignment": alignment.to_dict(),
        "notes": [_note(anchor) for anchor in place_notes(pair, notes).anchors],
        "activity": [_activity(entry) for entry in _activity_log(session, pair)],
    }


def _side(side: Side, pair_id: int, base: str) -> dict[str, Any]:
    article = side.article
    return {
        "title": article.title,
        "source_url": article.source_url,
        "text": article.text,
        "length": article.length,
        "sha256": article.sha256,
        "created_at": iso(article.created_at),
        "captured_at": iso(side.captured_at),
        "source": None if side.source is None else {
            **_source(side.source), "raw_url": f"{base}/api/v1/pairs/{pair_id}/sources/{side.name}"},
    }


def _source(source: ArticleSource) -> dict[str, Any]:
    return {
        "kind": source.kind, "format": source.format, "filename": source.filename,
        "content_type": source.content_type, "encoding": source.encoding,
        "encoding_detected": source.encoding_detected, "size": source.size, "sha256": source.sha256,
        "url": source.url, "final_url": source.final_url, "http_status": source.http_status,
        "fetched_at": iso(source.fetched_at) if source.fetched_at is not None else None,
        "created_at": iso(source.created_at),
    }


def _note(anchor: Anchor) -> dict[str, Any]:
    note = anchor.note
    return {
        "id": note.id, "side": note.side, "label": note.label, "status": note.status, "body": note.body,
        "author": note.author.username, "created_at": iso(note.created_at), "updated_at": iso(note.updated_at),
        "selector": {"exact": note.exact, "prefix": note.prefix, "suffix": note.suffix,
                     "start": note.start, "end": note.end},
        "anchor": {"state": anchor.state.value, "start": anchor.start, "end": anchor.end},
        "replies": [{"id": reply.id, "author": reply.author.username, "body": reply.body,
                     "created_at": iso(reply.created_at), "updated_at": iso(reply.updated_at)}
                    for reply in note.replies],
        "status_history": [{"user": change.user.username, "old": change.old_status, "new": change.new_status,
                            "at": iso(change.at)} for change in note.status_changes],
    }


def _activity_log(session: Session, pair: Pair) -> list[Activity]:
    """The whole log, oldest first (the page shows only the latest entries)."""
    return list(session.scalars(select(Activity).where(Activity.pair_id == pair.id).order_by(Activity.id)))


def _activity(entry: Activity) -> dict[str, Any]:
    return {"at": iso(entry.at), "user": entry.user.username if entry.user is not None else None,
            "action": entry.action, "detail": entry.detail or {}, "text": describe_activity(entry)}


# --- the notes as Web Annotations ---------------------------------------------------------------


def annotation_collection(session: Session, pair: Pair, *, base_url: str) -> dict[str, Any]:
    """The pair's notes as a W3C AnnotationCollection holding its one AnnotationPage.

    Each item is ``note_to_annotation`` of a note placed in the current texts (its offsets are
    where the passage is now; an orphaned note keeps only its quote). The items share the
    collection's ``@context`` instead of repeating it.
    """
    collection = f"{base_url.rstrip('/')}/api/v1/pairs/{pair.id}/annotations"
    anchors = place_notes(pair, notes_for_pair(session, pair)).anchors
    items = [{key: value for key, value in note_to_annotation(anchor.note, base_url, anchor=anchor).items()
              if key != "@context"} for anchor in anchors]
    return {
        "@context": ANNOTATION_CONTEXT,
        "id": collection,
        "type": "AnnotationCollection",
        "label": f"Notes on {pair.title}",
        "total": len(items),
        "first": {"id": f"{collection}#page-1", "type": "AnnotationPage", "partOf": collection,
                  "startIndex": 0, "items": items},
    }


# --- the list of pairs as CSV -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PairRow:
    """One line of the CSV; the field order is the column order (CSV_COLUMNS)."""

    id: int
    title: str
    created: str
    verdict: str
    original_title: str
    original_url: str
    copy_title: str
    copy_url: str
    original_reused: str
    copy_derived: str
    open_notes: int
    changed_facts: int | str


CSV_COLUMNS = tuple(field.name for field in fields(PairRow))


def pair_rows(session: Session) -> Iterator[PairRow]:
    """Every pair, newest first, as CSV rows. Pairs never aligned have blank figures and facts."""
    original, copy = aliased(Article), aliased(Article)
    open_notes: dict[int, int] = {pair_id: count for pair_id, count in session.execute(
        select(Note.pair_id, func.count()).where(Note.status == "open").group_by(Note.pair_id))}
    query = (select(Pair.id, Pair.title, Pair.created_at, Pair.verdict, original.title, original.source_url,
                    copy.title, copy.source_url, StoredAlignment.original_reused, StoredAlignment.copy_derived,
                    StoredAlignment.result)
             .join(original, Pair.original_id == original.id).join(copy, Pair.copy_id == copy.id)
             .outerjoin(StoredAlignment, StoredAlignment.pair_id == Pair.id)
             .order_by(Pair.created_at.desc(), Pair.id.desc()))
    offset = 0
    while batch := session.execute(query.offset(offset).limit(CSV_BATCH)).all():
        for (pair_id, title, created, verdict, o_title, o_url, c_title, c_url, reused, derived,
             result) in batch:
            yield PairRow(pair_id, title, iso(created), verdict, o_title, o_url or "", c_title, c_url or "",
                          _share(reused), _share(derived), open_notes.get(pair_id, 0),
                          len(result.get("changes", ())) if result is not None else "")
        offset += CSV_BATCH


def _share(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"


def write_csv(rows: Iterable[PairRow]) -> str:
    """The rows under a header line, every text cell made safe for spreadsheets (``safe_cell``).

    >>> write_csv([PairRow(1, "=HYPERLINK(1)", "2026-01-01T00:00:00Z", "new", "a", "", "b", "",
    ...                    "0.5000", "0.2500", 0, 2)]).splitlines()[1]
    "1,'=HYPERLINK(1),2026-01-01T00:00:00Z,new,a,,b,,0.5000,0.2500,0,2"
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow([safe_cell(value) if isinstance(value, str) else value for value in astuple(row)])
    return out.getvalue()


def safe_cell(value: str) -> str:
    """``value`` with an apostrophe in front when a spreadsheet would run it as a formula.

    >>> safe_cell("=1+1"), safe_cell("-2"), safe_cell("@SUM(A1)"), safe_cell("Mayor says =")
    ("'=1+1", "'-2", "'@SUM(A1)", 'Mayor says =')
    """
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def iso(moment: datetime) -> str:
    """A stored time in ISO 8601, UTC, to the second (SQLite hands back naive UTC datetimes).

    >>> iso(datetime(2026, 11, 22, 23, 15, 7, 123))
    '2026-11-22T23:15:07Z'
    """
    aware = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return aware.strftime("%Y-%m-%dT%H:%M:%SZ")
