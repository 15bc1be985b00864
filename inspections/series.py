"""Figures over time for charts: tickets issued per month, petitions per batch."""

from __future__ import annotations

from collections import Counter

import sqlalchemy as sa

from inspections.clock import LOCAL_TZ, aware, to_utc
from inspections.schema import cases, tickets
from inspections.stats import period_of


def tickets_per_month(conn: sa.Connection, year: int) -> list[int]:
    """Tickets issued in each month of a year (China time), January first."""
    period = period_of(year)
    issued = conn.execute(sa.select(tickets.c.issued_at).where(
        tickets.c.issued_at >= to_utc(period.start_at),
        tickets.c.issued_at <= to_utc(period.end_at))).scalars()
    months = Counter(aware(at).astimezone(LOCAL_TZ).month for at in issued)
    return [months[m] for m in range(1, 13)]


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
