"""Organisation of 2022 (组织领导): 42 meetings of the district party committee and
government on the inspection's rectification, 34 written instructions from the party
secretary and the district head, and 35 site checks led by district leaders, each about one
or two of the feedback problems, as the source report counts them."""

from __future__ import annotations

import random
from datetime import date, timedelta
from functools import partial

from inspections.actors import Actor
from inspections.demo.feedback import PROBLEMS, reference
from inspections.demo.people import DEPUTY_MAYORS
from inspections.demo.world import World, local
from inspections.organisation import record_organisation

COUNTS = {"meeting": 42, "instruction": 34, "leader_check": 35}
CLERK = Actor("区整改办 综合组", "admin")  # the office that keeps the records
LEADERS = {"meeting": ("区委书记", "区长"), "instruction": ("区委书记", "区长"),
           "leader_check": DEPUTY_MAYORS}
SUBJECTS = {"meeting": "研究部署{title}问题整改工作",
            "instruction": "批示要求加快推进{title}问题整改",
            "leader_check": "带队赴现场督查{title}问题整改进展"}
FIRST, DAYS = date(2022, 1, 4), 350  # the working days of the year, up to mid-December


def _record(world: World, *, kind: str, day: date, leader: str, numbers: list[int]) -> None:
    title = PROBLEMS[numbers[0] - 1].title
    with world.tx() as conn:
        record_organisation(conn, actor=CLERK, clock=world.clock, kind=kind, held_on=day,
                            leader=leader, subject=SUBJECTS[kind].format(title=title),
                            case_references=[reference(n) for n in numbers])


def plan(world: World) -> None:
    """Every meeting, instruction and leader-led check of 2022, each recorded on its day."""
    rng = random.Random("lookback-demo-organisation")
    for kind, count in COUNTS.items():
        for _ in range(count):
            day = FIRST + timedelta(days=rng.randrange(DAYS))
            numbers = sorted(rng.sample(range(1, len(PROBLEMS) + 1), rng.choice((1, 1, 2))))
            world.at(local(day, 17), partial(_record, kind=kind, day=day,
                                             leader=rng.choice(LEADERS[kind]), numbers=numbers))
