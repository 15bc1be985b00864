"""Organisation records (组织领导): the district party committee's and government's meetings
on inspection rectification (会议), leaders' written instructions (批示) and leader-led site
checks (带队督查), each with the leader who chaired, wrote or led it and the cases it was
about. The progress report's 一、（一）加强组织领导 counts them (inspections.stats)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa

from geo.schema import sites
from inspections import audit
from inspections.actors import Actor
from inspections.clock import Clock, aware
from inspections.errors import InvalidInput, NotAllowed, NotFound
from inspections.record_lists import like
from inspections.reports.wording import day
from inspections.schema import (
    ORGANISATION_KINDS,
    case_sites,
    cases,
    organisation_record_cases,
    organisation_records,
)

RECORD_ROLES = ("leader", "admin")  # the district office's clerks sign in as these
READ_ROLES = ("leader", "admin")
MAX_LEADER = 100
MAX_SUBJECT = 200
MAX_NOTE = 4000
MAX_CASES = 100
KIND_NAMES = {"meeting": "会议", "instruction": "批示", "leader_check": "带队督查"}
FIELD_NAMES = {"kind": "类别", "held_on": "日期", "leader": "领导", "subject": "事项",
               "note": "备注", "case_references": "关联案件"}


@dataclass(frozen=True)
class OrganisationRecord:
    """A meeting, written instruction or leader-led check as the list shows it, with the
    references of its cases (in reference order)."""

    id: int
    kind: str
    held_on: date
    leader: str
    subject: str
    note: str | None
    recorded_by: str
    recorded_at: datetime
    case_references: tuple[str, ...] = ()


@dataclass(frozen=True)
class Problem:
    """What is wrong with one field: the field, a code (empty, too_long, not_date, future,
    unknown_kind, too_many, no_case) and the value the message names (a limit, today's date,
    the unknown kind or reference)."""

    field: str
    code: str
    value: object = None

    def message(self) -> str:
        """The problem in Chinese, naming the field: 日期：2022年9月2日晚于今天（2022年9月1日）."""
        name, v = FIELD_NAMES[self.field], self.value
        text = {
            "empty": "不能为空",
            "too_long": f"超过{v}个字",
            "not_date": f"「{v}」不是日期",
            "future": f"不能晚于今天（{day(v) if isinstance(v, date) else v}）",
            "unknown_kind": f"「{v}」不是可选的类别（会议、批示、带队督查）",
            "too_many": f"最多关联{v}个案件",
            "no_case": f"没有编号为 {v} 的案件",
        }[self.code]
        return f"{name}：{text}"


def may_record(role: str) -> bool:
    """Whether a role may record meetings, instructions and leader-led checks."""
    return role in RECORD_ROLES


def may_read(role: str) -> bool:
    """Whether a role may read them (the list and its export)."""
    return role in READ_ROLES


def _text_problem(field: str, value: object, limit: int, required: bool) -> Problem | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return Problem(field, "empty") if required else None
    if not isinstance(value, str):
        return Problem(field, "empty")
    return Problem(field, "too_long", limit) if len(value.strip()) > limit else None


def _day_problem(held_on: object, today: date) -> Problem | None:
    if isinstance(held_on, datetime) or not isinstance(held_on, date):
        return Problem("held_on", "not_date", held_on)
    return Problem("held_on", "future", today) if held_on > today else None


def case_ids(conn: sa.Connection, references: Sequence[str]) -> dict[str, int]:
    """The ids of the cases with these references (the ones that exist)."""
    if not references:
        return {}
    rows = conn.execute(sa.select(cases.c.reference, cases.c.id)
                        .where(cases.c.reference.in_(sorted(set(references)))))
    return {ref: case_id for ref, case_id in rows}


def _case_problems(conn: sa.Connection, references: Sequence[str]) -> list[Problem]:
    if len(set(references)) > MAX_CASES:
        return [Problem("case_references", "too_many", MAX_CASES)]
    found = case_ids(conn, references)
    return [Problem("case_references", "no_case", ref)
            for ref in dict.fromkeys(references) if ref not in found]


def problems(conn: sa.Connection, *, kind: object, held_on: object, leader: object,
             subject: object, note: object, case_references: Sequence[str],
             today: date) -> list[Problem]:
    """Every problem of a record's values, field by field (none when it may be recorded):
    a known kind, a date not after today, the leader and subject given and within their
    lengths, the note within its length, every case reference an existing case."""
    found = [] if kind in ORGANISATION_KINDS else [Problem("kind", "unknown_kind", kind)]
    found += [p for p in (_day_problem(held_on, today),
                          _text_problem("leader", leader, MAX_LEADER, True),
                          _text_problem("subject", subject, MAX_SUBJECT, True),
                          _text_problem("note", note, MAX_NOTE, False)) if p is not None]
    return found + _case_problems(conn, case_references)


def references_of(text: str | None) -> list[str]:
    """The case references written in one field, split at commas, 、, semicolons or spaces
    (each once, in the order written)."""
    if not text:
        return []
    for separator in ("，", "、", "；", ";", "\n", "\t", " "):
        text = text.replace(separator, ",")
    return list(dict.fromkeys(part.strip() for part in text.split(",") if part.strip()))


def record_organisation(conn: sa.Connection, *, actor: Actor, clock: Clock, kind: str,
                        held_on: date, leader: str, subject: str, note: str | None = None,
                        case_references: Sequence[str] = ()) -> int:
    """Record a meeting, written instruction or leader-led check (admins and the leaders'
    accounts), linked to its cases by reference, and audit it; its id. InvalidInput names
    every bad field, in Chinese."""
    if not may_record(actor.role):
        raise NotAllowed(f"organisation record: role {actor.role!r} may not record meetings, "
                         "instructions or leader-led checks")
    references = list(dict.fromkeys(case_references))
    found = problems(conn, kind=kind, held_on=held_on, leader=leader, subject=subject,
                     note=note, case_references=references, today=clock.today())
    if found:
        raise InvalidInput(f"{KIND_NAMES.get(kind, '组织领导')}记录："
                           + "；".join(p.message() for p in found))
    note = note.strip() if note and note.strip() else None
    record_id = conn.execute(sa.insert(organisation_records).returning(
        organisation_records.c.id), {
        "kind": kind, "held_on": held_on, "leader": leader.strip(),
        "subject": subject.strip(), "note": note, "recorded_by": actor.name,
        "recorded_at": clock.now()}).scalar_one()
    ids = case_ids(conn, references)
    if references:
        conn.execute(sa.insert(organisation_record_cases),
                     [{"record_id": record_id, "case_id": ids[r]} for r in references])
    audit.record(conn, actor=actor, action="organisation.record", entity="organisation",
                 entity_id=record_id, at=clock.now(),
                 data={"kind": kind, "held_on": held_on.isoformat(), "leader": leader.strip(),
                       "subject": subject.strip(), "case_ids": [ids[r] for r in references]})
    return record_id


def _listed(start: date | None, end: date | None, kind: str | None, town: str | None,
            search: str | None, oldest_first: bool) -> sa.Select:
    r, links = organisation_records, organisation_record_cases
    stmt = sa.select(r).order_by(*((r.c.held_on, r.c.id) if oldest_first else
                                   (r.c.held_on.desc(), r.c.id.desc())))
    if start is not None:
        stmt = stmt.where(r.c.held_on >= start)
    if end is not None:
        stmt = stmt.where(r.c.held_on <= end)
    if kind:
        stmt = stmt.where(r.c.kind == kind)
    if town:  # about a case at a site in the town
        stmt = stmt.where(r.c.id.in_(
            sa.select(links.c.record_id).join(case_sites, case_sites.c.case_id == links.c.case_id)
            .join(sites, sites.c.id == case_sites.c.site_id).where(sites.c.town == town)))
    if search and search.strip():
        pattern = like(search.strip())
        by_case = sa.select(links.c.record_id).join(cases, cases.c.id == links.c.case_id).where(
            cases.c.reference.like(pattern, escape="\\"))
        stmt = stmt.where(sa.or_(*(c.like(pattern, escape="\\")
                                   for c in (r.c.subject, r.c.leader, r.c.note)),
                                 r.c.id.in_(by_case)))
    return stmt


def _references(conn: sa.Connection, ids: sa.Select | list[int]) -> dict[int, list[str]]:
    links = organisation_record_cases
    found: dict[int, list[str]] = defaultdict(list)
    for record_id, reference in conn.execute(
            sa.select(links.c.record_id, cases.c.reference)
            .join(cases, cases.c.id == links.c.case_id)
            .where(links.c.record_id.in_(ids)).order_by(cases.c.reference)):
        found[record_id].append(reference)
    return found


def _record(row: sa.RowMapping, refs: dict[int, list[str]]) -> OrganisationRecord:
    return OrganisationRecord(
        id=row["id"], kind=row["kind"], held_on=row["held_on"], leader=row["leader"],
        subject=row["subject"], note=row["note"], recorded_by=row["recorded_by"],
        recorded_at=aware(row["recorded_at"]), case_references=tuple(refs.get(row["id"], ())))


def list_organisation(conn: sa.Connection, *, start: date | None = None,
                      end: date | None = None, kind: str | None = None,
                      town: str | None = None, search: str | None = None,
                      oldest_first: bool = False) -> list[OrganisationRecord]:
    """Records held from start to end (both included), of a kind, about a case at a site in
    a town, or whose subject, leader, note or case references mention `search`; newest
    first (or oldest), each with its cases' references."""
    stmt = _listed(start, end, kind, town, search, oldest_first)
    refs = _references(conn, stmt.with_only_columns(organisation_records.c.id).order_by(None))
    return [_record(row, refs) for row in conn.execute(stmt).mappings()]


