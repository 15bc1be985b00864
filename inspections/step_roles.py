"""Which roles accept (验收) and assess (销号评估) a case, per case source: a small table
(`case_step_roles`) over the defaults, the government's acceptance group and assessment
group. The workflow's permission check is the only reader that decides with it."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from inspections import audit
from inspections.actors import ROLES, Actor
from inspections.clock import Clock
from inspections.errors import InvalidInput, NotAllowed
from inspections.schema import CASE_SOURCES, CONFIGURABLE_STEPS, case_step_roles

DEFAULT_ROLES: dict[str, tuple[str, ...]] = {"accept": ("acceptor",), "assess": ("assessor",)}
SETTERS = ("admin",)
# The workflow actions each configurable step governs (returning for rework goes with
# acceptance: whoever may accept may refuse).
GOVERNS: dict[str, str] = {"accept": "accept", "return_for_rework": "accept",
                           "assess": "assess"}
ASSIGNABLE = tuple(r for r in ROLES if r != "system")


def _parse(text: str) -> tuple[str, ...]:
    return tuple(r for r in (p.strip() for p in text.split(",")) if r)


def configured(conn: sa.Connection) -> dict[tuple[str, str], tuple[str, ...]]:
    """The table's rows: (source, step) -> roles."""
    rows = conn.execute(sa.select(case_step_roles.c.source, case_step_roles.c.step,
                                  case_step_roles.c.roles)).all()
    return {(r.source, r.step): _parse(r.roles) for r in rows}


def roles_for(conn: sa.Connection, source: str, step: str) -> tuple[str, ...]:
    """The roles that take `step` ("accept" or "assess") on cases of `source`."""
    row = conn.execute(sa.select(case_step_roles.c.roles)
                       .where(case_step_roles.c.source == source,
                              case_step_roles.c.step == step)).scalar()
    return _parse(row) if row else DEFAULT_ROLES[step]


def table(conn: sa.Connection) -> list[dict[str, object]]:
    """Every source and step with its roles and whether they are the default."""
    rows = configured(conn)
    return [{"source": source, "step": step,
             "roles": list(rows.get((source, step), DEFAULT_ROLES[step])),
             "default": (source, step) not in rows}
            for source in CASE_SOURCES for step in CONFIGURABLE_STEPS]


def _check(source: str, step: str, roles: Sequence[str]) -> tuple[str, ...]:
    if source not in CASE_SOURCES:
        raise InvalidInput(f"step roles: source {source!r} is unknown; use one of "
                           f"{', '.join(CASE_SOURCES)}")
    if step not in CONFIGURABLE_STEPS:
        raise InvalidInput(f"step roles: step {step!r} is unknown; use one of "
                           f"{', '.join(CONFIGURABLE_STEPS)}")
    wanted = tuple(dict.fromkeys(r.strip() for r in roles if r and r.strip()))
    if not wanted:
        raise InvalidInput(f"step roles: {source} {step}: give at least one role")
    if unknown := [r for r in wanted if r not in ASSIGNABLE]:
        raise InvalidInput(f"step roles: role {', '.join(unknown)} is unknown; use "
                           f"{', '.join(ASSIGNABLE)}")
    return wanted


def set_roles(conn: sa.Connection, *, actor: Actor, clock: Clock, source: str, step: str,
              roles: Sequence[str] | None) -> tuple[str, ...]:
    """Set who takes a step for a source (an admin); None goes back to the default. The
    roles now in force."""
    if actor.role not in SETTERS:
        raise NotAllowed(f"step roles: role {actor.role!r} may not set them; only "
                         f"{', '.join(SETTERS)}")
    wanted = _check(source, step, DEFAULT_ROLES.get(step, ()) if roles is None else roles)
    where = (case_step_roles.c.source == source, case_step_roles.c.step == step)
    conn.execute(sa.delete(case_step_roles).where(*where))
    if roles is not None:
        conn.execute(sa.insert(case_step_roles),
                     {"source": source, "step": step, "roles": ",".join(wanted)})
    audit.record(conn, actor=actor, action="step_roles.set", entity="step_roles",
                 entity_id=CASE_SOURCES.index(source) * 10 + CONFIGURABLE_STEPS.index(step),
                 at=clock.now(), data={"source": source, "step": step,
                                       "roles": list(wanted), "default": roles is None})
    return wanted
