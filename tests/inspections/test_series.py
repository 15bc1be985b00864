"""Chart series: tickets per month in China time, petitions per batch."""

from __future__ import annotations

from datetime import date

from sqlalchemy.engine import Engine

from inspections.clock import DEFAULT_TZ
from inspections.series import petitions_by_batch, ticket_states_per_month
from tests.inspections.stats_builders import case, sh, ticket


def test_tickets_per_month_count_in_china_time(engine: Engine) -> None:
    with engine.begin() as conn:
        ticket(conn, "T1", issued_at=sh(2022, 1, 31, 23, 30), deadline=date(2022, 2, 9),
               state="issued")  # still January in the district
        ticket(conn, "T2", issued_at=sh(2022, 2, 1, 0, 30), deadline=date(2022, 2, 9),
               state="issued")
        ticket(conn, "T3", issued_at=sh(2022, 12, 31, 12), deadline=date(2023, 1, 9),
               state="issued")
        ticket(conn, "T4", issued_at=sh(2023, 1, 1, 0, 1), deadline=date(2023, 1, 9),
               state="issued")
        per_month = [sum(m.values()) for m in ticket_states_per_month(conn, 2022, DEFAULT_TZ)]
    assert per_month == [1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]


def test_petitions_per_batch_of_an_inspection(engine: Engine) -> None:
    with engine.begin() as conn:
        for name, batch, state, inspection in (("P1", 1, "closed", "二轮"),
                                               ("P2", 1, "rectifying", "二轮"),
                                               ("P3", 2, "closed", "二轮"),
                                               ("P4", 1, "closed", "一轮")):
            case(conn, name, source="petition", batch=batch, state=state,
                 opened_at=sh(2020, 9, 1), deadline=date(2020, 12, 1), inspection=inspection)
        assert petitions_by_batch(conn, "二轮") == [(1, 2, 1), (2, 1, 1)]
        assert petitions_by_batch(conn, None) == [(1, 3, 2), (2, 1, 1)]


def test_ticket_states_per_month(engine: Engine) -> None:
    with engine.begin() as conn:
        ticket(conn, "T1", issued_at=sh(2022, 3, 1), deadline=date(2022, 3, 10),
               state="verified", responded_at=sh(2022, 3, 10, 23))  # on the last day
        ticket(conn, "T2", issued_at=sh(2022, 3, 2), deadline=date(2022, 3, 10),
               state="responded", responded_at=sh(2022, 3, 11, 0, 30))
        ticket(conn, "T3", issued_at=sh(2022, 12, 30), deadline=date(2023, 1, 9),
               state="responded", responded_at=sh(2023, 1, 2))  # after the year
        per_month = ticket_states_per_month(conn, 2022, DEFAULT_TZ)
    assert per_month[2] == {"answered": 1, "answered_late": 1, "open": 0}
    assert per_month[11] == {"answered": 0, "answered_late": 0, "open": 1}
    assert sum(sum(m.values()) for m in per_month) == 3
