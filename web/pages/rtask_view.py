"""What the rectification task pages show: each task's line in the list, and one task's page
(its cases with their states and sites, the steps this user may take on them all now)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from geo.layers import SITES
from inspections.cases import Case
from inspections.clock import Clock
from inspections.rectification_tasks import (
    RectificationTask,
    least_state,
    list_tasks,
    may_edit,
    open_steps,
    task_cases,
)
from inspections.schema import CASE_STATES
from web.accounts.users import User
from web.pages.case_view import long_date
from web.services.report_docs import READERS


def site_names(conn: sa.Connection, found: Sequence[Case]) -> dict[int, str]:
    """Each site's name (its code when it has none), by id."""
    ids = sorted({s for c in found for s in c.site_ids})
    if not ids:
        return {}
    t = SITES.table
    rows = conn.execute(sa.select(t.c.id, t.c.code, t.c.name).where(t.c.id.in_(ids)))
    return {r.id: r.name or r.code for r in rows}


def subtitle(task: RectificationTask) -> str:
    """2018年“回头看” · 督察序号12 (what is known of it)."""
    parts = [task.inspection or "", f"督察序号{task.serial}" if task.serial else ""]
    return " · ".join(p for p in parts if p)


def by_state(found: Sequence[Case]) -> list[tuple[str, int]]:
    """How many cases are in each state, in the loop's order."""
    counts = Counter(c.state for c in found)
    return [(s, counts[s]) for s in CASE_STATES if counts[s]]


def list_rows(conn: sa.Connection) -> list[dict[str, Any]]:
    """Every task's line: title, inspection and serial, cases, sites and state."""
    rows = []
    for task in list_tasks(conn):
        found = task_cases(conn, task)
        rows.append({"task": task, "subtitle": subtitle(task), "cases": len(found),
                     "sites": len({s for c in found for s in c.site_ids}),
                     "state": least_state(found), "by_state": by_state(found)})
    return rows


def page_context(conn: sa.Connection, task: RectificationTask, user: User, clock: Clock,
                 lang: str) -> dict[str, Any]:
    """Everything a task's page shows besides the form state."""
    found = task_cases(conn, task)
    names = site_names(conn, found)
    members = [{"case": c, "sites": "、".join(names[s] for s in c.site_ids if s in names),
                "deadline": long_date(c.deadline, lang)} for c in found]
    return {"task": task, "subtitle": subtitle(task), "members": members,
            "n": len(found), "site_count": len(names), "state": least_state(found),
            "by_state": by_state(found), "may_edit": may_edit(user.actor),
            "actions": open_steps(conn, found, user.actor, clock.today()),
            "may_report": user.role in READERS}
