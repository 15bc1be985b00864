"""Complaints and reports from the public (信访/举报), from every channel."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from shapely.geometry import Point

from geo.schema import sites
from inspections import audit
from inspections.actors import Actor
from inspections.clock import Clock
from inspections.errors import InvalidInput, NotAllowed, NotFound
from inspections.record_lists import dated_records
from inspections.schema import COMPLAINT_CHANNELS, cases, complaints

RECORD_ROLES = ("grid_officer", "leader", "admin", "system")
READ_ROLES = ("grid_officer", "leader", "admin")


@dataclass(frozen=True)
class Complaint:
    """A complaint as the list shows it: its place, linked site (with town) and case."""

    id: int
    received_on: date
    channel: str
    summary: str
    lon: float | None
    lat: float | None
    site_code: str | None
    site_name: str | None
    town: str | None
    case_reference: str | None


def may_record(role: str) -> bool:
    """Whether a role may record complaints (the form and the import)."""
    return role in RECORD_ROLES


def may_read(role: str) -> bool:
    """Whether a role may read the list of complaints."""
    return role in READ_ROLES


def _check_role(actor: Actor, label: str) -> None:
    if actor.role not in RECORD_ROLES:
        raise NotAllowed(f"{label}: role {actor.role!r} may not record complaints")


def _check_date(received_on: date, clock: Clock) -> None:
    if isinstance(received_on, datetime) or not isinstance(received_on, date):
        raise InvalidInput(f"complaint: received_on {received_on!r} is not a date")
    today = clock.today()
    if received_on > today:
        raise InvalidInput(f"complaint: received_on {received_on} is after today ({today})")


def _check_point(lon: float | None, lat: float | None) -> Point | None:
    if lon is None and lat is None:
        return None
    if lon is None or lat is None:
        raise InvalidInput(f"complaint: lon and lat must be given together "
                           f"(lon={lon!r}, lat={lat!r})")
    for field, value, limit in (("lon", lon, 180.0), ("lat", lat, 90.0)):
        if (isinstance(value, bool) or not isinstance(value, int | float)
                or not math.isfinite(value) or abs(value) > limit):
            raise InvalidInput(f"complaint: {field} {value!r} is not a {field} in degrees "
                               f"(between -{limit:g} and {limit:g})")
    return Point(float(lon), float(lat))


def _check_case(conn: sa.Connection, label: str, case_id: int) -> None:
    if conn.execute(sa.select(cases.c.id).where(cases.c.id == case_id)).first() is None:
        raise NotFound(f"{label}: no case with id {case_id}")


def _check_site(conn: sa.Connection, label: str, site_id: int) -> None:
    if conn.execute(sa.select(sites.c.id).where(sites.c.id == site_id)).first() is None:
        raise NotFound(f"{label}: no site with id {site_id}")


def record_complaint(conn: sa.Connection, *, actor: Actor, clock: Clock, received_on: date,
                     channel: str, summary: str, lon: float | None = None,
                     lat: float | None = None, case_id: int | None = None,
                     site_id: int | None = None) -> int:
    """Record a complaint received on a day through a channel; its id."""
    _check_role(actor, "complaint")
    if channel not in COMPLAINT_CHANNELS:
        raise InvalidInput(f"complaint: channel {channel!r} is unknown; use one of "
                           f"{', '.join(COMPLAINT_CHANNELS)}")
    if not isinstance(summary, str) or not summary.strip():
        raise InvalidInput("complaint: summary must not be empty")
    _check_date(received_on, clock)
    point = _check_point(lon, lat)
    if case_id is not None:
        _check_case(conn, "complaint", case_id)
    if site_id is not None:
        _check_site(conn, "complaint", site_id)
    complaint_id = conn.execute(sa.insert(complaints).returning(complaints.c.id), {
        "received_on": received_on, "channel": channel, "summary": summary.strip(),
        "geom": point, "case_id": case_id, "site_id": site_id}).scalar_one()
    audit.record(conn, actor=actor, action="complaint.record", entity="complaint",
                 entity_id=complaint_id, at=clock.now(),
                 data={"received_on": received_on.isoformat(), "channel": channel,
                       "case_id": case_id, "site_id": site_id})
    return complaint_id


def link_complaint(conn: sa.Connection, *, complaint_id: int, case_id: int, actor: Actor,
                   clock: Clock) -> None:
    """Link a complaint to the case that handles it (replacing an earlier link)."""
    label = f"complaint {complaint_id}"
    _check_role(actor, label)
    row = conn.execute(sa.select(complaints.c.case_id).where(complaints.c.id == complaint_id)
                       ).first()
    if row is None:
        raise NotFound(f"{label}: no such complaint")
    _check_case(conn, label, case_id)
    if row.case_id == case_id:
        return
    conn.execute(sa.update(complaints).where(complaints.c.id == complaint_id)
                 .values(case_id=case_id))
    audit.record(conn, actor=actor, action="complaint.link", entity="complaint",
                 entity_id=complaint_id, at=clock.now(),
                 data={"from_case": row.case_id, "case_id": case_id})


def count_complaints(conn: sa.Connection, *, start: date, end: date) -> int:
    """How many complaints were received from start to end, both days included."""
    if start > end:
        raise InvalidInput(f"complaints: start {start} is after end {end}")
    return conn.execute(sa.select(sa.func.count()).select_from(complaints).where(
        complaints.c.received_on >= start, complaints.c.received_on <= end)).scalar_one()


def list_complaints(conn: sa.Connection, *, start: date | None = None, end: date | None = None,
                    channel: str | None = None, town: str | None = None,
                    search: str | None = None, oldest_first: bool = False) -> list[Complaint]:
    """Complaints received from start to end (both included), through a channel, about a
    site in a town, or whose text, site or case mentions `search`; newest first (or oldest)."""
    stmt = dated_records(complaints, complaints.c.received_on, start=start, end=end,
                         coded=(complaints.c.channel, channel), town=town, search=search,
                         searched=(complaints.c.summary,), oldest_first=oldest_first)
    return [Complaint(id=r["id"], received_on=r["received_on"], channel=r["channel"],
                      summary=r["summary"], lon=None if r["geom"] is None else r["geom"].x,
                      lat=None if r["geom"] is None else r["geom"].y, site_code=r["site_code"],
                      site_name=r["site_name"], town=r["town"], case_reference=r["reference"])
            for r in conn.execute(stmt).mappings()]


def towns(conn: sa.Connection) -> list[str]:
    """The towns (镇/街道) of the sites, for a list's town filter."""
    return list(conn.execute(sa.select(sites.c.town).where(sites.c.town.is_not(None))
                             .distinct().order_by(sites.c.town)).scalars())
