"""One supervision ticket's page (督办单): its header, the steps the user may take now (答复,
退回重办, 核实) as forms, its evidence photos and its history in Chinese, in local time."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.engine import Connection, Engine

from imagery.errors import ImageryError
from inspections import audit, tickets
from inspections import cases as case_store
from inspections.clock import Clock, aware
from inspections.errors import IllegalTransition, NotAllowed
from web.accounts.users import User
from web.deps import ClockDep, CurrentUser, EngineDep, LangDep, SettingsDep
from web.errors import DOMAIN_ERRORS, status_of
from web.i18n import t
from web.pages.form_photos import store_form_photos
from web.pages.render import render
from web.pages.ticket_forms import (
    FormState,
    day_text,
    days_text,
    need_deadline,
    need_text,
    photo_error,
    step_error,
)
from web.services.records import ticket_for
from web.services.sites import names_of
from web.services.uploads import UploadOptions
from web.store import file_store

router = APIRouter(include_in_schema=False)


def when_text(at: datetime, clock: Clock, lang: str) -> str:
    """A moment in the district's time: 2022年6月10日 09:00."""
    local = aware(at).astimezone(clock.tz)
    return f"{day_text(local.date(), lang)} {local:%H:%M}"


def _event(entry: Any, clock: Clock, lang: str) -> dict[str, Any]:
    data = entry["data"] if isinstance(entry["data"], dict) else {}
    deadline = data.get("deadline") if entry["action"] in ("ticket.issue",
                                                            "ticket.return") else None
    key = f"tk.event.{entry['action']}"
    return {"at": when_text(entry["at"], clock, lang), "actor": entry["actor"],
            "role": entry["role"], "action": entry["action"],
            "label": t(key, lang) if key.startswith("tk.event.ticket.") else entry["action"],
            "note": entry["note"], "photo_ids": data.get("photo_ids") or [],
            "deadline": day_text(datetime.fromisoformat(str(deadline)).date(), lang)
            if deadline else None}


def _step_done(request: Request) -> str | None:
    """The step just taken, from the redirect's `?done=` (anything else is ignored)."""
    done = request.query_params.get("done")
    return done if done in ("issue", "respond", "return", "verify") else None


def _page(request: Request, engine: Engine, clock: Clock, user: User, lang: str,
          number: str, *, step: str | None = None, form: FormState | None = None,
          error: str | None = None, status: int = 200) -> Response:
    with engine.connect() as conn:
        ticket = ticket_for(conn, user, tickets.find_ticket(conn, number))
        history = audit.history(conn, "ticket", ticket.id)
        case = case_store.get_case(conn, ticket.case_id) if ticket.case_id else None
        site = names_of(conn, {ticket.site_id}).get(ticket.site_id) if ticket.site_id else None
        returned = ticket.id in tickets.returned_ids(conn)
    today = clock.today()
    return render(request, "ticket.html", lang, status_code=status, user=user, ticket=ticket,
                  case=case, site=site, returned=returned,
                  actions=tickets.actions_for(ticket, user.actor),
                  history=[_event(e, clock, lang) for e in history],
                  deadline_text=day_text(ticket.deadline, lang),
                  days=days_text(ticket.deadline, today, lang),
                  late=ticket.state in ("issued", "overdue") and ticket.deadline < today,
                  today=today.isoformat(), step=step, form=form or FormState(), error=error,
                  done=_step_done(request), when=lambda at: when_text(at, clock,
                                                                                   lang))


@router.get("/tickets/{number}", response_class=HTMLResponse)
def ticket_page(number: str, request: Request, engine: EngineDep, clock: ClockDep,
                user: CurrentUser, lang: LangDep) -> Response:
    """The ticket, the steps the user may take now, its photos and its history."""
    return _page(request, engine, clock, user, lang, number)


def _done(number: str, step: str) -> RedirectResponse:
    return RedirectResponse(f"/tickets/{quote(number)}?done={step}", status_code=303)


