"""JSON routes for reviewing a pair as a whole: its verdict, its activity log, and correcting the
text of one side (which re-aligns the pair and places its notes again)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import PlainTextResponse

from app.api.notes import INVALID, NOT_FOUND
from app.api.pairs import PREFIX, PairId, SettingsDep
from app.api.routing import ApiRoute
from app.auth.csrf import CsrfProtected
from app.auth.deps import require
from app.auth.roles import Permission
from app.db import SessionDep
from app.models import Pair, User
from app.schemas import (
    ActivityList,
    ActivityOut,
    NoteCounts,
    SummaryOut,
    TextCorrectionOut,
    TextIn,
    VerdictIn,
    VerdictOut,
)
from app.services import pairs as pairs_service
from app.services import review

router = APIRouter(prefix=PREFIX, tags=["review"], route_class=ApiRoute)

Side = Annotated[str, Path(pattern="^(original|copy)$", description="`original` or `copy`.")]
READ = [Depends(require(Permission.READ))]
Judge = Annotated[User, Depends(require(Permission.SET_VERDICT))]
Manager = Annotated[User, Depends(require(Permission.MANAGE_PAIRS))]
TOO_LARGE: dict[int | str, dict[str, Any]] = {
    413: {"description": "The text is over the `max_text_bytes` setting; nothing changed."}}


@router.put("/pairs/{pair_id}/verdict", response_model=VerdictOut, operation_id="setVerdict",
            dependencies=[CsrfProtected], summary="Set a pair's verdict (editors)",
            description="A pair moves new -> in_review -> confirmed_copy or not_a_copy; an editor may "
                        "reopen a decision (back to in_review). Any other move is refused (422); "
                        "setting the current verdict again changes nothing.",
            responses={**NOT_FOUND, **INVALID})
def set_verdict(pair_id: PairId, body: VerdictIn, session: SessionDep, user: Judge) -> VerdictOut:
    pair = review.set_verdict(session, pairs_service.get_pair(session, pair_id), user, body.verdict)
    session.commit()
    return verdict_out(pair)


@router.get("/pairs/{pair_id}/activity", response_model=ActivityList, operation_id="listActivity",
            dependencies=READ, summary="A pair's activity log, newest first",
            description="Who created and re-aligned the pair, added, edited and deleted notes and "
                        "replies, changed statuses and set the verdict, and when (the latest 200).",
            responses=NOT_FOUND)
def list_activity(pair_id: PairId, session: SessionDep) -> ActivityList:
    pair = pairs_service.get_pair(session, pair_id)
    return ActivityList(items=[
        ActivityOut(id=entry.id, action=entry.action, user=entry.user.username if entry.user else None,
                    at=entry.at, text=review.describe_activity(entry), detail=entry.detail or {})
        for entry in review.activity_for(session, pair)])


@router.get("/pairs/{pair_id}/texts/{side}", response_class=PlainTextResponse, operation_id="getText",
            dependencies=READ, summary="One side's text, exactly as stored",
            description="The text notes' offsets index (code points, end exclusive): the `source` of "
                        "every note's Web Annotation target.",
            responses={200: {"content": {"text/plain": {}}}, **NOT_FOUND})
def get_text(pair_id: PairId, side: Side, session: SessionDep) -> PlainTextResponse:
    pair = pairs_service.get_pair(session, pair_id)
    return PlainTextResponse(review.side_text(pair, side))


@router.put("/pairs/{pair_id}/texts/{side}", response_model=TextCorrectionOut, operation_id="correctText",
            dependencies=[CsrfProtected], summary="Correct one side's text (editors)",
            description="Replaces the text (validated like a submission), re-aligns the pair with its "
                        "settings and places its notes again: a note whose passage was removed becomes "
                        "orphaned; one whose passage moved is found again only where its quote and "
                        "context still match.",
            responses={**NOT_FOUND, **INVALID, **TOO_LARGE})
def correct_text(pair_id: PairId, side: Side, body: TextIn, session: SessionDep, settings: SettingsDep,
                 user: Manager) -> TextCorrectionOut:
    pair = pairs_service.get_pair(session, pair_id)
    correction = review.correct_text(session, pair, user, side, body.text, max_bytes=settings.max_text_bytes)
    session.commit()
    article = pair.original if side == "original" else pair.copy
    states = [anchor.state.value for anchor in correction.placement.anchors]
    summary = correction.alignment.summary
    return TextCorrectionOut(
        pair_id=pair.id, side=side, length=article.length, sha256=article.sha256,
        summary=SummaryOut(original_reused=summary.original_reused, copy_derived=summary.copy_derived,
                           counts=dict(summary.counts), engine_version=correction.alignment.engine_version),
        notes=NoteCounts(**{state: states.count(state) for state in ("anchored", "reanchored", "orphaned")}),
        orphaned=sum(1 for anchor in correction.placement.orphans if anchor.note.side == side),
    )


def verdict_out(pair: Pair) -> VerdictOut:
    return VerdictOut(pair_id=pair.id, verdict=pair.verdict,
                      verdict_by=pair.verdict_by.username if pair.verdict_by else None,
                      verdict_at=pair.verdict_at, next=list(review.next_verdicts(pair.verdict)))
