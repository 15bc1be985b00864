"""The flags a map shows on a site (回头看标记): its cases' latest look-back rounds (due,
overdue, awaiting review, passed, recurred) and its cases behind schedule or overdue, as they
stand at a moment (a round past its window counts as overdue even before the daily tick),
and "possible change" (疑似变化) while change detection's polygons there wait for review."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from inspections.cases import Case, get_cases
from inspections.change_review import sites_with_unreviewed
from inspections.clock import aware
from inspections.progress import progress
from inspections.schema import case_sites, cases, lookback_rounds

# Most urgent first: the first flag a site has is the colour of its marker.
FLAGS = ("recurred", "overdue", "case_overdue", "awaiting_review", "possible_change", "due",
         "behind_schedule", "passed")


@dataclass(frozen=True)
class SiteStatus:
    """A site's flags (most urgent first) and the cases behind them."""

    flags: tuple[str, ...] = ()
    case_ids: tuple[int, ...] = field(default_factory=tuple)

    @property
    def worst(self) -> str | None:
        """The most urgent flag, or None."""
        return self.flags[0] if self.flags else None


def round_flag(state: str, window_start: datetime, window_end: datetime,
               now: datetime) -> str | None:
    """The flag of a round's state at `now` (None while it is only scheduled)."""
    if state == "scheduled":
        return "due" if now >= window_start else None
    if state in ("due", "awaiting_review") and now > window_end:
        return "overdue"
    return state if state in FLAGS else None


def current_rounds(conn: sa.Connection, case_ids: list[int],
                    now: datetime) -> dict[int, sa.Row]:
    """Per case, the round whose window opened last by `now` (later ones have not begun)."""
    r = lookback_rounds
    rows = conn.execute(sa.select(r.c.case_id, r.c.state, r.c.window_start, r.c.window_end)
                        .where(r.c.case_id.in_(case_ids))
                        .order_by(r.c.case_id, r.c.window_start))
    found: dict[int, sa.Row] = {}
    for row in rows:
        if aware(row.window_start) <= now:
            found[row.case_id] = row
    return found


def case_flags(case: Case, current_round: sa.Row | None, now: datetime,
               tz: ZoneInfo) -> set[str]:
    """The flags one case puts on its sites (its days those of the district's zone `tz`)."""
    found = set()
    p = progress(case, now, tz=tz)
    if p.overdue:
        found.add("case_overdue")
    elif p.behind_schedule:
        found.add("behind_schedule")
    if current_round is not None:
        flag = round_flag(current_round.state, aware(current_round.window_start),
                          aware(current_round.window_end), now)
        if flag:
            found.add(flag)
    return found


def site_statuses(conn: sa.Connection, site_ids: Sequence[int], now: datetime,
                  case_where: sa.ColumnElement[bool] | None = None, *,
                  tz: ZoneInfo) -> dict[int, SiteStatus]:
    """The status of each site that has a case (restricted by `case_where`, e.g. to the cases
    a user may see) at `now`, in the district's zone `tz`; sites without one are left out."""
    if not site_ids:
        return {}
    stmt = sa.select(case_sites.c.site_id, case_sites.c.case_id).where(
        case_sites.c.site_id.in_(list(site_ids)))
    if case_where is not None:
        stmt = stmt.join(cases, cases.c.id == case_sites.c.case_id).where(case_where)
    links = conn.execute(stmt).all()
    case_ids = sorted({c for _, c in links})
    by_id = {c.id: c for c in get_cases(conn, case_ids)}
    rounds = current_rounds(conn, case_ids, now)
    flags_of = {c: case_flags(by_id[c], rounds.get(c), now, tz) for c in case_ids}
    found: dict[int, tuple[set[str], list[int]]] = {}
    for site_id, case_id in links:
        flags, ids = found.setdefault(site_id, (set(), []))
        flags |= flags_of[case_id]
        ids.append(case_id)
    for site_id in sites_with_unreviewed(conn, sorted(found)):
        found[site_id][0].add("possible_change")
    return {site: SiteStatus(tuple(f for f in FLAGS if f in flags), tuple(sorted(ids)))
            for site, (flags, ids) in found.items()}
