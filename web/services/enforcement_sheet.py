"""Enforcement actions (执法) as the form and the Excel sheet carry them: the columns, the
check of one action's values (each problem named by its field, in the reader's language),
and the recording of many in one transaction. An action is named by its kind and document
number: a sheet's row naming one already recorded updates it, the form refuses it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from inspections.clock import Clock
from inspections.enforcement import (
    CENT,
    DETENTIONS,
    MAX_FINE,
    MAX_PERSONS,
    Listed,
    record_action,
)
from inspections.enforcement_edit import edit_action
from inspections.schema import ENFORCEMENT_KINDS, enforcement_actions
from web.accounts.users import User
from web.i18n import t
from web.services.record_links import link_ids
from web.services.xlsx import Column

COLUMNS = (
    Column("decided_on", "enforcement.decided_on", "date", required=True, width=12),
    Column("kind", "enforcement.kind", "choice", required=True, choices=ENFORCEMENT_KINDS,
           prefix="enforcement.kind.", width=16),
    Column("number", "enforcement.number", required=True, width=22),
    Column("fine_yuan", "enforcement.fine", "decimal", width=14),
    Column("persons", "enforcement.persons", "integer", width=8),
    Column("site_code", "complaints.site", width=14),
    Column("case_reference", "complaints.case", width=16),
    Column("document_ref", "enforcement.document", width=30),
)
EXPORT_COLUMNS = (*COLUMNS[:6], Column("site_name", "complaints.site_name", width=24),
                  Column("town", "complaints.town", width=12), *COLUMNS[6:])
LIMITS = {"number": 64, "document_ref": 200}


@dataclass(frozen=True)
class Checked:
    """One action's values, checked: what record_action takes."""

    decided_on: date
    kind: str
    number: str
    fine_yuan: Decimal | None
    persons: int | None
    site_id: int | None
    case_id: int | None
    document_ref: str | None
    record_id: int | None = None  # the action the row updates (None: a new one)


def _fine_problem(kind: str | None, fine: Decimal | None, lang: str) -> str | None:
    if fine is None:
        return t("enforcement.fine_needed", lang) if kind == "penalty_decision" else None
    if kind != "penalty_decision":
        return t("enforcement.fine_only", lang)
    if fine <= 0 or fine > MAX_FINE or fine != fine.quantize(CENT):
        return t("enforcement.fine_range", lang)
    return None


def _persons_problem(kind: str | None, persons: int | None, lang: str) -> str | None:
    if persons is None:
        return t("enforcement.persons_needed", lang) if kind in DETENTIONS else None
    if kind not in DETENTIONS:
        return t("enforcement.persons_only", lang)
    if not 1 <= persons <= MAX_PERSONS:
        return t("enforcement.persons_range", lang, limit=MAX_PERSONS)
    return None


def _rule_problems(values: Mapping[str, Any], today: date, lang: str) -> dict[str, str]:
    problems = {}
    if values["decided_on"] is not None and values["decided_on"] > today:
        problems["decided_on"] = t("complaints.future", lang,
                                   today=t("complaints.day", lang, day=today))
    for field, problem in (("fine_yuan", _fine_problem(values["kind"], values["fine_yuan"],
                                                       lang)),
                           ("persons", _persons_problem(values["kind"], values["persons"],
                                                        lang))):
        if problem and values["kind"] is not None:
            problems[field] = problem
    for field, limit in LIMITS.items():
        if values[field] is not None and len(values[field]) > limit:
            problems[field] = t("complaints.too_long", lang, limit=limit)
    return problems


def _taken(conn: sa.Connection, kind: str, number: str) -> int | None:
    e = enforcement_actions
    return conn.execute(sa.select(e.c.id).where(e.c.kind == kind, e.c.number == number)
                        ).scalar()


def check(conn: sa.Connection, values: Mapping[str, Any], today: date, lang: str,
          seen: set[tuple[str, str]] | None = None) -> tuple[Checked | None, dict[str, str]]:
    """The values checked against the rules and the database (site, case). A sheet's rows
    (`seen`: the file's earlier keys) update an action already recorded under the kind and
    number, each once; the form (`seen` None) refuses one."""
    problems = _rule_problems(values, today, lang)
    key = (values["kind"], values["number"])
    record_id = None
    if None not in key and "number" not in problems:
        record_id = _taken(conn, *key)
        if (seen is None and record_id is not None) or (seen is not None and key in seen):
            problems["number"] = t("enforcement.number_taken", lang, number=values["number"])
        if seen is not None:
            seen.add(key)
    site_id, case_id = link_ids(conn, values, problems, lang)
    if problems:
        return None, problems
    return Checked(values["decided_on"], values["kind"], values["number"], values["fine_yuan"],
                   values["persons"], site_id, case_id, values["document_ref"], record_id), {}


def _save(conn: sa.Connection, i: Checked, user: User, clock: Clock) -> int:
    fields = {"decided_on": i.decided_on, "site_id": i.site_id, "case_id": i.case_id,
              "fine_yuan": i.fine_yuan, "document_ref": i.document_ref, "persons": i.persons}
    if i.record_id is None:
        return record_action(conn, actor=user.actor, clock=clock, kind=i.kind, number=i.number,
                             **fields)
    edit_action(conn, action_id=i.record_id, actor=user.actor, clock=clock, **fields)
    return i.record_id


def record_all(conn: sa.Connection, items: Sequence[Checked], user: User,
               clock: Clock) -> list[int]:
    """Record checked actions, or update those already recorded (in the caller's
    transaction); their ids."""
    return [_save(conn, i, user, clock) for i in items]


def export_rows(found: Sequence[Listed]) -> list[dict[str, Any]]:
    """The listed actions as rows of the export sheet."""
    return [{"decided_on": x.action.decided_on, "kind": x.action.kind,
             "number": x.action.number, "fine_yuan": x.action.fine_yuan,
             "persons": x.action.persons, "site_code": x.site_code, "site_name": x.site_name,
             "town": x.town, "case_reference": x.case_reference,
             "document_ref": x.action.document_ref} for x in found]
