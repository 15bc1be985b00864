"""新建案件: a leader opens a feedback problem (督察反馈问题) or a petition (信访件) with its
measures (整改措施), deadline (整改时限), responsible unit (责任单位), leader in charge
(领办领导) and key-case mark (重点问题), through inspections.cases.create_case."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated
from urllib.parse import quote

import sqlalchemy as sa
from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.engine import Engine

from geo.layers import SITES
from inspections.cases import create_case
from inspections.errors import NotAllowed
from web.accounts.schema import users
from web.accounts.users import User
from web.deps import ClockDep, CurrentUser, EngineDep, LangDep
from web.errors import DOMAIN_ERRORS, status_of
from web.i18n import t
from web.pages.case_errors import page_error
from web.pages.render import render
from web.services.sites import find_sites

router = APIRouter(include_in_schema=False)

NEW_ROLES = ("leader", "admin")
SOURCES = ("inspection_feedback", "petition")
REQUIRED = ("reference", "title", "responsible_unit", "target", "deadline", "measures",
            "agency")


def _only_leaders(user: User) -> None:
    if user.role not in NEW_ROLES:
        raise NotAllowed(f"new case: role {user.role!r} may not open cases here; "
                         "only a leader or an admin")


def _choices(engine: Engine) -> dict[str, list]:
    """The units and agencies the accounts name, and the sites (code, name), offered as the
    fields' suggestions."""
    u, s = users, SITES.table
    with engine.connect() as conn:
        found: dict[str, list] = {
            field: sorted(set(conn.execute(sa.select(u.c[field])
                                           .where(u.c[field].is_not(None))).scalars()))
            for field in ("unit", "agency")}
        found["site"] = list(conn.execute(sa.select(s.c.code, s.c.name).order_by(s.c.code)))
    return found


SITE_SEPARATORS = re.compile(r"[\s,，、;；]+")


def _site_ids(conn: sa.Connection, text: str, lang: str) -> tuple[list[int], str | None]:
    """The ids of the sites the field names by code (separated by commas, 、 or spaces), or
    the problem naming the first code that is no site."""
    ids, missing = find_sites(conn, [c for c in SITE_SEPARATORS.split(text.strip()) if c])
    return ids, t("loop.error.site", lang, code=missing[0]) if missing else None


def _form_page(request: Request, engine: Engine, user: User, lang: str,
               form: dict[str, str], errors: dict[str, str], status: int = 200) -> Response:
    return render(request, "case_new.html", lang, status_code=status, user=user, form=form,
                  errors=errors, sources=SOURCES, choices=_choices(engine))


@router.get("/cases/new", response_class=HTMLResponse)
def new_case_form(request: Request, engine: EngineDep, user: CurrentUser,
                  lang: LangDep) -> Response:
    """The empty form (leaders and admins)."""
    _only_leaders(user)
    return _form_page(request, engine, user, lang, {"source": "inspection_feedback"}, {})


def _check(form: dict[str, str], lang: str) -> tuple[dict[str, str], dict[str, object]]:
    """The form's own errors by field, and the values create_case takes."""
    errors = {f: t("loop.error.required", lang) for f in REQUIRED if not form[f].strip()}
    values: dict[str, object] = {}
    if form["source"] not in SOURCES:
        errors["source"] = t("loop.error.required", lang)
    if form["deadline"].strip() and "deadline" not in errors:
        try:
            values["deadline"] = date.fromisoformat(form["deadline"].strip())
        except ValueError:
            errors["deadline"] = t("loop.error.date", lang)
    if form["source"] == "petition":
        batch = form["batch"].strip()
        if not batch.isdigit() or int(batch) < 1:
            errors["batch"] = t("loop.error.batch", lang)
        else:
            values["batch"] = int(batch)
    values["measures"] = [m.strip() for m in form["measures"].splitlines() if m.strip()]
    return errors, values


@router.post("/cases/new", response_class=HTMLResponse)
def new_case(request: Request, engine: EngineDep, clock: ClockDep, user: CurrentUser,
             lang: LangDep, source: Annotated[str, Form()] = "",
             reference: Annotated[str, Form()] = "", title: Annotated[str, Form()] = "",
             description: Annotated[str, Form()] = "", target: Annotated[str, Form()] = "",
             responsible_unit: Annotated[str, Form()] = "",
             leader: Annotated[str, Form()] = "", deadline: Annotated[str, Form()] = "",
             measures: Annotated[str, Form()] = "", inspection: Annotated[str, Form()] = "",
             batch: Annotated[str, Form()] = "", agency: Annotated[str, Form()] = "",
             key_case: Annotated[str, Form()] = "",
             sites: Annotated[str, Form()] = "") -> Response:
    """Open the case and show it; or the form again with the errors and what was typed."""
    _only_leaders(user)
    form = {"source": source, "reference": reference, "title": title,
            "description": description, "target": target, "responsible_unit": responsible_unit,
            "leader": leader, "deadline": deadline, "measures": measures,
            "inspection": inspection, "batch": batch, "key_case": key_case, "agency": agency,
            "sites": sites}
    errors, values = _check(form, lang)
    if errors:
        return _form_page(request, engine, user, lang, form, errors, status=422)
    try:
        with engine.begin() as conn:
            site_ids, problem = _site_ids(conn, sites, lang)
            if problem:
                return _form_page(request, engine, user, lang, form, {"sites": problem},
                                  status=422)
            create_case(conn, actor=user.actor, clock=clock, source=source, site_ids=site_ids,
                        reference=reference, title=title, description=description.strip(),
                        responsible_unit=responsible_unit, target=target,
                        leader=leader.strip() or None, inspection=inspection.strip() or None,
                        key_case=bool(key_case), lookback_agency=agency.strip() or None,
                        **values)  # type: ignore[arg-type]
    except DOMAIN_ERRORS as exc:
        field, message = page_error(exc, lang)
        return _form_page(request, engine, user, lang, form, {field: message},
                          status=status_of(exc)[0])
    return RedirectResponse(f"/cases/{quote(reference.strip())}", status_code=303)
