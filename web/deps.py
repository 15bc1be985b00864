"""The application's dependencies, as Annotated aliases for route signatures."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.engine import Engine
from starlette.datastructures import State

from inspections.clock import Clock
from web.accounts.sessions import user_of_session
from web.accounts.users import User
from web.client_address import client_address
from web.display_crs import DisplayCrs
from web.i18n import language
from web.security import LANG_COOKIE, SESSION_COOKIE
from web.settings import Settings

STATE_KEY = "lookback.state"


def app_state(request: Request) -> State:
    """The state of the app serving the request (settings, engine, clocks): the app puts it
    in each request's scope, as the pages and the API are one set of routes shared by every
    app of the process (web.app.routes_app)."""
    return request.scope[STATE_KEY]


def get_settings(request: Request) -> Settings:
    """The settings the app was built with."""
    return app_state(request).settings


def get_engine(request: Request) -> Engine:
    """The app's database engine."""
    return app_state(request).engine


def get_clock(request: Request) -> Clock:
    """The app's clock (web.clock.clock_for: the district's zone; LOOKBACK_NOW, a demo
    database's own time, or the real time)."""
    return app_state(request).clock


def get_lang(request: Request) -> str:
    """The page language: ?lang=, else the language cookie, else Chinese."""
    return language(request.query_params.get("lang") or request.cookies.get(LANG_COOKIE))


def get_display_crs(request: Request) -> DisplayCrs:
    """How the basemap's coordinates relate to the stored WGS 84 ones."""
    return DisplayCrs(get_settings(request).basemap_crs)


def get_wall_clock(request: Request) -> Clock:
    """The real time, for what security counts (sessions, lockouts, rate limits) even when
    LOOKBACK_NOW freezes the app's clock for a demo."""
    return app_state(request).wall_clock


def client_ip(request: Request) -> str:
    """The caller's address (forwarded headers only from LOOKBACK_TRUSTED_PROXIES)."""
    return client_address(request, app_state(request).trusted_proxies)


def current_user(request: Request, engine: Annotated[Engine, Depends(get_engine)],
                 wall: Annotated[Clock, Depends(get_wall_clock)]) -> User:
    """The signed-in user; NotSignedIn otherwise."""
    with engine.connect() as conn:
        user = user_of_session(conn, request.cookies.get(SESSION_COOKIE), wall.now())
    request.state.user_name = user.name  # for the security log of denied actions
    return user


SettingsDep = Annotated[Settings, Depends(get_settings)]
EngineDep = Annotated[Engine, Depends(get_engine)]
ClockDep = Annotated[Clock, Depends(get_clock)]
WallClockDep = Annotated[Clock, Depends(get_wall_clock)]
LangDep = Annotated[str, Depends(get_lang)]
CurrentUser = Annotated[User, Depends(current_user)]
DisplayDep = Annotated[DisplayCrs, Depends(get_display_crs)]
