"""HTML routes of the review workflow: notes on passages, replies, note statuses, the pair's verdict
and corrections of a side's text.

Every action is a plain form POST answered with a 303 back to the pair page at the note, and the
same POST through htmx answered with the fragment it changed (see app.web.pair_page). Changing
anything needs its permission and the CSRF token; bad input comes back with the message next to
the field (422), an edit made against an older version is refused and shown (409).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Path, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from app.auth.csrf import CsrfProtected
from app.auth.deps import require
from app.auth.roles import Permission
from app.config import Settings
from app.db import SessionDep
from app.errors import Conflict, InvalidInput, NotFound
from app.models import Note, Pair, Reply, User
from app.services.pairs import SIDES, alignment_for, get_pair
from app.services.review import (
    activity_for,
    add_reply,
    correct_text,
    create_note,
    delete_note,
    delete_reply,
    get_note,
    get_reply,
    set_note_status,
    set_verdict,
    side_text,
    update_note,
    update_reply,
)
from app.web.error_pages import render_error
from app.web.pair_page import (
    WORDS,
    Card,
    compare,
    load_review,
    render_fragment,
    render_report,
    row_listing,
    row_showing,
)
from app.web.templating import is_htmx, render
from app.web.view import ROW_FILTERS, View

router = APIRouter(include_in_schema=False)

PairId = Annotated[int, Path(ge=1, le=2**63 - 1)]
ItemId = Annotated[int, Path(ge=1, le=2**63 - 1)]
Field = Annotated[str, Form()]
Writer = Annotated[User, Depends(require(Permission.WRITE_NOTES))]
StatusSetter = Annotated[User, Depends(require(Permission.SET_NOTE_STATUS))]
VerdictSetter = Annotated[User, Depends(require(Permission.SET_VERDICT))]
PairManager = Annotated[User, Depends(require(Permission.MANAGE_PAIRS))]
CHANGES = [CsrfProtected]
DEFAULT_LABEL = "other"


def _view(values: Any) -> View:
    """The page's view switches as a form or query string carries them."""
    rows = str(values.get("rows") or "all")
    return View(hide_verbatim=bool(values.get("hide_verbatim")), strip_injected=bool(values.get("strip_injected")),
                rows=rows if rows in ROW_FILTERS else "all")  # type: ignore[arg-type]


async def form_view(request: Request) -> View:
    """Dependency: the view the page was in when the form was sent (its hidden fields)."""
    return _view(await request.form())


def query_view(request: Request) -> View:
    return _view(request.query_params)


FormView = Annotated[View, Depends(form_view)]
QueryView = Annotated[View, Depends(query_view)]


def _note_of(session: Session, pair: Pair, note_id: int) -> Note:
    note = get_note(session, note_id)
    if note.pair_id != pair.id:
        raise NotFound("note", note_id)
    return note


def _reply_of(session: Session, note: Note, reply_id: int) -> Reply:
    reply = get_reply(session, reply_id)
    if reply.note_id != note.id:
        raise NotFound("reply", reply_id)
    return reply


def _done(request: Request, session: Session, pair: Pair, view: View, *, note_id: int | None = None,
          row_index: int | None = None, anchor: str = "") -> Response:
    """After a change: to htmx the fragment it changed, else back to the page at ``anchor``."""
    if is_htmx(request):
        return render_fragment(request, session, pair, alignment_for(session, pair), view,
                               note_id=note_id, row_index=row_index)
    return RedirectResponse(view.url(pair.id, anchor=anchor), status_code=303)


def _refused(request: Request, session: Session, pair: Pair, note: Note, view: View, card: Card,
             status_code: int) -> Response:
    """The note again with the refused form open: its messages and what the user typed."""
    session.rollback()
    if is_htmx(request):
        return render_fragment(request, session, pair, alignment_for(session, pair), view,
                               note_id=note.id, cards={note.id: card}, status_code=status_code)
    review = load_review(session, pair, {note.id: card})
    return render(request, "pages/note.html", {**WORDS, "pair": pair, "note": note, "view": view,
                                               "review": review}, status_code=status_code)


# The actions that raise a note's (or a reply's) version, which a stale edit collides with.
_VERSION_CHANGES = {"note_id": ("note_edited", "note_status"), "reply_id": ("reply_edited",)}


