"""Enforcement actions (行政处罚等): penalty decisions, referrals, detentions, seizures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa

from geo.schema import sites
from inspections import audit
from inspections.actors import Actor
from inspections.clock import Clock
from inspections.errors import InvalidInput, NotAllowed, NotFound
from inspections.record_lists import dated_records
from inspections.schema import ENFORCEMENT_KINDS, cases, enforcement_actions

RECORD_ROLES = ("leader", "admin")
DETENTIONS = ("administrative_detention", "criminal_case")
MAX_PERSONS = 10_000
CENT = Decimal("0.01")
MAX_FINE = Decimal("999999999999.99")  # Numeric(14, 2)


@dataclass(frozen=True)
class Action:
    """One enforcement action as stored."""

    id: int
    kind: str
    decided_on: date
    number: str
    site_id: int | None
    case_id: int | None
    fine_yuan: Decimal | None
    document_ref: str | None
    persons: int | None = None


@dataclass(frozen=True)
class Listed:
    """An action as the list shows it: the action, its site (with town) and its case."""

    action: Action
    site_code: str | None
    site_name: str | None
    town: str | None
    case_reference: str | None


def may_record(role: str) -> bool:
    """Whether a role may record enforcement actions (and so read their list)."""
    return role in RECORD_ROLES


def _check_kind_and_number(kind: str, number: str) -> str:
    if kind not in ENFORCEMENT_KINDS:
        raise InvalidInput(f"enforcement {number!r}: kind {kind!r} is unknown; use one of "
                           f"{', '.join(ENFORCEMENT_KINDS)}")
    if not isinstance(number, str) or not number.strip():
        raise InvalidInput(f"enforcement {kind}: number must not be empty")
    return number.strip()


def _check_fine(kind: str, number: str, fine: Decimal | None) -> Decimal | None:
    label = f"enforcement {kind} {number}"
    if fine is None:
        if kind == "penalty_decision":
            raise InvalidInput(f"{label}: fine_yuan is required for a penalty decision")
        return None
    if kind != "penalty_decision":
        raise InvalidInput(f"{label}: fine_yuan is only for a penalty decision")
    if isinstance(fine, bool) or not isinstance(fine, Decimal | int):
        raise InvalidInput(f"{label}: fine_yuan {fine!r} is not a Decimal amount of yuan")
    amount = Decimal(fine)
    if not amount.is_finite() or amount <= 0 or amount > MAX_FINE:
        raise InvalidInput(f"{label}: fine_yuan {amount} must be more than 0 "
                           f"and at most {MAX_FINE}")
    if amount != amount.quantize(CENT):
        raise InvalidInput(f"{label}: fine_yuan {amount} has more than 2 decimal places")
    return amount.quantize(CENT)


def _check_persons(kind: str, number: str, persons: int | None) -> int | None:
    label = f"enforcement {kind} {number}"
    if persons is None:
        if kind in DETENTIONS:
            raise InvalidInput(f"{label}: persons is required for a detention")
        return None
    if kind not in DETENTIONS:
        raise InvalidInput(f"{label}: persons is only for a detention")
    if isinstance(persons, bool) or not isinstance(persons, int) or not (
            1 <= persons <= MAX_PERSONS):
        raise InvalidInput(f"{label}: persons {persons!r} is not a whole number "
                           f"from 1 to {MAX_PERSONS}")
    return persons


def _check_links(conn: sa.Connection, label: str, site_id: int | None,
                 case_id: int | None) -> None:
    if site_id is not None and conn.execute(
            sa.select(sites.c.id).where(sites.c.id == site_id)).first() is None:
        raise NotFound(f"{label}: no site with id {site_id}")
    if case_id is not None and conn.execute(
            sa.select(cases.c.id).where(cases.c.id == case_id)).first() is None:
        raise NotFound(f"{label}: no case with id {case_id}")


def _check_unique(conn: sa.Connection, label: str, kind: str, number: str) -> None:
    t = enforcement_actions
    taken = conn.execute(sa.select(t.c.id).where(t.c.kind == kind, t.c.number == number)
                         ).first()
    if taken:
        raise InvalidInput(f"{label}: number {number!r} is already recorded for {kind} "
                           f"(action {taken[0]})")


def record_action(conn: sa.Connection, *, actor: Actor, clock: Clock, kind: str,
                  decided_on: date, number: str, site_id: int | None = None,
                  case_id: int | None = None, fine_yuan: Decimal | None = None,
                  document_ref: str | None = None, persons: int | None = None) -> int:
    """Record an enforcement action (leaders and admins only); its id."""
    number = _check_kind_and_number(kind, number)
    label = f"enforcement {kind} {number}"
    if actor.role not in RECORD_ROLES:
        raise NotAllowed(f"{label}: role {actor.role!r} may not record enforcement actions")
    if isinstance(decided_on, datetime) or not isinstance(decided_on, date):
        raise InvalidInput(f"{label}: decided_on {decided_on!r} is not a date")
    fine = _check_fine(kind, number, fine_yuan)
    persons = _check_persons(kind, number, persons)
    _check_links(conn, label, site_id, case_id)
    _check_unique(conn, label, kind, number)
    action_id = conn.execute(sa.insert(enforcement_actions).returning(enforcement_actions.c.id),
                             {"kind": kind, "decided_on": decided_on, "number": number,
                              "site_id": site_id, "case_id": case_id, "fine_yuan": fine,
                              "document_ref": document_ref, "persons": persons}).scalar_one()
    audit.record(conn, actor=actor, action="enforcement.record", entity="enforcement",
                 entity_id=action_id, at=clock.now(),
                 data={"kind": kind, "number": number, "decided_on": decided_on.isoformat(),
                       "site_id": site_id, "case_id": case_id,
                       "fine_yuan": None if fine is None else str(fine), "persons": persons})
    return action_id


def _action(row: sa.RowMapping) -> Action:
    fine = row["fine_yuan"]
    return Action(id=row["id"], kind=row["kind"], decided_on=row["decided_on"],
                  number=row["number"], site_id=row["site_id"], case_id=row["case_id"],
                  fine_yuan=None if fine is None else Decimal(fine).quantize(CENT),
                  document_ref=row["document_ref"], persons=row["persons"])


def list_actions(conn: sa.Connection, *, year: int | None = None,
                 site_id: int | None = None) -> list[Action]:
    """Actions decided in a year and/or about a site, oldest decision first."""
    t = enforcement_actions
    stmt = sa.select(t).order_by(t.c.decided_on, t.c.id)
    if year is not None:
        stmt = stmt.where(t.c.decided_on >= date(year, 1, 1), t.c.decided_on <= date(year, 12, 31))
    if site_id is not None:
        stmt = stmt.where(t.c.site_id == site_id)
    return [_action(r) for r in conn.execute(stmt).mappings()]


def list_records(conn: sa.Connection, *, start: date | None = None, end: date | None = None,
                 kind: str | None = None, town: str | None = None,
                 search: str | None = None, oldest_first: bool = False) -> list[Listed]:
    """Actions decided from start to end (both included), of a kind, about a site in a town,
    or whose number, document, site or case mentions `search`; newest first (or oldest)."""
    t = enforcement_actions
    stmt = dated_records(t, t.c.decided_on, start=start, end=end, coded=(t.c.kind, kind),
                         town=town, search=search, searched=(t.c.number, t.c.document_ref),
                         oldest_first=oldest_first)
    return [Listed(_action(r), r["site_code"], r["site_name"], r["town"], r["reference"])
            for r in conn.execute(stmt).mappings()]
