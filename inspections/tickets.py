"""Supervision tickets (督办交办单): issued to a responsible unit, answered, verified, escalated."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo

import sqlalchemy as sa

from imagery.schema import photos
from inspections import audit
from inspections.actors import Actor
from inspections.clock import Clock, aware, local_date, to_utc
from inspections.errors import (
    IllegalTransition,
    InvalidInput,
    MissingEvidence,
    NotAllowed,
    NotFound,
)
from inspections.schema import audit_log, cases, lookback_rounds, ticket_photos, tickets

ISSUERS = ("inspector", "leader", "admin", "system")
VERIFIERS = ("inspector", "leader", "admin")


def may_issue(role: str) -> bool:
    """Whether a person of this role may issue supervision tickets (the system also does)."""
    return role in ISSUERS and role != "system"


@dataclass(frozen=True)
class Ticket:
    """A supervision ticket as stored, with the photos of its response."""

    id: int
    number: str
    case_id: int | None
    round_id: int | None
    responsible_unit: str
    copy_to_leader: str | None
    deadline: date
    request: str
    state: str
    issued_at: datetime
    issued_by: str
    response: str | None
    responded_at: datetime | None
    verified_at: datetime | None
    verified_by: str | None
    escalated_at: datetime | None
    photo_ids: tuple[int, ...]
    site_id: int | None = None  # the site it was issued on (from the map or a check)
    check_id: int | None = None  # the check whose findings it carries


def next_number(conn: sa.Connection, year: int) -> str:
    """The next free number of the year, e.g. DB-2022-0001, computed in the transaction."""
    audit.serialise(conn)
    prefix = f"DB-{year}-"
    last = conn.execute(sa.select(tickets.c.number).where(tickets.c.number.like(prefix + "%"))
                        .order_by(sa.func.length(tickets.c.number).desc(),
                                  tickets.c.number.desc()).limit(1)).scalar()
    return f"{prefix}{int(last[len(prefix):]) + 1 if last else 1:04d}"


def _row(conn: sa.Connection, ticket_id: int) -> sa.RowMapping:
    row = conn.execute(sa.select(tickets).where(tickets.c.id == ticket_id)).mappings().first()
    if row is None:
        raise NotFound(f"ticket {ticket_id}: no such supervision ticket")
    return row


def _case(conn: sa.Connection, case_id: int) -> sa.RowMapping:
    row = conn.execute(sa.select(cases).where(cases.c.id == case_id)).mappings().first()
    if row is None:
        raise NotFound(f"case {case_id}: no such case")
    return row


def _case_of_round(conn: sa.Connection, round_id: int) -> int:
    case_id = conn.execute(sa.select(lookback_rounds.c.case_id)
                           .where(lookback_rounds.c.id == round_id)).scalar()
    if case_id is None:
        raise NotFound(f"look-back round {round_id}: no such round")
    return case_id


def _resolve_case(conn: sa.Connection, case_id: int | None,
                  round_id: int | None) -> sa.RowMapping | None:
    if round_id is not None:
        of_round = _case_of_round(conn, round_id)
        if case_id is not None and case_id != of_round:
            raise InvalidInput(f"ticket: round {round_id} belongs to case {of_round}, "
                               f"not to case {case_id}")
        case_id = of_round
    return _case(conn, case_id) if case_id is not None else None


def _check_issue(actor: Actor, responsible_unit: str, request: str, deadline: date,
                 today: date) -> None:
    if actor.role not in ISSUERS:
        raise NotAllowed(f"ticket: {actor.name} ({actor.role}) may not issue supervision "
                         f"tickets; only {', '.join(ISSUERS)} may")
    if not responsible_unit.strip():
        raise InvalidInput("ticket: responsible_unit is empty; name the unit that must act")
    if not request.strip():
        raise InvalidInput("ticket: request is empty; say what the unit must do")
    if deadline < today:
        raise InvalidInput(f"ticket: deadline {deadline} is before the issue date {today}")


def issue_ticket(conn: sa.Connection, *, actor: Actor, clock: Clock, responsible_unit: str,
                 deadline: date, request: str, case_id: int | None = None,
                 round_id: int | None = None, copy_to_leader: str | None = None,
                 site_id: int | None = None, check_id: int | None = None) -> int:
    """Issue a ticket numbered DB-<year>-<n>; a key case's leader in charge is copied. A
    ticket may name the site it was issued on and the check it follows up."""
    now = to_utc(clock.now())
    today = local_date(now, clock.tz)
    _check_issue(actor, responsible_unit, request, deadline, today)
    case = _resolve_case(conn, case_id, round_id)
    if copy_to_leader is None and case is not None and case["key_case"]:
        copy_to_leader = case["leader"]
    values = {"number": next_number(conn, today.year),
              "case_id": case["id"] if case is not None else None, "round_id": round_id,
              "responsible_unit": responsible_unit.strip(), "copy_to_leader": copy_to_leader,
              "deadline": deadline, "request": request.strip(), "state": "issued",
              "issued_at": to_utc(now), "issued_by": actor.name, "site_id": site_id,
              "check_id": check_id}
    ticket_id = conn.execute(sa.insert(tickets).returning(tickets.c.id), values).scalar_one()
    audit.record(conn, actor=actor, action="ticket.issue", entity="ticket", entity_id=ticket_id,
                 at=now, note=values["request"],
                 data={k: values[k] for k in ("number", "case_id", "round_id",
                                              "responsible_unit", "copy_to_leader",
                                              "deadline")}
                 | {k: values[k] for k in ("site_id", "check_id") if values[k] is not None}
                 | {"to": "issued"})
    return ticket_id


def _link_photos(conn: sa.Connection, ticket: sa.RowMapping, photo_ids: Sequence[int]) -> list[int]:
    wanted = sorted(set(photo_ids))
    found = set(conn.execute(sa.select(photos.c.id).where(photos.c.id.in_(wanted))).scalars())
    if missing := [p for p in wanted if p not in found]:
        raise NotFound(f"ticket {ticket['number']}: photo {missing[0]} does not exist")
    linked = set(conn.execute(sa.select(ticket_photos.c.photo_id)
                              .where(ticket_photos.c.ticket_id == ticket["id"])).scalars())
    new = [p for p in wanted if p not in linked]
    if new:
        conn.execute(sa.insert(ticket_photos),
                     [{"ticket_id": ticket["id"], "photo_id": p} for p in new])
    return new


def respond(conn: sa.Connection, *, ticket_id: int, actor: Actor, clock: Clock, response: str,
            photo_ids: Sequence[int] = ()) -> None:
    """The responsible unit (or an admin) answers an issued or overdue ticket."""
    ticket = _row(conn, ticket_id)
    own_unit = actor.role == "unit" and actor.unit == ticket["responsible_unit"]
    if not (own_unit or actor.role == "admin"):
        raise NotAllowed(f"ticket {ticket['number']}: {actor.name} ({actor.role}"
                         f"{', ' + actor.unit if actor.unit else ''}) may not respond; only "
                         f"{ticket['responsible_unit']} or an admin may")
    if ticket["state"] not in ("issued", "overdue"):
        raise IllegalTransition(f"ticket {ticket['number']}: cannot respond to a ticket that "
                                f"is {ticket['state']!r}; it must be 'issued' or 'overdue'")
    if not response.strip():
        raise MissingEvidence(f"ticket {ticket['number']}: the response is empty; "
                              "say what was done")
    now = to_utc(clock.now())
    linked = _link_photos(conn, ticket, photo_ids)
    conn.execute(sa.update(tickets).where(tickets.c.id == ticket_id)
                 .values(state="responded", response=response.strip(),
                         responded_at=to_utc(now)))
    audit.record(conn, actor=actor, action="ticket.respond", entity="ticket",
                 entity_id=ticket_id, at=now, note=response.strip(),
                 data={"from": ticket["state"], "to": "responded", "photo_ids": linked})


def verify(conn: sa.Connection, *, ticket_id: int, actor: Actor, clock: Clock,
           note: str | None = None) -> None:
    """An inspector, leader or admin confirms a responded ticket's work was done."""
    ticket = _row(conn, ticket_id)
    if actor.role not in VERIFIERS:
        raise NotAllowed(f"ticket {ticket['number']}: {actor.name} ({actor.role}) may not "
                         f"verify it; only {', '.join(VERIFIERS)} may")
    if ticket["state"] != "responded":
        raise IllegalTransition(f"ticket {ticket['number']}: cannot verify a ticket that is "
                                f"{ticket['state']!r}; it must be 'responded'")
    now = to_utc(clock.now())
    conn.execute(sa.update(tickets).where(tickets.c.id == ticket_id)
                 .values(state="verified", verified_at=to_utc(now), verified_by=actor.name))
    audit.record(conn, actor=actor, action="ticket.verify", entity="ticket",
                 entity_id=ticket_id, at=now, note=note,
                 data={"from": "responded", "to": "verified"})


