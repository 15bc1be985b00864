"""Load the demo scenario: 2018 to 20 December 2022 in the demo district, through the same
services (and the same photo ingest) that people use."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from imagery.schema import photos
from imagery.store import Store
from inspections.clock import DEFAULT_TZ, FixedClock
from inspections.demo import (
    complaints,
    enforcement,
    feedback,
    landfills,
    lookback_days,
    organisation,
    patrol,
    petitions,
    tickets,
)
from inspections.demo.world import ScenarioError, World, load_sites, local
from inspections.schema import cases, enforcement_actions, lookback_rounds
from inspections.schema import complaints as complaint_rows
from inspections.schema import tickets as ticket_rows

START = local(date(2018, 10, 1), 9)
END = local(date(2022, 12, 20), 10)  # the scenario's "now"
NEEDED = {"landfill": 41, "waste_to_energy_plant": 2, "enterprise": 100}
PLANS = (landfills.plan, feedback.plan, petitions.plan, lookback_days.plan, tickets.plan,
         complaints.plan, enforcement.plan, patrol.plan, organisation.plan)


def _check_database(conn: sa.Connection) -> None:
    sites = load_sites(conn)
    for kind, needed in NEEDED.items():
        have = sum(1 for s in sites.values() if s.kind == kind)
        if have < needed:
            raise ScenarioError(f"demo scenario: needs the demo district's layers ({needed} "
                                f"{kind} sites or more, found {have}); load them first "
                                "with `lookback demo`")
    existing = conn.execute(sa.select(sa.func.count()).select_from(cases)).scalar_one()
    if existing:
        raise ScenarioError(f"demo scenario: the database already holds {existing} cases; "
                            "the scenario loads only into a database without any")


def _count(conn: sa.Connection, table: sa.Table, *where: Any) -> int:
    return conn.execute(sa.select(sa.func.count()).select_from(table).where(*where)
                        ).scalar_one()


def summary(conn: sa.Connection) -> dict[str, int]:
    """What the scenario left in the database."""
    return {"cases": _count(conn, cases),
            "cases_closed": _count(conn, cases, cases.c.state == "closed"),
            "lookback_rounds": _count(conn, lookback_rounds),
            "photos": _count(conn, photos), "tickets": _count(conn, ticket_rows),
            "complaints": _count(conn, complaint_rows),
            "enforcement_actions": _count(conn, enforcement_actions)}


def load(engine: Engine, store: Store,
         progress: Callable[[int, int], None] | None = None,
         on_ingest: Callable[[list[int], datetime], None] | None = None) -> dict[str, Any]:
    """Play the scenario into a database holding the demo layers and no cases; a summary.
    `on_ingest` is called after each upload of orthophotos with their ids and the time."""
    with engine.connect() as conn:
        _check_database(conn)
        sites = load_sites(conn)
    with tempfile.TemporaryDirectory(prefix="lookback-demo-") as folder:
        world = World(engine, store, Path(folder), FixedClock(START, DEFAULT_TZ), sites, END,
                      on_ingest=on_ingest)
        for plan in PLANS:
            plan(world)
        world.at(END, lookback_days.refresh)
        events = world.play(progress)
    with engine.connect() as conn:
        return {"now": END.isoformat(), "events": events} | summary(conn)
