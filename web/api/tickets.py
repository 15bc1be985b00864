"""Supervision tickets (督办单): list, read, issue, respond, verify."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from inspections import tickets
from inspections.tickets import Ticket
from web.api.params import IdPath, RecordId
from web.deps import ClockDep, CurrentUser, EngineDep
from web.errors import ERROR_RESPONSES
from web.services.records import case_for, check_photos, ticket_for, tickets_for

router = APIRouter(prefix="/api/tickets", tags=["supervision tickets"], responses=ERROR_RESPONSES)


class NewTicket(BaseModel):
    """A ticket to issue."""

    responsible_unit: str
    deadline: date
    request: str
    case_reference: str | None = None
    copy_to_leader: str | None = None


class Response(BaseModel):
    """A unit's answer to a ticket."""

    response: str
    photo_ids: list[RecordId] = []


class Verification(BaseModel):
    """A check that the answered work was done."""

    note: str | None = None


@router.get("", response_model=list[Ticket])
def list_tickets(engine: EngineDep, user: CurrentUser, state: str | None = None,
                 unit: str | None = None,
                 year: Annotated[int | None, Query(ge=2000, le=2100)] = None) -> list[Ticket]:
    """The tickets the user may see, by number."""
    with engine.connect() as conn:
        return tickets_for(conn, user, state=state, unit=unit, year=year)


@router.get("/{ticket_id}", response_model=Ticket)
def get_ticket(ticket_id: IdPath, engine: EngineDep, user: CurrentUser) -> Ticket:
    """One ticket."""
    with engine.connect() as conn:
        return ticket_for(conn, user, ticket_id)


@router.post("", response_model=Ticket, status_code=201)
def issue(body: NewTicket, engine: EngineDep, clock: ClockDep, user: CurrentUser) -> Ticket:
    """Issue a ticket (inspectors, leaders, admins); a key case's leader is copied."""
    with engine.begin() as conn:
        case_id = case_for(conn, user, body.case_reference).id if body.case_reference else None
        ticket_id = tickets.issue_ticket(
            conn, actor=user.actor, clock=clock, responsible_unit=body.responsible_unit,
            deadline=body.deadline, request=body.request, case_id=case_id,
            copy_to_leader=body.copy_to_leader)
        return tickets.get_ticket(conn, ticket_id)


@router.post("/{ticket_id}/respond", response_model=Ticket)
def respond(ticket_id: IdPath, body: Response, engine: EngineDep, clock: ClockDep,
            user: CurrentUser) -> Ticket:
    """The responsible unit's answer, with photos of the work."""
    with engine.begin() as conn:
        ticket_for(conn, user, ticket_id)
        check_photos(conn, user, body.photo_ids)
        tickets.respond(conn, ticket_id=ticket_id, actor=user.actor, clock=clock,
                        response=body.response, photo_ids=body.photo_ids)
        return tickets.get_ticket(conn, ticket_id)


@router.post("/{ticket_id}/verify", response_model=Ticket)
def verify(ticket_id: IdPath, body: Verification, engine: EngineDep, clock: ClockDep,
           user: CurrentUser) -> Ticket:
    """Confirm the answered work was done (inspectors, leaders, admins)."""
    with engine.begin() as conn:
        ticket_for(conn, user, ticket_id)
        tickets.verify(conn, ticket_id=ticket_id, actor=user.actor, clock=clock,
                       note=body.note)
        return tickets.get_ticket(conn, ticket_id)
