"""Row builders for the statistics tests: cases, rounds, tickets, complaints, enforcement
actions and audited state changes, inserted directly so the figures can be checked by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from shapely.geometry import Point

from geo.layers import index_geometries
from inspections import audit, schema
from inspections.actors import SYSTEM

SH = ZoneInfo("Asia/Shanghai")


def sh(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    """A time in China (stored as UTC, the way the services store clock times)."""
    return datetime(year, month, day, hour, minute, tzinfo=SH).astimezone(UTC)


def case(conn: sa.Connection, reference: str, *, source: str, state: str, opened_at: datetime,
         deadline: date, closed_at: datetime | None = None, batch: int | None = None,
         at: tuple[float, float] | None = None, inspection: str | None = None) -> int:
    """Insert a case row as it stands now; its id."""
    point = Point(*at) if at is not None else None
    case_id = conn.execute(sa.insert(schema.cases).returning(schema.cases.c.id), {
        "reference": reference, "source": source, "batch": batch, "title": reference,
        "inspection": inspection,
        "description": "", "responsible_unit": "区生态环境分局", "deadline": deadline,
        "target": "整改到位", "key_case": False, "state": state, "is_recurrence": False,
        "geom": point, "opened_at": opened_at.astimezone(UTC),
        "closed_at": closed_at.astimezone(UTC) if closed_at else None,
    }).scalar_one()
    if point is not None:
        index_geometries(conn, schema.CASES, [case_id], [point])
    return case_id


def moved(conn: sa.Connection, entity: str, entity_id: int, at: datetime,
          from_state: str | None, to_state: str) -> None:
    """Audit a change of state (the way the services write it); call in time order."""
    data = {"to": to_state} if from_state is None else {"from": from_state, "to": to_state}
    audit.record(conn, actor=SYSTEM, action=f"{entity}.{to_state}", entity=entity,
                 entity_id=entity_id, at=at.astimezone(UTC), data=data)


def lookback_round(conn: sa.Connection, case_id: int, number: int, *, window_start: datetime,
                   state: str) -> int:
    """Insert a look-back round with a 30-day window; its id."""
    start = window_start.astimezone(UTC)
    return conn.execute(sa.insert(schema.lookback_rounds)
                        .returning(schema.lookback_rounds.c.id), {
        "case_id": case_id, "number": number, "window_start": start,
        "window_end": start + timedelta(days=30),
        "state": state}).scalar_one()


def ticket(conn: sa.Connection, number: str, *, issued_at: datetime, deadline: date,
           state: str, responded_at: datetime | None = None) -> int:
    """Insert a supervision ticket; its id."""
    return conn.execute(sa.insert(schema.tickets).returning(schema.tickets.c.id), {
        "number": number, "responsible_unit": "东山镇人民政府", "deadline": deadline,
        "request": "限期整改", "state": state, "issued_at": issued_at.astimezone(UTC),
        "issued_by": "li.ming",
        "responded_at": responded_at.astimezone(UTC) if responded_at else None,
    }).scalar_one()


def complaints_on(conn: sa.Connection, day: date, n: int) -> None:
    """Insert n complaints received on a day."""
    conn.execute(sa.insert(schema.complaints),
                 [{"received_on": day, "channel": "hotline_12369", "summary": f"举报{i}"}
                  for i in range(n)])


def action(conn: sa.Connection, kind: str, number: str, decided_on: date,
           fine_yuan: str | None = None) -> None:
    """Insert an enforcement action."""
    conn.execute(sa.insert(schema.enforcement_actions), {
        "kind": kind, "number": number, "decided_on": decided_on,
        "fine_yuan": Decimal(fine_yuan) if fine_yuan is not None else None})
