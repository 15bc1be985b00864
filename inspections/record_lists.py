"""One query for the lists of dated records (complaints, enforcement actions, checks): a date range,
a coded column, the town of the linked site, text search, newest or oldest first."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import sqlalchemy as sa

from geo.schema import sites
from inspections.schema import cases


def like(text: str) -> str:
    """A LIKE pattern finding `text` anywhere, its wildcards and backslashes escaped (\\)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def dated_records(table: sa.Table, dated: sa.Column, *, start: date | None, end: date | None,
                  coded: tuple[sa.Column, str | None], town: str | None, search: str | None,
                  searched: Sequence[sa.Column], oldest_first: bool) -> sa.Select:
    """Rows of `table` with their site's code, name and town and their case's reference,
    filtered and ordered by the `dated` column (then id)."""
    s = sites
    stmt = (sa.select(table, s.c.code.label("site_code"), s.c.name.label("site_name"),
                      s.c.town, cases.c.reference)
            .outerjoin(s, s.c.id == table.c.site_id)
            .outerjoin(cases, cases.c.id == table.c.case_id)
            .order_by(*((dated, table.c.id) if oldest_first else
                        (dated.desc(), table.c.id.desc()))))
    if start is not None:
        stmt = stmt.where(dated >= start)
    if end is not None:
        stmt = stmt.where(dated <= end)
    column, value = coded
    if value:
        stmt = stmt.where(column == value)
    if town:
        stmt = stmt.where(s.c.town == town)
    if search and search.strip():
        pattern = like(search.strip())
        stmt = stmt.where(sa.or_(*(col.like(pattern, escape="\\")
                                   for col in (*searched, s.c.name, s.c.code,
                                               cases.c.reference))))
    return stmt
