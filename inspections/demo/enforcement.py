"""Enforcement of 2022: 60 penalty decisions with 8,425,735 yuan of fines, 9 referrals to
the police, 2 persons in administrative detention, 1 held in a criminal case and 16 seizures
or production limits, against the district's enterprises."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from functools import partial

from inspections.actors import Actor
from inspections.demo.world import World, local
from inspections.enforcement import record_action

PENALTIES, FINES_YUAN = 60, Decimal("8425735")
REFERRALS, SEIZURES = 9, 16
DETAINED, CRIMINAL = 2, 1  # persons: 行政拘留2人, 刑事拘留1人 (one action each)
OFFICER = Actor("区生态环境分局执法大队", "leader")
NUMBERS = {"penalty_decision": "台环罚〔2022〕{n}号", "police_referral": "台环移〔2022〕{n}号",
           "seizure_or_limit": "台环封〔2022〕{n}号",
           "administrative_detention": "台公拘〔2022〕{n}号",
           "criminal_case": "台公刑〔2022〕{n}号"}


def fines(rng: random.Random) -> list[Decimal]:
    """60 fines adding up to the year's total: most tens of thousands, a few large."""
    weights = [rng.lognormvariate(0, 0.9) for _ in range(PENALTIES)]
    scale = FINES_YUAN / Decimal(str(sum(weights)))
    amounts = [(Decimal(str(w)) * scale / 100).quantize(Decimal(1)) * 100 for w in weights[:-1]]
    return [*amounts, FINES_YUAN - sum(amounts)]


def _record(world: World, *, kind: str, number: str, day: date, site_id: int,
            fine: Decimal | None, persons: int | None = None) -> None:
    with world.tx() as conn:
        record_action(conn, actor=OFFICER, clock=world.clock, kind=kind, decided_on=day,
                      number=number, site_id=site_id, fine_yuan=fine,
                      document_ref=f"{number}（{kind}）", persons=persons)


def plan(world: World) -> None:
    """Every enforcement action of 2022, each on its day."""
    rng = random.Random("lookback-demo-enforcement")
    sites = [s.id for s in world.sites.values() if s.kind == "enterprise"]
    amounts: list[Decimal | None] = list(fines(rng))
    actions = [("penalty_decision", amounts[i]) for i in range(PENALTIES)]
    actions += [("police_referral", None)] * REFERRALS + [("seizure_or_limit", None)] * SEIZURES
    counters = dict.fromkeys(NUMBERS, 0)
    for kind, fine in actions:
        counters[kind] += 1
        day = date(2022, 1, 4) + timedelta(days=rng.randrange(350))
        number = NUMBERS[kind].format(n=counters[kind])
        world.at(local(day, 14), partial(_record, kind=kind, number=number, day=day,
                                         site_id=rng.choice(sites), fine=fine))
    for kind, persons in (("administrative_detention", DETAINED), ("criminal_case", CRIMINAL)):
        day = date(2022, 1, 4) + timedelta(days=rng.randrange(350))
        world.at(local(day, 14), partial(_record, kind=kind, number=NUMBERS[kind].format(n=1),
                                         day=day, site_id=rng.choice(sites), fine=None,
                                         persons=persons))
