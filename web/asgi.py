"""The application as an ASGI factory that reads its settings from the environment: what
each of `lookback serve --workers N`'s processes runs (uvicorn imports it by name in every
worker), and what any other ASGI server can be pointed at (`web.asgi:app_from_environment`).

Nothing another process needs lives in one process's memory: sessions, login failures,
notification reads, the demo clock and upload ids are in the database, the CSRF token is
derived from the session cookie, and the caches check the database's layer version."""

from __future__ import annotations

import multiprocessing
import threading

from fastapi import FastAPI

from imagery.workers import init_worker
from web.app import create_app
from web.route_warmup import warm_routes
from web.services import ingest_pool
from web.settings import Settings
from web.store import file_store

APP_FACTORY = "web.asgi:app_from_environment"


def app_from_environment() -> FastAPI:
    """The application on the settings of the environment (the database initialised).

    In a worker process of `lookback serve --workers N` it also exits when the server that
    started it dies, so nothing is left listening on the port after a `kill -9`. The upload
    analysis pool starts with it (in the background), and its routes are built before its
    first request (web/route_warmup.py), and so is its store's client, if it has one."""
    parent = multiprocessing.parent_process()
    if parent is not None and parent.pid is not None:
        init_worker(owner=parent.pid)
    settings = Settings()
    app = create_app(settings)
    warm_routes(app.routes)
    ingest_pool.warm(settings.upload_workers)
    threading.Thread(target=file_store(settings).warm, name="store-warm", daemon=True).start()
    return app
