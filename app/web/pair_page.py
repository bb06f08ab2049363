"""The comparison page with its review: rows with note highlights and the notes in their margin,
orphaned notes, the verdict and the activity log. One builder serves the page, the report
partial and the single-row fragments that note actions swap in."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from app.align import Alignment
from app.models import Activity, Note, Pair
from app.services.anchoring import AnchorState
from app.services.pairs import default_summary, pair_options, summary_without_injected
from app.services.review import (
    LABEL_NAMES,
    NOTE_LABELS,
    NOTE_STATUSES,
    STATUS_NAMES,
    VERDICT_MOVES,
    VERDICT_NAMES,
    Anchor,
    activity_for,
    describe_activity,
    may_edit,
    notes_for_pair,
    open_note_counts,
    place_notes,
)
from app.web.comparison import Comparison, NoteSpan, Row, build_comparison
from app.web.settings_form import SettingsForm, describe, differences
from app.web.templating import is_htmx, render
from app.web.view import ROW_FILTERS, Figures, View

# One URL serves the whole page and, to htmx, the report partial: caches must keep them apart.
VARY = {"Vary": "HX-Request"}
#: What the templates need to name labels, statuses and verdicts, and to offer edit buttons.
WORDS: dict[str, Any] = {
    "may_edit": may_edit,
    "labels": [(label, LABEL_NAMES[label]) for label in NOTE_LABELS],
    "label_names": LABEL_NAMES,
    "statuses": [(status, STATUS_NAMES[status]) for status in NOTE_STATUSES],
    "status_names": STATUS_NAMES,
    "verdict_names": VERDICT_NAMES,
    "verdict_moves": VERDICT_MOVES,
    "row_filters": ROW_FILTERS,
}


@dataclass(frozen=True, slots=True)
class Card:
    """How one note's card is drawn beyond the note itself: a form reopened with its errors,
    or the edit refused because someone else changed the note (``conflict``)."""

    errors: Mapping[str, str]
    form: str = ""
    conflict: str = ""
    #: What the user typed in the refused or invalid form, shown back to them.
    typed: str = ""


NO_CARD = Card({})


@dataclass(frozen=True, slots=True)
class Review:
    """The notes of a pair as the page shows them."""

    notes: dict[int, Note]
    anchors: dict[int, Anchor]
    numbers: dict[int, int]
    orphans: tuple[Note, ...]
    activity: tuple[tuple[Activity, str], ...]
    cards: Mapping[int, Card]
    #: The note a fragment brings into focus (the one just written or changed).
    focus: int | None = None

    def card(self, note: Note) -> Card:
        return self.cards.get(note.id, NO_CARD)

    def moved(self, note: Note) -> bool:
        """Whether the note was re-anchored (its passage moved when the text was corrected)."""
        return self.anchors[note.id].state is AnchorState.REANCHORED

    @property
    def open_count(self) -> int:
        return sum(1 for note in self.notes.values() if note.status == "open")

    def spans(self) -> list[NoteSpan]:
        return [NoteSpan(anchor.note.id, anchor.note.side, anchor.start, anchor.end,
                         self.numbers[anchor.note.id], LABEL_NAMES[anchor.note.label], anchor.note.status)
                for anchor in self.anchors.values()
                if anchor.start is not None and anchor.end is not None]


def load_review(session: Session, pair: Pair, cards: Mapping[int, Card] | None = None, *,
                focus: int | None = None) -> Review:
    """The pair's notes placed in its current texts, numbered in the order they were written."""
    notes = notes_for_pair(session, pair)
    placement = place_notes(pair, notes)
    return Review(
        notes={note.id: note for note in notes},
        anchors={anchor.note.id: anchor for anchor in placement.anchors},
        numbers={note.id: number for number, note in enumerate(notes, start=1)},
        orphans=tuple(anchor.note for anchor in placement.orphans),
        activity=tuple((entry, describe_activity(entry)) for entry in activity_for(session, pair)),
        cards=cards or {},
        focus=focus,
    )


