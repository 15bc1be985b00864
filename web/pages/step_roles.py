"""Who accepts (验收) and who assesses (销号评估) each source's cases, set by administrators
in the browser: the table the workflow's permission check reads (inspections.step_roles)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from inspections import step_roles
from inspections.errors import InvalidInput, NotAllowed
from web.accounts.users import User
from web.deps import ClockDep, CurrentUser, EngineDep, LangDep
from web.i18n import t
from web.pages.render import render

router = APIRouter(include_in_schema=False)
PATH = "/accounts/step-roles"


def _admin(user: User) -> None:
    if user.role != "admin":
        raise NotAllowed(f"step roles: role {user.role!r} may not set them; only admin")


def _page(request: Request, engine: EngineDep, user: User, lang: str, *, status: int = 200,
          error: tuple[str, str, str] | None = None, message: str | None = None) -> Response:
    with engine.connect() as conn:
        rows = step_roles.table(conn)
    return render(request, "step_roles.html", lang, status_code=status, user=user, rows=rows,
                  roles=step_roles.ASSIGNABLE, error=error, message=message)


@router.get(PATH, response_class=HTMLResponse)
def step_roles_page(request: Request, engine: EngineDep, user: CurrentUser, lang: LangDep,
                    source: str | None = None, step: str | None = None) -> Response:
    """Each source's acceptance and assessment with the roles that take them."""
    _admin(user)
    message = None
    if source and step:
        message = t("steproles.saved", lang, source=t(f"source.{source}", lang),
                    step=t(f"steproles.step.{step}", lang))
    return _page(request, engine, user, lang, message=message)


@router.post(PATH, response_class=HTMLResponse)
def set_step_roles(request: Request, engine: EngineDep, clock: ClockDep, user: CurrentUser,
                   lang: LangDep, source: Annotated[str, Form()],
                   step: Annotated[str, Form()],
                   roles: Annotated[list[str] | None, Form()] = None,
                   reset: Annotated[str, Form()] = "") -> Response:
    """Set the roles of one source's step (or go back to the default); back to the page."""
    _admin(user)
    if not reset and not roles:
        return _page(request, engine, user, lang, status=422,
                     error=(source, step, t("steproles.error.none", lang)))
    try:
        with engine.begin() as conn:
            step_roles.set_roles(conn, actor=user.actor, clock=clock, source=source,
                                 step=step, roles=None if reset else roles)
    except InvalidInput:
        return _page(request, engine, user, lang, status=422,
                     error=(source, step, t("steproles.error.bad", lang)))
    return RedirectResponse(f"{PATH}?source={source}&step={step}", status_code=303)
