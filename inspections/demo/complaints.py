"""Environmental complaints received by the bureau (hotline 12369, web, letters, visits):
575 in 2021 and 470 in 2022 (to 19 December), 18.26 % fewer; logged at the end of each
day."""

from __future__ import annotations

import random
from datetime import date, timedelta

from inspections.actors import Actor
from inspections.complaints import record_complaint
from inspections.demo.world import Site, World, local

PER_YEAR = {2021: 575, 2022: 470}
CHANNELS = (("hotline_12369", 55), ("web", 25), ("letter", 8), ("visit", 7), ("other", 5))
SUBJECTS = ("异味", "噪声", "废水", "扬尘", "油烟", "焚烧垃圾", "固废倾倒")
# Summer brings more smells and noise: relative weight of each month.
SEASON = (6, 5, 7, 8, 9, 11, 12, 12, 10, 8, 7, 6)
CLERK = Actor("区生态环境分局信访室", "leader")


LAST_DAY = date(2022, 12, 19)  # the day before the scenario ends


def _days(rng: random.Random, year: int, count: int) -> list[date]:
    months = rng.choices(range(1, 13), weights=SEASON, k=count)
    days = [date(year, m, 1) + timedelta(days=rng.randrange(28)) for m in months]
    return sorted(min(day, LAST_DAY) if year == LAST_DAY.year else day for day in days)


def _record(world: World, items: list[tuple[date, str, str, Site | None]]) -> None:
    with world.tx() as conn:
        for day, channel, summary, site in items:
            record_complaint(conn, actor=CLERK, clock=world.clock, received_on=day,
                             channel=channel, summary=summary,
                             lon=site.lon if site else None, lat=site.lat if site else None)


def plan(world: World) -> None:
    """Every complaint of 2021 and 2022, logged day by day."""
    rng = random.Random("lookback-demo-complaints")
    sites = [s for s in world.sites.values() if s.kind == "enterprise"]
    names, weights = zip(*CHANNELS, strict=True)
    for year, count in PER_YEAR.items():
        by_day: dict[date, list] = {}
        for day in _days(rng, year, count):
            site = rng.choice(sites) if rng.random() < 0.6 else None
            where = site.name if site else f"{rng.choice(sites).town}某处"
            item = (day, rng.choices(names, weights)[0],
                    f"群众反映{where}{rng.choice(SUBJECTS)}问题", site)
            by_day.setdefault(day, []).append(item)
        for day, items in by_day.items():
            world.at(local(day, 17, 30), lambda w, i=items: _record(w, i))
