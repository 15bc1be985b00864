"""What the map shows, by viewport: sites with their flags (clustered in the database when a
view holds many), one site's cases, rounds and latest photos, photos and drone footprints."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from shapely.geometry import mapping

from geo import spatial
from geo.centres import layer_centres
from geo.layers import SITES
from geo.spatial import BBox
from imagery.schema import PHOTOS, photo_sites, photos
from inspections import progress
from inspections.cases import get_cases
from inspections.clock import Clock, aware
from inspections.errors import InvalidInput, NotFound
from inspections.schema import CASE_SOURCES, CASES, cases, lookback_rounds
from inspections.site_flags import FLAGS, case_flags, current_rounds, round_flag, site_statuses
from web.accounts.users import User
from web.services.visibility import case_condition, photo_condition

MAX_FEATURES = 600  # more in view: counted per grid square instead
GRID_SQUARES = 16  # across the view, when counting
LATEST_PHOTOS = 6
MAX_ORTHOPHOTOS = 12  # tile overlays drawn at once


@dataclass(frozen=True)
class SiteFilter:
    """What the map's filter asks for; all optional."""

    town: str | None = None
    industry: str | None = None
    source: str | None = None
    flag: str | None = None

    def check(self) -> None:
        """InvalidInput for an unknown source or flag."""
        if self.source is not None and self.source not in CASE_SOURCES:
            raise InvalidInput(f"source {self.source!r}: use one of {', '.join(CASE_SOURCES)}")
        if self.flag is not None and self.flag not in FLAGS:
            raise InvalidInput(f"flag {self.flag!r}: use one of {', '.join(FLAGS)}")


def _site_where(f: SiteFilter) -> sa.ColumnElement[bool] | None:
    t = SITES.table
    parts = [c for c in ((t.c.town == f.town) if f.town else None,
                         (t.c.industry == f.industry) if f.industry else None) if c is not None]
    return sa.and_(*parts) if parts else None


def _clusters(found: list[spatial.Cluster], what: str) -> dict[str, Any]:
    return {"type": "FeatureCollection", "clustered": True, "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [c.lon, c.lat]},
         "properties": {"cluster": True, "count": c.count, "what": what}} for c in found]}


def _cell(bbox: BBox) -> float:
    return max(bbox[2] - bbox[0], bbox[3] - bbox[1]) / GRID_SQUARES


def _case_where(user: User, source: str | None) -> sa.ColumnElement[bool] | None:
    parts = [c for c in (case_condition(user),
                         (cases.c.source == source) if source else None) if c is not None]
    return sa.and_(*parts) if parts else None


OUTLINE_ZOOM = 14  # below it, polygons (landfills, plants) are drawn as points


def _geometry(geom: Any, as_point: bool) -> dict[str, Any]:
    if as_point and geom.geom_type != "Point":
        geom = geom.representative_point()
    return mapping(geom)


def sites_in_view(conn: sa.Connection, user: User, bbox: BBox, f: SiteFilter,
                  clock: Clock, zoom: int | None = None,
                  limit: int = MAX_FEATURES) -> dict[str, Any]:
    """Sites in the view with their flags at the clock's time, or their counts per grid
    square when many; below OUTLINE_ZOOM every site is a point."""
    f.check()
    where = _site_where(f)
    if not (f.source or f.flag):
        centres = layer_centres(conn, SITES, ("town", "industry"))
        equal = {k: v for k, v in (("town", f.town), ("industry", f.industry)) if v}
        keep = centres.mask(bbox, **equal)
        if int(keep.sum()) > limit:
            return _clusters(centres.clusters(bbox, _cell(bbox), keep), "sites")
    rows = spatial.in_bbox(conn, SITES, bbox, where)
    statuses = site_statuses(conn, [r["id"] for r in rows], clock.now(),
                             _case_where(user, f.source), tz=clock.tz)
    if f.source or f.flag:
        rows = [r for r in rows if r["id"] in statuses
                and (f.flag is None or f.flag in statuses[r["id"]].flags)]
    features = []
    for r in rows:
        status = statuses.get(r["id"])
        features.append({"type": "Feature", "id": r["id"],
                         "geometry": _geometry(r["geom"], zoom is not None
                                               and zoom < OUTLINE_ZOOM),
                         "properties": {
                             "id": r["id"], "code": r["code"], "name": r["name"],
                             "kind": r["kind"], "industry": r["industry"], "town": r["town"],
                             "flags": list(status.flags) if status else [],
                             "flag": status.worst if status else None,
                             "cases": len(status.case_ids) if status else 0}})
    return {"type": "FeatureCollection", "clustered": False, "features": features}


def _photo_item(row: sa.RowMapping) -> dict[str, Any]:
    taken = aware(row["taken_at"])
    return {"id": row["id"], "kind": row["kind"], "taken_at": taken.isoformat() if taken
            else None, "thumbnail": f"/api/photos/{row['id']}/thumbnail"}


