"""Look-back rounds (回头看): list, read, and the reviewer's decision."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from inspections import lookbacks
from inspections.errors import InvalidInput
from inspections.lookbacks import ReviewResult, Round
from inspections.schema import ROUND_STATES
from web.api.params import IdPath, RecordId
from web.deps import ClockDep, CurrentUser, EngineDep
from web.errors import ERROR_RESPONSES
from web.services.records import check_photos, round_for, rounds_for

router = APIRouter(prefix="/api/lookbacks", tags=["look-back rounds"], responses=ERROR_RESPONSES)


class Review(BaseModel):
    """A reviewer's decision on a round."""

    outcome: str = Field(description="passed or recurred")
    note: str
    photo_ids: list[RecordId] = []


@router.get("", response_model=list[Round])
def list_rounds(engine: EngineDep, clock: ClockDep, user: CurrentUser,
                state: Annotated[str | None, Query(description=", ".join(ROUND_STATES))] = None,
                due_before: Annotated[date | None, Query(ge=date(1900, 1, 1),
                                                         le=date(9000, 12, 31))] = None,
                ) -> list[Round]:
    """The rounds the user may see (inspectors: their agency's), by window."""
    if state is not None and state not in ROUND_STATES:
        raise InvalidInput(f"state {state!r}: use one of {', '.join(ROUND_STATES)}")
    with engine.connect() as conn:
        return rounds_for(conn, user, state=state, due_before=due_before, tz=clock.tz)


@router.get("/{round_id}", response_model=Round)
def get_round(round_id: IdPath, engine: EngineDep, user: CurrentUser) -> Round:
    """One round with its evidence."""
    with engine.connect() as conn:
        return round_for(conn, user, round_id)


@router.post("/{round_id}/review", response_model=ReviewResult)
def review(round_id: IdPath, body: Review, engine: EngineDep, clock: ClockDep,
           user: CurrentUser) -> ReviewResult:
    """Passed or recurred, with a note (recurred reopens the case and issues a ticket)."""
    with engine.begin() as conn:
        round_for(conn, user, round_id)
        check_photos(conn, user, body.photo_ids)
        return lookbacks.review_round(conn, round_id=round_id, actor=user.actor, clock=clock,
                                      outcome=body.outcome, note=body.note,
                                      photo_ids=body.photo_ids)
