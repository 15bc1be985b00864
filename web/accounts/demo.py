"""The demo's accounts, one per role: for trying the demo out, never for real use."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from geo.layers import GRID_CELLS
from inspections.demo.people import AGENCY
from web.accounts.users import User, add_user, find_user

DEMO_TOWN = "桐屿街道"  # the demo officer patrols this street office's grid cells
DEMO_UNIT = "区生态环境分局"
ACCOUNTS = (("officer", "grid_officer"), ("inspector", "inspector"), ("unit", "unit"),
            ("leader", "leader"), ("admin", "admin"), ("acceptor", "acceptor"),
            ("assessor", "assessor"))


def demo_password(name: str) -> str:
    """The demo account's password (printed by `lookback demo`; demo only)."""
    return f"{name}-demo-2022"


def _town_cells(conn: sa.Connection) -> list[str]:
    table = GRID_CELLS.table
    return list(conn.execute(sa.select(table.c.code).where(table.c.town == DEMO_TOWN)
                             .order_by(table.c.code)).scalars())


def add_demo_accounts(conn: sa.Connection, now: datetime) -> list[tuple[User, str]]:
    """Create the demo accounts that do not exist yet; each with its password."""
    made = []
    for name, role in ACCOUNTS:
        if find_user(conn, name) is not None:
            continue
        binding = {"grid_officer": {"grids": _town_cells(conn)},
                   "inspector": {"agency": AGENCY}, "unit": {"unit": DEMO_UNIT}}.get(role, {})
        password = demo_password(name)
        made.append((add_user(conn, name=name, password=password, role=role, now=now,
                              **binding), password))
    return made