RETURNERS = ("leader", "admin")


def _may_return(actor: Actor, issued_by: str) -> bool:
    return actor.role in RETURNERS or (actor.role in ISSUERS and actor.name == issued_by)


def return_ticket(conn: sa.Connection, *, ticket_id: int, actor: Actor, clock: Clock,
                  reason: str, deadline: date) -> None:
    """退回重办: the issuer, a leader or an admin returns an inadequate answer with the reason
    and a new deadline; the ticket is open again (issued) until the unit answers anew."""
    ticket = _row(conn, ticket_id)
    if not _may_return(actor, ticket["issued_by"]):
        raise NotAllowed(f"ticket {ticket['number']}: {actor.name} ({actor.role}) may not "
                         f"return it; only its issuer {ticket['issued_by']}, a leader or an "
                         "admin may")
    if ticket["state"] != "responded":
        raise IllegalTransition(f"ticket {ticket['number']}: cannot return a ticket that is "
                                f"{ticket['state']!r}; it must be 'responded'")
    if not reason.strip():
        raise InvalidInput(f"ticket {ticket['number']}: the reason is empty; say what the "
                           "answer lacks")
    now = to_utc(clock.now())
    today = local_date(now, clock.tz)
    if deadline < today:
        raise InvalidInput(f"ticket {ticket['number']}: deadline {deadline} is before "
                           f"today {today}")
    conn.execute(sa.update(tickets).where(tickets.c.id == ticket_id)
                 .values(state="issued", deadline=deadline, response=None, responded_at=None))
    audit.record(conn, actor=actor, action="ticket.return", entity="ticket",
                 entity_id=ticket_id, at=now, note=reason.strip(),
                 data={"from": "responded", "to": "issued", "deadline": deadline,
                       "previous_deadline": ticket["deadline"],
                       "response": ticket["response"]})


