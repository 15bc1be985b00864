"""The supervision tickets of 2022 (督办交办单): issued by the rectification office and the
look-back agency through the year, answered by the units, verified; a few run late."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from inspections import tickets
from inspections.actors import SYSTEM
from inspections.demo.people import INSPECTOR, LEADER, town_office, unit_staff
from inspections.demo.world import World, local

# Issued by hand per month of 2022: 243, and the landfill recurrence's ticket makes 244.
PER_MONTH = (18, 16, 22, 20, 21, 19, 20, 22, 20, 21, 22, 22)
DAYS = 10  # to answer
PROBLEMS = ("废水直排迹象", "危险废物贮存不规范", "废气收集设施未正常运行", "扬尘防控措施不到位",
            "渗滤液收集池满溢", "一般固废露天堆放", "在线监控数据异常", "雨污管网混接")
END_OF_ANSWERS = date(2022, 12, 12)  # tickets issued later are still open at the demo's end
LAST_DAY = date(2022, 12, 19)  # the day before the scenario ends


@dataclass(frozen=True)
class Planned:
    """One ticket: its day, where, about what, and how the unit deals with it."""

    day: date
    unit: str
    request: str
    answer_after: int | None  # days; None: never answered
    by_inspector: bool


def _planned(world: World) -> list[Planned]:
    rng = random.Random("lookback-demo-tickets")
    places = [s for s in world.sites.values() if s.kind in ("enterprise", "landfill")]
    found = []
    for month, count in enumerate(PER_MONTH, start=1):
        last = LAST_DAY.day if month == LAST_DAY.month else 28
        for day in sorted(date(2022, month, rng.randint(1, last)) for _ in range(count)):
            n = len(found) + 1
            site = rng.choice(places)
            answer: int | None = rng.randint(2, DAYS - 2)
            if n % 40 == 0:
                answer = DAYS + 16  # late: escalated as overdue first
            if n % 97 == 0 or day >= END_OF_ANSWERS:
                answer = None
            found.append(Planned(day, town_office(site.town or "区"),
                                 f"{site.name}存在{rng.choice(PROBLEMS)}问题，请于{DAYS}日内"
                                 "整改到位并书面反馈。", answer, n % 3 == 0))
    return found


def _issue(world: World, p: Planned) -> None:
    with world.tx() as conn:
        ticket_id = tickets.issue_ticket(
            conn, actor=INSPECTOR if p.by_inspector else LEADER, clock=world.clock,
            responsible_unit=p.unit, deadline=p.day + timedelta(days=DAYS), request=p.request)
    if p.answer_after is None:
        return
    answered = local(p.day + timedelta(days=p.answer_after), 15)
    world.at(answered, lambda w: _answer(w, ticket_id, p.unit))
    world.at(answered + timedelta(days=2), lambda w: _verify(w, ticket_id))


def _answer(world: World, ticket_id: int, unit: str) -> None:
    with world.tx() as conn:
        tickets.respond(conn, ticket_id=ticket_id, actor=unit_staff(unit), clock=world.clock,
                        response="已按要求完成整改，附整改前后对比照片及台账")


def _verify(world: World, ticket_id: int) -> None:
    with world.tx() as conn:
        tickets.verify(conn, ticket_id=ticket_id, actor=INSPECTOR, clock=world.clock,
                       note="现场复核，整改到位")


def _escalate(world: World) -> None:
    with world.tx() as conn:
        tickets.escalate_overdue(conn, actor=SYSTEM, clock=world.clock)


def plan(world: World) -> None:
    """Every ticket of 2022, and the monthly dispatch (月调度) on the 25th that escalates."""
    for k, p in enumerate(_planned(world)):
        world.at(local(p.day, 9, k % 60), lambda w, p=p: _issue(w, p))
    for month in range(1, 13):
        world.at(local(date(2022, month, 25), 8), _escalate)
