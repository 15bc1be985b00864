"""The daily tick (每日定时处理): move time-driven states on (rounds due or overdue, evidence
matched, overdue tickets escalated), for `lookback tick` and the daily job alike."""

from __future__ import annotations

import dataclasses
from typing import Any

from sqlalchemy.engine import Engine

from inspections import lookbacks, tickets
from inspections.actors import SYSTEM
from inspections.clock import Clock


def tick(engine: Engine, clock: Clock) -> dict[str, Any]:
    """Refresh the look-back rounds and escalate overdue tickets, in one transaction; what
    changed (`at`, `rounds`, `tickets_escalated`)."""
    with engine.begin() as conn:
        changes = lookbacks.refresh_rounds(conn, actor=SYSTEM, clock=clock)
        escalated = tickets.escalate_overdue(conn, actor=SYSTEM, clock=clock)
    return {"at": clock.now().isoformat(), "rounds": dataclasses.asdict(changes),
            "tickets_escalated": escalated}