def actions_for(ticket: Ticket, actor: Actor) -> tuple[str, ...]:
    """The steps the actor may take on the ticket now: "respond", "return", "verify"."""
    found: list[str] = []
    if ticket.state in ("issued", "overdue") and (
            actor.role == "admin" or (actor.role == "unit"
                                      and actor.unit == ticket.responsible_unit)):
        found.append("respond")
    if ticket.state == "responded":
        if _may_return(actor, ticket.issued_by):
            found.append("return")
        if actor.role in VERIFIERS:
            found.append("verify")
    return tuple(found)


def returned_ids(conn: sa.Connection) -> set[int]:
    """The open tickets (issued or overdue) that were answered once and returned (重办)."""
    back = sa.select(audit_log.c.entity_id).where(audit_log.c.entity == "ticket",
                                                  audit_log.c.action == "ticket.return")
    return set(conn.execute(sa.select(tickets.c.id).where(
        tickets.c.state.in_(("issued", "overdue")), tickets.c.id.in_(back))).scalars())


def _leader_to_notify(conn: sa.Connection, ticket: sa.RowMapping) -> str | None:
    if ticket["copy_to_leader"] or ticket["case_id"] is None:
        return ticket["copy_to_leader"]
    return conn.execute(sa.select(cases.c.leader)
                        .where(cases.c.id == ticket["case_id"])).scalar()


