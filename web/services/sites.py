"""Sites by code, as people name them."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from geo.layers import SITES
from inspections.errors import InvalidInput


def site_ids(conn: sa.Connection, codes: Sequence[str]) -> list[int]:
    """The ids of sites by code (every code must exist)."""
    if not codes:
        return []
    table = SITES.table
    found = dict(conn.execute(sa.select(table.c.code, table.c.id)
                              .where(table.c.code.in_(list(codes)))).all())
    if missing := [c for c in codes if c not in found]:
        raise InvalidInput(f"site_codes: no site with code {', '.join(missing)}")
    return [found[c] for c in dict.fromkeys(codes)]
