"""Accounts (账号管理) in the browser, for administrators: the list, a new account (role and
what binds it: grid cells, agency, unit), another role or binding for an account, disable and
enable, and a password reset shown once. The same rules as `lookback users add`
(web.accounts.users)."""

from __future__ import annotations

from itertools import groupby
from typing import Annotated

import sqlalchemy as sa
from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from geo.layers import GRID_CELLS
from inspections.errors import NotAllowed
from web.accounts.errors import InvalidAccount, UnknownUser
from web.accounts.schema import USER_ROLES
from web.accounts.users import (
    User,
    add_user,
    change_role,
    find_user,
    list_users,
    new_password,
    reset_password,
    set_active,
)
from web.deps import ClockDep, CurrentUser, EngineDep, LangDep
from web.i18n import t
from web.i18n.catalog import MESSAGES
from web.pages.listing import paginate
from web.pages.render import render

router = APIRouter(include_in_schema=False)
DONE = ("created", "disabled", "enabled")
ONE_DONE = ("disabled", "enabled", "changed")  # what the account's own page confirms


def _admin(user: User) -> None:
    if user.role != "admin":
        raise NotAllowed(f"accounts: role {user.role!r} may not manage accounts; only admin")


def grid_choices(conn: sa.Connection, lang: str) -> list[tuple[str, list[sa.Row]]]:
    """Every grid cell (code, name), grouped by town, towns and codes in order."""
    cells = GRID_CELLS.table
    rows = conn.execute(sa.select(cells.c.code, cells.c.name, cells.c.town)
                        .order_by(cells.c.town, cells.c.code)).all()
    return [(town or t("accounts.no_town", lang), list(group))
            for town, group in groupby(rows, key=lambda r: r.town)]


@router.get("/accounts", response_class=HTMLResponse)
def accounts_page(request: Request, engine: EngineDep, user: CurrentUser, lang: LangDep,
                  page: int = 1, done: str | None = None, name: str | None = None
                  ) -> Response:
    """Every account, by name, 50 a page."""
    _admin(user)
    with engine.connect() as conn:
        everyone = list_users(conn)
        shown = find_user(conn, name) if name and done in DONE else None
    message = None
    if shown is not None:
        message = t(f"accounts.{done}" if done == "created" else f"accounts.{done}_done",
                    lang, name=shown[0].name, role=t(f"role.{shown[0].role}", lang))
    return render(request, "accounts.html", lang, user=user, listing=paginate(everyone, page),
                  total=len(everyone), message=message)


def _form(request: Request, conn: sa.Connection, user: User, lang: str,
          values: dict[str, object], errors: dict[str, str], status: int = 200,
          shown: User | None = None) -> Response:
    """The new-account form, or with `shown` the form changing that account's role."""
    return render(request, "accounts_new.html" if shown is None else "accounts_edit.html",
                  lang, status_code=status, user=user, shown=shown,
                  roles=USER_ROLES, towns=grid_choices(conn, lang), values=values,
                  errors=errors, known_units=_known(conn, "unit"),
                  known_agencies=_known(conn, "agency"))


def _known(conn: sa.Connection, what: str) -> list[str]:
    return sorted({getattr(u, what) for u in list_users(conn) if getattr(u, what)})


@router.get("/accounts/new", response_class=HTMLResponse)
def new_account_page(request: Request, engine: EngineDep, user: CurrentUser,
                     lang: LangDep) -> Response:
    """The form for a new account."""
    _admin(user)
    with engine.connect() as conn:
        return _form(request, conn, user, lang, {"role": "", "grid": []}, {})


def error_message(exc: InvalidAccount, lang: str) -> str:
    """The reader's sentence for an account refused by the rules (the field's own wording
    when the reason depends on the field)."""
    for key in (f"accounts.error.{exc.reason}.{exc.field}", f"accounts.error.{exc.reason}"):
        if key in MESSAGES:
            return t(key, lang, **exc.values)
    return str(exc)


