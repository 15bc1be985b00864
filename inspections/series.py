"""Figures over time for charts: tickets per month by outcome, petitions per batch."""

from __future__ import annotations

from collections import Counter
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from inspections.clock import aware, to_utc
from inspections.schema import cases, tickets
from inspections.stats import period_of


def petitions_by_batch(conn: sa.Connection,
                       inspection: str | None) -> list[tuple[int, int, int]]:
    """(batch, petitions, closed) for each batch of an inspection's petitions (all
    petitions when no inspection is named), by batch."""
    stmt = sa.select(cases.c.batch, cases.c.state).where(cases.c.source == "petition")
    if inspection is not None:
        stmt = stmt.where(cases.c.inspection == inspection)
    total, closed = Counter(), Counter()
    for batch, state in conn.execute(stmt):
        total[batch] += 1
        closed[batch] += state == "closed"
    return [(b, total[b], closed[b]) for b in sorted(total)]


TICKET_OUTCOMES = ("answered", "answered_late", "open")


def ticket_states_per_month(conn: sa.Connection, year: int,
                            tz: ZoneInfo) -> list[dict[str, int]]:
    """Per month of issue (January first, months of the district's zone `tz`): tickets
    answered by their deadline, answered after it, and still open at the end of the year."""
    period = period_of(year, tz=tz)
    rows = conn.execute(sa.select(tickets.c.issued_at, tickets.c.deadline,
                                  tickets.c.responded_at).where(
        tickets.c.issued_at >= to_utc(period.start_at),
        tickets.c.issued_at <= to_utc(period.end_at)))
    found = [dict.fromkeys(TICKET_OUTCOMES, 0) for _ in range(12)]
    for issued, deadline, responded in rows:
        month = aware(issued).astimezone(tz).month
        answered = aware(responded) if responded is not None else None
        if answered is None or answered > period.end_at:
            outcome = "open"
        elif answered.astimezone(tz).date() <= deadline:
            outcome = "answered"
        else:
            outcome = "answered_late"
        found[month - 1][outcome] += 1
    return found
