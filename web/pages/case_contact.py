"""A case's own contact for its closure report (联系人、联系电话、电子邮箱), set by a leader or
an admin on a page of its own: what the report names over the rectification task's and the
installation's, field by field (inspections.contact)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

import sqlalchemy as sa
from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from inspections.cases import Case
from inspections.contact import SETTERS, Contact, case_contact, merged, set_case_contact
from inspections.errors import InvalidInput, NotAllowed
from inspections.rectification_tasks import get_task
from web.accounts.users import User
from web.deps import ClockDep, CurrentUser, EngineDep, LangDep, SettingsDep
from web.i18n import t
from web.pages.render import render
from web.services.records import case_for
from web.services.report_docs import report_contact
from web.settings import Settings

router = APIRouter(include_in_schema=False)
FIELDS = ("person", "phone", "email")


def _setter(user: User, case: Case) -> None:
    if user.role not in SETTERS:
        raise NotAllowed(f"case {case.reference}: role {user.role!r} may not set the "
                         f"report's contact; only {', '.join(SETTERS)}")


def inherited(conn: sa.Connection, case: Case, settings: Settings) -> Contact:
    """What the report names where the case sets nothing: its task's over the settings'."""
    task = get_task(conn, case.task_id).contact if case.task_id is not None else None
    return merged(report_contact(settings), task)


def effective(conn: sa.Connection, case: Case, settings: Settings) -> Contact:
    """What the case's closure report names: its own contact over what it inherits."""
    return merged(inherited(conn, case, settings), case_contact(conn, case.id))


def _page(request: Request, conn: sa.Connection, case: Case, user: User, lang: str,
          settings: Settings, values: dict[str, str], errors: dict[str, str],
          status: int = 200, saved: bool = False) -> Response:
    return render(request, "case_contact.html", lang, status_code=status, user=user,
                  case=case, values=values, errors=errors, saved=saved,
                  below=inherited(conn, case, settings))


@router.get("/cases/{reference}/contact", response_class=HTMLResponse)
def contact_page(reference: str, request: Request, engine: EngineDep, user: CurrentUser,
                 lang: LangDep, settings: SettingsDep, done: str | None = None) -> Response:
    """The case's own contact, with what holds where it sets none."""
    with engine.connect() as conn:
        case = case_for(conn, user, reference)
        _setter(user, case)
        own = case_contact(conn, case.id)
        values = {name: getattr(own, name) or "" for name in FIELDS}
        return _page(request, conn, case, user, lang, settings, values, {},
                     saved=done == "saved")


def _field_of(exc: InvalidInput, lang: str) -> tuple[str, str]:
    text = str(exc)
    for name in FIELDS:
        if f"contact {name}" in text:
            key = f"rtask.error.contact_{name}"
            return name, t(key, lang) if name != "person" else t("contact.error.long", lang)
    return "form", text


@router.post("/cases/{reference}/contact", response_class=HTMLResponse)
def save_contact(reference: str, request: Request, engine: EngineDep, clock: ClockDep,
                 user: CurrentUser, lang: LangDep, settings: SettingsDep,
                 person: Annotated[str, Form()] = "", phone: Annotated[str, Form()] = "",
                 email: Annotated[str, Form()] = "") -> Response:
    """Save the case's own contact (a field left empty: the task's or the settings' holds);
    a refusal shows the form again, the error beside its field, what was typed kept."""
    try:
        with engine.begin() as conn:
            case = case_for(conn, user, reference)
            _setter(user, case)
            set_case_contact(conn, case_id=case.id, actor=user.actor, clock=clock,
                             contact=Contact(person, phone, email))
    except InvalidInput as exc:
        field, message = _field_of(exc, lang)
        with engine.connect() as conn:
            case = case_for(conn, user, reference)
            return _page(request, conn, case, user, lang, settings,
                         {"person": person, "phone": phone, "email": email},
                         {field: message}, status=422)
    return RedirectResponse(f"/cases/{quote(reference, safe='')}/contact?done=saved",
                            status_code=303)