def site_detail(conn: sa.Connection, user: User, code: str, clock: Clock) -> dict[str, Any]:
    """One site for its popup: its cases (that the user sees), their rounds, latest photos,
    flagged at the clock's time."""
    now = clock.now()
    t = SITES.table
    site = conn.execute(sa.select(t).where(t.c.code == code)).mappings().first()
    if site is None:
        raise NotFound(f"site {code}: no such site")
    status = site_statuses(conn, [site["id"]], now, case_condition(user),
                           tz=clock.tz).get(site["id"])
    found = get_cases(conn, status.case_ids if status else [])
    r = lookback_rounds
    rounds = conn.execute(sa.select(r).where(r.c.case_id.in_([c.id for c in found]))
                          .order_by(r.c.window_start)).mappings().all()
    by_case = {c.id: c.reference for c in found}
    condition = photo_condition(user)
    latest = (sa.select(photos).join(photo_sites, photo_sites.c.photo_id == photos.c.id)
              .where(photo_sites.c.site_id == site["id"])
              .order_by(photos.c.taken_at.is_(None), photos.c.taken_at.desc(),
                        photos.c.id.desc()).limit(LATEST_PHOTOS))
    if condition is not None:
        latest = latest.where(condition)
    return {
        "site": {"id": site["id"], "code": site["code"], "name": site["name"],
                 "kind": site["kind"], "industry": site["industry"], "town": site["town"]},
        "flags": list(status.flags) if status else [],
        "cases": [_case_item(c, now, clock.tz) for c in found],
        "rounds": [{"id": x["id"], "case": by_case[x["case_id"]], "number": x["number"],
                    "state": x["state"],
                    "flag": round_flag(x["state"], aware(x["window_start"]),
                                       aware(x["window_end"]), now),
                    "window_start": aware(x["window_start"]).isoformat(),
                    "window_end": aware(x["window_end"]).isoformat()} for x in rounds],
        "photos": [_photo_item(p) for p in conn.execute(latest).mappings()],
    }


def _case_item(case: Any, now: datetime, tz: ZoneInfo) -> dict[str, Any]:
    p = progress.progress(case, now, tz=tz)
    return {"reference": case.reference, "title": case.title, "source": case.source,
            "state": case.state, "deadline": case.deadline.isoformat(),
            "is_recurrence": case.is_recurrence, "behind_schedule": p.behind_schedule,
            "overdue": p.overdue}


def photos_in_view(conn: sa.Connection, user: User, bbox: BBox,
                   limit: int = MAX_FEATURES) -> dict[str, Any]:
    """Photos the user sees in the view, or their counts per grid square when many."""
    condition = photo_condition(user)
    counts = spatial.grid_clusters(conn, PHOTOS, bbox, _cell(bbox), condition)
    if sum(c.count for c in counts) > limit:
        return _clusters(counts, "photos")
    rows = spatial.in_bbox(conn, PHOTOS, bbox, condition)
    return {"type": "FeatureCollection", "clustered": False, "features": [
        {"type": "Feature", "id": r["id"], "geometry": mapping(r["geom"]),
         "properties": _photo_item(r)} for r in rows]}


def footprints_in_view(conn: sa.Connection, user: User, bbox: BBox) -> dict[str, Any]:
    """Drone photos' ground footprints meeting the view (when few enough to draw)."""
    condition = sa.and_(photos.c.kind == "drone", photos.c.footprint.is_not(None),
                        *(c for c in (photo_condition(user),) if c is not None))
    rows = spatial.in_bbox(conn, PHOTOS, bbox, condition)
    if len(rows) > MAX_FEATURES:
        raise InvalidInput(f"bbox: {len(rows)} drone footprints in view; zoom in")
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": r["id"], "geometry": mapping(r["footprint"]),
         "properties": _photo_item(r)} for r in rows]}


def search_sites(conn: sa.Connection, query: str, limit: int = 20) -> list[dict[str, Any]]:
    """Sites whose name or code contains the text, with a point to fly to."""
    text = (query or "").strip()
    if not text:
        raise InvalidInput("q: give part of a site's name or code")
    t = SITES.table
    pattern = f"%{text.replace('%', '').replace('_', '')}%"
    rows = conn.execute(sa.select(t).where(sa.or_(t.c.name.ilike(pattern),
                                                  t.c.code.ilike(pattern)))
                        .order_by(t.c.code).limit(limit)).mappings().all()
    found = []
    for r in rows:
        point = r["geom"].representative_point()
        found.append({"code": r["code"], "name": r["name"], "kind": r["kind"],
                      "lon": point.x, "lat": point.y})
    return found


def orthophotos_in_view(conn: sa.Connection, user: User, bbox: BBox) -> list[dict[str, Any]]:
    """Orthophotos meeting the view: id, time and bounds, for tile overlays."""
    condition = sa.and_(photos.c.kind == "orthophoto",
                        *(c for c in (photo_condition(user),) if c is not None))
    rows = spatial.in_bbox(conn, PHOTOS, bbox, condition)
    found = []
    for r in rows[:MAX_ORTHOPHOTOS]:
        area = r["footprint"] if r["footprint"] is not None else r["geom"]
        tiles = f"/api/photos/{r['id']}/tiles/{{z}}/{{x}}/{{y}}.png"
        found.append(_photo_item(r) | {"bounds": list(area.bounds), "tiles": tiles})
    return found


def cases_in_view(conn: sa.Connection, user: User, bbox: BBox,
                  clock: Clock) -> dict[str, Any]:
    """Cases placed at a point of their own (patrol findings away from any site), flagged at
    the clock's time."""
    now = clock.now()
    rows = spatial.in_bbox(conn, CASES, bbox, case_condition(user))
    found = get_cases(conn, [r["id"] for r in rows])
    rounds = current_rounds(conn, [c.id for c in found], now)
    features = []
    for case in found:
        flags = [f for f in FLAGS if f in case_flags(case, rounds.get(case.id), now, clock.tz)]
        features.append({"type": "Feature", "id": case.id,
                         "geometry": {"type": "Point", "coordinates": [case.lon, case.lat]},
                         "properties": {"reference": case.reference, "title": case.title,
                                        "state": case.state, "flag": flags[0] if flags
                                        else None, "flags": flags}})
    return {"type": "FeatureCollection", "features": features}
