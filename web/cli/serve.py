"""`lookback serve`: run the web application with uvicorn, in one process or several."""

from __future__ import annotations

import os
import signal
import sys
from typing import Annotated

import typer


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(
        min=1, help="Processes answering requests (they share the database; put a reverse "
                    "proxy in front and name it in LOOKBACK_TRUSTED_PROXIES).")] = 1,
) -> None:
    """Serve the web application (the database is created or upgraded first)."""
    if getattr(sys.modules["__main__"].__spec__, "name", None) is None:
        # Started as the console script: run again as `python -m web.cli`, as
        # multiprocessing starts each upload-analysis worker (and each of --workers) by
        # running the main script again (importing the whole application) unless the main
        # is a package's __main__.
        os.execv(sys.executable, [sys.executable, "-m", "web.cli", "serve", "--host", host,
                                  "--port", str(port), "--workers", str(workers)])
    # Imported here, not at the top, so that `lookback --help` need not load the web app.
    from web.cli.store import clean_temporaries
    from web.database import engine_for, init_database
    from web.settings import Settings

    settings = Settings()
    init_database(engine_for(settings))
    clean_temporaries(settings)
    stop_jobs = None
    if not settings.uses_procrastinate:  # the embedded default: jobs run beside the server
        from web.jobs.local import start_in_thread

        stop_jobs = start_in_thread(settings)
    try:
        _serve(host, port, workers)
    finally:  # a job still running is stopped and queued again, not waited for
        if stop_jobs is not None:
            stop_jobs()


def _serve(host: str, port: int, workers: int) -> None:
    """Serve the app until stopped: uvicorn, or a group of processes."""
    import uvicorn

    from web.asgi import APP_FACTORY

    # Every process builds the app from the environment (web.asgi). Forwarded headers are
    # the app's to judge (LOOKBACK_TRUSTED_PROXIES), not uvicorn's.
    if workers > 1:  # each on a socket of its own, so connections spread (web/serve_group.py)
        from web.serve_group import serve_group

        serve_group(APP_FACTORY, host, port, workers)
        return
    # Once stopped, uvicorn raises the signal that stopped it again, under the handler that
    # was there before it: this one lets it pass, so `serve` returns and stops its jobs.
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: None)
    uvicorn.run(APP_FACTORY, factory=True, host=host, port=port, proxy_headers=False)
