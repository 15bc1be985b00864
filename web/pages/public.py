"""The public notice (公示), without login: cases in their notice period and recently closed,
with what was done and where, the assessment group's conclusion, and an objection form.
Nothing private is shown: no photos, no people, no internal notes, no contacts."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from geo.layers import SITES
from inspections import workflow
from inspections.actors import Actor
from inspections.assessment import latest_conclusions
from inspections.cases import Case, find_case, get_cases
from inspections.clock import day_start, to_utc
from inspections.errors import InvalidInput, NotFound
from inspections.schema import cases
from web.accounts.schema import security_events
from web.accounts.sessions import log_event
from web.deps import ClockDep, EngineDep, LangDep, WallClockDep, client_ip
from web.errors import DOMAIN_ERRORS, status_of
from web.i18n import t
from web.pages.render import render

router = APIRouter(include_in_schema=False)
PUBLIC = Actor("公众（网上公示）", "system")
RECENT_DAYS = 90  # closed cases stay on the page this long
MAX_BODY = 16 * 1024
PER_HOUR = 5  # objections from one address


class TooLarge(InvalidInput):
    """A public form larger than allowed."""


def _public_cases(conn: sa.Connection, today: date,
                  tz: ZoneInfo) -> tuple[list[Case], list[Case]]:
    noticed = conn.execute(sa.select(cases.c.id).where(
        cases.c.state == "publicised", cases.c.notice_end >= today)).scalars().all()
    since = to_utc(day_start(today - timedelta(days=RECENT_DAYS), tz))
    closed = conn.execute(sa.select(cases.c.id).where(
        cases.c.state == "closed", cases.c.closed_at >= since)
        .order_by(cases.c.closed_at.desc())).scalars().all()
    return get_cases(conn, noticed), get_cases(conn, closed)


def _places(conn: sa.Connection, found: list[Case]) -> dict[int, list[dict[str, Any]]]:
    ids = {s for c in found for s in c.site_ids}
    t_ = SITES.table
    rows = conn.execute(sa.select(t_.c.id, t_.c.name, t_.c.town, t_.c.geom)
                        .where(t_.c.id.in_(ids))).all() if ids else []
    by_id = {r.id: {"name": r.name, "town": r.town,
                    "lon": round(r.geom.representative_point().x, 4),
                    "lat": round(r.geom.representative_point().y, 4)} for r in rows}
    return {c.id: [by_id[s] for s in c.site_ids if s in by_id] for c in found}


@router.get("/public", response_class=HTMLResponse)
def notices(request: Request, engine: EngineDep, clock: ClockDep, lang: LangDep) -> Response:
    """Cases on public notice now, and those closed lately."""
    today = clock.today()
    with engine.connect() as conn:
        noticed, closed = _public_cases(conn, today, clock.tz)
        places = _places(conn, noticed + closed)
        conclusions = latest_conclusions(conn, [c.id for c in noticed + closed])
    return render(request, "public.html", lang, user=None, noticed=noticed, closed=closed,
                  places=places, conclusions=conclusions, today=today)


def _noticed(conn: sa.Connection, reference: str) -> Case:
    case = find_case(conn, reference)
    if case.state not in ("publicised", "closed"):
        raise NotFound(f"case {reference}: not on public notice")
    return case


def _page(request: Request, engine: Any, clock: Any, lang: str, reference: str,
          **extra: Any) -> Response:
    today = clock.today()
    with engine.connect() as conn:
        case = _noticed(conn, reference)
        places = _places(conn, [case])
        conclusion = latest_conclusions(conn, [case.id]).get(case.id)
    open_ = case.state == "publicised" and case.notice_end is not None \
        and case.notice_start <= today <= case.notice_end
    status = extra.pop("status", 200)
    return render(request, "public_case.html", lang, status_code=status, user=None, case=case,
                  places=places[case.id], conclusion=conclusion, open_for_objections=open_,
                  received=request.query_params.get("received") == "1", **extra)


@router.get("/public/cases/{reference}", response_class=HTMLResponse)
def notice(reference: str, request: Request, engine: EngineDep, clock: ClockDep,
           lang: LangDep) -> Response:
    """One case's public notice, with the objection form while the notice period runs."""
    return _page(request, engine, clock, lang, reference)


def _check_rate(conn: sa.Connection, ip: str, now: Any) -> None:
    e = security_events
    recent = conn.execute(sa.select(sa.func.count()).where(
        e.c.kind == "public_objection", e.c.ip == ip,
        e.c.at >= to_utc(now - timedelta(hours=1)))).scalar_one()
    if recent >= PER_HOUR:
        raise InvalidInput(f"objections from {ip}: at most {PER_HOUR} an hour; try later")


@router.post("/public/cases/{reference}/objections", response_class=HTMLResponse)
def object_to(reference: str, request: Request, engine: EngineDep, clock: ClockDep,
              wall: WallClockDep, lang: LangDep, text: Annotated[str, Form(max_length=2000)],
              contact: Annotated[str, Form(max_length=100)],
              name: Annotated[str, Form(max_length=50)] = "") -> Response:
    """Record an objection on the case's timeline for the bureau to uphold or dismiss."""
    ip = client_ip(request)
    try:
        if int(request.headers.get("content-length") or 0) > MAX_BODY:
            raise TooLarge(f"objection: larger than {MAX_BODY // 1024} KB")
        if not contact.strip():
            raise InvalidInput("contact: say how the bureau can reach you")
        with engine.begin() as conn:
            _check_rate(conn, ip, wall.now())
            case = _noticed(conn, reference)
            workflow.record_objection(conn, case_id=case.id, actor=PUBLIC, clock=clock,
                                      text=text, contact=contact.strip(),
                                      submitter=name.strip() or None)
            log_event(conn, kind="public_objection", now=wall.now(), ip=ip,
                      detail=f"objection to {reference}")
    except DOMAIN_ERRORS as exc:
        status = 413 if isinstance(exc, TooLarge) else status_of(exc)[0]
        return _page(request, engine, clock, lang, reference, status=status,
                     error=t("public.refused", lang, detail=str(exc)))
    return RedirectResponse(f"/public/cases/{reference}?received=1", status_code=303)
