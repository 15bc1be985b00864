"""In-app notifications (站内通知) and the bell's count.

A notification is derived, never stored: from the audit log (every event is an entry: a new
ticket, an answer, an escalation, a round due, an objection, a decision...) and from the
calendar as the daily tick sees it (a deadline in 3 days, a case overdue). Each goes to the
roles its kind names, for records in the user's scope (the rules of visibility.py), never to
whoever caused it. What a user has read is kept in notification_reads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from urllib.parse import quote

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from inspections.clock import Clock, aware, day_start
from inspections.progress import ACTIVE_STATES, UNFINISHED_STATES
from inspections.schema import audit_log, cases, lookback_rounds, objections, tickets
from web.accounts.users import User
from web.services.notification_reads import read_keys
from web.services.todos import When
from web.services.visibility import case_condition, round_condition, ticket_condition

WINDOW_DAYS = 30  # older notifications are no longer shown nor counted
SOON_DAYS = 3  # "a deadline in 3 days"

AUDIT_RULES: dict[str, tuple[str, frozenset[str]]] = {  # action: (kind, roles told)
    "ticket.issue": ("ticket_new", frozenset({"unit"})),
    "ticket.respond": ("ticket_answered", frozenset({"leader", "inspector"})),
    "ticket.verify": ("ticket_verified", frozenset({"unit"})),
    "ticket.return": ("ticket_returned", frozenset({"unit"})),
    "ticket.escalate": ("ticket_overdue", frozenset({"unit", "leader"})),
    "round.due": ("round_due", frozenset({"inspector"})),
    "round.overdue": ("round_overdue", frozenset({"inspector", "leader"})),
    "objection.record": ("objection", frozenset({"leader"})),
    "objection.decide": ("objection_decided", frozenset({"unit"})),
    "case.create": ("case_new", frozenset({"unit", "grid_officer"})),
    "case.claim_rectified": ("case_claimed", frozenset({"inspector", "acceptor"})),
    "case.accept": ("case_accepted", frozenset({"unit", "leader", "assessor"})),
    "case.assess": ("case_assessed", frozenset({"unit", "leader"})),
    "case.return_for_rework": ("case_returned", frozenset({"unit"})),
    "case.publicise": ("case_publicised", frozenset({"unit"})),
    "case.close": ("case_closed", frozenset({"unit"})),
    "case.reopen_for_recurrence": ("case_recurred", frozenset({"unit", "leader"})),
}
SOON_ROLES = frozenset({"unit"})
OVERDUE_ROLES = frozenset({"unit", "leader"})


@dataclass(frozen=True)
class Notification:
    """One notification: a stable key, its kind (message desk.note.<kind>), when, the record
    it concerns and its page."""

    key: str
    kind: str
    at: datetime
    reference: str
    href: str
    seq: int = 0  # the audit entry's id (orders events of one instant)


def _utc(at: datetime) -> datetime:
    return at.astimezone(UTC)


def _audit_rows(conn: sa.Connection, user: User, since: datetime,
                now: datetime) -> list[sa.Row]:
    actions = [a for a, (_, roles) in AUDIT_RULES.items() if user.role in roles]
    if not actions:
        return []
    a = audit_log
    return conn.execute(sa.select(a.c.id, a.c.at, a.c.action, a.c.entity, a.c.entity_id)
                        .where(a.c.action.in_(actions), a.c.at >= _utc(since),
                               a.c.at <= _utc(now), a.c.actor != user.name)).all()


def _where(stmt: sa.Select, condition: sa.ColumnElement[bool] | None) -> sa.Select:
    return stmt if condition is None else stmt.where(condition)


def case_refs(conn: sa.Connection, user: User, ids: set[int]) -> dict[int, tuple[str, str]]:
    """Of these cases, those the user sees: (reference, page) by id."""
    rows = conn.execute(_where(sa.select(cases.c.id, cases.c.reference)
                               .where(cases.c.id.in_(ids)), case_condition(user)))
    return {r.id: (r.reference, f"/cases/{quote(r.reference)}") for r in rows}


def _ticket_refs(conn: sa.Connection, user: User, ids: set[int]) -> dict[int, tuple[str, str]]:
    rows = conn.execute(_where(sa.select(tickets.c.id, tickets.c.number)
                               .where(tickets.c.id.in_(ids)), ticket_condition(user)))
    return {r.id: (r.number, f"/tickets/{quote(r.number)}") for r in rows}


def _round_refs(conn: sa.Connection, user: User, ids: set[int]) -> dict[int, tuple[str, str]]:
    r = lookback_rounds
    stmt = (sa.select(r.c.id, r.c.number, cases.c.reference)
            .join(cases, cases.c.id == r.c.case_id).where(r.c.id.in_(ids)))
    page = "/review/{}" if user.role in ("inspector", "leader", "admin") else None
    return {row.id: (f"{row.reference} #{row.number}",
                     page.format(row.id) if page else f"/cases/{quote(row.reference)}")
            for row in conn.execute(_where(stmt, round_condition(user)))}


def _objection_refs(conn: sa.Connection, user: User,
                    ids: set[int]) -> dict[int, tuple[str, str]]:
    stmt = (sa.select(objections.c.id, cases.c.reference)
            .join(cases, cases.c.id == objections.c.case_id).where(objections.c.id.in_(ids)))
    return {r.id: (r.reference, f"/cases/{quote(r.reference)}")
            for r in conn.execute(_where(stmt, case_condition(user)))}


RESOLVERS = {"case": case_refs, "ticket": _ticket_refs, "round": _round_refs,
             "objection": _objection_refs}


def from_audit(conn: sa.Connection, user: User, since: datetime,
               now: datetime) -> list[Notification]:
    """The user's notifications from audit entries between `since` and `now`."""
    rows = _audit_rows(conn, user, since, now)
    refs = {entity: resolve(conn, user, {r.entity_id for r in rows if r.entity == entity})
            for entity, resolve in RESOLVERS.items()
            if any(r.entity == entity for r in rows)}
    found = []
    for r in rows:
        ref = refs.get(r.entity, {}).get(r.entity_id)
        if ref is not None:  # outside the user's scope
            found.append(Notification(f"audit:{r.id}", AUDIT_RULES[r.action][0],
                                      aware(r.at), *ref, seq=r.id))
    return found