def _changed_by(session: Session, pair: Pair, conflict: Conflict, key: str, ident: int) -> str:
    """"changed by NAME meanwhile", naming who last changed the note (``key`` "note_id") or the
    reply ("reply_id") ``ident``, as the activity log has it."""
    for entry in activity_for(session, pair):
        if entry.action in _VERSION_CHANGES[key] and entry.detail.get(key) == ident:
            name = entry.user.username if entry.user else "someone"
            return f"changed by {name} meanwhile"
    return conflict.message


# --- new notes -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Draft:
    """A note being written: the passage it is on, and what the form holds so far."""

    side: str
    start: int
    end: int
    exact: str
    label: str = DEFAULT_LABEL
    body: str = ""


def _same_lines(a: str, b: str) -> bool:
    """Whether two texts differ at most in how line breaks are written. A form sends every line
    break as CRLF (HTML's form encoding), whatever the stored text uses.

    >>> _same_lines("a\\r\\nb", "a\\nb"), _same_lines("a b", "a\\nb")
    (True, False)
    """
    return a.replace("\r\n", "\n").replace("\r", "\n") == b.replace("\r\n", "\n").replace("\r", "\n")


def _draft(pair: Pair, side: str, start: str, end: str, exact: str | None, *, label: str = DEFAULT_LABEL,
           body: str = "") -> Draft:
    """The passage ``[start, end)`` of ``side`` as a draft; InvalidInput when it is not one, or
    (``exact`` given) when the text there is not the quoted text."""
    if side not in SIDES:
        raise InvalidInput({"side": "Choose the original or the copy"})
    text = side_text(pair, side)
    if not (start.isdigit() and end.isdigit()) or not 0 <= int(start) < int(end) <= len(text):
        raise InvalidInput({"start": f"The passage must lie within the {side}'s {len(text)} characters"})
    passage = text[int(start):int(end)]
    if exact is not None and not _same_lines(exact, passage):
        raise InvalidInput({"exact": "The selected words are not the stored text at this place: the text "
                                     "may have been corrected. Reload the page and select the passage again."})
    return Draft(side, int(start), int(end), passage, label, body)


def _draft_page(request: Request, session: Session, pair: Pair, view: View, draft: Draft,
                errors: dict[str, str], status_code: int = 200) -> Response:
    """The new-note form: alone to htmx (it goes in the row's margin), else on its own page."""
    comparison = compare(pair, alignment_for(session, pair), view, load_review(session, pair))
    row = row_showing(comparison, draft.side, draft.start, draft.end)
    context = {**WORDS, "pair": pair, "view": view, "draft": draft, "errors": errors,
               "back": row.anchor if row is not None else "comparison"}
    template = "partials/note_form.html" if is_htmx(request) else "pages/note_new.html"
    return render(request, template, context, status_code=status_code, headers={"Vary": "HX-Request"})


@router.get("/pairs/{pair_id}/notes/new", name="new_note", dependencies=[Depends(require(Permission.WRITE_NOTES))])
def new_note(request: Request, pair_id: PairId, session: SessionDep, view: QueryView,
             side: str = "", start: str = "", end: str = "", exact: str | None = None) -> Response:
    """The form for a note on a passage (a selection sends ``exact``; a row's button does not)."""
    pair = get_pair(session, pair_id)
    try:
        draft = _draft(pair, side, start, end, exact)
    except InvalidInput as exc:
        return render_error(request, 422, " ".join(exc.errors.values()))
    return _draft_page(request, session, pair, view, draft, {})


@router.post("/pairs/{pair_id}/notes", name="create_note", dependencies=CHANGES)
def create(request: Request, pair_id: PairId, session: SessionDep, user: Writer, view: FormView,
           side: Field = "", start: Field = "", end: Field = "", exact: Field = "", label: Field = "",
           body: Field = "") -> Response:
    """Store a new note on a passage; the form again with its messages when something is wrong."""
    pair = get_pair(session, pair_id)
    try:
        draft = _draft(pair, side, start, end, exact, label=label, body=body)
    except InvalidInput as exc:
        return render_error(request, 422, " ".join(exc.errors.values()))
    try:
        note = create_note(session, pair, user, side=draft.side, start=draft.start, end=draft.end,
                           label=label, body=body, exact=draft.exact)
    except InvalidInput as exc:
        session.rollback()
        return _draft_page(request, session, pair, view, draft, exc.errors, exc.status)
    session.commit()
    return _done(request, session, pair, view, note_id=note.id, anchor=f"note-{note.id}")


