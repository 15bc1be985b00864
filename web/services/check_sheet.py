"""Checks (明察暗访 / 督查) as the form and the Excel sheet carry them (photos come with the
form only): the columns, the check of one check's values (each problem named by its field,
in the reader's language), the recording of many in one transaction and the export rows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa

from inspections.checks import MAX_FINDINGS, MAX_ORGANISER, Check, record_check
from inspections.clock import Clock
from inspections.schema import CHECK_KINDS
from web.accounts.users import User
from web.i18n import t
from web.services.record_links import link_ids
from web.services.xlsx import Column

FOUND = ("yes", "no")
COLUMNS = (
    Column("checked_on", "checks.checked_on", "date", required=True, width=12),
    Column("kind", "checks.kind", "choice", required=True, choices=CHECK_KINDS,
           prefix="checks.kind.", width=12),
    Column("organiser", "checks.organiser", required=True, width=18),
    Column("site_code", "complaints.site", required=True, width=14),
    Column("problems_found", "checks.problems", "choice", required=True, choices=FOUND,
           prefix="checks.found.", width=12),
    Column("findings", "checks.findings", required=True, width=48),
    Column("case_reference", "complaints.case", width=16),
)
EXPORT_COLUMNS = (*COLUMNS[:4], Column("site_name", "complaints.site_name", width=24),
                  Column("town", "complaints.town", width=12), *COLUMNS[4:],
                  Column("recorded_by", "checks.recorded_by", width=14))
LIMITS = {"organiser": MAX_ORGANISER, "findings": MAX_FINDINGS}


@dataclass(frozen=True)
class Checked:
    """One check's values, checked: what record_check takes (photos added by the form)."""

    checked_on: date
    kind: str
    organiser: str
    site_id: int
    case_id: int | None
    findings: str
    problems_found: bool
    photo_ids: tuple[int, ...] = ()


def check(conn: sa.Connection, values: Mapping[str, Any], today: date, lang: str,
          seen: set | None = None) -> tuple[Checked | None, dict[str, str]]:
    """The values checked against the rules and the database (site code, case reference);
    the problems by field otherwise (`seen`, the file's earlier rows, is not needed)."""
    problems: dict[str, str] = {}
    if values["checked_on"] is not None and values["checked_on"] > today:
        problems["checked_on"] = t("complaints.future", lang,
                                   today=t("complaints.day", lang, day=today))
    for name, limit in LIMITS.items():
        if values[name] is not None and len(values[name]) > limit:
            problems[name] = t("complaints.too_long", lang, limit=limit)
    site_id, case_id = link_ids(conn, values, problems, lang)
    if problems or site_id is None or None in (values["kind"], values["findings"]):
        return None, problems
    return Checked(values["checked_on"], values["kind"], values["organiser"], site_id, case_id,
                   values["findings"], values["problems_found"] == "yes"), {}


def record_all(conn: sa.Connection, items: Sequence[Checked], user: User,
               clock: Clock) -> list[int]:
    """Record checked checks (in the caller's transaction); their ids."""
    return [record_check(conn, actor=user.actor, clock=clock, kind=i.kind,
                         checked_on=i.checked_on, organiser=i.organiser, site_id=i.site_id,
                         findings=i.findings, problems_found=i.problems_found,
                         case_id=i.case_id, photo_ids=i.photo_ids) for i in items]


def export_rows(found: Sequence[Check]) -> list[dict[str, Any]]:
    """The listed checks as rows of the list and the export sheet (with each one's page and
    its chip's colour: red where problems were found)."""
    return [{"checked_on": c.checked_on, "kind": c.kind, "organiser": c.organiser,
             "site_code": c.site_code, "site_name": c.site_name, "town": c.town,
             "problems_found": "yes" if c.problems_found else "no", "findings": c.findings,
             "case_reference": c.case_reference, "recorded_by": c.recorded_by,
             "href": f"/checks/{c.id}", "found_tone": "overdue" if c.problems_found else "passed"}
            for c in found]
