"""The unit's, inspector's and leader's to-dos on work made through the services, and the bell:
who is told of which event, the daily tick's notifications, reading them lowers the count."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest

from inspections import step_roles, tickets, workflow
from inspections.actors import SYSTEM
from inspections.cases import find_case
from inspections.clock import DEFAULT_TZ, FixedClock
from inspections.lookbacks import schedule_rounds
from tests.web.cli import run
from tests.web.client import client_for, sign_in
from tests.web.desk_work import LEADER, NOW, TODAY, Work, make_work
from tests.web.test_desk import cards_of, listed
from web.accounts.demo import DEMO_UNIT
from web.accounts.users import find_user
from web.services.notification_reads import forget_reads, mark_read
from web.services.notifications import bell_count, notifications_for
from web.services.todos import When

WHEN = When(NOW, DEFAULT_TZ)
BELL = re.compile(r'<span class="bell-count">(\d+)</span>')


@pytest.fixture
def work(fresh_demo_url: str, tmp_path: Path) -> Work:
    return make_work(fresh_demo_url, tmp_path)


def _client(work: Work, name: str):  # noqa: ANN202
    client = client_for(work.url, now=NOW.isoformat())
    assert sign_in(client, name).status_code == 303
    return client


def _kinds(work: Work, name: str) -> list[tuple[str, str]]:
    with work.engine.connect() as conn:
        return sorted((n.kind, n.reference)
                      for n in notifications_for(conn, find_user(conn, name)[0], WHEN))


def _bell(page: str) -> int:
    found = BELL.findall(page)
    return int(found[0]) if found else 0


def test_the_units_cards_count_its_work_and_link_to_exactly_it(work: Work) -> None:
    client = _client(work, "unit")
    page = client.get("/").text
    cards = cards_of(page)
    assert {k: n for k, (_, n) in cards.items()} == {
        "measures_due": 2, "recurrences": 1, "to_claim": 1, "tickets_to_answer": 1,
        "tickets_overdue": 1}
    assert 'class="todo-card alarm" id="card-measures_due"' in page  # T-LATE is overdue
    for key, (href, count) in cards.items():
        assert listed(client.get(href).text, href) == count, key
    urgent = re.search(r'<ul class="desk-items" id="urgent">(.*?)</ul>', page, re.S).group(1)
    assert urgent.index("T-LATE") < urgent.index("T-SOON")  # the nearest deadline first
    assert "2022年12月22日" in urgent and "剩 2 天" in urgent


def test_the_inspectors_and_leaders_cards(work: Work) -> None:
    inspector = cards_of(_client(work, "inspector").get("/").text)
    assert "acceptances" not in inspector  # not theirs by default
    with work.engine.begin() as conn:  # unless petitions are theirs to accept too
        admin = find_user(conn, "admin")[0].actor
        step_roles.set_roles(conn, actor=admin, clock=FixedClock(NOW), source="petition",
                             step="accept", roles=["acceptor", "inspector"])
    inspector = cards_of(_client(work, "inspector").get("/").text)
    assert inspector["acceptances"] == ("/desk/acceptances", 0)  # T-CLAIMED: not a petition
    acceptor = _client(work, "acceptor")
    href, count = cards_of(acceptor.get("/").text)["acceptances"]
    assert (href, count) == ("/desk/acceptances", 1)
    assert listed(acceptor.get(href).text, href) == 1 and "T-CLAIMED" in acceptor.get(href).text
    assert cards_of(_client(work, "assessor").get("/").text) == {
        "assessments": ("/desk/assessments", 0)}
    leader = _client(work, "leader")
    cards = cards_of(leader.get("/").text)
    assert cards["objections"][1] == 1 and cards["overdue_cases"][1] == 1
    assert cards["tickets_overdue"] == ("/tickets?state=overdue", 1)
    assert cards["to_close"][1] == 0  # the notice is still running
    assert "T-PUBLIC" in leader.get(cards["objections"][0]).text


def _numbers(work: Work) -> dict[str, str]:
    with work.engine.connect() as conn:
        return {t.state: t.number for t in tickets.list_tickets(conn)}


def test_each_event_tells_the_roles_it_concerns_and_never_its_actor(work: Work) -> None:
    number = _numbers(work)
    assert _kinds(work, "unit") == sorted([
        ("case_new", "T-CLAIMED"), ("case_new", "T-DONE"), ("case_new", "T-PUBLIC"),
        ("case_new", "T-SOON"), ("case_overdue", "T-LATE"), ("case_accepted", "T-PUBLIC"),
        ("case_assessed", "T-PUBLIC"), ("case_publicised", "T-PUBLIC"), ("case_soon", "T-SOON"),
        ("case_new", "T-AGAIN"), ("case_accepted", "T-AGAIN"), ("case_assessed", "T-AGAIN"),
        ("case_publicised", "T-AGAIN"),
        ("case_closed", "T-AGAIN"), ("case_recurred", "T-AGAIN"),
        ("ticket_new", number["issued"]), ("ticket_overdue", number["overdue"])])
    assert _kinds(work, "inspector") == [("case_claimed", "T-AGAIN"),
                                         ("case_claimed", "T-CLAIMED"),
                                         ("case_claimed", "T-PUBLIC")]
    assert _kinds(work, "leader") == sorted([
        ("case_accepted", "T-AGAIN"), ("case_assessed", "T-AGAIN"), ("case_recurred", "T-AGAIN"),
        ("case_accepted", "T-PUBLIC"), ("case_assessed", "T-PUBLIC"), ("case_overdue", "T-LATE"),
        ("objection", "T-PUBLIC"), ("ticket_overdue", number["overdue"])])
    assert _kinds(work, "acceptor") == [("case_claimed", "T-AGAIN"),
                                        ("case_claimed", "T-CLAIMED"),
                                        ("case_claimed", "T-PUBLIC")]
    assert _kinds(work, "assessor") == [("case_accepted", "T-AGAIN"),
                                        ("case_accepted", "T-PUBLIC")]
    assert _kinds(work, "officer") == [] and _kinds(work, "admin") == []


def test_a_decision_reaches_the_unit_and_reading_lowers_the_bell(work: Work) -> None:
    unit = _client(work, "unit")
    before = _bell(unit.get("/").text)
    assert before == len(_kinds(work, "unit"))
    listed_page = unit.get("/notifications").text
    assert listed_page.count('class="note unread"') == before
    assert "督办单" in listed_page and "案件 T-LATE 已逾期" in listed_page
    assert _bell(unit.get("/").text) == 0
    assert unit.get("/notifications").text.count('class="note unread"') == 0
    leader = _client(work, "leader")
    leader_bell = _bell(leader.get("/").text)
    with work.engine.begin() as conn:
        workflow.decide_objection(conn, case_id=work.published_id, actor=LEADER,
                                  clock=FixedClock(NOW), objection_id=work.objection_id,
                                  upheld=False, note="经核查已整改到位")
        tickets.issue_ticket(conn, actor=LEADER, clock=FixedClock(NOW),
                             responsible_unit=DEMO_UNIT, deadline=TODAY + timedelta(days=10),
                             request="补充材料")
    assert _bell(unit.get("/").text) == 2  # the decision and the new ticket
    assert _bell(leader.get("/").text) == leader_bell  # their own doings
    assert "案件 T-PUBLIC 的异议已处理" in unit.get("/notifications").text


def test_the_daily_tick_tells_the_agencys_inspector_a_round_is_due(work: Work) -> None:
    with work.engine.begin() as conn:
        schedule_rounds(conn, case_id=find_case(conn, "T-SOON").id,
                        closed_at=NOW - timedelta(days=400),
                        source="inspection_feedback", agency=None, actor=SYSTEM,
                        tz=DEFAULT_TZ)
    result = run(work.url, "tick", "--json", LOOKBACK_NOW=NOW.isoformat())
    assert result.exit_code == 0, result.output
    kinds = {kind for kind, _ in _kinds(work, "inspector")}
    assert kinds & {"round_due", "round_overdue"}
    assert not {kind for kind, _ in _kinds(work, "unit")} & {"round_due", "round_overdue"}


def test_reading_twice_counts_once(work: Work) -> None:
    with work.engine.begin() as conn:
        unit = find_user(conn, "unit")[0]
        keys = [n.key for n in notifications_for(conn, unit, WHEN)]
        assert mark_read(conn, unit.id, keys[:2], NOW) == 2
        assert mark_read(conn, unit.id, keys, NOW) == len(keys) - 2
        assert mark_read(conn, unit.id, keys, NOW) == 0
        assert bell_count(conn, unit, WHEN) == 0
        assert forget_reads(conn, unit.id, NOW) == 0  # marks made at NOW are kept
        assert forget_reads(conn, unit.id, NOW + timedelta(seconds=1)) == len(keys)
        assert bell_count(conn, unit, WHEN) == len(keys)