# --- one note ------------------------------------------------------------------------------------


@router.get("/pairs/{pair_id}/notes/{note_id}", name="note", dependencies=[Depends(require(Permission.READ))])
def show_note(request: Request, pair_id: PairId, note_id: ItemId, session: SessionDep,
              view: QueryView) -> Response:
    """One note with its thread and forms, on a page of its own."""
    pair = get_pair(session, pair_id)
    note = _note_of(session, pair, note_id)
    return render(request, "pages/note.html", {**WORDS, "pair": pair, "note": note, "view": view,
                                               "review": load_review(session, pair)})


@router.post("/pairs/{pair_id}/notes/{note_id}/edit", name="edit_note", dependencies=CHANGES)
def edit(request: Request, pair_id: PairId, note_id: ItemId, session: SessionDep, user: Writer,
         view: FormView, version: Field = "", label: Field = "", body: Field = "") -> Response:
    """Change a note's label and body, unless someone else changed it since the form was shown."""
    pair = get_pair(session, pair_id)
    note = _note_of(session, pair, note_id)
    try:
        update_note(session, note, user, version=_version(version), body=body, label=label or None)
    except InvalidInput as exc:
        return _refused(request, session, pair, note, view, Card(exc.errors, "edit", typed=body), 422)
    except Conflict as exc:
        message = _changed_by(session, pair, exc, "note_id", note.id)
        return _refused(request, session, pair, note, view, Card({}, "edit", message, body), 409)
    session.commit()
    return _done(request, session, pair, view, note_id=note.id, anchor=f"note-{note.id}")


def _version(value: str) -> int:
    if not value.isdigit():
        raise InvalidInput({"body": "The form lacks the note's version: reload the page and edit again"})
    return int(value)


@router.post("/pairs/{pair_id}/notes/{note_id}/delete", name="delete_note", dependencies=CHANGES)
def delete(request: Request, pair_id: PairId, note_id: ItemId, session: SessionDep, user: Writer,
           view: FormView) -> Response:
    """Delete a note with its replies (the form sits behind a "Delete…" disclosure)."""
    pair = get_pair(session, pair_id)
    note = _note_of(session, pair, note_id)
    alignment = alignment_for(session, pair)
    row = row_listing(compare(pair, alignment, view, load_review(session, pair)), note.id)
    delete_note(session, note, user)
    session.commit()
    return _done(request, session, pair, view, row_index=row.index if row else None,
                 anchor=row.anchor if row else "unplaced-notes")


@router.post("/pairs/{pair_id}/notes/{note_id}/status", name="note_status", dependencies=CHANGES)
def change_status(request: Request, pair_id: PairId, note_id: ItemId, session: SessionDep,
                  user: StatusSetter, view: FormView, status: Field = "") -> Response:
    """Set a note's status (open, confirmed, dismissed); the change is recorded."""
    pair = get_pair(session, pair_id)
    note = _note_of(session, pair, note_id)
    set_note_status(session, note, user, status)
    session.commit()
    return _done(request, session, pair, view, note_id=note.id, anchor=f"note-{note.id}")


# --- replies -------------------------------------------------------------------------------------


@router.post("/pairs/{pair_id}/notes/{note_id}/replies", name="reply", dependencies=CHANGES)
def reply(request: Request, pair_id: PairId, note_id: ItemId, session: SessionDep, user: Writer,
          view: FormView, body: Field = "") -> Response:
    """Add a reply to a note's thread."""
    pair = get_pair(session, pair_id)
    note = _note_of(session, pair, note_id)
    try:
        added = add_reply(session, note, user, body)
    except InvalidInput as exc:
        return _refused(request, session, pair, note, view, Card(exc.errors, "reply", typed=body), 422)
    session.commit()
    return _done(request, session, pair, view, note_id=note.id, anchor=f"reply-{added.id}")


@router.post("/pairs/{pair_id}/notes/{note_id}/replies/{reply_id}/edit", name="edit_reply",
             dependencies=CHANGES)
