"""下发督办单: the form that issues a supervision ticket, from a case (`?case=REF`), a site
(`?site=CODE`), a check's findings (`?check=ID`: its site, its case and the findings as the
request) or on its own, for the roles that issue tickets."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any
from urllib.parse import quote

import sqlalchemy as sa
from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.engine import Engine

from geo.layers import SITES
from inspections import tickets
from inspections.cases import Case
from inspections.checks import get_check
from inspections.checks import may_read as may_read_checks
from inspections.clock import Clock
from inspections.errors import NotAllowed, NotFound
from inspections.schema import cases
from inspections.schema import tickets as ticket_rows
from web.accounts.users import User
from web.deps import ClockDep, CurrentUser, EngineDep, LangDep
from web.errors import DOMAIN_ERRORS, status_of
from web.pages.render import render
from web.pages.ticket_forms import FormState, need_deadline, need_text, step_error
from web.services.records import case_for

router = APIRouter(include_in_schema=False)
ISSUING_ROLES = tuple(r for r in tickets.ISSUERS if r != "system")
DEFAULT_DAYS = 15  # the usual time a unit gets to act on a ticket


def _check_role(user: User) -> None:
    if user.role not in ISSUING_ROLES:
        raise NotAllowed(f"ticket: {user.name} ({user.role}) may not issue supervision "
                         f"tickets; only {', '.join(ISSUING_ROLES)} may")


def known_units(conn: sa.Connection) -> list[str]:
    """The responsible units named on cases and tickets, for the unit field's suggestions."""
    named = conn.execute(sa.union(sa.select(cases.c.responsible_unit),
                                  sa.select(ticket_rows.c.responsible_unit))).scalars()
    return sorted(set(named))


def _site(conn: sa.Connection, code: str) -> dict[str, Any]:
    table = SITES.table
    row = conn.execute(sa.select(table.c.id, table.c.code, table.c.name, table.c.kind)
                       .where(table.c.code == code).limit(1)).mappings().first()
    if row is None:
        raise NotFound(f"site {code}: no such site")
    return dict(row)


def _origin(conn: sa.Connection, user: User, case_ref: str | None,
            site_code: str | None) -> tuple[Case | None, dict[str, Any] | None]:
    case = case_for(conn, user, case_ref) if case_ref else None
    site = _site(conn, site_code) if site_code else None
    return case, site


def _defaults(case: Case | None, site: dict[str, Any] | None, clock: Clock) -> dict[str, str]:
    values = {"deadline": (clock.today() + timedelta(days=DEFAULT_DAYS)).isoformat()}
    if case is not None:
        values["responsible_unit"] = case.responsible_unit
        values["copy_to_leader"] = case.leader if case.key_case and case.leader else ""
    if site is not None:
        values["request"] = f"【{site['name']}】"
    return values


def _from_check(conn: sa.Connection, user: User, check_id: int) -> tuple[str | None,
                                                                          str | None, str]:
    """The site code, case reference (when the user may see the case) and findings of the
    check a ticket is issued from."""
    if not may_read_checks(user.role):
        raise NotAllowed(f"check {check_id}: {user.name} ({user.role}) may not read checks")
    check = get_check(conn, check_id)
    case_ref = check.case_reference
    if case_ref is not None:
        try:
            case_for(conn, user, case_ref)
        except NotFound:  # a case the user may not see: the ticket goes without it
            case_ref = None
    return case_ref, check.site_code, check.findings


def _form(request: Request, engine: Engine, clock: Clock, user: User, lang: str,
          case_ref: str | None, site_code: str | None, form: FormState | None = None,
          error: str | None = None, status: int = 200, check_id: int | None = None) -> Response:
    _check_role(user)
    findings = None
    with engine.connect() as conn:
        if check_id is not None:
            case_ref, site_code, findings = _from_check(conn, user, check_id)
        case, site = _origin(conn, user, case_ref, site_code)
        units = known_units(conn)
    if form is None:
        form = FormState(_defaults(case, site, clock))
        if findings is not None:
            form.values["request"] = findings
    return render(request, "ticket_new.html", lang, status_code=status, user=user, case=case,
                  site=site, units=units, form=form, error=error, check_id=check_id,
                  today=clock.today().isoformat())


@router.get("/tickets/new", response_class=HTMLResponse)
def new_ticket(request: Request, engine: EngineDep, clock: ClockDep, user: CurrentUser,
               lang: LangDep, case: str | None = None, site: str | None = None,
               check: int | None = None) -> Response:
    """The form to issue a ticket (inspectors, leaders, admins), filled from the case, the
    site or the check."""
    return _form(request, engine, clock, user, lang, case or None, site or None,
                 check_id=check)


@router.post("/tickets/new", response_class=HTMLResponse)
def issue(request: Request, engine: EngineDep, clock: ClockDep, user: CurrentUser,
          lang: LangDep, responsible_unit: Annotated[str, Form()] = "",
          request_text: Annotated[str, Form(alias="request")] = "",
          deadline: Annotated[str, Form()] = "", copy_to_leader: Annotated[str, Form()] = "",
          case: Annotated[str, Form()] = "", site: Annotated[str, Form()] = "",
          check: Annotated[str, Form()] = "") -> Response:
    """Issue the ticket, with the case, site and check it came from; the form again, what
    was typed kept, when a field is wrong."""
    _check_role(user)
    check_id = int(check) if check.isascii() and check.isdigit() else None
    form = FormState({"responsible_unit": responsible_unit, "request": request_text,
                      "deadline": deadline, "copy_to_leader": copy_to_leader})
    unit = need_text(form, "responsible_unit", "tk.error.unit_empty", lang)
    text = need_text(form, "request", "tk.error.request_empty", lang)
    day = need_deadline(form, "deadline", clock.today(), lang)
    if not form.ok or day is None:
        return _form(request, engine, clock, user, lang, case or None, site or None, form,
                     status=422, check_id=check_id)
    try:
        with engine.begin() as conn:
            origin = case_for(conn, user, case) if case else None
            if check_id is not None:
                _from_check(conn, user, check_id)  # the check exists and the user reads it
            ticket_id = tickets.issue_ticket(
                conn, actor=user.actor, clock=clock, responsible_unit=unit, deadline=day,
                request=text, case_id=origin.id if origin else None,
                copy_to_leader=copy_to_leader.strip() or None,
                site_id=_site(conn, site)["id"] if site else None, check_id=check_id)
            number = tickets.get_ticket(conn, ticket_id).number
    except DOMAIN_ERRORS as exc:
        return _form(request, engine, clock, user, lang, case or None, site or None, form,
                     error=step_error(exc, lang), status=status_of(exc)[0], check_id=check_id)
    return RedirectResponse(f"/tickets/{quote(number)}?done=issue", status_code=303)

