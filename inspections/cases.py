"""Rectification cases (整改案件): creating, reading and listing them, and linking photos."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from geo.layers import index_geometries
from geo.schema import sites
from imagery.schema import photos
from inspections import audit, schema
from inspections.actors import Actor
from inspections.clock import Clock, aware, day_start, to_utc
from inspections.errors import IllegalTransition, InvalidInput, NotAllowed, NotFound
from inspections.schema import case_photos, case_sites, cases

if TYPE_CHECKING:  # shapely is imported where a case is given a point: not to list cases
    from shapely.geometry import Point

CREATE_ROLES = ("inspector", "leader", "admin", "system", "grid_officer")
PATROL_ONLY_ROLES = ("grid_officer",)

# Who may link photos of each purpose; "unit" means only the case's responsible unit.
LINK_ROLES: dict[str, tuple[str, ...]] = {
    "rectification": ("unit", "admin", "system"),
    "acceptance": ("acceptor", "system"),
    "patrol": ("grid_officer", "inspector", "admin", "system"),
    "evidence": ("grid_officer", "inspector", "unit", "leader", "admin", "system"),
}


@dataclass(frozen=True)
class Measure:
    """One item of a case's checklist of rectification measures (整改措施)."""

    id: int
    position: int
    text: str
    done_at: datetime | None
    note: str | None


@dataclass(frozen=True)
class Case:
    """A rectification case as stored, with its sites and measures."""

    id: int
    reference: str
    source: str
    batch: int | None
    inspection: str | None
    title: str
    description: str
    responsible_unit: str
    leader: str | None
    deadline: date
    target: str
    key_case: bool
    state: str
    is_recurrence: bool
    lon: float | None
    lat: float | None
    notice_start: date | None
    notice_end: date | None
    opened_at: datetime
    closed_at: datetime | None
    lookback_agency: str | None
    site_ids: tuple[int, ...]
    measures: tuple[Measure, ...]
    person_in_charge: str | None = None
    task_id: int | None = None  # the rectification task (整改任务) it is part of


# --- validation ----------------------------------------------------------------------------

def _text(field: str, value: str | None, reference: str) -> str:
    if value is None or not str(value).strip():
        raise InvalidInput(f"case {reference}: {field} must not be empty")
    return str(value).strip()


def _check_source_and_batch(reference: str, source: str, batch: int | None) -> None:
    if source not in schema.CASE_SOURCES:
        raise InvalidInput(f"case {reference}: source {source!r} is unknown; use one of "
                           f"{', '.join(schema.CASE_SOURCES)}")
    if source == "petition" and batch is None:
        raise InvalidInput(f"case {reference}: batch is required for a petition")
    if batch is not None and source != "petition":
        raise InvalidInput(f"case {reference}: batch is only for petitions, not {source!r}")
    if batch is not None and (isinstance(batch, bool) or not isinstance(batch, int)
                              or batch < 1):
        raise InvalidInput(f"case {reference}: batch {batch!r} is not a positive whole number")


INSPECTION_SOURCES = ("inspection_feedback", "petition")


def _check_inspection(reference: str, source: str, inspection: str | None) -> str | None:
    if inspection is None:
        return None
    if source not in INSPECTION_SOURCES:
        raise InvalidInput(f"case {reference}: inspection is only for "
                           f"{' and '.join(INSPECTION_SOURCES)} cases, not {source!r}")
    return _text("inspection", inspection, reference)


def _check_lon_lat(reference: str, lon: float | None, lat: float | None) -> Point | None:
    if lon is None and lat is None:
        return None
    if lon is None or lat is None:
        raise InvalidInput(f"case {reference}: lon and lat must be given together "
                           f"(lon={lon!r}, lat={lat!r})")
    for field, value, limit in (("lon", lon, 180.0), ("lat", lat, 90.0)):
        if (isinstance(value, bool) or not isinstance(value, int | float)
                or not math.isfinite(value) or abs(value) > limit):
            raise InvalidInput(f"case {reference}: {field} {value!r} is not a {field} "
                               f"in degrees (between -{limit:g} and {limit:g})")
    from shapely.geometry import Point

    return Point(float(lon), float(lat))


