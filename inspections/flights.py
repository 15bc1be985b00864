"""Drone flights (航飞批次): a batch of drone photos handed over for a look-back round or a
case, and what became of its files, counted from the database."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa

from geo.schema import sites
from imagery.schema import photo_sites
from inspections.errors import InvalidInput, NotFound
from inspections.schema import flights, received_files

NAME_LENGTH = 200


@dataclass(frozen=True)
class Flight:
    """A flight as stored."""

    id: int
    name: str
    round_id: int | None
    case_id: int | None
    metadata_only: bool
    created_by: str
    created_at: datetime


@dataclass(frozen=True)
class FlightSummary:
    """What the flight's files became: counts by state, the refusals with their reasons,
    and the sites its stored photos cover or are near (codes and names)."""

    flight: Flight
    counts: dict[str, int]
    rejected: list[dict[str, str | None]] = field(default_factory=list)
    sites: list[dict[str, str]] = field(default_factory=list)


def create_flight(conn: sa.Connection, *, name: str, round_id: int | None,
                  case_id: int | None, metadata_only: bool, by: str, now: datetime) -> int:
    """Record a flight for a round or a case (one of them); its id."""
    name = (name or "").strip()
    if not name:
        raise InvalidInput("name: give the flight a name")
    if len(name) > NAME_LENGTH:
        raise InvalidInput(f"name: at most {NAME_LENGTH} characters")
    if (round_id is None) == (case_id is None):
        raise InvalidInput("round_id and case_id: give exactly one (what the flight is for)")
    return conn.execute(sa.insert(flights).values(
        name=name, round_id=round_id, case_id=case_id, metadata_only=metadata_only,
        created_by=by, created_at=now).returning(flights.c.id)).scalar_one()


def get_flight(conn: sa.Connection, flight_id: int) -> Flight:
    """The flight; NotFound when there is none."""
    row = conn.execute(sa.select(flights).where(flights.c.id == flight_id)).mappings().first()
    if row is None:
        raise NotFound(f"flight {flight_id}: no such flight")
    return Flight(**row)


def _sites_of(conn: sa.Connection, flight_id: int) -> list[dict[str, str]]:
    photo_ids = sa.select(received_files.c.photo_id).where(
        received_files.c.flight_id == flight_id, received_files.c.photo_id.is_not(None))
    rows = conn.execute(sa.select(sites.c.code, sites.c.name).distinct()
                        .join(photo_sites, photo_sites.c.site_id == sites.c.id)
                        .where(photo_sites.c.photo_id.in_(photo_ids)).order_by(sites.c.code))
    return [{"code": code, "name": name} for code, name in rows]


def flight_summary(conn: sa.Connection, flight_id: int) -> FlightSummary:
    """The flight and what its received files became so far."""
    flight = get_flight(conn, flight_id)
    rows = conn.execute(sa.select(received_files.c.name, received_files.c.state,
                                  received_files.c.reason)
                        .where(received_files.c.flight_id == flight_id)
                        .order_by(received_files.c.name)).all()
    counts = Counter({"processing": 0, "stored": 0, "duplicate": 0, "rejected": 0})
    counts.update(state for _, state, _ in rows)
    rejected = [{"name": name, "reason": reason} for name, state, reason in rows
                if state == "rejected"]
    return FlightSummary(flight, dict(counts), rejected, _sites_of(conn, flight_id))
