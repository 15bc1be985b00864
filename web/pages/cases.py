"""The case list (filtered, as the dashboard's numbers link to it) and one case's page."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.engine import Engine

from imagery.store import FileStore
from inspections import audit, progress, workflow
from inspections.cases import Case, case_photo_ids
from inspections.clock import Clock
from web.accounts.users import User
from web.deps import ClockDep, CurrentUser, EngineDep, LangDep, SettingsDep
from web.errors import DOMAIN_ERRORS, status_of
from web.i18n import t
from web.pages.form_photos import store_form_photos
from web.pages.render import render
from web.services.records import case_for, cases_for, rounds_for
from web.services.uploads import UploadOptions

router = APIRouter(include_in_schema=False)


def _matches(case: Case, inspection: str | None, town: str | None, open_only: bool) -> bool:
    return ((inspection is None or case.inspection == inspection)
            and (town is None or case.responsible_unit.startswith(town))
            and (not open_only or case.state != "closed"))


@router.get("/cases", response_class=HTMLResponse)
def case_list(request: Request, engine: EngineDep, clock: ClockDep, user: CurrentUser,
              lang: LangDep, source: str | None = None, state: str | None = None,
              inspection: str | None = None, town: str | None = None,
              open_only: Annotated[bool, Query(alias="open")] = False) -> Response:
    """Cases the user sees, filtered like the dashboard's links ask."""
    with engine.connect() as conn:
        found = [c for c in cases_for(conn, user, source=source or None, state=state or None)
                 if _matches(c, inspection, town, open_only)]
    now = clock.now()
    rows = [(c, progress.progress(c, now, tz=clock.tz)) for c in found]
    return render(request, "cases.html", lang, user=user, rows=rows)


def _case_page(request: Request, engine: Engine, clock: Clock, user: User, lang: str,
               reference: str, error: str | None = None, status: int = 200) -> Response:
    with engine.connect() as conn:
        case = case_for(conn, user, reference)
        history = audit.case_timeline(conn, case.id)
        rounds = [r for r in rounds_for(conn, user) if r.case_id == case.id]
        photo_ids = case_photo_ids(conn, case.id)
    may_accept = case.state == "rectified" and user.role == "inspector"
    return render(request, "case.html", lang, status_code=status, user=user, case=case,
                  history=history, rounds=rounds, photo_ids=photo_ids, error=error,
                  p=progress.progress(case, clock.now(), tz=clock.tz), may_accept=may_accept)


@router.get("/cases/{reference}", response_class=HTMLResponse)
def case_page(reference: str, request: Request, engine: EngineDep, clock: ClockDep,
              user: CurrentUser, lang: LangDep) -> Response:
    """One case: target, measures, progress, look-back rounds, photos, history; for an
    inspector, a rectified case's acceptance (验收) form."""
    return _case_page(request, engine, clock, user, lang, reference)


@router.post("/cases/{reference}/acceptance", response_class=HTMLResponse)
def acceptance(reference: str, request: Request, engine: EngineDep, clock: ClockDep,
               user: CurrentUser, lang: LangDep, settings: SettingsDep,
               decision: Annotated[str, Form()], note: Annotated[str, Form()] = "",
               photos: Annotated[list[UploadFile] | None, File()] = None) -> Response:
    """Accept the fix on site (with photos) or return it for rework (with the reason)."""
    try:
        ids = store_form_photos(photos, engine=engine, clock=clock, user=user,
                                store=FileStore(settings.data_dir),
                                options=UploadOptions.of(settings))
        with engine.begin() as conn:
            case = case_for(conn, user, reference)
            if decision == "accept":
                workflow.accept(conn, case_id=case.id, actor=user.actor, clock=clock,
                                photo_ids=ids, note=note or None)
            else:
                workflow.return_for_rework(conn, case_id=case.id, actor=user.actor,
                                           clock=clock, note=note)
    except DOMAIN_ERRORS as exc:  # shown on the page, nothing recorded
        return _case_page(request, engine, clock, user, lang, reference,
                          error=t("review.failed", lang, detail=str(exc)),
                          status=status_of(exc)[0])
    return RedirectResponse(f"/cases/{quote(reference)}", status_code=303)