def edit_reply(request: Request, pair_id: PairId, note_id: ItemId, reply_id: ItemId, session: SessionDep,
               user: Writer, view: FormView, version: Field = "", body: Field = "") -> Response:
    """Change a reply, unless someone else changed it since the form was shown."""
    pair = get_pair(session, pair_id)
    note = _note_of(session, pair, note_id)
    item = _reply_of(session, note, reply_id)
    form = f"reply-{item.id}"
    try:
        update_reply(session, item, user, version=_version(version), body=body)
    except InvalidInput as exc:
        return _refused(request, session, pair, note, view, Card(exc.errors, form, typed=body), 422)
    except Conflict as exc:
        message = _changed_by(session, pair, exc, "reply_id", item.id)
        return _refused(request, session, pair, note, view, Card({}, form, message, body), 409)
    session.commit()
    return _done(request, session, pair, view, note_id=note.id, anchor=form)


@router.post("/pairs/{pair_id}/notes/{note_id}/replies/{reply_id}/delete", name="delete_reply",
             dependencies=CHANGES)
def remove_reply(request: Request, pair_id: PairId, note_id: ItemId, reply_id: ItemId,
                 session: SessionDep, user: Writer, view: FormView) -> Response:
    """Delete a reply."""
    pair = get_pair(session, pair_id)
    note = _note_of(session, pair, note_id)
    delete_reply(session, _reply_of(session, note, reply_id), user)
    session.commit()
    return _done(request, session, pair, view, note_id=note.id, anchor=f"note-{note.id}")


# --- the pair's verdict and its texts ------------------------------------------------------------


@router.post("/pairs/{pair_id}/verdict", name="verdict", dependencies=CHANGES)
def verdict(request: Request, pair_id: PairId, session: SessionDep, user: VerdictSetter,
            verdict: Field = "") -> Response:
    """Move the pair to a verdict (new -> in review -> confirmed copy / not a copy)."""
    pair = get_pair(session, pair_id)
    try:
        set_verdict(session, pair, user, verdict)
    except InvalidInput as exc:
        session.rollback()
        return _verdict_response(request, session, pair, exc.errors, 422)
    session.commit()
    if is_htmx(request):
        return _verdict_response(request, session, pair, {}, 200)
    return RedirectResponse(f"/pairs/{pair.id}#verdict", status_code=303)


def _verdict_response(request: Request, session: Session, pair: Pair, errors: dict[str, str],
                      status_code: int) -> Response:
    """To htmx the verdict section (and the activity log out of band), else the whole page."""
    if not is_htmx(request):
        return render_report(request, session, pair, alignment_for(session, pair), View(),
                             extra={"verdict_errors": errors}, status_code=status_code)
    return render(request, "partials/verdict_fragment.html",
                  {**WORDS, "pair": pair, "review": load_review(session, pair), "verdict_errors": errors},
                  status_code=status_code, headers={"Vary": "HX-Request"})


def _max_bytes(request: Request) -> int:
    settings: Settings = request.app.state.settings
    return settings.max_text_bytes


def _side(side: str) -> str:
    if side not in SIDES:
        raise NotFound("side", side)
    return side


@router.get("/pairs/{pair_id}/text/{side}", name="text_correction",
            dependencies=[Depends(require(Permission.MANAGE_PAIRS))])
def text_form(request: Request, pair_id: PairId, side: str, session: SessionDep) -> Response:
    """The text of one side in a text box, to correct it."""
    pair = get_pair(session, pair_id)
    return _text_page(request, pair, _side(side), side_text(pair, side), {}, 200)


@router.post("/pairs/{pair_id}/text/{side}", name="correct_text", dependencies=CHANGES)
def correct(request: Request, pair_id: PairId, side: str, session: SessionDep, user: PairManager,
            text: Field = "") -> Response:
    """Store the corrected text and re-align the pair; its notes are placed again."""
    pair = get_pair(session, pair_id)
    current = side_text(pair, _side(side))
    if "\r\n" not in current:
        text = text.replace("\r\n", "\n")  # the browser sent CRLF; keep the text's own line breaks
    try:
        correct_text(session, pair, user, side, text, max_bytes=_max_bytes(request))
    except InvalidInput as exc:
        session.rollback()
        return _text_page(request, pair, side, text, exc.errors, exc.status)
    session.commit()
    return RedirectResponse(f"/pairs/{pair.id}", status_code=303)


def _text_page(request: Request, pair: Pair, side: str, text: str, errors: dict[str, str],
               status_code: int) -> Response:
    return render(request, "pages/text_correction.html",
                  {"pair": pair, "side": side, "text": text, "errors": errors,
                   "max_text_bytes": _max_bytes(request)}, status_code=status_code)