def _check_role(actor: Actor, reference: str, source: str) -> None:
    if actor.role not in CREATE_ROLES:
        raise NotAllowed(f"case {reference}: role {actor.role!r} may not create cases")
    if actor.role in PATROL_ONLY_ROLES and source != "patrol":
        raise NotAllowed(f"case {reference}: role {actor.role!r} may only create patrol "
                         f"cases, not {source!r}")


def _check_reference_free(conn: sa.Connection, reference: str) -> None:
    taken = conn.execute(sa.select(cases.c.id).where(cases.c.reference == reference)).first()
    if taken:
        raise InvalidInput(f"case {reference}: reference is taken (by case {taken[0]})")


def _check_sites(conn: sa.Connection, reference: str, site_ids: Sequence[int]) -> list[int]:
    wanted = list(dict.fromkeys(site_ids))
    if not wanted:
        return []
    found = set(conn.execute(sa.select(sites.c.id).where(sites.c.id.in_(wanted))).scalars())
    missing = [i for i in wanted if i not in found]
    if missing:
        raise InvalidInput(f"case {reference}: site_ids: no site with id "
                           f"{', '.join(map(str, missing))}")
    return wanted


def _check_deadline(reference: str, deadline: date) -> None:
    if isinstance(deadline, datetime) or not isinstance(deadline, date):
        raise InvalidInput(f"case {reference}: deadline {deadline!r} is not a date")


# --- writing -------------------------------------------------------------------------------

def create_case(conn: sa.Connection, *, actor: Actor, clock: Clock, source: str,
                reference: str, title: str, description: str, responsible_unit: str,
                deadline: date, target: str, measures: Sequence[str] = (),
                site_ids: Sequence[int] = (), lon: float | None = None,
                lat: float | None = None, batch: int | None = None, leader: str | None = None,
                key_case: bool = False, is_recurrence: bool = False,
                lookback_agency: str | None = None, inspection: str | None = None) -> int:
    """Open a new case in state "open" with its measures and sites; the case id.

    `inspection` names the inspection (督察) a feedback problem or petition came from."""
    reference = _text("reference", reference, repr(reference))
    _check_role(actor, reference, source)
    _check_source_and_batch(reference, source, batch)
    inspection = _check_inspection(reference, source, inspection)
    fields = {name: _text(name, value, reference) for name, value in
              (("title", title), ("responsible_unit", responsible_unit), ("target", target))}
    if description is None:
        raise InvalidInput(f"case {reference}: description must be text")
    _check_deadline(reference, deadline)
    steps = [_text(f"measures[{i}]", m, reference) for i, m in enumerate(measures)]
    point = _check_lon_lat(reference, lon, lat)
    _check_reference_free(conn, reference)
    wanted_sites = _check_sites(conn, reference, site_ids)
    now = clock.now()
    case_id = conn.execute(sa.insert(cases).returning(cases.c.id), {
        "reference": reference, "source": source, "batch": batch, "inspection": inspection,
        "description": description, "leader": leader, "deadline": deadline,
        "key_case": bool(key_case), "state": "open", "is_recurrence": bool(is_recurrence),
        "geom": point, "opened_at": to_utc(now), "lookback_agency": lookback_agency, **fields,
    }).scalar_one()
    if point is not None:
        index_geometries(conn, schema.CASES, [case_id], [point])
    if steps:
        conn.execute(sa.insert(schema.measures),
                     [{"case_id": case_id, "position": i, "text": t}
                      for i, t in enumerate(steps, start=1)])
    if wanted_sites:
        conn.execute(sa.insert(case_sites),
                     [{"case_id": case_id, "site_id": s} for s in wanted_sites])
    audit.record(conn, actor=actor, action="case.create", entity="case", entity_id=case_id,
                 at=now, data={"reference": reference, "source": source, "to": "open",
                               "inspection": inspection,
                               "responsible_unit": fields["responsible_unit"],
                               "deadline": deadline.isoformat(), "measures": len(steps),
                               "site_ids": wanted_sites})
    return case_id


# --- reading -------------------------------------------------------------------------------

def _measures_of(conn: sa.Connection, case_ids: list[int]) -> dict[int, list[Measure]]:
    m = schema.measures
    found: dict[int, list[Measure]] = {i: [] for i in case_ids}
    rows = conn.execute(sa.select(m).where(m.c.case_id.in_(case_ids))
                        .order_by(m.c.case_id, m.c.position)).mappings()
    for r in rows:
        found[r["case_id"]].append(Measure(r["id"], r["position"], r["text"],
                                           aware(r["done_at"]), r["note"]))
    return found


