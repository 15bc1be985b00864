"""Complaints (信访举报) as the form and the Excel sheet carry them: the columns, the check
of one record's values (each problem named by its field, in the reader's language) and the
recording of many in one transaction."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa

from geo.schema import sites
from inspections.clock import Clock
from inspections.complaints import Complaint, record_complaint
from inspections.schema import COMPLAINT_CHANNELS, cases
from web.accounts.users import User
from web.i18n import t
from web.services.xlsx import Column, Parsed, check_all, parse_fields

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
)
EXPORT_COLUMNS = (*COLUMNS[:6], Column("site_name", "complaints.site_name", width=24),
                  Column("town", "complaints.town", width=12), COLUMNS[6])


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


def parse_form(form: Mapping[str, str], lang: str) -> tuple[dict[str, Any], dict[str, str]]:
    """A form's fields as values (a bad one None), and the problems by field."""
    return parse_fields(form, COLUMNS, lang)


def site_id_of(conn: sa.Connection, code: str, lang: str) -> tuple[int | None, str | None]:
    """The id of the site with this code, or the problem (none or several)."""
    ids = list(conn.execute(sa.select(sites.c.id).where(sites.c.code == code)).scalars())
    if len(ids) != 1:
        key = "complaints.no_site" if not ids else "complaints.many_sites"
        return None, t(key, lang, code=code)
    return ids[0], None


def case_id_of(conn: sa.Connection, reference: str, lang: str) -> tuple[int | None, str | None]:
    """The id of the case with this reference, or the problem."""
    found = conn.execute(sa.select(cases.c.id).where(cases.c.reference == reference)).first()
    return (found[0], None) if found else (None, t("complaints.no_case", lang,
                                                   reference=reference))


def _place_problems(values: Mapping[str, Any], lang: str) -> dict[str, str]:
    lon, lat = values["lon"], values["lat"]
    if (lon is None) != (lat is None):
        return {"lat" if lat is None else "lon": t("complaints.pair", lang)}
    problems = {}
    for name, value, limit in (("lon", lon, 180), ("lat", lat, 90)):
        if value is not None and abs(value) > limit:
            problems[name] = t("complaints.range", lang, value=value, low=-limit, high=limit)
    return problems


def check(conn: sa.Connection, values: Mapping[str, Any], today: date,
          lang: str) -> tuple[Checked | None, dict[str, str]]:
    """The values checked against the rules and the database (site code, case reference);
    the problems by field otherwise."""
    problems = _place_problems(values, lang)
    if values["received_on"] is not None and values["received_on"] > today:
        problems["received_on"] = t("complaints.future", lang,
                                        today=t("complaints.day", lang, day=today))
    if values["summary"] is not None and len(values["summary"]) > MAX_SUMMARY:
        problems["summary"] = t("complaints.too_long", lang, limit=MAX_SUMMARY)
    site_id = case_id = None
    if values["site_code"]:
        site_id, problem = site_id_of(conn, values["site_code"], lang)
        if problem:
            problems["site_code"] = problem
    if values["case_reference"]:
        case_id, problem = case_id_of(conn, values["case_reference"], lang)
        if problem:
            problems["case_reference"] = problem
    if problems:
        return None, problems
    return Checked(values["received_on"], values["channel"], values["summary"],
                   values["lon"], values["lat"], site_id, case_id), {}


def check_rows(conn: sa.Connection, parsed: Parsed, today: date, lang: str) -> list[Checked]:
    """Every row of a read sheet checked; SheetRefused naming each bad row and column."""
    return check_all(parsed, COLUMNS, lang, lambda values: check(conn, values, today, lang))


def record_all(conn: sa.Connection, items: Sequence[Checked], user: User,
               clock: Clock) -> list[int]:
    """Record checked complaints (in the caller's transaction); their ids."""
    return [record_complaint(conn, actor=user.actor, clock=clock, received_on=i.received_on,
                             channel=i.channel, summary=i.summary, lon=i.lon, lat=i.lat,
                             site_id=i.site_id, case_id=i.case_id) for i in items]


def export_rows(found: Sequence[Complaint]) -> list[dict[str, Any]]:
    """The listed complaints as rows of the export sheet."""
    return [{"received_on": c.received_on, "channel": c.channel, "summary": c.summary,
             "lon": c.lon, "lat": c.lat, "site_code": c.site_code, "site_name": c.site_name,
             "town": c.town, "case_reference": c.case_reference} for c in found]
