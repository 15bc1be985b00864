"""Enforcement actions: recording each kind, fines, listing, and every refusal."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from geo.schema import sites
from inspections import audit
from inspections.actors import Actor
from inspections.clock import FixedClock
from inspections.enforcement import list_actions, record_action
from inspections.errors import InvalidInput, NotAllowed, NotFound
from tests.geo import sample
from tests.inspections.builders import new_case

LEADER = Actor("li.ming", "leader")
ADMIN = Actor("admin", "admin")
CLOCK = FixedClock(datetime(2022, 9, 1, 2, 0, tzinfo=UTC))


@pytest.fixture
def site_id(engine: Engine) -> int:
    """The id of enterprise E1 of the sample layers."""
    sample.load(engine)
    with engine.connect() as conn:
        return conn.execute(sa.select(sites.c.id).where(sites.c.code == "E1")).scalar_one()


def _record(conn: sa.Connection, **changes: object) -> int:
    values = {"actor": LEADER, "clock": CLOCK, "kind": "penalty_decision",
              "decided_on": date(2022, 8, 30), "number": "台环罚〔2022〕17号",
              "fine_yuan": Decimal("125000.00")} | changes
    return record_action(conn, **values)


def test_penalty_decision_is_stored_with_its_fine_and_audited(engine: Engine,
                                                              site_id: int) -> None:
    with engine.begin() as conn:
        case_id = new_case(conn, CLOCK)
        action_id = _record(conn, site_id=site_id, case_id=case_id, document_ref="doc/17.pdf")
    with engine.connect() as conn:
        [action] = list_actions(conn)
        [entry] = audit.history(conn, "enforcement", action_id)
    assert (action.id, action.kind, action.number) == (action_id, "penalty_decision",
                                                       "台环罚〔2022〕17号")
    assert (action.decided_on, action.fine_yuan) == (date(2022, 8, 30), Decimal("125000.00"))
    assert (action.site_id, action.case_id, action.document_ref) == (site_id, case_id,
                                                                      "doc/17.pdf")
    assert (entry["action"], entry["actor"]) == ("enforcement.record", "li.ming")
    assert entry["data"]["fine_yuan"] == "125000.00"


def test_other_kinds_need_no_fine_and_list_by_year_and_site(engine: Engine,
                                                            site_id: int) -> None:
    with engine.begin() as conn:
        _record(conn, number="罚1", decided_on=date(2021, 12, 31), fine_yuan=Decimal(5000))
        _record(conn, actor=ADMIN, kind="police_referral", number="移1", fine_yuan=None,
                site_id=site_id, decided_on=date(2022, 1, 1))
        _record(conn, kind="administrative_detention", number="拘1", fine_yuan=None, persons=2)
        _record(conn, kind="criminal_case", number="刑1", fine_yuan=None, persons=1)
        _record(conn, kind="seizure_or_limit", number="封1", fine_yuan=None, site_id=site_id)
    with engine.connect() as conn:
        in_2022 = [a.number for a in list_actions(conn, year=2022)]
        in_2021 = [(a.number, a.fine_yuan) for a in list_actions(conn, year=2021)]
        at_site = [a.number for a in list_actions(conn, site_id=site_id)]
        both = [a.number for a in list_actions(conn, year=2022, site_id=site_id)]
    assert in_2022 == ["移1", "拘1", "刑1", "封1"]  # by decision date, then id
    assert in_2021 == [("罚1", Decimal("5000.00"))]
    assert at_site == both == ["移1", "封1"]


def test_same_number_for_another_kind_is_fine_but_not_for_the_same(engine: Engine) -> None:
    with engine.begin() as conn:
        _record(conn, number="2022-05")
        _record(conn, kind="seizure_or_limit", number="2022-05", fine_yuan=None)
        with pytest.raises(InvalidInput, match=r"number '2022-05' is already recorded for "
                                               r"penalty_decision"):
            _record(conn, number="2022-05", fine_yuan=Decimal("1.00"))


@pytest.mark.parametrize(("changes", "message"), [
    ({"kind": "warning"}, "kind 'warning' is unknown"),
    ({"number": "  "}, "number must not be empty"),
    ({"fine_yuan": None}, "fine_yuan is required for a penalty decision"),
    ({"fine_yuan": Decimal(0)}, "must be more than 0"),
    ({"fine_yuan": Decimal("-10")}, "must be more than 0"),
    ({"fine_yuan": Decimal("NaN")}, "must be more than 0"),
    ({"fine_yuan": Decimal("10.005")}, "more than 2 decimal places"),
    ({"fine_yuan": 99.5}, "is not a Decimal amount"),
    ({"kind": "police_referral", "fine_yuan": Decimal(100)}, "only for a penalty decision"),
    ({"decided_on": datetime(2022, 8, 30, tzinfo=UTC)}, "is not a date"),
])
def test_bad_input_is_named(engine: Engine, changes: dict, message: str) -> None:
    with engine.begin() as conn, pytest.raises(InvalidInput, match=message):
        _record(conn, **changes)


@pytest.mark.parametrize("role", ["grid_officer", "inspector", "unit", "system"])
def test_only_leaders_and_admins_record(engine: Engine, role: str) -> None:
    with engine.begin() as conn, pytest.raises(NotAllowed, match=f"role '{role}' may not"):
        _record(conn, actor=Actor("x", role))


@pytest.mark.parametrize(("changes", "message"), [
    ({"site_id": 999}, "no site with id 999"),
    ({"case_id": 999}, "no case with id 999"),
])
def test_unknown_site_or_case_is_not_found(engine: Engine, changes: dict,
                                           message: str) -> None:
    with engine.begin() as conn, pytest.raises(NotFound, match=message):
        _record(conn, **changes)
