"""The township landfills (镇级垃圾填埋场) of the 2018 look-back inspection: 18 on the
rectification list, rectified and accepted in 2019, and 23 found later, done in 2020."""

from __future__ import annotations

from datetime import date

from inspections.cases import create_case
from inspections.demo.loop import Loop, schedule
from inspections.demo.people import AGENCY, DEPUTY_MAYORS, LEADER, LOOKBACK_2018, town_office
from inspections.demo.world import Site, World, local

MEASURES = ("封场覆盖并复绿", "建设防渗层和渗滤液收集池", "渗滤液规范外运处置并建立台账")
LISTED = 18  # on the inspection's list; the other 23 were found by the province later
# (day the fix is claimed, how many landfills): closures spread so look-backs spread too.
COHORTS_2019 = ((date(2019, 8, 12), 6), (date(2019, 10, 14), 6), (date(2019, 11, 25), 6))
COHORTS_2020 = ((date(2020, 2, 17), 6), (date(2020, 5, 18), 6), (date(2020, 8, 17), 5),
                (date(2020, 10, 26), 6))
OPENED = {True: date(2018, 10, 20), False: date(2019, 6, 15)}
STARTED = {True: date(2018, 11, 1), False: date(2019, 7, 1)}
DEADLINE = {True: date(2019, 12, 31), False: date(2020, 12, 31)}


def reference(number: int) -> str:
    """The case reference of the n-th landfill (1-based)."""
    return f"HTK-2018-TB-{number:02d}"


def landfills(world: World) -> list[Site]:
    """The demo's landfills, by code."""
    return [s for s in world.sites.values() if s.kind == "landfill"]


def _open(world: World, numbered: list[tuple[int, Site]], listed: bool) -> None:
    with world.tx() as conn:
        for number, site in numbered:
            create_case(
                conn, actor=LEADER, clock=world.clock, source="inspection_feedback",
                inspection=LOOKBACK_2018, reference=reference(number),
                title=f"{site.name}整治不到位（无防渗措施、无渗滤液收集设施）",
                description="督察发现镇级垃圾填埋场整治不到位，垃圾渗滤液污染问题普遍存在，"
                            "抽查填埋场均无防渗措施和渗滤液收集设施。",
                responsible_unit=town_office(site.town or "区"), deadline=DEADLINE[listed],
                target="完成镇级垃圾填埋场整改验收", measures=MEASURES, site_ids=[site.id],
                leader=DEPUTY_MAYORS[number % len(DEPUTY_MAYORS)], lookback_agency=AGENCY)


def plan(world: World) -> None:
    """Open the 41 landfill cases and walk them to closure in their cohorts."""
    sites = landfills(world)
    numbered = list(enumerate(sites, start=1))
    for listed, group in ((True, numbered[:LISTED]), (False, numbered[LISTED:])):
        world.at(local(OPENED[listed], 9), lambda w, g=group, li=listed: _open(w, g, li))
        cohorts = COHORTS_2019 if listed else COHORTS_2020
        taken = 0
        for claim, size in cohorts:
            refs = [reference(n) for n, _ in group[taken:taken + size]]
            taken += size
            schedule(world, refs, len(MEASURES), Loop(start=STARTED[listed], claim=claim))
