"""The inspectors' review (回头看复核): a queue of rounds (most urgent first) and acceptances,
and one round with its site, footprints, evidence and the previous round's, decided through
the same service as the CLI and the API."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from shapely.geometry import mapping

from geo.layers import SITES
from imagery.errors import FileTooLarge, PhotoNotFound, RejectedFile
from inspections import lookbacks, step_roles
from inspections.errors import IllegalTransition, MissingEvidence, NotAllowed
from inspections.lookbacks import Round
from inspections.schema import CASE_SOURCES
from inspections.site_flags import round_flag
from web.accounts.users import User
from web.api.params import IdPath
from web.deps import ClockDep, CurrentUser, EngineDep, LangDep, SettingsDep, get_display_crs
from web.display_crs import DisplayCrs
from web.errors import DOMAIN_ERRORS, status_of
from web.i18n import t
from web.pages.form_photos import store_form_photos
from web.pages.ledgers import export_url, importable
from web.pages.render import render
from web.pages.review_changes import change_context
from web.services.photos import describe, get_visible
from web.services.records import cases_for, round_for, rounds_for
from web.services.uploads import UploadOptions
from web.store import file_store

router = APIRouter(include_in_schema=False)
REVIEWERS = ("inspector", "leader", "admin")
TO_REVIEW = ("due", "awaiting_review", "overdue")


def _check(user: User) -> None:
    if user.role not in REVIEWERS:
        raise NotAllowed(f"review: role {user.role!r} may not review; only "
                         f"{', '.join(REVIEWERS)}")


def acceptances_for(conn: sa.Connection, user: User) -> list | None:
    """The rectified cases this user may accept (by the step roles of each case's source),
    or None when the user's role accepts on no source (the queue then shows no such part)."""
    roles = {source: step_roles.roles_for(conn, source, "accept") for source in CASE_SOURCES}
    if not any(user.role in r for r in roles.values()):
        return None
    return [c for c in cases_for(conn, user, state="rectified")
            if user.role in roles.get(c.source, ())]


def queue(conn: sa.Connection, user: User, now: datetime) -> list[tuple[Round, str]]:
    """Rounds that want a decision now, with their flag, the earliest window end first."""
    found = []
    for r in rounds_for(conn, user):
        flag = round_flag(r.state, r.window_start, r.window_end, now)
        if flag in TO_REVIEW and r.state not in ("passed", "recurred"):
            found.append((r, flag))
    return sorted(found, key=lambda item: (item[0].window_end, item[0].id))


@router.get("/review", response_class=HTMLResponse)
def review_queue(request: Request, engine: EngineDep, clock: ClockDep, user: CurrentUser,
                 lang: LangDep, done: int | None = None, outcome: str | None = None
                 ) -> Response:
    """The reviewer's queue."""
    _check(user)
    with engine.connect() as conn:
        items = queue(conn, user, clock.now())
        acceptances = acceptances_for(conn, user)
        finished = round_for(conn, user, done) if done else None
    message = (t("review.done", lang, number=finished.number,
                 outcome=t(f"round.{outcome}", lang)) if finished and outcome else None)
    return render(request, "review_queue.html", lang, user=user, items=items,
                  acceptances=acceptances, message=message,
                  ledger_url=export_url(("lookback_rounds",)),
                  may_import_ledger=importable(user, ("lookback_rounds",)))


def _photos(conn: sa.Connection, user: User, ids: tuple[int, ...]) -> list[dict[str, Any]]:
    found = []
    for photo_id in ids:
        try:
            found.append(describe(get_visible(conn, user, photo_id)))
        except PhotoNotFound:  # a photo the user may not see is left out
            continue
    return found


def _for_map(photos: list[dict[str, Any]], crs: DisplayCrs) -> list[dict[str, Any]]:
    shown = []
    for p in photos:
        p = dict(p)
        if p["lon"] is not None:
            p["lon"], p["lat"] = crs.point_out(p["lon"], p["lat"])
        if p["footprint"] is not None:
            p["footprint"] = crs.geometry_out(p["footprint"])
        shown.append(p)
    return shown


def decision_error(exc: Exception, note: str, lang: str) -> tuple[str, str]:
    """The field a refused decision concerns ("note", "photos" or "form") and the reader's
    sentence for it (the domain's errors are English sentences for the API)."""
    if isinstance(exc, MissingEvidence):
        return ("note", t("review.error.note", lang)) if not note.strip() else (
            "photos", t("review.error.photos", lang))
    if isinstance(exc, IllegalTransition):
        return "form", t("review.error.state", lang)
    if isinstance(exc, RejectedFile | FileTooLarge):
        return "photos", t("review.error.photo_file", lang, detail=str(exc))
    return "form", t("review.failed", lang, detail=str(exc))


def round_page(request: Request, conn: sa.Connection, user: User, r: Round, lang: str,
               now: datetime, errors: dict[str, str] | None = None, status: int = 200,
               typed: dict[str, str] | None = None,
               change_errors: dict[str, Any] | None = None) -> Response:
    """The round page: both rounds' maps and evidence, the change polygons, the decision."""
    crs = get_display_crs(request)
    earlier = [x for x in rounds_for(conn, user) if x.case_id == r.case_id
               and x.number == r.number - 1]
    s = SITES.table
    sites = conn.execute(sa.select(s).where(s.c.id.in_(r.site_ids))).mappings().all()
    geojson = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": mapping(x["geom"]),
         "properties": {"code": x["code"], "name": x["name"]}} for x in sites]}
    evidence = _photos(conn, user, r.evidence_photo_ids)
    previous = _photos(conn, user, earlier[0].evidence_photo_ids) if earlier else []
    flag = round_flag(r.state, r.window_start, r.window_end, now)
    return render(request, "review_round.html", lang, status_code=status, user=user, r=r,
                  flag=flag, sites=sites, evidence=evidence, previous=previous,
                  geojson=crs.features_out(geojson), shown=_for_map(evidence, crs),
                  shown_previous=_for_map(previous, crs),
                  errors=errors or {}, typed=typed or {"outcome": "passed", "note": ""},
                  change_errors=change_errors or {},
                  **change_context(conn, user, r, crs),
                  reviewable=flag in TO_REVIEW
                  and r.state not in ("passed", "recurred"))