def _refused(request: Request, engine: Engine, clock: Clock, user: User, lang: str,
             number: str, step: str, form: FormState, exc: Exception | None = None) -> Response:
    """The page again with the step's form open, what was typed kept and the errors shown."""
    error = step_error(exc, lang) if exc is not None else None
    status = status_of(exc)[0] if exc is not None else 422
    return _page(request, engine, clock, user, lang, number, step=step, form=form,
                 error=error, status=status)


@router.post("/tickets/{number}/respond", response_class=HTMLResponse)
def respond(number: str, request: Request, engine: EngineDep, clock: ClockDep,
            user: CurrentUser, lang: LangDep, settings: SettingsDep,
            response: Annotated[str, Form()] = "",
            photos: Annotated[list[UploadFile] | None, File()] = None) -> Response:
    """答复督办单: the unit's answer with its evidence photos."""
    form = FormState({"response": response})
    text = need_text(form, "response", "tk.error.response_empty", lang)
    if not form.ok:
        return _refused(request, engine, clock, user, lang, number, "respond", form)
    try:
        with engine.connect() as conn:  # refuse a step the user may not take before storing
            ticket = ticket_for(conn, user, tickets.find_ticket(conn, number))
        if "respond" not in tickets.actions_for(ticket, user.actor):
            raise (IllegalTransition if ticket.state not in ("issued", "overdue") else
                   NotAllowed)(f"ticket {number}: {user.name} may not respond now")
        ids = store_form_photos(photos, engine=engine, clock=clock, user=user,
                                store=file_store(settings),
                                options=UploadOptions.of(settings))
    except ImageryError as exc:
        form.errors["photos"] = photo_error(exc, lang)
        return _refused(request, engine, clock, user, lang, number, "respond", form)
    except DOMAIN_ERRORS as exc:
        return _refused(request, engine, clock, user, lang, number, "respond", form, exc)
    try:
        with engine.begin() as conn:
            tickets.respond(conn, ticket_id=ticket.id, actor=user.actor, clock=clock,
                            response=text, photo_ids=ids)
    except DOMAIN_ERRORS as exc:
        return _refused(request, engine, clock, user, lang, number, "respond", form, exc)
    return _done(number, "respond")


def _take(request: Request, engine: Engine, clock: Clock, user: User, lang: str, number: str,
          step: str, form: FormState, act: Callable[[Connection, Any], object]) -> Response:
    """Take a step on a ticket the user may see, in one transaction; the page says how it
    went (the form kept and the error beside it when refused)."""
    try:
        with engine.begin() as conn:
            act(conn, ticket_for(conn, user, tickets.find_ticket(conn, number)))
    except DOMAIN_ERRORS as exc:
        return _refused(request, engine, clock, user, lang, number, step, form, exc)
    return _done(number, step)


@router.post("/tickets/{number}/return", response_class=HTMLResponse)
def return_ticket(number: str, request: Request, engine: EngineDep, clock: ClockDep,
                  user: CurrentUser, lang: LangDep, reason: Annotated[str, Form()] = "",
                  deadline: Annotated[str, Form()] = "") -> Response:
    """退回重办: the answer goes back to the unit with the reason and a new deadline."""
    form = FormState({"reason": reason, "deadline": deadline})
    text = need_text(form, "reason", "tk.error.reason_empty", lang)
    day = need_deadline(form, "deadline", clock.today(), lang)
    if not form.ok or day is None:
        return _refused(request, engine, clock, user, lang, number, "return", form)
    return _take(request, engine, clock, user, lang, number, "return", form,
                 lambda conn, ticket: tickets.return_ticket(
                     conn, ticket_id=ticket.id, actor=user.actor, clock=clock, reason=text,
                     deadline=day))


@router.post("/tickets/{number}/verify", response_class=HTMLResponse)
def verify(number: str, request: Request, engine: EngineDep, clock: ClockDep,
           user: CurrentUser, lang: LangDep, note: Annotated[str, Form()] = "") -> Response:
    """核实: the answer is confirmed and the ticket is finished."""
    return _take(request, engine, clock, user, lang, number, "verify", FormState({"note": note}),
                 lambda conn, ticket: tickets.verify(
                     conn, ticket_id=ticket.id, actor=user.actor, clock=clock,
                     note=note.strip() or None))