def _calendar_cases(conn: sa.Connection, user: User, when: When) -> list[Notification]:
    today = when.today
    stmt = _where(sa.select(cases.c.id, cases.c.reference, cases.c.deadline, cases.c.state)
                  .where(cases.c.state.in_(UNFINISHED_STATES),
                         cases.c.deadline >= today - timedelta(days=WINDOW_DAYS + 1),
                         cases.c.deadline <= today + timedelta(days=SOON_DAYS)),
                  case_condition(user))
    found = []
    for c in conn.execute(stmt):
        href = f"/cases/{quote(c.reference)}"
        if c.deadline < today and user.role in OVERDUE_ROLES:
            found.append(Notification(f"overdue:case:{c.id}:{c.deadline}", "case_overdue",
                                      day_start(c.deadline + timedelta(days=1), when.tz),
                                      c.reference, href))
        elif (c.deadline >= today and c.state in ACTIVE_STATES
              and user.role in SOON_ROLES):
            found.append(_soon("case", c.id, c.deadline, c.reference, href, when))
    return found


def _soon(entity: str, record_id: int, deadline: date, reference: str, href: str,
          when: When) -> Notification:
    at = max(day_start(deadline - timedelta(days=SOON_DAYS), when.tz),
             when.now - timedelta(days=WINDOW_DAYS))
    return Notification(f"soon:{entity}:{record_id}:{deadline}", f"{entity}_soon", at,
                        reference, href)


def _calendar_tickets(conn: sa.Connection, user: User, when: When) -> list[Notification]:
    if user.role not in SOON_ROLES:
        return []
    today = when.today
    stmt = _where(sa.select(tickets.c.id, tickets.c.number, tickets.c.deadline)
                  .where(tickets.c.state == "issued", tickets.c.deadline >= today,
                         tickets.c.deadline <= today + timedelta(days=SOON_DAYS)),
                  ticket_condition(user))
    return [_soon("ticket", t.id, t.deadline, t.number, f"/tickets/{quote(t.number)}", when)
            for t in conn.execute(stmt)]


def notifications_for(conn: sa.Connection, user: User, when: When) -> list[Notification]:
    """The user's notifications of the last WINDOW_DAYS days, the newest first."""
    since = when.now - timedelta(days=WINDOW_DAYS)
    found = [*from_audit(conn, user, since, when.now), *_calendar_cases(conn, user, when),
             *_calendar_tickets(conn, user, when)]
    found = [n for n in found if n.at >= since]
    return sorted(found, key=lambda n: (n.at, n.seq, n.key), reverse=True)


def bell_count(conn: sa.Connection, user: User, when: When) -> int:
    """How many of the user's notifications are unread."""
    read = read_keys(conn, user.id)
    return sum(1 for n in notifications_for(conn, user, when) if n.key not in read)


def bell_of(engine: Engine, clock: Clock, user: User) -> int:
    """The bell's count for a page (a connection of its own, the app's clock)."""
    with engine.connect() as conn:
        return bell_count(conn, user, When(clock.now(), clock.tz))