@router.get("/review/{round_id}", response_class=HTMLResponse)
def review_round_page(round_id: IdPath, request: Request, engine: EngineDep, clock: ClockDep,
                      user: CurrentUser, lang: LangDep) -> Response:
    """One round: its site, footprints and evidence beside the previous round's."""
    _check(user)
    with engine.connect() as conn:
        return round_page(request, conn, user, round_for(conn, user, round_id), lang,
                           clock.now())


@router.post("/review/{round_id}", response_class=HTMLResponse)
def decide(round_id: IdPath, request: Request, engine: EngineDep, clock: ClockDep,
           user: CurrentUser, lang: LangDep, settings: SettingsDep,
           outcome: Annotated[str, Form()], note: Annotated[str, Form()] = "",
           photos: Annotated[list[UploadFile] | None, File()] = None) -> Response:
    """Record passed or recurred (with any photos uploaded here as more evidence)."""
    _check(user)
    try:
        ids = store_form_photos(photos, engine=engine, clock=clock, user=user,
                                store=file_store(settings),
                                options=UploadOptions.of(settings))
        with engine.begin() as conn:
            round_for(conn, user, round_id)
            lookbacks.review_round(conn, round_id=round_id, actor=user.actor, clock=clock,
                                   outcome=outcome, note=note, photo_ids=ids)
    except DOMAIN_ERRORS as exc:  # shown on the page, the form kept
        with engine.connect() as conn:
            r = round_for(conn, user, round_id)
            field, message = decision_error(exc, note, lang)
            return round_page(request, conn, user, r, lang, clock.now(),
                               errors={field: message}, status=status_of(exc)[0],
                               typed={"outcome": outcome, "note": note})
    return RedirectResponse(f"/review?done={round_id}&outcome={outcome}", status_code=303)