def _sites_of(conn: sa.Connection, case_ids: list[int]) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {i: [] for i in case_ids}
    rows = conn.execute(sa.select(case_sites.c.case_id, case_sites.c.site_id)
                        .where(case_sites.c.case_id.in_(case_ids))
                        .order_by(case_sites.c.case_id, case_sites.c.site_id))
    for case_id, site_id in rows:
        found[case_id].append(site_id)
    return found


def _build(rows: Sequence[sa.RowMapping], conn: sa.Connection) -> list[Case]:
    ids = [r["id"] for r in rows]
    if not ids:
        return []
    steps, places = _measures_of(conn, ids), _sites_of(conn, ids)
    built = []
    for r in rows:
        geom = r["geom"]
        built.append(Case(
            id=r["id"], reference=r["reference"], source=r["source"], batch=r["batch"],
            inspection=r["inspection"],
            title=r["title"], description=r["description"],
            responsible_unit=r["responsible_unit"], leader=r["leader"],
            deadline=r["deadline"], target=r["target"], key_case=bool(r["key_case"]),
            state=r["state"], is_recurrence=bool(r["is_recurrence"]),
            lon=geom.x if geom is not None else None, lat=geom.y if geom is not None else None,
            notice_start=r["notice_start"], notice_end=r["notice_end"],
            opened_at=aware(r["opened_at"]), closed_at=aware(r["closed_at"]),
            lookback_agency=r["lookback_agency"],
            person_in_charge=r["person_in_charge"], task_id=r["task_id"],
            site_ids=tuple(places[r["id"]]),
            measures=tuple(steps[r["id"]])))
    return built


def _one(conn: sa.Connection, where: sa.ColumnElement[bool], what: str) -> Case:
    rows = conn.execute(sa.select(cases).where(where)).mappings().all()
    if not rows:
        raise NotFound(f"{what}: no such case")
    return _build(rows, conn)[0]


def get_case(conn: sa.Connection, case_id: int) -> Case:
    """The case with this id; NotFound if there is none."""
    return _one(conn, cases.c.id == case_id, f"case id {case_id}")


def get_cases(conn: sa.Connection, case_ids: Sequence[int]) -> list[Case]:
    """The cases with these ids (those that exist), by id."""
    if not case_ids:
        return []
    rows = conn.execute(sa.select(cases).where(cases.c.id.in_(list(case_ids)))
                        .order_by(cases.c.id)).mappings().all()
    return _build(rows, conn)


def find_case(conn: sa.Connection, reference: str) -> Case:
    """The case with this reference (e.g. "DC-2022-01"); NotFound if there is none."""
    return _one(conn, cases.c.reference == reference, f"case {reference}")


def list_cases(conn: sa.Connection, *, state: str | None = None, source: str | None = None,
               unit: str | None = None, year: int | None = None,
               tz: ZoneInfo | None = None) -> list[Case]:
    """Cases matching every given filter (year: the year the case was opened, in the
    district's zone `tz`, which it needs), by id."""
    for field, value, known in (("state", state, schema.CASE_STATES),
                                ("source", source, schema.CASE_SOURCES)):
        if value is not None and value not in known:
            raise InvalidInput(f"case list: {field} {value!r} is unknown; use one of "
                               f"{', '.join(known)}")
    stmt = sa.select(cases).order_by(cases.c.id)
    if state is not None:
        stmt = stmt.where(cases.c.state == state)
    if source is not None:
        stmt = stmt.where(cases.c.source == source)
    if unit is not None:
        stmt = stmt.where(cases.c.responsible_unit == unit)
    if year is not None:
        if tz is None:
            raise InvalidInput(f"case list: year {year}: no time zone given to read it in")
        start = day_start(date(year, 1, 1), tz)
        stmt = stmt.where(cases.c.opened_at >= to_utc(start),
                          cases.c.opened_at < to_utc(start.replace(year=year + 1)))
    return _build(conn.execute(stmt).mappings().all(), conn)


# --- photos --------------------------------------------------------------------------------

