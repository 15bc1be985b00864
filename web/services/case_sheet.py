"""The case ledger (案件台账) sheet: one row per case, named by its reference. A row whose
reference exists updates the case's particulars (edit_case) and its deadline (set_deadline,
the workflow's own rule); a new reference opens a case (create_case). The state, the source
and the sites change only on the case's page."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from geo.schema import sites
from inspections import schema
from inspections.case_edit import EDITABLE, edit_case
from inspections.cases import Case, assign_person, create_case, list_cases
from inspections.clock import Clock
from inspections.schema import cases
from inspections.workflow import set_deadline
from web.accounts.users import User
from web.i18n import t
from web.services.ledger_kind import RowContext, fixed
from web.services.records import cases_for
from web.services.xlsx import Column

YES_NO = ("yes", "no")
DEADLINE_STATES = ("open", "rectifying")
LIMITS = {"reference": 64, "inspection": 100, "title": 300, "responsible_unit": 100,
          "leader": 100, "person_in_charge": 100}
SPLIT = re.compile(r"[、,，;；\s]+")
COLUMNS = (
    Column("reference", "complaints.case", required=True, width=16),
    Column("source", "ledger.col.source", "choice", required=True,
           choices=schema.CASE_SOURCES, prefix="source.", width=14),
    Column("inspection", "ledger.col.inspection", width=16),
    Column("batch", "ledger.col.batch", "integer", width=8),
    Column("title", "ledger.col.title", required=True, width=30),
    Column("description", "ledger.col.description", width=40),
    Column("responsible_unit", "cases.unit", required=True, width=20),
    Column("person_in_charge", "ledger.col.person", width=10),
    Column("leader", "ledger.col.leader", width=10),
    Column("deadline", "cases.deadline", "date", required=True, width=12),
    Column("target", "cases.target", required=True, width=30),
    Column("key_case", "ledger.col.key_case", "choice", choices=YES_NO,
           prefix="ledger.yes_no.", width=8),
    Column("state", "cases.state", "choice", choices=schema.CASE_STATES, prefix="state.",
           width=12),
    Column("site_codes", "ledger.col.sites", width=16),
)
EXPORT_COLUMNS = (*COLUMNS,
                  Column("opened_on", "ledger.col.opened_on", "date", width=12),
                  Column("notice_start", "ledger.col.notice_start", "date", width=12),
                  Column("notice_end", "ledger.col.notice_end", "date", width=12),
                  Column("closed_on", "ledger.col.closed_on", "date", width=12))
WHERE = "ledger.where.case"


@dataclass(frozen=True)
class Checked:
    """One row, checked: the case it updates (None: a new one) and its values."""

    record_id: int | None
    values: dict[str, Any]
    site_ids: tuple[int, ...] = ()


def _codes(conn: sa.Connection, site_ids: Sequence[int]) -> str:
    if not site_ids:
        return ""
    found = dict(conn.execute(sa.select(sites.c.id, sites.c.code)
                              .where(sites.c.id.in_(list(site_ids)))).all())
    return "、".join(found[i] for i in site_ids if i in found)


def _local_day(at: Any, tz: ZoneInfo) -> date | None:
    return None if at is None else at.astimezone(tz).date()


def _row(case: Case, codes: str, tz: ZoneInfo) -> dict[str, Any]:
    return {"reference": case.reference, "source": case.source, "inspection": case.inspection,
            "batch": case.batch, "title": case.title, "description": case.description,
            "responsible_unit": case.responsible_unit, "person_in_charge": case.person_in_charge,
            "leader": case.leader, "deadline": case.deadline, "target": case.target,
            "key_case": "yes" if case.key_case else "no", "state": case.state,
            "site_codes": codes or None, "opened_on": _local_day(case.opened_at, tz),
            "notice_start": case.notice_start, "notice_end": case.notice_end,
            "closed_on": _local_day(case.closed_at, tz)}


def export_rows(conn: sa.Connection, user: User | None, tz: ZoneInfo) -> list[dict[str, Any]]:
    """The cases the user sees (all for the command line), by reference."""
    found = cases_for(conn, user) if user is not None else list_cases(conn)
    return [_row(c, _codes(conn, c.site_ids), tz)
            for c in sorted(found, key=lambda c: c.reference)]


def _site_ids(conn: sa.Connection, text: str | None, problems: dict[str, str],
              lang: str) -> tuple[int, ...] | None:
    if not text:
        return None
    codes = [c for c in SPLIT.split(text) if c]
    found = dict(conn.execute(sa.select(sites.c.code, sites.c.id)
                              .where(sites.c.code.in_(codes))).all())
    missing = [c for c in codes if c not in found]
    if missing:
        problems["site_codes"] = t("complaints.no_site", lang, code="、".join(missing))
        return None
    return tuple(dict.fromkeys(found[c] for c in codes))


def _length_problems(values: Mapping[str, Any], lang: str) -> dict[str, str]:
    return {name: t("complaints.too_long", lang, limit=limit)
            for name, limit in LIMITS.items()
            if values.get(name) is not None and len(values[name]) > limit}


def _rule_problems(values: Mapping[str, Any], lang: str) -> dict[str, str]:
    problems = _length_problems(values, lang)
    source = values["source"]
    if values["inspection"] and source not in ("inspection_feedback", "petition"):
        problems["inspection"] = t("ledger.inspection_only", lang)
    if source == "petition" and values["batch"] is None:
        problems["batch"] = t("ledger.batch_needed", lang)
    if values["batch"] is not None and (source != "petition" or values["batch"] < 1):
        problems["batch"] = t("ledger.batch_only", lang)
    return problems


def _existing_problems(case: Case, values: Mapping[str, Any], ctx: RowContext,
                       site_ids: tuple[int, ...] | None) -> dict[str, str]:
    problems: dict[str, str] = {}
    fixed(case.source, values["source"], "source", problems, ctx.lang, WHERE)
    fixed(case.state, values["state"], "state", problems, ctx.lang, WHERE)
    if site_ids is not None and set(site_ids) != set(case.site_ids):
        problems["site_codes"] = t("ledger.fixed", ctx.lang, where=t(WHERE, ctx.lang))
    person = values["person_in_charge"]
    if person and person != case.person_in_charge and case.state == "closed":
        problems["person_in_charge"] = t("ledger.person_closed", ctx.lang)
    deadline = values["deadline"]
    if deadline is not None and deadline != case.deadline:
        if case.state not in DEADLINE_STATES:
            problems["deadline"] = t("ledger.deadline_state", ctx.lang,
                                     state=t(f"state.{case.state}", ctx.lang))
        elif deadline <= ctx.today:
            problems["deadline"] = t("ledger.deadline_future", ctx.lang,
                                     today=t("complaints.day", ctx.lang, day=ctx.today))
    return problems


def _new_problems(values: Mapping[str, Any], lang: str) -> dict[str, str]:
    if values["state"] not in (None, "open"):
        return {"state": t("ledger.new_state", lang, state=t("state.open", lang))}
    return {}


def case_or_none(conn: sa.Connection, reference: str) -> Case | None:
    """The case with this reference, or None."""
    from inspections.cases import find_case
    from inspections.errors import NotFound

    try:
        return find_case(conn, reference)
    except NotFound:
        return None


def check(conn: sa.Connection, values: Mapping[str, Any],
          ctx: RowContext) -> tuple[Checked | None, dict[str, str]]:
    """One row checked against the rules and the stored case it names, if any."""
    problems = _rule_problems(values, ctx.lang)
    site_ids = _site_ids(conn, values["site_codes"], problems, ctx.lang)
    reference = values["reference"]
    case = case_or_none(conn, reference) if reference else None
    if reference in ctx.seen:
        problems["reference"] = t("ledger.twice", ctx.lang, key=reference)
    ctx.seen.add(reference)
    problems |= (_existing_problems(case, values, ctx, site_ids) if case is not None
                 else _new_problems(values, ctx.lang))
    if problems or None in (values["source"], values["title"], values["deadline"]):
        return None, problems
    return Checked(case.id if case else None, ctx.given(values), site_ids or ()), {}


def _edits(values: Mapping[str, Any]) -> dict[str, Any]:
    edits = {name: values[name] for name in EDITABLE if name in values}
    if edits.get("key_case") is None:
        edits.pop("key_case", None)
    else:
        edits["key_case"] = values["key_case"] == "yes"
    if edits.get("description") is None:
        edits.pop("description", None)
    return edits


def _save(conn: sa.Connection, item: Checked, user: User, clock: Clock) -> int:
    v, actor = item.values, user.actor
    case_id = item.record_id
    if case_id is None:
        case_id = create_case(
            conn, actor=actor, clock=clock, source=v["source"], reference=v["reference"],
            title=v["title"], description=v.get("description") or "",
            responsible_unit=v["responsible_unit"], deadline=v["deadline"], target=v["target"],
            site_ids=item.site_ids, batch=v.get("batch"), leader=v.get("leader"),
            key_case=v.get("key_case") == "yes", inspection=v.get("inspection"))
    else:
        current = conn.execute(sa.select(cases.c.deadline).where(cases.c.id == case_id)
                               ).scalar_one()
        if v["deadline"] != current:
            set_deadline(conn, case_id=case_id, actor=actor, clock=clock,
                         deadline=v["deadline"], note=None)
    edit_case(conn, case_id=case_id, actor=actor, clock=clock, values=_edits(v))
    person = v.get("person_in_charge")
    if person and person != conn.execute(sa.select(cases.c.person_in_charge).where(
            cases.c.id == case_id)).scalar():
        assign_person(conn, case_id=case_id, actor=actor, clock=clock, person=person)
    return case_id


def store(conn: sa.Connection, items: Sequence[Checked], user: User,
          clock: Clock) -> list[int]:
    """Open or update the checked cases (in the caller's transaction); their ids."""
    return [_save(conn, i, user, clock) for i in items]
