"""Correcting a recorded complaint (信访举报): its date, channel, content, place, site and
case, by those who record complaints; one audit entry naming what changed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from inspections import audit
from inspections.actors import Actor
from inspections.changes import changed
from inspections.clock import Clock
from inspections.complaints import (
    _check_case,
    _check_date,
    _check_point,
    _check_role,
    _check_site,
)
from inspections.errors import InvalidInput, NotFound
from inspections.schema import COMPLAINT_CHANNELS, complaints

PLACES = 7  # decimals of a degree kept when comparing places (about 1 cm)


def _point(lon: float | None, lat: float | None) -> tuple[Decimal, Decimal] | None:
    if lon is None or lat is None:
        return None
    return round(Decimal(lon), PLACES), round(Decimal(lat), PLACES)


def edit_complaint(conn: sa.Connection, *, complaint_id: int, actor: Actor, clock: Clock,
                   received_on: date, channel: str, summary: str, lon: float | None = None,
                   lat: float | None = None, site_id: int | None = None,
                   case_id: int | None = None) -> bool:
    """Set every field of a complaint; whether anything changed (then audited)."""
    label = f"complaint {complaint_id}"
    _check_role(actor, label)
    row = conn.execute(sa.select(complaints).where(complaints.c.id == complaint_id)
                       ).mappings().first()
    if row is None:
        raise NotFound(f"{label}: no such complaint")
    if channel not in COMPLAINT_CHANNELS:
        raise InvalidInput(f"{label}: channel {channel!r} is unknown")
    if not isinstance(summary, str) or not summary.strip():
        raise InvalidInput(f"{label}: summary must not be empty")
    _check_date(received_on, clock)
    point = _check_point(lon, lat)
    for check, linked in ((_check_case, case_id), (_check_site, site_id)):
        if linked is not None:
            check(conn, label, linked)
    geom = row["geom"]
    stored = {"received_on": row["received_on"], "channel": row["channel"],
              "summary": row["summary"], "site_id": row["site_id"], "case_id": row["case_id"],
              "place": None if geom is None else _point(geom.x, geom.y)}
    diff = changed(stored, {"received_on": received_on, "channel": channel,
                            "summary": summary.strip(), "site_id": site_id, "case_id": case_id,
                            "place": _point(lon, lat)})
    if not diff:
        return False
    values = {name: new for name, (_, new) in diff.items() if name != "place"}
    if "place" in diff:
        values["geom"] = point
    conn.execute(sa.update(complaints).where(complaints.c.id == complaint_id).values(values))
    audit.record(conn, actor=actor, action="complaint.edit", entity="complaint",
                 entity_id=complaint_id, at=clock.now(), data={"changes": diff})
    return True
