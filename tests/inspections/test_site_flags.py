"""Map flags on sites: the round whose window opened last decides the look-back flag, read
at a moment; cases behind schedule or overdue add theirs; the most urgent comes first."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from inspections.actors import SYSTEM
from inspections.clock import DEFAULT_TZ
from inspections.lookbacks import schedule_rounds
from inspections.schema import cases, lookback_rounds
from inspections.site_flags import round_flag, site_statuses
from tests.geo import sample
from tests.inspections.lookback_builders import CLOSED_AT, closed_case, site_id

START = datetime(2022, 6, 1, tzinfo=UTC)
END = datetime(2022, 7, 1, tzinfo=UTC)


@pytest.mark.parametrize(("state", "now", "flag"), [
    ("scheduled", START - timedelta(seconds=1), None),
    ("scheduled", START, "due"),
    ("due", START, "due"),
    ("due", END + timedelta(seconds=1), "overdue"),
    ("awaiting_review", END, "awaiting_review"),
    ("awaiting_review", END + timedelta(days=1), "overdue"),
    ("passed", END + timedelta(days=90), "passed"),
    ("recurred", END, "recurred"),
    ("overdue", END, "overdue"),
])
def test_a_rounds_flag_at_a_moment(state: str, now: datetime, flag: str | None) -> None:
    assert round_flag(state, START, END, now) == flag


@pytest.fixture
def layered(engine: Engine) -> Engine:
    sample.load(engine)
    return engine


def _set_round(conn: sa.Connection, case_id: int, number: int, state: str) -> None:
    conn.execute(sa.update(lookback_rounds).where(lookback_rounds.c.case_id == case_id,
                                                  lookback_rounds.c.number == number)
                 .values(state=state))


def test_the_round_open_last_decides_and_later_ones_wait(layered: Engine) -> None:
    with layered.begin() as conn:
        case_id = closed_case(conn)
        schedule_rounds(conn, case_id=case_id, closed_at=CLOSED_AT, source="x", agency=None,
                        actor=SYSTEM, tz=DEFAULT_TZ)
        _set_round(conn, case_id, 1, "passed")
        _set_round(conn, case_id, 2, "awaiting_review")
        landfill = site_id(conn, "LF1")
        # Rounds 1 to 4 open 1, 3, 6 and 12 months after 2022-03-15.
        in_july, in_october, before = (
            site_statuses(conn, [landfill], datetime(2022, month, 1, tzinfo=UTC), tz=DEFAULT_TZ)
            for month in (7, 10, 4))
    assert in_july[landfill].flags == ("awaiting_review",)
    assert in_october[landfill].flags == ("due",)  # round 3 opened in September
    assert in_october[landfill].case_ids == (case_id,)
    assert before[landfill].flags == ()  # the first round opens on 15 April


def test_flags_of_several_cases_add_up_most_urgent_first(layered: Engine) -> None:
    with layered.begin() as conn:
        closed = closed_case(conn, reference="A")
        schedule_rounds(conn, case_id=closed, closed_at=CLOSED_AT, source="x", agency=None,
                        actor=SYSTEM, tz=DEFAULT_TZ)
        _set_round(conn, closed, 1, "recurred")
        late = closed_case(conn, reference="B")
        conn.execute(sa.update(cases).where(cases.c.id == late)
                     .values(state="rectifying", deadline=date(2022, 4, 1)))
        landfill, enterprise = site_id(conn, "LF1"), site_id(conn, "E1")
        statuses = site_statuses(conn, [landfill, enterprise],
                                 datetime(2022, 5, 1, tzinfo=UTC), tz=DEFAULT_TZ)
        only_a = site_statuses(conn, [landfill], datetime(2022, 5, 1, tzinfo=UTC),
                               cases.c.reference == "A", tz=DEFAULT_TZ)
    assert statuses[landfill].flags == ("recurred", "case_overdue")
    assert statuses[landfill].worst == "recurred"
    assert enterprise not in statuses  # no case
    assert only_a[landfill].flags == ("recurred",)
