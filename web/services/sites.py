"""Sites by code, as people name them."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from geo.layers import SITES
from inspections.errors import InvalidInput


def find_sites(conn: sa.Connection, codes: Sequence[str]) -> tuple[list[int], list[str]]:
    """The ids of the sites with these codes (each once, in the codes' order) and the codes
    that name no site."""
    table = SITES.table
    found = dict(conn.execute(sa.select(table.c.code, table.c.id)
                              .where(table.c.code.in_(list(codes)))).all()) if codes else {}
    missing = [c for c in codes if c not in found]
    return [found[c] for c in dict.fromkeys(codes) if c in found], missing


def site_ids(conn: sa.Connection, codes: Sequence[str]) -> list[int]:
    """The ids of sites by code (every code must exist)."""
    ids, missing = find_sites(conn, codes)
    if missing:
        raise InvalidInput(f"site_codes: no site with code {', '.join(missing)}")
    return ids


def names_of(conn: sa.Connection, ids: set[int]) -> dict[int, tuple[str, str]]:
    """The (code, name) of sites by id."""
    if not ids:
        return {}
    table = SITES.table
    return {r.id: (r.code, r.name) for r in conn.execute(
        sa.select(table.c.id, table.c.code, table.c.name).where(table.c.id.in_(ids)))}
