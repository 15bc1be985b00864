"""The FastAPI application, built by create_app(settings)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import State
from starlette.types import ASGIApp, Receive, Scope, Send
from xstatic.pkg import leaflet

from inspections.clock import SystemClock
from web import basemaps, errors
from web.api import assessment as assessment_api
from web.api import cases as cases_api
from web.api import exports as exports_api
from web.api import flights as flights_api
from web.api import layers as layers_api
from web.api import lookbacks as lookbacks_api
from web.api import map as map_api
from web.api import photos as photos_api
from web.api import report_texts as report_texts_api
from web.api import reports as reports_api
from web.api import stats as stats_api
from web.api import tickets as tickets_api
from web.api import users as users_api
from web.client_address import parse_proxies
from web.clock import clock_for
from web.database import engine_for
from web.deps import STATE_KEY
from web.docs import mount_docs
from web.headers import SecurityHeadersMiddleware, content_security_policy
from web.pages import accounts as accounts_pages
from web.pages import auth as auth_pages
from web.pages import case_contact as case_contact_pages
from web.pages import cases as cases_pages
from web.pages import checks as checks_pages
from web.pages import complaints as complaints_pages
from web.pages import dashboard as dashboard_page
from web.pages import enforcement as enforcement_pages
from web.pages import flights as flights_pages
from web.pages import home as home_page
from web.pages import labels as _labels  # noqa: F401  (registers the `label` filter)
from web.pages import ledgers as ledger_pages
from web.pages import map as map_page
from web.pages import organisation as organisation_pages
from web.pages import photos as photo_pages
from web.pages import public as public_pages
from web.pages import pwa as pwa_pages
from web.pages import rectification_tasks as rtask_pages
from web.pages import report_texts as report_pages
from web.pages import review as review_pages
from web.pages import review_changes as review_changes_pages
from web.pages import step_roles as step_roles_pages
from web.pages import tasks as tasks_pages
from web.pages import tickets as tickets_pages
from web.pages import upload as upload_page
from web.security import CsrfCookieMiddleware, check_csrf
from web.settings import REPO_DIR, Settings
from web.tus.router import tus_router

STATIC = Path(__file__).resolve().parent / "static"
TUS_JS = REPO_DIR / "node_modules" / "tus-js-client" / "dist"  # `make install`: npm ci
EXIFR_JS = REPO_DIR / "node_modules" / "exifr" / "dist"  # the upload page's GPS, offline


class BindState:
    """Puts the app's state (settings, engine, clocks) into each request's scope, where the
    shared routes read it (web.deps.app_state)."""

    def __init__(self, app: ASGIApp, state: State) -> None:
        self.app, self.state = app, state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        scope[STATE_KEY] = self.state
        await self.app(scope, receive, send)


@cache
def routes_app() -> FastAPI:
    """The pages and the API, whatever the settings: built once per process and mounted by
    every app (FastAPI analyses each route's signature on its first request, about a second
    for all of them, so a process that builds several apps pays it once)."""
    app = FastAPI(title="Lookback", summary="Field inspection and drone re-check platform",
                  docs_url=None, redoc_url=None, dependencies=[Depends(check_csrf)])
    errors.install(app)
    mount_docs(app)
    pages = (auth_pages.router, upload_page.router, map_page.router, dashboard_page.router,
             cases_pages.router, review_pages.router, review_changes_pages.router,
             tickets_pages.router,
             public_pages.router, home_page.router, complaints_pages.router,
             enforcement_pages.router, step_roles_pages.router,
             accounts_pages.router, photo_pages.router,
             checks_pages.router, flights_pages.router, tasks_pages.router,
             ledger_pages.router, organisation_pages.router, report_pages.router,
             rtask_pages.router, pwa_pages.router, case_contact_pages.router)
    api = (layers_api.router, photos_api.router, cases_api.router, assessment_api.router,
           assessment_api.roles_router, lookbacks_api.router,
           tickets_api.router, stats_api.router, users_api.router, map_api.router,
           exports_api.router, reports_api.router, report_texts_api.router,
           flights_api.router, tasks_pages.api)
    for router in (*pages, *api):
        app.include_router(router)
    return app


def create_app(settings: Settings) -> FastAPI:
    """The application on the database the settings name (its schema must be initialised):
    its state, the security middleware, the static files and the resumable uploads (which
    depend on the settings), then the shared pages and API."""
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None,
                  dependencies=[Depends(check_csrf)])
    app.state.settings = settings
    app.state.engine = engine_for(settings)
    app.state.clock = clock_for(settings)
    app.state.wall_clock = SystemClock(app.state.clock.tz)  # security: never frozen (deps)
    app.state.trusted_proxies = parse_proxies(settings.trusted_proxies)
    app.add_middleware(BindState, state=app.state)
    app.add_middleware(CsrfCookieMiddleware, secure=settings.secure_cookies)
    app.add_middleware(SecurityHeadersMiddleware,
                       csp=content_security_policy(*basemaps.tile_urls(settings)))
    errors.install(app)
    app.mount("/static/app", StaticFiles(directory=STATIC), name="app-static")
    app.mount("/static/leaflet", StaticFiles(directory=leaflet.BASE_DIR), name="leaflet")
    app.mount("/static/tus", StaticFiles(directory=TUS_JS, check_dir=False), name="tus")
    app.mount("/static/exifr", StaticFiles(directory=EXIFR_JS, check_dir=False), name="exifr")
    app.include_router(tus_router(settings), include_in_schema=False)
    app.mount("/", routes_app())
    return app
