"""The look-back agency's monthly day (回头看): on the 10th it flies the sites of every round
that is due (drone photos) or visits them (field photos), and reviews what it found."""

from __future__ import annotations

from datetime import date, timedelta

from inspections import lookbacks, tickets
from inspections.actors import SYSTEM
from inspections.cases import get_case
from inspections.demo.people import AGENCY, INSPECTOR, LEADER, unit_staff
from inspections.demo.world import World, local
from inspections.lookbacks import Round

FIRST, LAST = date(2020, 1, 10), date(2022, 12, 10)
ALTITUDE_M = 120.0
AERIAL = {"landfill": "landfill", "waste_to_energy_plant": "field"}
# The landfill where the 2022 flight finds leachate again (死灰复燃).
RECURRENCE = "HTK-2018-TB-25"
RECURRENCE_NOTE = "无人机航拍发现填埋场东侧渗滤液外溢、覆土破损，问题反弹"
MISSED = 2  # petition re-checks of 2022 the agency never got to: they run overdue


def refresh(world: World) -> None:
    """Move rounds on by the clock and the evidence; escalate overdue tickets."""
    with world.tx() as conn:
        lookbacks.refresh_rounds(conn, actor=SYSTEM, clock=world.clock)
        tickets.escalate_overdue(conn, actor=SYSTEM, clock=world.clock)


def _year(world: World, r: Round) -> int:
    return r.window_start.astimezone(world.clock.tz).year


def _missed(world: World, r: Round) -> bool:
    missed: set[int] = world.notes.setdefault("missed", set())  # type: ignore[assignment]
    if r.id not in missed and r.case_reference.startswith("XF-") and _year(world, r) == 2022 \
            and len(missed) < MISSED:
        missed.add(r.id)
    return r.id in missed


def _recurs(world: World, r: Round) -> bool:
    return r.case_reference == RECURRENCE and _year(world, r) == 2022


def _shot(world: World, r: Round) -> tuple[float, float, str, float | None]:
    site = next((s for s in world.sites.values() if s.id in r.site_ids), None)
    if site is not None and site.kind in AERIAL:
        scene = "leachate" if _recurs(world, r) else AERIAL[site.kind]
        return site.lon, site.lat, scene, ALTITUDE_M
    if site is not None:
        return site.lon, site.lat + 0.0001, "enterprise", None
    with world.engine.connect() as conn:
        case = get_case(conn, r.case_id)
    assert case.lon is not None and case.lat is not None, case.reference
    return case.lon, case.lat + 0.0001, "field", None


def _fly(world: World) -> None:
    refresh(world)
    with world.engine.connect() as conn:
        # Patrol cases name no agency: the rectification office re-checks those itself.
        due = [r for r in lookbacks.list_rounds(conn, state="due")
               if r.agency in (AGENCY, None)]
    flying = [r for r in due if not _missed(world, r)]
    world.clock.advance(hours=1)
    if flying:
        world.take([_shot(world, r) for r in flying], INSPECTOR.name)
        from inspections.demo import orthophotos  # it names this module's recurrence

        orthophotos.survey(world, flying)
    world.notes["flown"] = [r.id for r in flying]


def _review(world: World, day: date) -> None:
    flown: list[int] = world.notes.pop("flown", [])  # type: ignore[assignment]
    if day == LAST:  # the December reviews are not all done by the end of the year
        flown = flown[::2]
    with world.tx() as conn:
        for round_id in flown:
            r = lookbacks.get_round(conn, round_id)
            if r.state != "awaiting_review":
                continue
            recurs = _recurs(world, r)
            result = lookbacks.review_round(
                conn, round_id=round_id, actor=INSPECTOR if r.agency else LEADER,
                clock=world.clock,
                outcome="recurred" if recurs else "passed",
                note=RECURRENCE_NOTE if recurs else "复核未发现问题反弹，整改成效保持良好")
            if result.ticket_id is not None:
                _answer_later(world, result.ticket_id, get_case(conn, r.case_id).responsible_unit)


def _answer_later(world: World, ticket_id: int, unit: str) -> None:
    answer_at = world.clock.now() + timedelta(days=9)

    def answer(w: World) -> None:
        with w.tx() as conn:
            tickets.respond(conn, ticket_id=ticket_id, actor=unit_staff(unit), clock=w.clock,
                            response="已组织清理外溢渗滤液、修复覆土，正在重新整改")
    world.at(answer_at, answer)
    world.at(answer_at + timedelta(days=3),
             lambda w: _verify(w, ticket_id))


def _verify(world: World, ticket_id: int) -> None:
    with world.tx() as conn:
        tickets.verify(conn, ticket_id=ticket_id, actor=LEADER, clock=world.clock,
                       note="已核实应急处置到位，案件继续跟踪整改")


def plan(world: World) -> None:
    """A look-back day on the 10th of every month from January 2020 to December 2022."""
    day = FIRST
    while day <= LAST:
        world.at(local(day, 9), _fly)
        world.at(local(day, 12), refresh)
        world.at(local(day, 15), lambda w, d=day: _review(w, d))
        day = date(day.year + day.month // 12, day.month % 12 + 1, 10)
