"""Statistics on a hand-built district: every figure below can be counted from the scenario.

Times are China time (Asia/Shanghai). The scenario, as at the end of 2022:

feedback problems (督察反馈问题), deadline in brackets
  F1 opened 2021-06-01, closed 2022-12-31 23:30 (2022-06-30)       -> closed in 2022
  F2 opened 2021-06-01, closed 2023-01-01 00:30 (2022-12-31)       -> in progress, not overdue
  F3 opened 2022-03-01, rectifying (2022-09-30)                     -> in progress, overdue
  F4 opened 2021-03-01, closed 2021-10-01, reopened by recurrence 2022-11-20 (2021-09-30)
                                                                    -> in progress, overdue
  F5 opened 2023-01-10                                              -> not counted
petitions (信访件): P1 batch 1 closed 2022-04-01, P2 batch 2 closed 2022-08-01,
  P3 batch 2 rectified                                              -> 3, 2 batches, 2 closed
tickets: T1 issued 2022-02-01 responded 02-10; T2 issued 2022-12-20 due 12-25, no answer;
  T3 issued 2022-12-28 due 2023-01-05, answered 2023-01-03; T4 issued 2022-01-01 00:30
  answered 01-05; T5 issued 2023-01-02                              -> 4 issued, 2, 1 overdue
look-back rounds by window start: R1 06-01 passed, R2 08-01 recurred, R3 12-01 due,
  R4 12-15 scheduled, R5 10-01 passed on 2023-01-04 (awaiting review at the end of 2022),
  R6 09-01 overdue, R7 2023-02-01 scheduled                        -> 2, 1, 1, 1
patrol cases: X1 C1 closed 04-01, X2 C2 (opened 06-10), X3 C3's island, X4 nowhere,
  X5 opened 2021-12-01                                             -> 4 opened, 1 closed
complaints: 2022: 40 on 06-15 + 430 on 07-01 = 470; 2021: 50 on 06-10 + 525 on 09-01 = 575
  (-18.26 %); 7 on 2020-12-31, 10 on 2023-01-01
enforcement in 2022: penalties 8,000,000.00 + 400,000.50 + 25,734.50 (06-30) = 8,425,735.00;
  2 police referrals, 1 seizure, 1 detention; a 1,000 yuan penalty on 2021-12-31
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy.engine import Engine

from inspections.clock import DEFAULT_TZ
from inspections.errors import InvalidInput
from inspections.stats import stats
from tests.geo import sample
from tests.inspections.stats_builders import (
    action,
    case,
    complaints_on,
    lookback_round,
    moved,
    sh,
    ticket,
)

C1_POINT, C2_POINT, C3_ISLAND = (121.401, 28.701), (121.415, 28.705), (121.435, 28.695)


def _cases(conn) -> dict[str, int]:  # noqa: ANN001
    feedback = {"source": "inspection_feedback"}
    ids = {
        "F1": case(conn, "F1", **feedback, state="closed", opened_at=sh(2021, 6, 1),
                   closed_at=sh(2022, 12, 31, 23, 30), deadline=date(2022, 6, 30)),
        "F2": case(conn, "F2", **feedback, state="closed", opened_at=sh(2021, 6, 1),
                   closed_at=sh(2023, 1, 1, 0, 30), deadline=date(2022, 12, 31)),
        "F3": case(conn, "F3", **feedback, state="rectifying", opened_at=sh(2022, 3, 1),
                   deadline=date(2022, 9, 30)),
        "F4": case(conn, "F4", **feedback, state="rectifying", opened_at=sh(2021, 3, 1),
                   closed_at=sh(2021, 10, 1), deadline=date(2021, 9, 30)),
        "F5": case(conn, "F5", **feedback, state="open", opened_at=sh(2023, 1, 10),
                   deadline=date(2023, 6, 30)),
    }
    petition = {"source": "petition", "opened_at": sh(2022, 1, 15), "deadline": date(2022, 9, 1)}
    ids |= {
        "P1": case(conn, "P1", **petition, batch=1, state="closed", closed_at=sh(2022, 4, 1)),
        "P2": case(conn, "P2", **petition, batch=2, state="closed", closed_at=sh(2022, 8, 1)),
        "P3": case(conn, "P3", **petition, batch=2, state="rectified"),
    }
    patrol = {"source": "patrol", "deadline": date(2023, 3, 1)}
    ids |= {
        "X1": case(conn, "X1", **patrol, state="closed", opened_at=sh(2022, 3, 1),
                   closed_at=sh(2022, 4, 1), at=C1_POINT),
        "X2": case(conn, "X2", **patrol, state="rectifying", opened_at=sh(2022, 6, 10),
                   at=C2_POINT),
        "X3": case(conn, "X3", **patrol, state="open", opened_at=sh(2022, 9, 1), at=C3_ISLAND),
        "X4": case(conn, "X4", **patrol, state="open", opened_at=sh(2022, 10, 1)),
        "X5": case(conn, "X5", **patrol, state="open", opened_at=sh(2021, 12, 1), at=C1_POINT),
    }
    f4 = ids["F4"]
    moved(conn, "case", f4, sh(2021, 3, 1), None, "open")
    moved(conn, "case", f4, sh(2021, 10, 1), "publicised", "closed")
    moved(conn, "case", f4, sh(2022, 11, 20), "closed", "rectifying")
    return ids


def _rounds(conn, ids: dict[str, int]) -> None:  # noqa: ANN001
    r5 = None
    for number, (name, start, state) in enumerate([
            ("F1", sh(2022, 6, 1), "passed"), ("F4", sh(2022, 8, 1), "recurred"),
            ("P1", sh(2022, 12, 1), "due"), ("P2", sh(2022, 12, 15), "scheduled"),
            ("X1", sh(2022, 10, 1), "passed"), ("P1", sh(2022, 9, 1), "overdue"),
            ("P2", sh(2023, 2, 1), "scheduled")], start=1):
        round_id = lookback_round(conn, ids[name], number, window_start=start, state=state)
        r5 = round_id if number == 5 else r5
    moved(conn, "round", r5, sh(2022, 10, 1), "scheduled", "due")
    moved(conn, "round", r5, sh(2022, 12, 20), "due", "awaiting_review")
    moved(conn, "round", r5, sh(2023, 1, 4), "awaiting_review", "passed")


def _tickets(conn) -> None:  # noqa: ANN001
    ticket(conn, "T1", issued_at=sh(2022, 2, 1), deadline=date(2022, 2, 15), state="verified",
           responded_at=sh(2022, 2, 10))
    ticket(conn, "T2", issued_at=sh(2022, 12, 20), deadline=date(2022, 12, 25),
           state="overdue")
    ticket(conn, "T3", issued_at=sh(2022, 12, 28), deadline=date(2023, 1, 5),
           state="responded", responded_at=sh(2023, 1, 3))
    ticket(conn, "T4", issued_at=sh(2022, 1, 1, 0, 30), deadline=date(2022, 1, 10),
           state="responded", responded_at=sh(2022, 1, 5))
    ticket(conn, "T5", issued_at=sh(2023, 1, 2), deadline=date(2023, 1, 20), state="issued")


def _complaints_and_enforcement(conn) -> None:  # noqa: ANN001
    for day, n in ((date(2020, 12, 31), 7), (date(2021, 6, 10), 50), (date(2021, 9, 1), 525),
                   (date(2022, 6, 15), 40), (date(2022, 7, 1), 430), (date(2023, 1, 1), 10)):
        complaints_on(conn, day, n)
    action(conn, "penalty_decision", "罚2021-9", date(2021, 12, 31), "1000.00")
    action(conn, "penalty_decision", "罚1", date(2022, 3, 1), "8000000.00")
    action(conn, "penalty_decision", "罚2", date(2022, 5, 1), "400000.50")
    action(conn, "penalty_decision", "罚3", date(2022, 6, 30), "25734.50")
    action(conn, "police_referral", "移1", date(2022, 1, 1))
    action(conn, "police_referral", "移2", date(2022, 12, 31))
    action(conn, "seizure_or_limit", "封1", date(2022, 8, 8))
    action(conn, "administrative_detention", "拘1", date(2022, 9, 9))


@pytest.fixture
def district(engine: Engine) -> Engine:
    """The sample grid cells plus the scenario in the module docstring."""
    sample.load(engine)
    with engine.begin() as conn:
        ids = _cases(conn)
        _rounds(conn, ids)
        _tickets(conn)
        _complaints_and_enforcement(conn)
    return engine


def test_the_year_2022(district: Engine) -> None:
    with district.connect() as conn:
        figures = stats(conn, year=2022, tz=DEFAULT_TZ)
    assert figures == {
        "period": {"start": "2022-01-01", "end": "2022-12-31"},
        "organisation": {"meetings": 0, "instructions": 0, "leader_checks": 0},
        "feedback": {"inspection": None, "first_opened": "2021-03-01", "total": 4,
                     "rectified": 2, "closed": 1, "rectification_rate": 0.5,
                     "closure_rate": 0.25, "in_progress": 3, "overdue": 2,
                     "behind_schedule": 0},
        "petitions": {"inspection": None, "first_opened": "2022-01-15",
                      "last_opened": "2022-01-15", "total": 3, "batches": 2, "rectified": 3,
                      "closed": 2, "rectification_rate": 1.0, "closure_rate": 0.6667},
        "tickets": {"issued": 4, "responded": 2, "overdue": 1},
        "lookbacks": {"scheduled": 2, "passed": 1, "recurred": 1, "overdue": 1},
        # F1, P1, P2 and X1 closed in 2022 (no audited closing: by their closing time)
        "closure_loop": {"accepted": 0, "assessed": 0, "publicised": 0, "closed": 4},
        "patrol_cases": {"opened": 4, "closed": 1, "in_progress": 3,
                         "by_town": {"东山镇": 1, "海门街道": 2, "unknown": 1}},
        "complaints": {"received": 470, "previous_year": 575, "yoy_change_pct": -18.26},
        "enforcement": {"penalty_decisions": 3, "fines_yuan": 8425735.0,
                        "police_referrals": 2, "seizures_or_limits": 1, "detentions": 1,
                        "detained_persons": 1, "criminal_cases": 0, "criminal_persons": 0},
    }
    json.dumps(figures)  # JSON-able as it is


def test_june_2022_counts_states_at_the_end_of_june(district: Engine) -> None:
    with district.connect() as conn:
        figures = stats(conn, year=2022, month=6, tz=DEFAULT_TZ)
    assert figures["period"] == {"start": "2022-06-01", "end": "2022-06-30"}
    # F1 was not yet closed and its deadline is the last day; F4 was still closed then;
    # F3 (nothing done, 57 % of its time gone) was behind schedule.
    assert figures["feedback"] == {"inspection": None, "first_opened": "2021-03-01",
                                   "total": 4, "rectified": 3, "closed": 1,
                                   "rectification_rate": 0.75, "closure_rate": 0.25,
                                   "in_progress": 3, "overdue": 0, "behind_schedule": 1}
    assert figures["petitions"] == {"inspection": None, "first_opened": "2022-01-15",
                                    "last_opened": "2022-01-15", "total": 3, "batches": 2,
                                    "rectified": 3, "closed": 1, "rectification_rate": 1.0,
                                    "closure_rate": 0.3333}
    assert figures["closure_loop"] == {"accepted": 0, "assessed": 0, "publicised": 0, "closed": 0}
    assert figures["tickets"] == {"issued": 0, "responded": 0, "overdue": 0}
    assert figures["lookbacks"] == {"scheduled": 0, "passed": 1, "recurred": 0, "overdue": 0}
    assert figures["patrol_cases"] == {"opened": 1, "closed": 0, "in_progress": 1,
                                       "by_town": {"海门街道": 1}}
    assert figures["complaints"] == {"received": 40, "previous_year": 50,
                                     "yoy_change_pct": -20.0}
    assert figures["enforcement"]["penalty_decisions"] == 1
    assert figures["enforcement"]["fines_yuan"] == 25734.5


def test_december_2022_tickets_and_rounds(district: Engine) -> None:
    with district.connect() as conn:
        figures = stats(conn, year=2022, month=12, tz=DEFAULT_TZ)
    assert figures["tickets"] == {"issued": 2, "responded": 0, "overdue": 1}
    assert figures["lookbacks"] == {"scheduled": 2, "passed": 0, "recurred": 0, "overdue": 0}
    assert figures["enforcement"]["police_referrals"] == 1
    assert figures["complaints"] == {"received": 0, "previous_year": 0, "yoy_change_pct": None}


def test_the_year_2021_sees_the_recurring_case_closed(district: Engine) -> None:
    with district.connect() as conn:
        figures = stats(conn, year=2021, tz=DEFAULT_TZ)
    # F1, F2 and F4 were open by then; only F4 had been closed (reopened in 2022).
    assert figures["feedback"] == {"inspection": None, "first_opened": "2021-03-01",
                                   "total": 3, "rectified": 3, "closed": 1,
                                   "rectification_rate": 1.0, "closure_rate": 0.3333,
                                   "in_progress": 2, "overdue": 0, "behind_schedule": 0}
    assert figures["petitions"] == {"inspection": None, "first_opened": None,
                                    "last_opened": None, "total": 0, "batches": 0,
                                    "rectified": 0, "closed": 0, "rectification_rate": None,
                                    "closure_rate": None}
    # F4's closing on 2021-10-01 is audited
    assert figures["closure_loop"] == {"accepted": 0, "assessed": 0, "publicised": 0, "closed": 1}
    assert figures["patrol_cases"] == {"opened": 1, "closed": 0, "in_progress": 1,
                                       "by_town": {"海门街道": 1}}
    assert figures["complaints"] == {"received": 575, "previous_year": 7,
                                     "yoy_change_pct": 8114.29}
    assert figures["enforcement"]["fines_yuan"] == 1000.0


def test_an_empty_district_gives_zeros(engine: Engine) -> None:
    with engine.connect() as conn:
        figures = stats(conn, year=2024, month=2, tz=DEFAULT_TZ)
    assert figures["period"] == {"start": "2024-02-01", "end": "2024-02-29"}
    assert figures["feedback"] == {"inspection": None, "first_opened": None, "total": 0,
                                   "rectified": 0, "closed": 0, "rectification_rate": None,
                                   "closure_rate": None, "in_progress": 0, "overdue": 0,
                                   "behind_schedule": 0}
    assert figures["patrol_cases"]["by_town"] == {}
    assert figures["enforcement"]["detained_persons"] == 0
    assert figures["enforcement"]["fines_yuan"] == 0.0
    assert figures["complaints"]["yoy_change_pct"] is None


@pytest.mark.parametrize(("year", "month", "message"), [
    (2022, 13, "month 13 is not a month"),
    (2022, 0, "month 0 is not a month"),
    (1, None, "year 1 is not a year"),
    ("2022", None, "year '2022' is not a year"),
])
def test_bad_period_is_named(engine: Engine, year: object, month: object,
                             message: str) -> None:
    with engine.connect() as conn, pytest.raises(InvalidInput, match=message):
        stats(conn, year=year, month=month, tz=DEFAULT_TZ)


def test_feedback_and_petitions_count_the_latest_inspection(engine: Engine) -> None:
    """Problems of an earlier inspection (the 2018 look-back's landfills) do not swell the
    figures of the latest one; naming an inspection picks it instead."""
    with engine.begin() as conn:
        for name, inspection, opened in (("A1", "2018 回头看", sh(2018, 10, 1)),
                                         ("A2", "2018 回头看", sh(2018, 10, 2)),
                                         ("B1", "第二轮", sh(2021, 2, 4)),
                                         ("U1", None, sh(2021, 3, 1))):
            case(conn, name, source="inspection_feedback", state="open", opened_at=opened,
                 deadline=date(2030, 1, 1), inspection=inspection)
        case(conn, "P1", source="petition", batch=1, state="open", opened_at=sh(2020, 9, 1),
             deadline=date(2030, 1, 1), inspection="第二轮")
    with engine.connect() as conn:
        latest = stats(conn, year=2022, tz=DEFAULT_TZ)
        earlier = stats(conn, year=2022, inspection="2018 回头看", tz=DEFAULT_TZ)
        before = stats(conn, year=2019, tz=DEFAULT_TZ)
    # nothing of B1's checklist done after a fifth of its nine years: behind schedule
    assert latest["feedback"] == {"inspection": "第二轮", "first_opened": "2021-02-04",
                                  "total": 1, "rectified": 0, "closed": 0,
                                  "rectification_rate": 0.0, "closure_rate": 0.0,
                                  "in_progress": 1, "overdue": 0, "behind_schedule": 1}
    assert latest["petitions"]["inspection"] == "第二轮"
    assert latest["petitions"]["total"] == 1
    assert earlier["feedback"]["total"] == 2
    assert earlier["petitions"]["total"] == 0
    assert before["feedback"]["inspection"] == "2018 回头看"
    assert before["feedback"]["total"] == 2
