"""Change polygons between two rounds' images of a site (变化图斑): stored as detection
found them, then reviewed by an inspector: confirmed as evidence of a recurrence (确认为反弹
证据, attached to the round's "recurred" decision) or dismissed with a reason (排除), which
is kept. The share dismissed is the detection's measured precision."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from shapely.geometry.base import BaseGeometry

from inspections import audit
from inspections.actors import Actor
from inspections.change_access import check_reviewer
from inspections.clock import Clock, aware, to_utc
from inspections.errors import IllegalTransition, InvalidInput, NotFound
from inspections.schema import change_polygons as cp

UNREVIEWED, CONFIRMED, DISMISSED = "unreviewed", "confirmed", "dismissed"
REASON_MAX = 500


@dataclass(frozen=True)
class FoundChange:
    """One polygon as detection found it, its thumbnails already stored (variant names of
    derived files of the after photo)."""

    geometry: BaseGeometry  # EPSG:4326
    area_m2: float
    score: float
    before_thumb: str
    after_thumb: str


@dataclass(frozen=True)
class Change:
    """A stored change polygon and its review."""

    id: int
    site_id: int
    before_photo_id: int
    after_photo_id: int
    geometry: BaseGeometry
    area_m2: float
    score: float
    shift_m: float
    before_thumb: str
    after_thumb: str
    detected_at: datetime
    state: str
    round_id: int | None = None
    reason: str | None = None
    reviewed_by: str | None = None
    reviewed_at: datetime | None = None


@dataclass(frozen=True)
class Precision:
    """How the reviewed polygons came out: confirmed, dismissed, and those still waiting."""

    confirmed: int
    dismissed: int
    unreviewed: int

    @property
    def reviewed(self) -> int:
        """Polygons an inspector has decided on."""
        return self.confirmed + self.dismissed

    @property
    def rate(self) -> float | None:
        """Confirmed over reviewed (None before any review)."""
        return self.confirmed / self.reviewed if self.reviewed else None

    @property
    def dismissed_share(self) -> float | None:
        """Dismissed over reviewed (None before any review)."""
        return self.dismissed / self.reviewed if self.reviewed else None


def _change(row: sa.RowMapping) -> Change:
    return Change(**{k: row[k] for k in (
        "id", "site_id", "before_photo_id", "after_photo_id", "area_m2", "score", "shift_m",
        "before_thumb", "after_thumb", "state", "round_id", "reason", "reviewed_by")},
        geometry=row["geom"], detected_at=aware(row["detected_at"]),
        reviewed_at=aware(row["reviewed_at"]) if row["reviewed_at"] else None)


def record_changes(conn: sa.Connection, *, site_id: int, before_photo_id: int,
                   after_photo_id: int, found: Sequence[FoundChange], shift_m: float,
                   detected_at: datetime) -> list[int]:
    """Store what one detection found for a pair of images of a site, replacing the pair's
    earlier polygons that nobody has reviewed yet (reviewed ones are kept); their ids."""
    conn.execute(sa.delete(cp).where(cp.c.site_id == site_id,
                                     cp.c.before_photo_id == before_photo_id,
                                     cp.c.after_photo_id == after_photo_id,
                                     cp.c.state == UNREVIEWED))
    if not found:
        return []
    rows = [{"site_id": site_id, "before_photo_id": before_photo_id,
             "after_photo_id": after_photo_id, "geom": f.geometry,
             "area_m2": float(f.area_m2), "score": float(f.score), "shift_m": float(shift_m),
             "before_thumb": f.before_thumb, "after_thumb": f.after_thumb,
             "detected_at": to_utc(detected_at), "state": UNREVIEWED} for f in found]
    return [conn.execute(sa.insert(cp).returning(cp.c.id), row).scalar_one() for row in rows]


def get_change(conn: sa.Connection, change_id: int) -> Change:
    """One change polygon; NotFound when there is none with that id."""
    row = conn.execute(sa.select(cp).where(cp.c.id == change_id)).mappings().first()
    if row is None:
        raise NotFound(f"change polygon {change_id}: no such polygon")
    return _change(row)


def list_changes(conn: sa.Connection, *, site_ids: Sequence[int] | None = None,
                 after_photo_ids: Sequence[int] | None = None,
                 state: str | None = None) -> list[Change]:
    """Change polygons, largest first, restricted to sites, after photos or a state."""
    stmt = sa.select(cp).order_by(cp.c.area_m2.desc(), cp.c.id)
    if site_ids is not None:
        stmt = stmt.where(cp.c.site_id.in_(list(site_ids)))
    if after_photo_ids is not None:
        stmt = stmt.where(cp.c.after_photo_id.in_(list(after_photo_ids)))
    if state is not None:
        stmt = stmt.where(cp.c.state == state)
    return [_change(r) for r in conn.execute(stmt).mappings()]


def sites_with_unreviewed(conn: sa.Connection, site_ids: Sequence[int]) -> set[int]:
    """Those of the sites that have change polygons nobody has reviewed yet."""
    if not site_ids:
        return set()
    return set(conn.execute(sa.select(cp.c.site_id).distinct().where(
        cp.c.site_id.in_(list(site_ids)), cp.c.state == UNREVIEWED)).scalars())


def precision(conn: sa.Connection) -> Precision:
    """How many polygons were confirmed, dismissed, and are still unreviewed."""
    counts = dict(conn.execute(sa.select(cp.c.state, sa.func.count())
                               .group_by(cp.c.state)).all())
    return Precision(counts.get(CONFIRMED, 0), counts.get(DISMISSED, 0),
                     counts.get(UNREVIEWED, 0))


def _unreviewed(conn: sa.Connection, change_id: int, actor: Actor) -> Change:
    change = get_change(conn, change_id)
    check_reviewer(conn, change_id, change.site_id, actor)
    if change.state != UNREVIEWED:
        raise IllegalTransition(f"change polygon {change_id}: already {change.state} by "
                                f"{change.reviewed_by}")
    return change


def _decide(conn: sa.Connection, change: Change, to: str, *, actor: Actor, at: datetime,
            values: dict[str, object]) -> None:
    done = conn.execute(sa.update(cp).where(cp.c.id == change.id, cp.c.state == UNREVIEWED)
                        .values(state=to, reviewed_by=actor.name, reviewed_at=at, **values))
    if done.rowcount != 1:
        raise IllegalTransition(f"change polygon {change.id}: reviewed by someone else "
                                "meanwhile")
    audit.record(conn, actor=actor, action=f"change.{to}", entity="change",
                 entity_id=change.id, at=at, note=values.get("reason"),  # type: ignore[arg-type]
                 data={"from": UNREVIEWED, "to": to, "site_id": change.site_id,
                       "before_photo_id": change.before_photo_id,
                       "after_photo_id": change.after_photo_id,
                       "area_m2": round(change.area_m2, 1),
                       "round_id": values.get("round_id")})


def dismiss_change(conn: sa.Connection, *, change_id: int, actor: Actor, clock: Clock,
                   reason: str) -> Change:
    """排除: the polygon is no change that matters; the reason is kept with it."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(f"change polygon {change_id}: dismissing it needs a reason")
    if len(reason) > REASON_MAX:
        raise InvalidInput(f"change polygon {change_id}: the reason is {len(reason)} "
                           f"characters long; at most {REASON_MAX}")
    change = _unreviewed(conn, change_id, actor)
    _decide(conn, change, DISMISSED, actor=actor, at=to_utc(clock.now()),
            values={"reason": reason})
    return get_change(conn, change_id)