def escalate_overdue(conn: sa.Connection, *, actor: Actor, clock: Clock) -> list[int]:
    """Issued tickets whose deadline has passed (China date) become overdue; their ids."""
    now = to_utc(clock.now())
    today = local_date(now, clock.tz)
    late = conn.execute(sa.select(tickets).where(tickets.c.state == "issued",
                                                 tickets.c.deadline < today)
                        .order_by(tickets.c.id)).mappings().all()
    for ticket in late:
        conn.execute(sa.update(tickets).where(tickets.c.id == ticket["id"])
                     .values(state="overdue", escalated_at=to_utc(now)))
        audit.record(conn, actor=actor, action="ticket.escalate", entity="ticket",
                     entity_id=ticket["id"], at=now,
                     note=f"ticket {ticket['number']} passed its deadline {ticket['deadline']}",
                     data={"from": "issued", "to": "overdue",
                           "deadline": ticket["deadline"],
                           "notify": _leader_to_notify(conn, ticket)})
    return [t["id"] for t in late]


def _ticket(row: sa.RowMapping, photo_ids: Sequence[int]) -> Ticket:
    times = {k: aware(row[k]) for k in ("issued_at", "responded_at", "verified_at",
                                         "escalated_at")}
    plain = {k: row[k] for k in Ticket.__dataclass_fields__ if k in row and k not in times}
    return Ticket(**plain, **times, photo_ids=tuple(sorted(photo_ids)))


def _photos_by_ticket(conn: sa.Connection, ids: list[int]) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {i: [] for i in ids}
    for tid, pid in conn.execute(sa.select(ticket_photos.c.ticket_id, ticket_photos.c.photo_id)
                                 .where(ticket_photos.c.ticket_id.in_(ids))):
        found[tid].append(pid)
    return found


def get_ticket(conn: sa.Connection, ticket_id: int) -> Ticket:
    """One ticket by id."""
    row = _row(conn, ticket_id)
    return _ticket(row, _photos_by_ticket(conn, [ticket_id])[ticket_id])


def list_tickets(conn: sa.Connection, *, state: str | None = None, unit: str | None = None,
                 year: int | None = None, check_id: int | None = None) -> list[Ticket]:
    """Tickets by number, optionally of one state, one responsible unit, one year of issue,
    one check followed up."""
    stmt = sa.select(tickets).order_by(tickets.c.number)
    if check_id is not None:
        stmt = stmt.where(tickets.c.check_id == check_id)
    if state is not None:
        stmt = stmt.where(tickets.c.state == state)
    if unit is not None:
        stmt = stmt.where(tickets.c.responsible_unit == unit)
    if year is not None:
        stmt = stmt.where(tickets.c.number.like(f"DB-{year}-%"))
    rows = conn.execute(stmt).mappings().all()
    by_ticket = _photos_by_ticket(conn, [r["id"] for r in rows])
    return [_ticket(r, by_ticket[r["id"]]) for r in rows]


def find_ticket(conn: sa.Connection, number: str) -> int:
    """A ticket's id by its number (DB-2022-0001)."""
    found = conn.execute(sa.select(tickets.c.id).where(tickets.c.number == number)).scalar()
    if found is None:
        raise NotFound(f"ticket {number}: no such supervision ticket")
    return found


def overdue_day(today: date, year: int | None) -> date:
    """The day a list or a figure judges overdue on: today, or the last day of a past year."""
    return today if year is None else min(today, date(year, 12, 31))


def is_overdue(ticket: Ticket, day: date, tz: tzinfo) -> bool:
    """逾期: past its deadline on `day` (district dates) without an answer given by then. The
    dashboard's figure and the list it links to both count with this."""
    answered = (ticket.responded_at is not None
                and ticket.responded_at.astimezone(tz).date() <= day)
    return ticket.deadline < day and not answered
