"""The site (by code) and case (by reference) a record names, looked up for the record
forms and sheets (complaints, enforcement, checks), each problem in the reader's language."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from geo.schema import sites
from inspections.schema import cases
from web.i18n import t


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


def link_ids(conn: sa.Connection, values: Mapping[str, Any], problems: dict[str, str],
             lang: str) -> tuple[int | None, int | None]:
    """The ids of the site (`site_code`) and case (`case_reference`) the values name, when
    they name one; a name that finds none adds its problem to `problems`."""
    site_id = case_id = None
    if values.get("site_code"):
        site_id, problem = site_id_of(conn, values["site_code"], lang)
        if problem:
            problems["site_code"] = problem
    if values.get("case_reference"):
        case_id, problem = case_id_of(conn, values["case_reference"], lang)
        if problem:
            problems["case_reference"] = problem
    return site_id, case_id
