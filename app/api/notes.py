"""JSON routes for notes on passages and their replies: list, create, edit, delete, set status.

Reading needs any login; writing needs WRITE_NOTES (editing or deleting someone else's note or
reply needs MODERATE_NOTES, checked by the service), a status change SET_NOTE_STATUS. Requests
made with a browser's login session also carry the CSRF token (X-CSRF-Token header).
"""

from __future__ import annotations

from typing import Annotated, Any, cast

from fastapi import APIRouter, Depends, Path, Request, Response
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from app.api.pairs import MAX_ID, PREFIX, PairId
from app.api.routing import ApiRoute
from app.auth.csrf import CsrfProtected
from app.auth.deps import require
from app.auth.roles import Permission
from app.db import SessionDep
from app.errors import Conflict
from app.models import Note, Reply, User
from app.schemas import (
    ConflictOut,
    ErrorMessage,
    FieldErrors,
    NoteIn,
    NoteList,
    NoteOut,
    NotePatch,
    ReplyIn,
    ReplyOut,
    ReplyPatch,
    StatusChangeOut,
    StatusIn,
)
from app.services import pairs as pairs_service
from app.services import review

router = APIRouter(prefix=PREFIX, tags=["notes"], route_class=ApiRoute)

NoteId = Annotated[int, Path(ge=1, le=MAX_ID, description="Id of the note.")]
ReplyId = Annotated[int, Path(ge=1, le=MAX_ID, description="Id of the reply.")]
READ = [Depends(require(Permission.READ))]
Writer = Annotated[User, Depends(require(Permission.WRITE_NOTES))]
StatusSetter = Annotated[User, Depends(require(Permission.SET_NOTE_STATUS))]

# 401, and 403 for changes, are documented on every route by ApiRoute.
OWN_ONLY: dict[int | str, dict[str, Any]] = {
    403: {"model": ErrorMessage, "description": "Not the author and not an admin, or a role that may not "
                                                "write notes (or a browser session without its "
                                                "X-CSRF-Token header); nothing changed."}}
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorMessage, "description": "No pair, note or reply has this id."}}
INVALID: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorMessage, "description": "The body is not a JSON object."},
    422: {"model": FieldErrors, "description": "A field is missing or invalid; nothing changed."}}
CONFLICT: dict[int | str, dict[str, Any]] = {
    409: {"model": ConflictOut, "description": "Changed by someone else since `version`: nothing was "
                                               "changed; `current` holds it as stored now."}}
WRITE = {**NOT_FOUND, **INVALID}


@router.get("/pairs/{pair_id}/notes", response_model=NoteList, operation_id="listNotes",
            summary="List a pair's notes, placed in its current texts",
            description="Every note with its replies and status history, oldest first. Each note says "
                        "where its passage is now (`anchor`, `start`, `end`): after a re-alignment or a "
                        "corrected text a note is found again by its quote and context, never moved to "
                        "look-alike text; one whose passage is gone is `orphaned`.",
            dependencies=READ, responses=NOT_FOUND)
def list_notes(pair_id: PairId, request: Request, session: SessionDep) -> NoteList:
    pair = pairs_service.get_pair(session, pair_id)
    placement = review.place_notes(pair, review.notes_for_pair(session, pair))
    return NoteList(items=[note_out(request, anchor) for anchor in placement.anchors],
                    total=len(placement.anchors), orphaned=len(placement.orphans))


@router.post("/pairs/{pair_id}/notes", status_code=201, response_model=NoteOut, operation_id="createNote",
             dependencies=[CsrfProtected], summary="Add a note on a passage",
             description="The passage is `start`..`end` (code points, end exclusive) of the `side` "
                         "text as served by `GET /api/v1/pairs/{id}/texts/{side}`. The `Location` header "
                         "names the new note.",
             responses=WRITE)
def create_note(pair_id: PairId, body: NoteIn, request: Request, response: Response,
                session: SessionDep, user: Writer) -> NoteOut:
    pair = pairs_service.get_pair(session, pair_id)
    note = review.create_note(session, pair, user, side=body.side, start=body.start, end=body.end,
                              label=body.label, body=body.body, exact=body.exact)
    session.commit()
    response.headers["Location"] = _link(request, f"{PREFIX}/notes/{note.id}")
    return _placed(request, session, note)


@router.get("/notes/{note_id}", response_model=NoteOut, operation_id="getNote", summary="Fetch a note",
            dependencies=READ, responses=NOT_FOUND)
def get_note(note_id: NoteId, request: Request, session: SessionDep) -> NoteOut:
    return _placed(request, session, review.get_note(session, note_id))


@router.patch("/notes/{note_id}", response_model=NoteOut, operation_id="updateNote",
              dependencies=[CsrfProtected], summary="Edit a note's body or label",
              description="Send the `version` you read. Authors edit their own notes; admins anyone's.",
              responses={**WRITE, **OWN_ONLY, **CONFLICT})
def update_note(note_id: NoteId, body: NotePatch, request: Request, session: SessionDep,
                user: Writer) -> NoteOut | JSONResponse:
    note = review.get_note(session, note_id)
    try:
        review.update_note(session, note, user, version=body.version, body=body.body, label=body.label)
    except Conflict as exc:
        return _conflict(request, session, exc)
    session.commit()
    return _placed(request, session, note)


