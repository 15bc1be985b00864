"""The 54 petitions in 24 batches (交办信访件) handed over while the inspection team was in
Zhejiang (1 September to 1 October 2020), all rectified and closed."""

from __future__ import annotations

import random
from datetime import date, timedelta

from inspections.cases import create_case
from inspections.demo.loop import Loop, schedule
from inspections.demo.people import AGENCY, LEADER, SECOND_ROUND, town_office
from inspections.demo.world import Site, World, local

BATCHES = 24
PETITIONS = 54
FIRST_BATCH = date(2020, 9, 3)
PROBLEMS = ("夜间偷排废水", "废气异味扰民", "生产噪声扰民", "固废露天堆放", "粉尘污染严重",
            "违规焚烧废料")
MEASURES = ("立案调查并责令整改", "完成整改并复查")


def batch_sizes() -> list[int]:
    """How many petitions each batch held (54 over 24 batches)."""
    sizes = [PETITIONS // BATCHES] * BATCHES
    for k in range(PETITIONS - sum(sizes)):
        sizes[3 + 4 * k] += 1
    return sizes


def handover(batch: int) -> date:
    """The day a batch was handed over (batches every day or two through September)."""
    return FIRST_BATCH + timedelta(days=(batch - 1) * 27 // (BATCHES - 1))


def reference(batch: int, n: int) -> str:
    """The case reference of the n-th petition of a batch."""
    return f"XF-2020-{batch:02d}-{n:02d}"


def _open(world: World, batch: int, items: list[tuple[str, Site, str]]) -> None:
    with world.tx() as conn:
        for ref, site, problem in items:
            create_case(
                conn, actor=LEADER, clock=world.clock, source="petition", batch=batch,
                inspection=SECOND_ROUND, reference=ref, title=f"群众反映{site.name}{problem}",
                description=f"中央第三生态环境保护督察组交办第{batch}批信访件：群众反映"
                            f"{site.name}{problem}。",
                responsible_unit=town_office(site.town or "区"),
                deadline=handover(batch) + timedelta(days=60),
                target="查处到位、整改到位、群众满意", measures=MEASURES, site_ids=[site.id],
                lookback_agency=AGENCY)


def plan(world: World) -> None:
    """Open each batch on its day and walk every petition to closure."""
    rng = random.Random("lookback-demo-petitions")
    used: set[int] = world.notes.setdefault("feedback_sites", set())  # type: ignore[assignment]
    enterprises = [s for s in world.sites.values() if s.kind == "enterprise" and s.id not in used]
    chosen = rng.sample(enterprises, PETITIONS)
    taken = 0
    for batch, size in enumerate(batch_sizes(), start=1):
        items = [(reference(batch, n), chosen[taken + n - 1], rng.choice(PROBLEMS))
                 for n in range(1, size + 1)]
        taken += size
        day = handover(batch)
        world.at(local(day, 16), lambda w, b=batch, i=items: _open(w, b, i))
        claim = day + timedelta(days=45 + 12 * (batch % 6))
        schedule(world, [ref for ref, _, _ in items], len(MEASURES),
                 Loop(start=day + timedelta(days=2), claim=claim))
