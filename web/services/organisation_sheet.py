"""Organisation records (会议、批示、带队督查) as the form and the Excel sheet carry them: the
columns, the check of one record's values (the domain's problems, each said beside its field
in the reader's language), the recording of many in one transaction and the export rows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa

from inspections.clock import Clock
from inspections.organisation import (
    OrganisationRecord,
    Problem,
    problems,
    record_organisation,
    references_of,
)
from inspections.schema import ORGANISATION_KINDS
from web.accounts.users import User
from web.i18n import t
from web.services.xlsx import Column

COLUMNS = (
    Column("held_on", "org.held_on", "date", required=True, width=12),
    Column("kind", "org.kind", "choice", required=True, choices=ORGANISATION_KINDS,
           prefix="org.kind.", width=10),
    Column("leader", "org.leader", required=True, width=16),
    Column("subject", "org.subject", required=True, width=40),
    Column("case_references", "org.cases", width=24),
    Column("note", "org.note", width=40),
)
EXPORT_COLUMNS = (*COLUMNS, Column("recorded_by", "checks.recorded_by", width=14))


@dataclass(frozen=True)
class Checked:
    """One record's values, checked: what record_organisation takes."""

    held_on: date
    kind: str
    leader: str
    subject: str
    note: str | None
    case_references: tuple[str, ...]


def problem_text(p: Problem, lang: str) -> str:
    """A domain problem as the form and the import say it, beside its field or cell."""
    if p.code == "empty":
        return t("xlsx.required", lang)
    if p.code == "too_long":
        return t("complaints.too_long", lang, limit=p.value)
    if p.code == "not_date":
        return t("xlsx.not_date", lang, value=p.value)
    if p.code == "future":
        return t("complaints.future", lang, today=t("complaints.day", lang, day=p.value))
    if p.code == "unknown_kind":
        return t("xlsx.not_choice", lang, value=p.value, choices="、".join(
            t(f"org.kind.{k}", lang) for k in ORGANISATION_KINDS))
    if p.code == "too_many":
        return t("org.too_many", lang, limit=p.value)
    return t("complaints.no_case", lang, reference=p.value)


def _by_field(found: Sequence[Problem], lang: str) -> dict[str, str]:
    joined: dict[str, list[str]] = {}
    for p in found:
        joined.setdefault(p.field, []).append(problem_text(p, lang))
    return {field: "；".join(texts) for field, texts in joined.items()}


def check(conn: sa.Connection, values: Mapping[str, Any], today: date, lang: str,
          seen: set | None = None) -> tuple[Checked | None, dict[str, str]]:
    """The values checked by the domain's rules (a date not after today, the leader and
    subject within their lengths, every case reference found); the problems by field
    otherwise (`seen`, the file's earlier rows, is not needed)."""
    references = tuple(references_of(values.get("case_references")))
    found = problems(conn, kind=values["kind"], held_on=values["held_on"],
                     leader=values["leader"], subject=values["subject"], note=values["note"],
                     case_references=references, today=today)
    if found:
        return None, _by_field(found, lang)
    return Checked(values["held_on"], values["kind"], values["leader"], values["subject"],
                   values["note"], references), {}


def record_all(conn: sa.Connection, items: Sequence[Checked], user: User,
               clock: Clock) -> list[int]:
    """Record checked records (in the caller's transaction); their ids."""
    return [record_organisation(conn, actor=user.actor, clock=clock, kind=i.kind,
                                held_on=i.held_on, leader=i.leader, subject=i.subject,
                                note=i.note, case_references=i.case_references)
            for i in items]


def export_rows(found: Sequence[OrganisationRecord]) -> list[dict[str, Any]]:
    """The listed records as rows of the list (cases as links) and the export sheet (cases
    as one cell, 、 between references, as the import reads them back)."""
    return [{"held_on": r.held_on, "kind": r.kind, "leader": r.leader, "subject": r.subject,
             "case_links": list(r.case_references),
             "case_references": "、".join(r.case_references) or None, "note": r.note,
             "recorded_by": r.recorded_by}
            for r in found]

