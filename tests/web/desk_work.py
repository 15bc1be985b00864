"""Work for the desk and the bell, made through the domain services on a demo database with no
scenario: the demo unit's cases (one due in 2 days, one overdue, one with its measures done,
one claimed rectified, one on public notice with an objection, one closed and reopened by a
recurrence) and tickets (one issued, one
escalated as overdue)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy.engine import Engine

from inspections import tickets, workflow
from inspections.actors import SYSTEM, Actor
from inspections.clock import DEFAULT_TZ, FixedClock, local_date
from inspections.demo.people import AGENCY
from tests.inspections.builders import advance_to, new_case, photo_ids
from web.accounts.demo import DEMO_UNIT
from web.database import engine_for
from web.pages.public import PUBLIC
from web.settings import Settings

NOW = datetime(2022, 12, 20, 2, 0, tzinfo=UTC)  # 10:00 in the district
TODAY = local_date(NOW, DEFAULT_TZ)
LEADER = Actor("li.ming", "leader")
INSPECTOR = Actor("wang.jian", "inspector", agency=AGENCY)
UNIT = Actor("chen.hua", "unit", unit=DEMO_UNIT)


@dataclass(frozen=True)
class Work:
    """The database and the ids of what was made."""

    url: str
    engine: Engine
    claimed: str  # reference of the case claimed rectified
    objection_id: int
    published_id: int


def _case(conn, clock: FixedClock, reference: str, days: int, **more) -> int:  # noqa: ANN001, ANN003
    return new_case(conn, clock, actor=LEADER, reference=reference,
                    deadline=TODAY + timedelta(days=days), lookback_agency=AGENCY,
                    **{"responsible_unit": DEMO_UNIT} | more)


def make_work(url: str, tmp_path: Path) -> Work:
    """Make the unit's work (see the module's docstring) as of NOW."""
    engine = engine_for(Settings(database_url=url))
    photos = photo_ids(engine, tmp_path, 2)
    now, before = FixedClock(NOW), FixedClock(NOW - timedelta(days=40))
    earlier = FixedClock(NOW - timedelta(days=20))
    with engine.begin() as conn:
        _case(conn, now, "T-SOON", 2)
        _case(conn, before, "T-LATE", -5)
        done = _case(conn, now, "T-DONE", 60, measures=["完成封场覆土"])
        workflow.start_rectification(conn, case_id=done, actor=UNIT, clock=now)
        workflow.complete_measure(conn, case_id=done, actor=UNIT, clock=now, position=1)
        claimed = _case(conn, now, "T-CLAIMED", 60)
        advance_to(conn, now, claimed, "rectified", rectification=photos[:1], acceptance=[])
        published = _case(conn, now, "T-PUBLIC", 60)
        advance_to(conn, now, published, "publicised", rectification=photos[:1],
                   acceptance=photos[1:])
        objection = workflow.record_objection(conn, case_id=published, actor=PUBLIC, clock=now,
                                              text="现场仍有渗滤液外溢")
        again = _case(conn, earlier, "T-AGAIN", 10)
        advance_to(conn, earlier, again, "closed", rectification=photos[:1],
                   acceptance=photos[1:])
        workflow.reopen_for_recurrence(conn, case_id=again, actor=INSPECTOR, clock=now,
                                       note="回头看发现复发")
        tickets.issue_ticket(conn, actor=LEADER, clock=now, responsible_unit=DEMO_UNIT,
                             deadline=TODAY + timedelta(days=10), request="报送整改台账")
        tickets.issue_ticket(conn, actor=LEADER, clock=before, responsible_unit=DEMO_UNIT,
                             deadline=TODAY - timedelta(days=3), request="说明进度")
        tickets.escalate_overdue(conn, actor=SYSTEM, clock=now)
    return Work(url, engine, "T-CLAIMED", objection, published)