@router.post("/accounts", response_class=HTMLResponse)
def create_account(request: Request, engine: EngineDep, clock: ClockDep, user: CurrentUser,
                   lang: LangDep, name: Annotated[str, Form()] = "",
                   password: Annotated[str, Form()] = "", role: Annotated[str, Form()] = "",
                   grid: Annotated[list[str] | None, Form()] = None,
                   agency: Annotated[str, Form()] = "", unit: Annotated[str, Form()] = ""
                   ) -> Response:
    """Create the account; a refusal shows the form again, the error beside its field and
    everything typed kept except the password."""
    _admin(user)
    now = clock.now()  # read before the writing transaction opens
    try:
        with engine.begin() as conn:
            made = add_user(conn, name=name, password=password, role=role, now=now,
                            grids=grid or [], agency=agency.strip() or None,
                            unit=unit.strip() or None)
    except InvalidAccount as exc:
        values = {"name": name, "role": role, "grid": grid or [], "agency": agency,
                  "unit": unit}
        with engine.connect() as conn:
            return _form(request, conn, user, lang, values,
                         {exc.field or "form": error_message(exc, lang)}, status=422)
    return RedirectResponse(f"/accounts?done=created&name={made.name}", status_code=303)


def _one(conn: sa.Connection, name: str) -> User:
    found = find_user(conn, name)
    if found is None:
        raise UnknownUser(f"user {name}: no such user")
    return found[0]


@router.get("/accounts/{name}", response_class=HTMLResponse)
def account_page(name: str, request: Request, engine: EngineDep, user: CurrentUser,
                 lang: LangDep, done: str | None = None) -> Response:
    """One account: its role and bindings, and what may be done with it."""
    _admin(user)
    with engine.connect() as conn:
        shown = _one(conn, name)
    message = (t(f"accounts.{done}_done", lang, name=shown.name)
               if done in ONE_DONE else None)
    return render(request, "accounts_one.html", lang, user=user, shown=shown,
                  message=message)


@router.get("/accounts/{name}/edit", response_class=HTMLResponse)
def change_role_page(name: str, request: Request, engine: EngineDep, user: CurrentUser,
                     lang: LangDep) -> Response:
    """The form changing an account's role and bindings, filled in with today's."""
    _admin(user)
    with engine.connect() as conn:
        shown = _one(conn, name)
        values = {"role": shown.role, "grid": list(shown.grid_cell_codes),
                  "agency": shown.agency or "", "unit": shown.unit or ""}
        return _form(request, conn, user, lang, values, {}, shown=shown)


@router.post("/accounts/{name}/role", response_class=HTMLResponse)
def change_account_role(name: str, request: Request, engine: EngineDep, user: CurrentUser,
                        lang: LangDep, role: Annotated[str, Form()] = "",
                        grid: Annotated[list[str] | None, Form()] = None,
                        agency: Annotated[str, Form()] = "", unit: Annotated[str, Form()] = ""
                        ) -> Response:
    """Change the account's role and bindings; a refusal shows the form again with the
    error beside its field and what was chosen kept."""
    _admin(user)
    try:
        with engine.begin() as conn:
            changed = change_role(conn, name, role=role, by=user.name, grids=grid or [],
                                  agency=agency.strip() or None, unit=unit.strip() or None)
    except InvalidAccount as exc:
        values = {"role": role, "grid": grid or [], "agency": agency, "unit": unit}
        with engine.connect() as conn:
            return _form(request, conn, user, lang, values,
                         {exc.field or "form": error_message(exc, lang)}, status=422,
                         shown=_one(conn, name))
    return RedirectResponse(f"/accounts/{changed.name}?done=changed", status_code=303)


def _switch(name: str, engine: sa.Engine, user: User, active: bool) -> Response:
    _admin(user)
    if name == user.name and not active:
        raise NotAllowed(f"user {name}: administrators may not disable themselves")
    with engine.begin() as conn:
        changed = set_active(conn, name, active)
    done = "enabled" if active else "disabled"
    return RedirectResponse(f"/accounts/{changed.name}?done={done}", status_code=303)


@router.post("/accounts/{name}/disable")
def disable_account(name: str, engine: EngineDep, user: CurrentUser) -> Response:
    """Disable the account: its sessions stop working at once."""
    return _switch(name, engine, user, active=False)


@router.post("/accounts/{name}/enable")
def enable_account(name: str, engine: EngineDep, user: CurrentUser) -> Response:
    """Enable the account again."""
    return _switch(name, engine, user, active=True)


@router.post("/accounts/{name}/password", response_class=HTMLResponse)
def reset_account_password(name: str, request: Request, engine: EngineDep,
                           user: CurrentUser, lang: LangDep) -> Response:
    """A new random password, shown on this answer only (only its hash is stored)."""
    _admin(user)
    password = new_password()
    with engine.begin() as conn:
        changed = reset_password(conn, name, password)
    page = render(request, "accounts_password.html", lang, user=user, shown=changed,
                  password=password)
    page.headers["Cache-Control"] = "no-store"
    return page
