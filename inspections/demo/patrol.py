"""Grid officers' patrol findings of 2022 (网格巡查): a photo marked "problem found" opens a
patrol case at its place; most are closed within the year."""

from __future__ import annotations

import random
from datetime import date, timedelta

from inspections.demo.loop import Loop, schedule
from inspections.demo.people import grid_officer, town_office
from inspections.demo.world import Site, World, local
from inspections.patrol import open_patrol_case

FINDINGS = 14
STILL_OPEN = 4  # the last ones found are not closed at the end of the year: one still being
# rectified, then one claimed (awaiting acceptance), one accepted (awaiting the assessment)
# and one assessed (awaiting its notice)
LATE_CLAIMS = {FINDINGS - 2: (date(2022, 12, 16), "claim"),
               FINDINGS - 1: (date(2022, 12, 9), "accept"),
               FINDINGS: (date(2022, 12, 5), "assess")}
PROBLEMS = ("企业门口废水外溢", "河道旁垃圾倾倒", "露天焚烧秸秆", "工地扬尘未覆盖",
            "废料露天堆放", "排污口异常排放")


def reference(k: int) -> str:
    """The reference of the k-th patrol case of 2022 (they are numbered as opened)."""
    return f"XC-2022-{k:04d}"


def _find(world: World, site: Site, problem: str, near_site: bool) -> None:
    officer = grid_officer(site.town or "区")
    # Beside the enterprise, or a field a few hundred metres off with no site in reach.
    lon, lat = (site.lon + 0.0002, site.lat) if near_site else (site.lon + 0.004, site.lat)
    [photo] = world.take([(lon, lat, "field", None)], officer.name)
    with world.tx() as conn:
        open_patrol_case(conn, photo_id=photo, actor=officer, clock=world.clock,
                         title=f"网格巡查发现{problem}",
                         description=f"{officer.name}巡查发现{problem}，已拍照上报。",
                         responsible_unit=town_office(site.town or "区"),
                         deadline=world.clock.now().date() + timedelta(days=30))


def plan(world: World) -> None:
    """The year's findings, in order, each walked as far as it got."""
    rng = random.Random("lookback-demo-patrol")
    sites = [s for s in world.sites.values() if s.kind == "enterprise"]
    days = sorted(date(2022, 2, 7) + timedelta(days=rng.randrange(290)) for _ in range(FINDINGS))
    for k, day in enumerate(days, start=1):
        site, problem = rng.choice(sites), rng.choice(PROBLEMS)
        world.at(local(day, 11), lambda w, s=site, p=problem, n=k % 3 != 0: _find(w, s, p, n))
        closing = k <= FINDINGS - STILL_OPEN
        late_claim, stop = LATE_CLAIMS.get(k, (None, "close"))
        loop = Loop(start=day + timedelta(days=1),
                    claim=day + timedelta(days=12) if closing else late_claim, stop=stop)
        schedule(world, [reference(k)], 0, loop)