def records_of_case(conn: sa.Connection, case_id: int) -> list[OrganisationRecord]:
    """The meetings, instructions and checks about a case, newest first."""
    r, links = organisation_records, organisation_record_cases
    rows = conn.execute(sa.select(r).where(r.c.id.in_(
        sa.select(links.c.record_id).where(links.c.case_id == case_id)))
        .order_by(r.c.held_on.desc(), r.c.id.desc())).mappings().all()
    refs = _references(conn, [row["id"] for row in rows])
    return [_record(row, refs) for row in rows]


def get_organisation(conn: sa.Connection, record_id: int) -> OrganisationRecord:
    """One record with its cases' references."""
    row = conn.execute(sa.select(organisation_records).where(
        organisation_records.c.id == record_id)).mappings().first()
    if row is None:
        raise NotFound(f"organisation record {record_id}: no such record")
    return _record(row, _references(conn, [record_id]))


def count_organisation(conn: sa.Connection, *, start: date, end: date) -> dict[str, int]:
    """How many of each kind were held from start to end, both days included."""
    if start > end:
        raise InvalidInput(f"organisation records: start {start} is after end {end}")
    r = organisation_records
    counts = dict(conn.execute(sa.select(r.c.kind, sa.func.count()).where(
        r.c.held_on >= start, r.c.held_on <= end).group_by(r.c.kind)).all())
    return {kind: counts.get(kind, 0) for kind in ORGANISATION_KINDS}