def _check_link_role(actor: Actor, case: Case, purpose: str,
                     roles: tuple[str, ...] | None) -> None:
    allowed = LINK_ROLES[purpose] if roles is None else roles
    if actor.role not in allowed:
        raise NotAllowed(f"case {case.reference}: role {actor.role!r} may not link "
                         f"{purpose} photos")
    if actor.role == "unit" and actor.unit != case.responsible_unit:
        raise NotAllowed(f"case {case.reference}: unit {actor.unit!r} is not the responsible "
                         f"unit ({case.responsible_unit})")


def _check_photos(conn: sa.Connection, case: Case, photo_ids: Sequence[int]) -> list[int]:
    wanted = list(dict.fromkeys(photo_ids))
    found = set(conn.execute(sa.select(photos.c.id).where(photos.c.id.in_(wanted))).scalars())
    missing = [i for i in wanted if i not in found]
    if missing:
        raise InvalidInput(f"case {case.reference}: photo_ids: no photo with id "
                           f"{', '.join(map(str, missing))}")
    return wanted


def link_photos(conn: sa.Connection, *, case_id: int, photo_ids: Sequence[int], purpose: str,
                actor: Actor, clock: Clock, measure_id: int | None = None,
                roles: tuple[str, ...] | None = None) -> None:
    """Link stored photos to a case as evidence of one purpose (photos already linked for
    that purpose are left as they are). `roles`: who may, as a workflow step decided it
    (else LINK_ROLES)."""
    case = get_case(conn, case_id)
    if purpose not in schema.PHOTO_PURPOSES:
        raise InvalidInput(f"case {case.reference}: purpose {purpose!r} is unknown; use one "
                           f"of {', '.join(schema.PHOTO_PURPOSES)}")
    _check_link_role(actor, case, purpose, roles)
    if measure_id is not None and measure_id not in {m.id for m in case.measures}:
        raise InvalidInput(f"case {case.reference}: measure_id {measure_id} is not one of "
                           "this case's measures")
    wanted = _check_photos(conn, case, photo_ids)
    if not wanted:
        raise InvalidInput(f"case {case.reference}: photo_ids is empty")
    already = set(case_photo_ids(conn, case_id, purpose))
    new = [p for p in wanted if p not in already]
    if not new:
        return
    now = clock.now()
    conn.execute(sa.insert(case_photos),
                 [{"case_id": case_id, "photo_id": p, "purpose": purpose,
                   "measure_id": measure_id, "linked_at": now, "linked_by": actor.name}
                  for p in new])
    audit.record(conn, actor=actor, action="case.link_photos", entity="case",
                 entity_id=case_id, at=now,
                 data={"purpose": purpose, "photo_ids": new, "measure_id": measure_id})


def case_photo_ids(conn: sa.Connection, case_id: int, purpose: str | None = None) -> list[int]:
    """Ids of the photos linked to a case (of one purpose, if given), in photo id order."""
    stmt = (sa.select(case_photos.c.photo_id).where(case_photos.c.case_id == case_id)
            .distinct().order_by(case_photos.c.photo_id))
    if purpose is not None:
        stmt = stmt.where(case_photos.c.purpose == purpose)
    return list(conn.execute(stmt).scalars())


# --- the person in charge (责任人) ----------------------------------------------------------

ASSIGN_ROLES = ("unit", "leader", "admin")


def assign_person(conn: sa.Connection, *, case_id: int, actor: Actor, clock: Clock,
                  person: str) -> None:
    """Name the person in charge of a case that is not closed (the responsible unit, a
    leader or an admin may)."""
    case = get_case(conn, case_id)
    if actor.role not in ASSIGN_ROLES or (actor.role == "unit"
                                          and actor.unit != case.responsible_unit):
        raise NotAllowed(f"case {case.reference}: {actor.name} ({actor.role}) may not assign "
                         "the person in charge; only the responsible unit, a leader or an admin")
    if case.state == "closed":
        raise IllegalTransition(f"case {case.reference}: a closed case takes no person "
                                "in charge")
    person = _text("person", person, case.reference)
    if len(person) > 100:
        raise InvalidInput(f"case {case.reference}: person {person[:20]!r}... is longer "
                           "than 100 characters")
    conn.execute(sa.update(cases).where(cases.c.id == case.id)
                 .values(person_in_charge=person))
    audit.record(conn, actor=actor, action="case.assign_person", entity="case",
                 entity_id=case.id, at=clock.now(),
                 data={"person": person, "before": case.person_in_charge})
