"""The public notice (公示): the notice period, objections upheld or dismissed, closing."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from inspections import audit, workflow
from inspections.cases import get_case
from inspections.errors import IllegalTransition, InvalidInput, NotFound
from inspections.schema import objections
from tests.inspections.builders import (
    GRID_OFFICER,
    LEADER,
    T0,
    advance_to,
    clock,
    new_case,
)
from tests.inspections.workflow_cases import case_in as _case_in


def _publicised(engine, photos) -> tuple[int, object]:  # noqa: ANN001
    """A case on notice from 2022-03-01 to 2022-03-07, and the clock (2022-03-01 09:00)."""
    clk = clock()
    return _case_in(engine, clk, photos, "publicised"), clk


@pytest.mark.parametrize(("start", "end", "message"), [
    (date(2022, 3, 8), date(2022, 3, 7), "notice_end 2022-03-07 is before notice_start"),
    ("2022-03-01", date(2022, 3, 7), "notice_start '2022-03-01' is not a date"),
])
def test_bad_notice_period(engine, photos, start, end, message: str) -> None:  # noqa: ANN001
    clk = clock()
    case_id = _case_in(engine, clk, photos, "assessed")
    with engine.begin() as conn, pytest.raises(InvalidInput, match=message):
        workflow.publicise(conn, case_id=case_id, actor=LEADER, clock=clk,
                           notice_start=start, notice_end=end)


@pytest.mark.parametrize(("day", "closes"), [(1, False), (7, False), (8, True)])
def test_closing_waits_for_the_notice_period(engine, photos, day: int, closes: bool) -> None:  # noqa: ANN001
    case_id, clk = _publicised(engine, photos)
    clk.set(T0.replace(day=day, hour=15))  # 23:00 that day in China, where dates are kept
    with engine.begin() as conn:
        if closes:
            workflow.close(conn, case_id=case_id, actor=LEADER, clock=clk)
            return
        with pytest.raises(IllegalTransition, match="before the notice period has ended "
                                                    r"\(ends 2022-03-07"):
            workflow.close(conn, case_id=case_id, actor=LEADER, clock=clk)


def test_an_upheld_objection_sends_the_case_back(engine, photos) -> None:  # noqa: ANN001
    case_id, clk = _publicised(engine, photos)
    with engine.begin() as conn:
        objection = workflow.record_objection(conn, case_id=case_id, actor=GRID_OFFICER,
                                              clock=clk, text="夜间仍有渗滤液外排")
        workflow.decide_objection(conn, case_id=case_id, actor=LEADER, clock=clk,
                                  objection_id=objection, upheld=True, note="核实属实")
        case = get_case(conn, case_id)
        assert case.state == "rectifying"
        assert (case.notice_start, case.notice_end) == (date(2022, 3, 1), date(2022, 3, 7))
        row = conn.execute(sa.select(objections)).mappings().one()
        assert (row["decision"], row["decided_by"], row["text"]) == (
            "upheld", "li.ming", "夜间仍有渗滤液外排")
        actions = [e["action"] for e in audit.history(conn, "case", case_id)]
        assert actions[-1] == "case.uphold_objection"
        assert [e["action"] for e in audit.history(conn, "objection", objection)] == [
            "objection.record", "objection.decide"]
        # Fixed again, accepted again, a new notice period: now it closes.
        clk.advance(days=2)
        advance_to(conn, clk, case_id, "closed", rectification=photos["spare"],
                   acceptance=photos["acceptance"])
        assert get_case(conn, case_id).state == "closed"
        assert audit.verify(conn).ok


def test_a_dismissed_objection_does_not_block_closing(engine, photos) -> None:  # noqa: ANN001
    case_id, clk = _publicised(engine, photos)
    with engine.begin() as conn:
        objection = workflow.record_objection(conn, case_id=case_id, actor=GRID_OFFICER,
                                              clock=clk, text="有异味")
        clk.advance(days=7)
        with pytest.raises(IllegalTransition, match=f"objection.*{objection} \\(undecided\\)"):
            workflow.close(conn, case_id=case_id, actor=LEADER, clock=clk)
        workflow.decide_objection(conn, case_id=case_id, actor=LEADER, clock=clk,
                                  objection_id=objection, upheld=False, note="系正常作业气味")
        with pytest.raises(IllegalTransition, match=f"objection {objection} was already "
                                                    "decided \\(dismissed\\)"):
            workflow.decide_objection(conn, case_id=case_id, actor=LEADER, clock=clk,
                                      objection_id=objection, upheld=True, note="再议")
        workflow.close(conn, case_id=case_id, actor=LEADER, clock=clk)
        assert get_case(conn, case_id).state == "closed"


def test_an_upheld_objection_found_after_edits_still_blocks(engine, photos) -> None:  # noqa: ANN001
    case_id, clk = _publicised(engine, photos)
    with engine.begin() as conn:
        objection = workflow.record_objection(conn, case_id=case_id, actor=GRID_OFFICER,
                                              clock=clk, text="有异味")
        conn.execute(sa.update(objections).values(decision="upheld"))  # behind its back
        clk.advance(days=7)
        with pytest.raises(IllegalTransition, match=f"{objection} \\(upheld\\)"):
            workflow.close(conn, case_id=case_id, actor=LEADER, clock=clk)


def test_objections_must_be_of_this_case_and_say_something(engine, photos) -> None:  # noqa: ANN001
    case_id, clk = _publicised(engine, photos)
    with engine.begin() as conn:
        other = new_case(conn, clk, reference="DC-2022-02")
        with pytest.raises(InvalidInput, match="objection text must not be empty"):
            workflow.record_objection(conn, case_id=case_id, actor=GRID_OFFICER, clock=clk,
                                      text=" ")
        objection = workflow.record_objection(conn, case_id=case_id, actor=GRID_OFFICER,
                                              clock=clk, text="有异味")
        advance_to(conn, clk, other, "publicised", rectification=photos["spare"],
                   acceptance=photos["acceptance"])
        with pytest.raises(NotFound, match=f"DC-2022-02: no objection {objection}"):
            workflow.decide_objection(conn, case_id=other, actor=LEADER, clock=clk,
                                      objection_id=objection, upheld=True, note="属实")