def confirm_change(conn: sa.Connection, *, change_id: int, round_id: int, actor: Actor,
                   clock: Clock, note: str = "") -> Change:
    """确认为反弹证据: attach the polygon to the round's "recurred" decision. A round still
    open for review is decided "recurred" now (with `note`, the after image as evidence:
    the case reopens and a supervision ticket goes out); a round already "recurred" takes
    the polygon as more evidence; a passed round refuses it."""
    from inspections import lookbacks  # lookbacks' review imports the workflow

    change = _unreviewed(conn, change_id, actor)
    r = lookbacks.get_round(conn, round_id)
    if change.site_id not in r.site_ids:
        raise InvalidInput(f"change polygon {change_id}: round {r.number} of case "
                           f"{r.case_reference} does not cover its site")
    if r.state != "recurred":
        if r.state == "passed":
            raise IllegalTransition(f"change polygon {change_id}: round {r.number} of case "
                                    f"{r.case_reference} was already decided 'passed'")
        lookbacks.review_round(conn, round_id=round_id, actor=actor, clock=clock,
                               outcome="recurred", note=note,
                               photo_ids=[change.after_photo_id])
    _decide(conn, change, CONFIRMED, actor=actor, at=to_utc(clock.now()),
            values={"round_id": round_id})
    return get_change(conn, change_id)
