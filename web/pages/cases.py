"""The case list (filtered, as the dashboard's numbers link to it) and one case's page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from inspections import audit, progress
from inspections.cases import Case, case_photo_ids
from web.deps import ClockDep, CurrentUser, EngineDep, LangDep
from web.pages.render import render
from web.services.records import case_for, cases_for, rounds_for

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
    rows = [(c, progress.progress(c, now)) for c in found]
    return render(request, "cases.html", lang, user=user, rows=rows)


@router.get("/cases/{reference}", response_class=HTMLResponse)
def case_page(reference: str, request: Request, engine: EngineDep, clock: ClockDep,
              user: CurrentUser, lang: LangDep) -> Response:
    """One case: target, measures, progress, look-back rounds, photos, history."""
    with engine.connect() as conn:
        case = case_for(conn, user, reference)
        history = audit.history(conn, "case", case.id)
        rounds = [r for r in rounds_for(conn, user) if r.case_id == case.id]
        photo_ids = case_photo_ids(conn, case.id)
    return render(request, "case.html", lang, user=user, case=case, history=history,
                  rounds=rounds, photo_ids=photo_ids, p=progress.progress(case, clock.now()))