def compare(pair: Pair, alignment: Alignment, view: View, review: Review) -> Comparison:
    return build_comparison(alignment, pair.original.text, pair.copy.text,
                            strip_injected=view.strip_injected, notes=review.spans())


def page_context(pair: Pair, comparison: Comparison, view: View, review: Review) -> dict[str, Any]:
    """What every template of the page reads about the pair's review."""
    return {**WORDS, "pair": pair, "comparison": comparison, "view": view, "review": review,
            "unplaced": (*review.orphans, *(review.notes[note.id] for note in comparison.unshown_notes))}


def render_report(request: Request, session: Session, pair: Pair, alignment: Alignment, view: View, *,
                  form: SettingsForm | None = None, saved: bool = False, status_code: int = 200,
                  extra: Mapping[str, Any] | None = None) -> Response:
    """The comparison page, or to htmx the report partial that the page includes; ``extra``
    adds to what the templates get (the verdict form's messages)."""
    review = load_review(session, pair)
    comparison = compare(pair, alignment, view, review)
    options = pair_options(pair)
    stripped = summary_without_injected(pair, alignment) if view.strip_injected else None
    changed = differences(options)
    defaults = default_summary(pair, strip_injected=view.strip_injected) if changed else None
    context = {
        **page_context(pair, comparison, view, review),
        "figures": Figures(alignment.summary, stripped, defaults, tuple(changed)),
        "items": comparison.visible(hide_verbatim=view.hide_verbatim, rows=view.rows),
        "hide_verbatim": view.hide_verbatim,
        "toggle_url": view.toggled(hide_verbatim=True).url(pair.id),
        "strip_url": view.toggled(strip_injected=True).url(pair.id),
        "settings": form or SettingsForm.from_options(options),
        "current_settings": describe(options),
        "saved": saved,
        **(extra or {}),
    }
    template = "partials/report.html" if is_htmx(request) else "pages/pair.html"
    return render(request, template, context, status_code=status_code, headers=VARY)


def row_listing(comparison: Comparison, note_id: int) -> Row | None:
    """The row whose margin lists note ``note_id`` (None: orphaned or on no shown cell)."""
    return next((row for row in comparison.rows if any(note.id == note_id for note in row.notes)), None)


def row_showing(comparison: Comparison, side: str, start: int, end: int) -> Row | None:
    """The first row whose ``side`` cell holds ``[start, end)``."""
    for row in comparison.rows:
        span = row.span(side)
        if span is not None and span[0] <= start and end <= span[1]:
            return row
    return None


def render_fragment(request: Request, session: Session, pair: Pair, alignment: Alignment, view: View, *,
                    note_id: int | None = None, row_index: int | None = None,
                    cards: Mapping[int, Card] | None = None, status_code: int = 200) -> Response:
    """What a note action swaps in for htmx: the row listing the note (or the row ``row_index``),
    else the list of notes not placed in the text; the activity log and the filter counts come
    along out of band. ``HX-Retarget`` names the element it replaces."""
    review = load_review(session, pair, cards, focus=note_id)
    comparison = compare(pair, alignment, view, review)
    row = row_listing(comparison, note_id) if note_id is not None else None
    if row is None and row_index is not None:
        row = next((r for r in comparison.rows if r.index == row_index), None)
    context = {**page_context(pair, comparison, view, review), "row": row, "focus_row": note_id is None}
    target = f"#{row.anchor}" if row is not None else "#unplaced-notes"
    return render(request, "partials/review_fragment.html", context, status_code=status_code,
                  headers={"HX-Retarget": target, "HX-Reswap": "outerHTML", **VARY})


def dashboard_context(session: Session, pairs: list[Pair]) -> dict[str, Any]:
    """What the dashboard shows of each listed pair's review: its verdict and open notes."""
    return {"verdict_names": VERDICT_NAMES, "open_notes": open_note_counts(session, [pair.id for pair in pairs])}
