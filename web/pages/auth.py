"""Sign in and sign out (the work desk each role starts from is web/pages/home.py)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from web.accounts.errors import LoginFailed, LoginLimited
from web.accounts.sessions import SESSION_HOURS, login, logout
from web.deps import EngineDep, LangDep, SettingsDep, WallClockDep, client_ip
from web.i18n import t
from web.pages.render import render
from web.security import LANG_COOKIE, SESSION_COOKIE

router = APIRouter(include_in_schema=False)


def _safe_next(target: str | None) -> str:
    """Only a path on this site (no scheme, no host, no //), else the home page."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return "/"
    parts = urlsplit(target)
    return "/" if parts.scheme or parts.netloc else target


def _remember_lang(request: Request, response: Response, lang: str) -> Response:
    if request.query_params.get("lang"):
        response.set_cookie(LANG_COOKIE, lang, samesite="lax", max_age=365 * 86400)
    return response


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, lang: LangDep, next: str = "/") -> Response:  # noqa: A002
    """The sign-in form."""
    page = render(request, "login.html", lang, next=_safe_next(next), name="", error=None)
    return _remember_lang(request, page, lang)


@router.post("/login", response_class=HTMLResponse)
def login_submit(request: Request, engine: EngineDep, wall: WallClockDep, lang: LangDep,
                 settings: SettingsDep, name: Annotated[str, Form()] = "",
                 password: Annotated[str, Form()] = "",
                 next: Annotated[str, Form()] = "/") -> Response:  # noqa: A002
    """Check the password; on success set the session cookie and go on."""
    error: LoginFailed | LoginLimited | None = None
    with engine.begin() as conn:  # a failure is recorded even though sign-in fails
        try:
            _, token = login(conn, name=name, password=password, ip=client_ip(request),
                             now=wall.now())
        except (LoginFailed, LoginLimited) as exc:
            error = exc
    if error is not None:
        message = (t("login.limited", lang, minutes=error.retry_after_s // 60 + 1)
                   if isinstance(error, LoginLimited) else t("login.failed", lang))
        return render(request, "login.html", lang, status_code=429 if isinstance(
            error, LoginLimited) else 401, next=_safe_next(next), name=name, error=message)
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="lax",
                        secure=settings.secure_cookies, max_age=SESSION_HOURS * 3600,
                        path="/")
    return response


@router.post("/logout")
def logout_submit(request: Request, engine: EngineDep) -> Response:
    """End the session and go back to the sign-in page."""
    with engine.begin() as conn:
        logout(conn, request.cookies.get(SESSION_COOKIE))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/favicon.ico")
def favicon() -> Response:
    """The site icon (browsers ask for it on every page)."""
    return RedirectResponse("/static/app/favicon.svg", status_code=308)
