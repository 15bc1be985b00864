"""Cases walked round the closed loop on set days (整改、验收、销号评估、公示、销号), each step
through the workflow service by the person whose step it is, with the photos or documents it
needs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from inspections import workflow
from inspections.cases import find_case, get_case
from inspections.demo import assessment
from inspections.demo.people import ACCEPTOR, LEADER, unit_staff
from inspections.demo.world import World, local
from inspections.lookback_policy import LookbackPolicy

# Feedback problems are re-checked for three years, petitions at 3 and 12 months, the rest
# at 1, 3, 6 and 12 months (the default).
POLICY = LookbackPolicy(by_source={
    "inspection_feedback": ((6, 30), (12, 30), (24, 60), (36, 60)),
    "petition": ((3, 30), (12, 30)),
})
ACCEPT_AFTER = timedelta(days=6)  # the acceptance group's visit after the unit's claim
NOTICE_DAYS = 7
SCENES = {"landfill": "landfill", "enterprise": "enterprise"}


@dataclass(frozen=True)
class Loop:
    """When a group of cases moves: work starts, measures are ticked off, the fix is claimed
    (None: still rectifying at the end) and then accepted, assessed, publicised and closed
    (`stop`: the last of these steps, for cases still under way at the end)."""

    start: date
    claim: date | None
    until: date | None = None  # with no claim: measures are ticked off up to this day
    measures_done: int | None = None  # with no claim: how many (the rest stay open)
    stop: str = "close"  # "claim", "accept", "assess" or "close"

    @property
    def accept(self) -> date:
        """The day of the acceptance group's acceptance on site."""
        assert self.claim is not None
        return self.claim + ACCEPT_AFTER

    @property
    def notice(self) -> tuple[date, date]:
        """The notice period (公示期), from the third day after acceptance."""
        first = self.accept + timedelta(days=3)
        return first, first + timedelta(days=NOTICE_DAYS - 1)

    @property
    def close(self) -> date:
        """The day after the notice period."""
        return self.notice[1] + timedelta(days=1)


def shot_of(world: World, case_id: int) -> tuple[float, float, str]:
    """Where a field photo of a case is taken: beside its first site, else at its point."""
    with world.engine.connect() as conn:
        case = get_case(conn, case_id)
    site = next((s for s in world.sites.values() if s.id in case.site_ids), None)
    if site is not None:
        return site.lon, site.lat + 0.0001, SCENES.get(site.kind, "field")
    assert case.lon is not None and case.lat is not None, case.reference
    return case.lon, case.lat + 0.0001, "field"


def _photos_of(world: World, case_ids: Sequence[int], user: str) -> list[int]:
    shots = [shot_of(world, c) for c in case_ids]
    return world.take([(lon, lat, scene, None) for lon, lat, scene in shots], user)


def _start(world: World, refs: Sequence[str]) -> None:
    with world.tx() as conn:
        for ref in refs:
            case = find_case(conn, ref)
            workflow.start_rectification(conn, case_id=case.id, clock=world.clock,
                                         actor=unit_staff(case.responsible_unit))


def _tick(world: World, ref: str, position: int) -> None:
    with world.tx() as conn:
        case = find_case(conn, ref)
        workflow.complete_measure(conn, case_id=case.id, clock=world.clock, position=position,
                                  actor=unit_staff(case.responsible_unit),
                                  note=f"{case.measures[position - 1].text}：已完成")


def _claim(world: World, refs: Sequence[str]) -> None:
    ids = [world.case_id(r) for r in refs]
    shots = _photos_of(world, ids, "units")
    with world.tx() as conn:
        for case_id, photo in zip(ids, shots, strict=True):
            unit = get_case(conn, case_id).responsible_unit
            workflow.claim_rectified(conn, case_id=case_id, actor=unit_staff(unit),
                                     clock=world.clock, photo_ids=[photo],
                                     note="整改措施已全部落实，申请验收")


def _accept(world: World, refs: Sequence[str]) -> None:
    ids = [world.case_id(r) for r in refs]
    shots = _photos_of(world, ids, ACCEPTOR.name)
    with world.tx() as conn:
        for case_id, photo in zip(ids, shots, strict=True):
            workflow.accept(conn, case_id=case_id, actor=ACCEPTOR, clock=world.clock,
                            photo_ids=[photo], note="现场核查，整改到位，同意验收")


def _publicise(world: World, refs: Sequence[str], notice: tuple[date, date]) -> None:
    with world.tx() as conn:
        for ref in refs:
            workflow.publicise(conn, case_id=find_case(conn, ref).id, actor=LEADER,
                               clock=world.clock, notice_start=notice[0], notice_end=notice[1])


def _close(world: World, refs: Sequence[str]) -> None:
    with world.tx() as conn:
        for ref in refs:
            workflow.close(conn, case_id=find_case(conn, ref).id, actor=LEADER, clock=world.clock,
                           note="公示期满无异议，予以销号", policy=POLICY)


def _measure_days(loop: Loop, count: int) -> list[date]:
    if count == 0:
        return []
    end = loop.claim or loop.until
    assert end is not None
    span = (end - loop.start).days
    return [loop.start + timedelta(days=span * k // (count + 1)) for k in range(1, count + 1)]


def schedule(world: World, refs: Sequence[str], measures: int, loop: Loop) -> None:
    """Put a group of cases' steps on the timeline (the cases must be open by `loop.start`)."""
    refs = list(refs)
    world.at(local(loop.start, 9), lambda w: _start(w, refs))
    done = measures if loop.claim is not None else (loop.measures_done or 0)
    for position, day in enumerate(_measure_days(loop, measures)[:done], start=1):
        for ref in refs:
            world.at(local(day, 16), lambda w, r=ref, p=position: _tick(w, r, p))
    if loop.claim is None:
        return
    world.at(local(loop.claim, 10), lambda w: _claim(w, refs))
    if loop.stop == "claim":
        return
    world.at(local(loop.accept, 10), lambda w: _accept(w, refs))
    if loop.stop == "accept":
        return
    world.at(local(loop.accept + timedelta(days=1), 10), lambda w: assessment.assess(w, refs))
    if loop.stop == "assess":
        return
    world.at(local(loop.accept + timedelta(days=2), 9),
             lambda w: _publicise(w, refs, loop.notice))
    world.at(local(loop.close, 9), lambda w: _close(w, refs))
