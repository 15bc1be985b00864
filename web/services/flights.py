"""Flights as users see them: created by the uploaders of drone photos for a round or case
they may see, read back by their creator (and by leaders and admins)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from inspections import flights
from inspections.clock import Clock
from inspections.errors import IllegalTransition, NotAllowed, NotFound
from inspections.schema import cases, lookback_rounds
from web.accounts.users import User
from web.services.rejections import rejection_code
from web.services.visibility import EVERYTHING, case_condition, round_condition
from web.settings import Settings

FLIGHT_ROLES = ("inspector", "admin")  # who hands over drone flights


def check_flier(user: User) -> None:
    """NotAllowed unless the user's role hands over drone flights."""
    if user.role not in FLIGHT_ROLES:
        raise NotAllowed(f"flights: role {user.role!r} may not upload a flight; only "
                         f"{', '.join(FLIGHT_ROLES)}")


def _visible(conn: sa.Connection, table: sa.Table, condition: object, record_id: int) -> bool:
    stmt = sa.select(table.c.id).where(table.c.id == record_id)
    if condition is not None:
        stmt = stmt.where(condition)  # type: ignore[arg-type]
    return conn.execute(stmt).first() is not None


def create(engine: Engine, clock: Clock, user: User, *, name: str, round_id: int | None,
           case_id: int | None, metadata_only: bool) -> int:
    """A new flight for a round or case the user sees; its id."""
    check_flier(user)
    with engine.begin() as conn:
        if round_id is not None and not _visible(conn, lookback_rounds,
                                                 round_condition(user), round_id):
            raise NotFound(f"look-back round {round_id}: no such round")
        if case_id is not None and not _visible(conn, cases, case_condition(user), case_id):
            raise NotFound(f"case {case_id}: no such case")
        return flights.create_flight(conn, name=name, round_id=round_id, case_id=case_id,
                                     metadata_only=metadata_only, by=user.name,
                                     now=clock.now())


def _readable(conn: sa.Connection, user: User, flight_id: int) -> flights.Flight:
    flight = flights.get_flight(conn, flight_id)
    if user.role not in EVERYTHING and flight.created_by != user.name:
        raise NotFound(f"flight {flight_id}: no such flight")
    return flight


def own_flight(engine: Engine, user: User, value: str) -> int:
    """The id of a flight the user created, from an upload's metadata; NotFound else."""
    if not value.isdigit():
        raise NotFound(f"flight {value!r}: no such flight")
    with engine.connect() as conn:
        flight = flights.get_flight(conn, int(value))
    if flight.created_by != user.name:
        raise NotFound(f"flight {value}: no such flight")
    return flight.id


def summary(engine: Engine, user: User, flight_id: int) -> dict[str, Any]:
    """The flight and what its files became, as the API gives it."""
    with engine.connect() as conn:
        _readable(conn, user, flight_id)
        found = flights.flight_summary(conn, flight_id)
    flight = found.flight
    return {"id": flight.id, "name": flight.name, "round_id": flight.round_id,
            "case_id": flight.case_id, "metadata_only": flight.metadata_only,
            "created_by": flight.created_by, "created_at": flight.created_at.isoformat(),
            "counts": found.counts, "sites": found.sites,
            "rejected": [{**r, "reason_code": rejection_code(r["reason"] or "")}
                         for r in found.rejected]}


def complete(engine: Engine, settings: Settings, user: User, flight_id: int) -> dict[str, Any]:
    """The flight's uploader says every file is sent: once none is still being processed,
    queue change detection for each site the flight covers beside an earlier image (the
    job a flight's photos do not queue one by one); the summary and the jobs queued.
    Saying it again queues nothing new. Blocking."""
    from web.jobs.changes_job import submit_flight_changes

    check_flier(user)
    with engine.connect() as conn:
        flight = flights.get_flight(conn, flight_id)
        if flight.created_by != user.name:
            raise NotFound(f"flight {flight_id}: no such flight")
        processing = flights.flight_summary(conn, flight_id).counts["processing"]
    if processing:
        raise IllegalTransition(f"航飞批次 {flight_id}：还有 {processing} 个文件在处理中，"
                                "处理完后才能结束上传")
    jobs = submit_flight_changes(engine, settings, flight_id=flight_id, user_id=user.id)
    return {**summary(engine, user, flight_id), "changes_jobs": jobs}
