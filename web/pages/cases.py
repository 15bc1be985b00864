"""The case pages: the list (case_list), the new-case form (case_new), one case's page with
the steps its user may take now (case_steps), and the inspector's acceptance form."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.engine import Engine

from inspections import progress, workflow
from inspections.clock import Clock
from web.accounts.users import User
from web.deps import ClockDep, CurrentUser, EngineDep, LangDep, SettingsDep, get_settings
from web.errors import DOMAIN_ERRORS, status_of
from web.pages import case_assess, case_list, case_new, case_steps
from web.pages.case_contact import effective
from web.pages.case_errors import page_error
from web.pages.case_view import page_context
from web.pages.form_photos import store_form_photos
from web.pages.render import render
from web.services.records import case_for, rounds_for
from web.services.uploads import UploadOptions
from web.store import file_store

router = APIRouter(include_in_schema=False)
# before /cases/{ref}
for part in (case_list.router, case_new.router, case_steps.router, case_assess.router):
    router.include_router(part)


def case_page_response(request: Request, engine: Engine, clock: Clock, user: User, lang: str,
                       reference: str, *, status: int = 200,
                       error: tuple[str, str] | None = None, step: str | None = None,
                       form: dict[str, Any] | None = None) -> Response:
    """The case page; after a refused step, that step's form open with its error beside
    the field and what was typed."""
    with engine.connect() as conn:
        case = case_for(conn, user, reference)
        context = page_context(conn, case, user, clock, lang)
        rounds = [r for r in rounds_for(conn, user) if r.case_id == case.id]
        contact = effective(conn, case, get_settings(request))
    field, message = error or (None, None)
    base = (step or "").split("-")[0]
    offered = {"dismiss": "decide", "uphold": "decide", "return": "accept"}.get(base, base)
    banner = message if message and offered not in context["actions"] else None
    return render(request, "case.html", lang, status_code=status, user=user, rounds=rounds,
                  p=progress.progress(case, clock.now(), tz=clock.tz), open_step=step,
                  form=form or {}, error_field=field, error=message, banner=banner,
                  done=request.query_params.get("done"), contact=contact, **context)


@router.get("/cases/{reference}", response_class=HTMLResponse)
def case_page(reference: str, request: Request, engine: EngineDep, clock: ClockDep,
              user: CurrentUser, lang: LangDep) -> Response:
    """One case: header, the steps the user may take now, measures, photos, rounds and
    history."""
    return case_page_response(request, engine, clock, user, lang, reference)


@router.post("/cases/{reference}/acceptance", response_class=HTMLResponse)
def acceptance(reference: str, request: Request, engine: EngineDep, clock: ClockDep,
               user: CurrentUser, lang: LangDep, settings: SettingsDep,
               decision: Annotated[str, Form()], note: Annotated[str, Form()] = "",
               photos: Annotated[list[UploadFile] | None, File()] = None) -> Response:
    """Accept the fix on site (with photos) or return it for rework (with the reason)."""
    step = "accept" if decision == "accept" else "return"
    try:
        ids = store_form_photos(photos, engine=engine, clock=clock, user=user,
                                store=file_store(settings),
                                options=UploadOptions.of(settings))
        with engine.begin() as conn:
            case = case_for(conn, user, reference)
            if step == "accept":
                workflow.accept(conn, case_id=case.id, actor=user.actor, clock=clock,
                                photo_ids=ids, note=note or None)
            else:
                workflow.return_for_rework(conn, case_id=case.id, actor=user.actor,
                                           clock=clock, note=note)
    except DOMAIN_ERRORS as exc:  # shown beside the field, nothing recorded
        return case_page_response(request, engine, clock, user, lang, reference,
                                  status=status_of(exc)[0], error=page_error(exc, lang),
                                  step=step, form={"note": note})
    return RedirectResponse(f"/cases/{quote(reference)}?done={step}", status_code=303)