@router.delete("/notes/{note_id}", status_code=204, response_class=Response, operation_id="deleteNote",
               dependencies=[CsrfProtected], summary="Delete a note with its replies",
               description="Authors delete their own notes; admins anyone's.",
               responses={**NOT_FOUND, **OWN_ONLY})
def delete_note(note_id: NoteId, session: SessionDep, user: Writer) -> Response:
    review.delete_note(session, review.get_note(session, note_id), user)
    session.commit()
    return Response(status_code=204)


@router.put("/notes/{note_id}/status", response_model=NoteOut, operation_id="setNoteStatus",
            dependencies=[CsrfProtected], summary="Set a note's status (open, confirmed, dismissed)",
            description="Recorded in the note's `status_changes`. With `version`, refused (409) when "
                        "the note changed since; without, applied to the note as it is.",
            responses={**WRITE, **CONFLICT})
def set_status(note_id: NoteId, body: StatusIn, request: Request, session: SessionDep,
               user: StatusSetter) -> NoteOut | JSONResponse:
    note = review.get_note(session, note_id)
    try:
        review.set_note_status(session, note, user, body.status, version=body.version)
    except Conflict as exc:
        return _conflict(request, session, exc)
    session.commit()
    return _placed(request, session, note)


@router.post("/notes/{note_id}/replies", status_code=201, response_model=ReplyOut, operation_id="addReply",
             dependencies=[CsrfProtected], summary="Reply to a note", responses=WRITE)
def add_reply(note_id: NoteId, body: ReplyIn, session: SessionDep, user: Writer) -> ReplyOut:
    reply = review.add_reply(session, review.get_note(session, note_id), user, body.body)
    session.commit()
    return reply_out(reply)


@router.patch("/replies/{reply_id}", response_model=ReplyOut, operation_id="updateReply",
              dependencies=[CsrfProtected], summary="Edit a reply",
              description="Send the `version` you read. Authors edit their own replies; admins anyone's.",
              responses={**WRITE, **OWN_ONLY, **CONFLICT})
def update_reply(reply_id: ReplyId, body: ReplyPatch, request: Request, session: SessionDep,
                 user: Writer) -> ReplyOut | JSONResponse:
    reply = review.get_reply(session, reply_id)
    try:
        review.update_reply(session, reply, user, version=body.version, body=body.body)
    except Conflict as exc:
        return _conflict(request, session, exc)
    session.commit()
    return reply_out(reply)


@router.delete("/replies/{reply_id}", status_code=204, response_class=Response, operation_id="deleteReply",
               dependencies=[CsrfProtected], summary="Delete a reply",
               description="Authors delete their own replies; admins anyone's.",
               responses={**NOT_FOUND, **OWN_ONLY})
def delete_reply(reply_id: ReplyId, session: SessionDep, user: Writer) -> Response:
    review.delete_reply(session, review.get_reply(session, reply_id), user)
    session.commit()
    return Response(status_code=204)


# --- serialising --------------------------------------------------------------------------------


def note_out(request: Request, anchor: review.Anchor) -> NoteOut:
    """The note of ``anchor`` as the API shows it, placed where the anchor found it."""
    note = anchor.note
    return NoteOut(
        id=note.id, pair_id=note.pair_id, side=note.side,
        anchor=anchor.state.value, start=anchor.start, end=anchor.end,
        exact=note.exact, prefix=note.prefix, suffix=note.suffix, label=note.label, status=note.status,
        body=note.body, author=note.author.username, created_at=note.created_at,
        updated_at=note.updated_at, version=note.version,
        replies=[reply_out(reply) for reply in note.replies],
        status_changes=[StatusChangeOut(user=change.user.username, old_status=change.old_status,
                                        new_status=change.new_status, at=change.at)
                        for change in note.status_changes],
        annotation=review.note_to_annotation(note, _base_url(request), anchor=anchor),
    )


def reply_out(reply: Reply) -> ReplyOut:
    return ReplyOut(id=reply.id, note_id=reply.note_id, author=reply.author.username, body=reply.body,
                    version=reply.version, created_at=reply.created_at, updated_at=reply.updated_at)


def _placed(request: Request, session: Session, note: Note) -> NoteOut:
    pair = pairs_service.get_pair(session, note.pair_id)
    return note_out(request, review.place_notes(pair, [note]).anchors[0])


def _conflict(request: Request, session: Session, exc: Conflict) -> JSONResponse:
    """409 with the row as stored, so the client can show what changed and let the user retry.
    The session is rolled back first: nothing of the refused edit is kept."""
    session.rollback()
    current = exc.current
    shown = reply_out(current) if isinstance(current, Reply) else _placed(request, session, cast(Note, current))
    return JSONResponse({"detail": exc.message, "current": shown.model_dump(mode="json")}, status_code=409)


def _base_url(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def _link(request: Request, path: str) -> str:
    """A root-relative link that survives a proxy mounting the app under a prefix."""
    return request.scope.get("root_path", "").rstrip("/") + path
