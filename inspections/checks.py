"""Unannounced and announced checks (明察暗访 / 督查): the district's supervision office or
rectification group visits a site without notice (or with it), writes down what it found,
takes photos and, where it found problems, issues a supervision ticket (督办交办单)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa

from geo.schema import sites
from imagery.schema import photos
from inspections import audit
from inspections.actors import Actor
from inspections.clock import Clock
from inspections.errors import InvalidInput, NotAllowed, NotFound
from inspections.record_lists import dated_records
from inspections.schema import CHECK_KINDS, cases, check_photos, checks

RECORD_ROLES = ("inspector", "leader", "admin")
READ_ROLES = ("inspector", "leader", "admin")
MAX_ORGANISER = 100
MAX_FINDINGS = 4000


@dataclass(frozen=True)
class Check:
    """A check as the list and its page show it: what was found where, by whom, and its
    site (with town), case and photos."""

    id: int
    kind: str
    checked_on: date
    organiser: str
    findings: str
    problems_found: bool
    recorded_by: str
    recorded_at: datetime
    site_code: str | None
    site_name: str | None
    town: str | None
    case_reference: str | None
    photo_ids: tuple[int, ...] = field(default=())


def may_record(role: str) -> bool:
    """Whether a role may record checks (the form and the import)."""
    return role in RECORD_ROLES


def may_read(role: str) -> bool:
    """Whether a role may read checks (the list, a check's page, the export)."""
    return role in READ_ROLES


def _text(label: str, name: str, value: object, limit: int) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(f"{label}: {name} must not be empty")
    if len(value.strip()) > limit:
        raise InvalidInput(f"{label}: {name} is longer than {limit} characters")
    return value.strip()


def _check_day(label: str, checked_on: object, clock: Clock) -> date:
    if isinstance(checked_on, datetime) or not isinstance(checked_on, date):
        raise InvalidInput(f"{label}: checked_on {checked_on!r} is not a date")
    if checked_on > clock.today():
        raise InvalidInput(f"{label}: checked_on {checked_on} is after today ({clock.today()})")
    return checked_on


def _exists(conn: sa.Connection, table: sa.Table, record_id: int) -> bool:
    return conn.execute(sa.select(table.c.id).where(table.c.id == record_id)).first() is not None


def _check_links(conn: sa.Connection, label: str, site_id: int, case_id: int | None,
                 photo_ids: Sequence[int]) -> None:
    if not _exists(conn, sites, site_id):
        raise NotFound(f"{label}: no site with id {site_id}")
    if case_id is not None and not _exists(conn, cases, case_id):
        raise NotFound(f"{label}: no case with id {case_id}")
    for photo_id in photo_ids:
        if not _exists(conn, photos, photo_id):
            raise NotFound(f"{label}: no photo with id {photo_id}")


def record_check(conn: sa.Connection, *, actor: Actor, clock: Clock, kind: str,
                 checked_on: date, organiser: str, site_id: int, findings: str,
                 problems_found: bool, case_id: int | None = None,
                 photo_ids: Sequence[int] = ()) -> int:
    """Record a check on a site (inspectors, leaders, admins), with its photos; its id."""
    label = f"check {kind} {checked_on}"
    if actor.role not in RECORD_ROLES:
        raise NotAllowed(f"{label}: role {actor.role!r} may not record checks")
    if kind not in CHECK_KINDS:
        raise InvalidInput(f"{label}: kind {kind!r} is unknown; use one of "
                           f"{', '.join(CHECK_KINDS)}")
    _check_day(label, checked_on, clock)
    organiser = _text(label, "organiser", organiser, MAX_ORGANISER)
    findings = _text(label, "findings", findings, MAX_FINDINGS)
    if not isinstance(problems_found, bool):
        raise InvalidInput(f"{label}: problems_found {problems_found!r} is not true or false")
    photo_ids = list(dict.fromkeys(photo_ids))
    _check_links(conn, label, site_id, case_id, photo_ids)
    check_id = conn.execute(sa.insert(checks).returning(checks.c.id), {
        "kind": kind, "checked_on": checked_on, "organiser": organiser, "site_id": site_id,
        "case_id": case_id, "findings": findings, "problems_found": problems_found,
        "recorded_by": actor.name, "recorded_at": clock.now()}).scalar_one()
    if photo_ids:
        conn.execute(sa.insert(check_photos), [{"check_id": check_id, "photo_id": p}
                                               for p in photo_ids])
    audit.record(conn, actor=actor, action="check.record", entity="check", entity_id=check_id,
                 at=clock.now(), data={"kind": kind, "checked_on": checked_on.isoformat(),
                                       "organiser": organiser, "site_id": site_id,
                                       "case_id": case_id, "problems_found": problems_found,
                                       "photo_ids": photo_ids})
    return check_id


def _check(row: sa.RowMapping, photo_ids: Sequence[int] = ()) -> Check:
    return Check(id=row["id"], kind=row["kind"], checked_on=row["checked_on"],
                 organiser=row["organiser"], findings=row["findings"],
                 problems_found=bool(row["problems_found"]), recorded_by=row["recorded_by"],
                 recorded_at=row["recorded_at"], site_code=row["site_code"],
                 site_name=row["site_name"], town=row["town"],
                 case_reference=row["reference"], photo_ids=tuple(photo_ids))


def _listed(start: date | None = None, end: date | None = None, kind: str | None = None,
            town: str | None = None, search: str | None = None,
            oldest_first: bool = False) -> sa.Select:
    return dated_records(checks, checks.c.checked_on, start=start, end=end,
                         coded=(checks.c.kind, kind), town=town, search=search,
                         searched=(checks.c.findings, checks.c.organiser),
                         oldest_first=oldest_first)


def list_checks(conn: sa.Connection, *, start: date | None = None, end: date | None = None,
                kind: str | None = None, town: str | None = None, search: str | None = None,
                oldest_first: bool = False) -> list[Check]:
    """Checks made from start to end (both included), of a kind, at a site in a town, or
    whose findings, organiser, site or case mention `search`; newest first (or oldest)."""
    stmt = _listed(start, end, kind, town, search, oldest_first)
    return [_check(r) for r in conn.execute(stmt).mappings()]


def get_check(conn: sa.Connection, check_id: int) -> Check:
    """One check with its photos (in the order they were linked)."""
    row = conn.execute(_listed().where(checks.c.id == check_id)).mappings().first()
    if row is None:
        raise NotFound(f"check {check_id}: no such check")
    ids = conn.execute(sa.select(check_photos.c.photo_id).where(
        check_photos.c.check_id == check_id).order_by(check_photos.c.photo_id)).scalars()
    return _check(row, list(ids))
