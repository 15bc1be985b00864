"""The round page's change polygons (变化图斑): shown over both rounds' maps with their
before/after thumbnails, each confirmed as evidence of a recurrence (确认为反弹证据) or
dismissed with a reason (排除), through inspections/change_review."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from shapely.geometry import mapping

from imagery.schema import photos
from inspections import change_review
from inspections.change_access import may_review
from inspections.clock import aware
from inspections.errors import IllegalTransition, InvalidInput, MissingEvidence, NotAllowed
from inspections.lookbacks import Round
from web.accounts.users import User
from web.api.params import IdPath
from web.deps import ClockDep, CurrentUser, EngineDep, LangDep, SettingsDep
from web.display_crs import DisplayCrs
from web.errors import DOMAIN_ERRORS, status_of
from web.i18n import t
from web.services.photos import get_visible
from web.store import file_store

router = APIRouter(include_in_schema=False)
SIDES = ("before", "after")


def _photo_times(conn: sa.Connection, ids: set[int]) -> dict[int, datetime]:
    """When each photo was taken (else uploaded)."""
    when = sa.func.coalesce(photos.c.taken_at, photos.c.uploaded_at)
    return {i: aware(t) for i, t in conn.execute(
        sa.select(photos.c.id, when).where(photos.c.id.in_(sorted(ids))))}


def round_changes(conn: sa.Connection, r: Round) -> list[change_review.Change]:
    """The polygons at the round's sites found against an image of the round (one of its
    evidence, or taken or uploaded inside its window), or attached to its decision."""
    found = change_review.list_changes(conn, site_ids=r.site_ids)
    times = _photo_times(conn, {c.after_photo_id for c in found})
    return [c for c in found if c.round_id == r.id or c.after_photo_id in r.evidence_photo_ids
            or r.window_start <= times[c.after_photo_id] <= r.window_end]


def change_context(conn: sa.Connection, user: User, r: Round,
                   crs: DisplayCrs) -> dict[str, Any]:
    """What the round page shows of change detection: the polygons (as cards and as a
    GeoJSON island in the display CRS) and whether this user may review them."""
    changes = round_changes(conn, r)
    features = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": mapping(c.geometry),
         "properties": {"id": c.id, "state": c.state, "area_m2": round(c.area_m2, 1),
                        "before": c.before_photo_id, "after": c.after_photo_id}}
        for c in changes]}
    reviewer = {c.site_id: may_review(conn, c.site_id, user.actor) for c in changes}
    tiled = _orthophotos(conn, {c.before_photo_id for c in changes}
                         | {c.after_photo_id for c in changes})
    return {"changes": changes, "may_review_change": reviewer,
            "change_island": {"changes": crs.features_out(features),
                              "before": sorted({c.before_photo_id for c in changes} & tiled),
                              "after": sorted({c.after_photo_id for c in changes} & tiled)}}


def _orthophotos(conn: sa.Connection, ids: set[int]) -> set[int]:
    """Those of the photos that are orthophotos: the swipe's tiles (a drone flight's
    representative photo has none; its polygons still show, with their thumbnails)."""
    return set(conn.execute(sa.select(photos.c.id).where(
        photos.c.id.in_(sorted(ids)), photos.c.kind == "orthophoto")).scalars())


def change_error(exc: Exception, lang: str) -> str:
    """The reader's sentence for a refused confirmation or dismissal."""
    for cls, key in ((InvalidInput, "changes.error.input"),
                     (MissingEvidence, "changes.error.note"),
                     (IllegalTransition, "changes.error.state"),
                     (NotAllowed, "changes.error.not_allowed")):
        if isinstance(exc, cls):
            return t(key, lang, detail=str(exc))
    return t("review.failed", lang, detail=str(exc))


def _refused(request: Request, engine: Any, clock: Any, user: User, lang: str, round_id: int,
             change_id: int, exc: Exception, typed: dict[str, str]) -> Response:
    from web.pages.review import round_page  # the page imports this module
    from web.services.records import round_for

    with engine.connect() as conn:
        r = round_for(conn, user, round_id)
        return round_page(request, conn, user, r, lang, clock.now(),
                          change_errors={"id": change_id, "message": change_error(exc, lang)}
                          | typed, status=status_of(exc)[0])


@router.post("/review/{round_id}/changes/{change_id}/confirm", response_class=HTMLResponse)
def confirm(round_id: IdPath, change_id: IdPath, request: Request, engine: EngineDep,
            clock: ClockDep, user: CurrentUser, lang: LangDep,
            note: Annotated[str, Form()] = "") -> Response:
    """确认为反弹证据: the polygon backs this round's "recurred" decision."""
    from web.services.records import round_for

    try:
        with engine.begin() as conn:
            round_for(conn, user, round_id)
            change_review.confirm_change(conn, change_id=change_id, round_id=round_id,
                                         actor=user.actor, clock=clock, note=note)
    except DOMAIN_ERRORS as exc:
        return _refused(request, engine, clock, user, lang, round_id, change_id, exc,
                        {"note": note})
    return RedirectResponse(f"/review/{round_id}?change={change_id}#change-{change_id}",
                            status_code=303)


@router.post("/review/{round_id}/changes/{change_id}/dismiss", response_class=HTMLResponse)
def dismiss(round_id: IdPath, change_id: IdPath, request: Request, engine: EngineDep,
            clock: ClockDep, user: CurrentUser, lang: LangDep,
            reason: Annotated[str, Form()] = "") -> Response:
    """排除: the polygon is no change that matters; the reason is kept."""
    from web.services.records import round_for

    try:
        with engine.begin() as conn:
            round_for(conn, user, round_id)
            change_review.dismiss_change(conn, change_id=change_id, actor=user.actor,
                                         clock=clock, reason=reason)
    except DOMAIN_ERRORS as exc:
        return _refused(request, engine, clock, user, lang, round_id, change_id, exc,
                        {"reason": reason})
    return RedirectResponse(f"/review/{round_id}?change={change_id}#change-{change_id}",
                            status_code=303)


@router.get("/changes/{change_id}/{side}.jpg", response_class=Response)
def thumbnail(change_id: IdPath, side: str, engine: EngineDep, user: CurrentUser,
              settings: SettingsDep) -> Response:
    """A polygon's before or after thumbnail, for whoever may see both images."""
    if side not in SIDES:
        raise InvalidInput(f"thumbnail side {side!r}: use before or after")
    with engine.connect() as conn:
        change = change_review.get_change(conn, change_id)
        get_visible(conn, user, change.before_photo_id)
        get_visible(conn, user, change.after_photo_id)
        sha = conn.execute(sa.select(photos.c.sha256)
                           .where(photos.c.id == change.after_photo_id)).scalar_one()
    variant = change.before_thumb if side == "before" else change.after_thumb
    data = file_store(settings).read(sha, variant)
    return Response(data, media_type="image/jpeg",
                    headers={"Cache-Control": "private, max-age=86400"})
