"""Complaints (信访举报) as the form and the Excel sheet carry them: the columns, the check
of one record's values (each problem named by its field, in the reader's language) and the
recording of many in one transaction. Complaints have no reference of their own: a sheet's
row with a 登记号 (the record's id, as exported) updates that complaint, one without records
a new one."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa

from inspections.clock import Clock
from inspections.complaint_edit import edit_complaint
from inspections.complaints import Complaint, record_complaint
from inspections.schema import COMPLAINT_CHANNELS, complaints
from web.accounts.users import User
from web.i18n import t
from web.services.record_links import link_ids
from web.services.xlsx import Column

MAX_SUMMARY = 2000
COLUMNS = (
    Column("received_on", "complaints.received_on", "date", required=True, width=12),
    Column("channel", "complaints.channel", "choice", required=True,
           choices=COMPLAINT_CHANNELS, prefix="channel.", width=12),
    Column("summary", "complaints.summary", required=True, width=48),
    Column("lon", "complaints.lon", "number", width=12),
    Column("lat", "complaints.lat", "number", width=12),
    Column("site_code", "complaints.site", width=14),
    Column("case_reference", "complaints.case", width=16),
    Column("id", "ledger.col.complaint_id", "integer", width=8),
)
EXPORT_COLUMNS = (*COLUMNS[:6], Column("site_name", "complaints.site_name", width=24),
                  Column("town", "complaints.town", width=12), *COLUMNS[6:])


@dataclass(frozen=True)
class Checked:
    """One complaint's values, checked: what record_complaint takes."""

    received_on: date
    channel: str
    summary: str
    lon: float | None
    lat: float | None
    site_id: int | None
    case_id: int | None
    record_id: int | None = None  # the complaint the row updates (None: a new one)


def _record_id(conn: sa.Connection, values: Mapping[str, Any], problems: dict[str, str],
               lang: str, seen: set) -> int | None:
    """The complaint a sheet's row names by its 登记号 (each once a file), if it names one."""
    found = values.get("id")
    if found is None:
        return None
    if conn.execute(sa.select(complaints.c.id).where(complaints.c.id == found)).first() is None:
        problems["id"] = t("ledger.no_complaint", lang, id=found)
    elif ("id", found) in seen:
        problems["id"] = t("ledger.twice", lang, key=found)
    seen.add(("id", found))
    return found


def _place_problems(values: Mapping[str, Any], lang: str) -> dict[str, str]:
    lon, lat = values["lon"], values["lat"]
    if (lon is None) != (lat is None):
        return {"lat" if lat is None else "lon": t("complaints.pair", lang)}
    problems = {}
    for name, value, limit in (("lon", lon, 180), ("lat", lat, 90)):
        if value is not None and abs(value) > limit:
            problems[name] = t("complaints.range", lang, value=value, low=-limit, high=limit)
    return problems


def check(conn: sa.Connection, values: Mapping[str, Any], today: date, lang: str,
          seen: set | None = None) -> tuple[Checked | None, dict[str, str]]:
    """The values checked against the rules and the database (site code, case reference);
    the problems by field otherwise (`seen`, the file's earlier rows, is not needed)."""
    problems = _place_problems(values, lang)
    if values["received_on"] is not None and values["received_on"] > today:
        problems["received_on"] = t("complaints.future", lang,
                                        today=t("complaints.day", lang, day=today))
    if values["summary"] is not None and len(values["summary"]) > MAX_SUMMARY:
        problems["summary"] = t("complaints.too_long", lang, limit=MAX_SUMMARY)
    site_id, case_id = link_ids(conn, values, problems, lang)
    record_id = _record_id(conn, values, problems, lang, seen) if seen is not None else None
    if problems:
        return None, problems
    return Checked(values["received_on"], values["channel"], values["summary"],
                   values["lon"], values["lat"], site_id, case_id, record_id), {}


def _save(conn: sa.Connection, item: Checked, user: User, clock: Clock) -> int:
    fields = {"received_on": item.received_on, "channel": item.channel, "summary": item.summary,
              "lon": item.lon, "lat": item.lat, "site_id": item.site_id, "case_id": item.case_id}
    if item.record_id is None:
        return record_complaint(conn, actor=user.actor, clock=clock, **fields)
    edit_complaint(conn, complaint_id=item.record_id, actor=user.actor, clock=clock, **fields)
    return item.record_id


def record_all(conn: sa.Connection, items: Sequence[Checked], user: User,
               clock: Clock) -> list[int]:
    """Record checked complaints, or update those a row names (in the caller's
    transaction); their ids."""
    return [_save(conn, i, user, clock) for i in items]


def export_rows(found: Sequence[Complaint]) -> list[dict[str, Any]]:
    """The listed complaints as rows of the export sheet."""
    return [{"received_on": c.received_on, "channel": c.channel, "summary": c.summary,
             "lon": c.lon, "lat": c.lat, "site_code": c.site_code, "site_name": c.site_name,
             "town": c.town, "case_reference": c.case_reference, "id": c.id} for c in found]
