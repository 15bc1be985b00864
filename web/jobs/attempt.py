"""One attempt at a claimed job, the same under every runner: call the kind's function with
a JobRun, keep the lease alive meanwhile, then record success, a retry after a backoff, or
the failure in words a person can read (the stack trace goes to the log only)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.engine import Engine

from geo.errors import GeoError
from imagery.errors import ImageryError, RejectedFile, StoreUnavailable
from inspections.errors import InspectionError
from web.accounts.errors import AccountError
from web.database import engine_for
from web.jobs import kinds, records
from web.jobs.context import JobRun, LostLease
from web.jobs.errors import UnknownJobKind
from web.services.rejections import rejection_code
from web.settings import Settings

log = logging.getLogger("lookback.jobs")
# Errors that name a problem with the job's input: trying again would not help.
PERMANENT = (InspectionError, ImageryError, GeoError, AccountError)
# Codes of failures that may pass (a bug's exception, the store away): tried again later.
TRANSIENT = ("unexpected", "store_unavailable")
DETAIL_LENGTH = 300


@dataclass(frozen=True)
class Outcome:
    """How the attempt ended: succeeded, failed, retrying (after `delay` seconds), or lost
    (another worker holds the job now, or it was not claimable)."""

    state: str
    delay: float = 0.0


def backoff(settings: Settings, attempt: int) -> float:
    """Seconds before the next try after failed attempt number `attempt` (1, 2, ...)."""
    return settings.job_retry_seconds * 2 ** (attempt - 1)


@contextmanager
def _heartbeat(engine: Engine, job_id: int, token: str, lease: float) -> Iterator[None]:
    """Renew the lease every third of it while the job's function runs (it may not report
    progress for a while), so only a dead worker's lease lapses."""
    stop = threading.Event()

    def beat() -> None:
        while not stop.wait(lease / 3):
            try:
                with engine.begin() as conn:
                    records.renew(conn, job_id, token, now=datetime.now(UTC), lease=lease)
            except Exception:  # a busy database: the next beat tries again
                log.warning("job %s: lease not renewed", job_id, exc_info=True)

    thread = threading.Thread(target=beat, name=f"job-{job_id}-lease", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return (text[0] if text else type(exc).__name__)[:DETAIL_LENGTH]


def readable(exc: BaseException, row: Any) -> tuple[str, dict[str, Any]]:
    """The catalog code and values that say what went wrong (web/jobs/texts.py words it)."""
    values: dict[str, Any] = {"title": row["title"], "attempts": row["attempts"]}
    if isinstance(exc, RejectedFile):
        return "rejected_file", {**values, "name": exc.name, "reason": exc.reason,
                                 "reason_code": rejection_code(exc.reason)}
    if isinstance(exc, UnknownJobKind):
        return "unknown_kind", {**values, "kind": exc.name}
    if isinstance(exc, StoreUnavailable):  # the store, not the input: it may come back
        return "store_unavailable", {**values, "problem": _first_line(exc)}
    if isinstance(exc, PERMANENT):
        return "rejected", {**values, "problem": _first_line(exc)}
    return "unexpected", {**values, "problem": f"{type(exc).__name__}: {_first_line(exc)}"}


def _finish_error(engine: Engine, settings: Settings, row: Any, token: str,
                  exc: BaseException) -> Outcome:
    code, values = readable(exc, row)
    now = datetime.now(UTC)
    retry = code in TRANSIENT and row["attempts"] < row["max_attempts"]
    with engine.begin() as conn:
        if retry:
            delay = backoff(settings, row["attempts"])
            held = records.retry_later(conn, row["id"], token, code=code, values=values,
                                       at=now + timedelta(seconds=delay), now=now)
            return Outcome("retrying", delay) if held else Outcome("lost")
        held = records.fail(conn, row["id"], token, code=code, values=values, now=now)
    return Outcome("failed") if held else Outcome("lost")


def run_claimed(settings: Settings, job_id: int, token: str, *,
                heartbeat: bool = True) -> Outcome:
    """Run the attempt this process claimed (with `token`) and record how it ended; with
    `heartbeat`, a thread of this process renews the lease meanwhile (the local runner
    renews it itself instead: web/jobs/local.py)."""
    engine = engine_for(settings)
    with engine.connect() as conn:
        row = records.get(conn, job_id)
    if row is None or row["worker"] != token:
        return Outcome("lost")
    if row["attempts"] > row["max_attempts"]:  # the last attempt's worker died
        with engine.begin() as conn:
            records.fail(conn, job_id, token, code="crashed", now=datetime.now(UTC),
                         values={"title": row["title"], "attempts": row["attempts"] - 1})
        return Outcome("failed")
    run = JobRun(settings, engine, job_id, token, row["user_id"], row["attempts"])
    try:
        with (_heartbeat(engine, job_id, token, settings.job_lease_seconds) if heartbeat
              else nullcontext()):
            kinds.load_modules(settings.job_modules)  # imports may take a while: leased
            result = kinds.get(row["kind"]).function()(run, **row["params"])
    except LostLease:
        log.warning("job %s: lost to another worker", job_id)
        return Outcome("lost")
    except PERMANENT as exc:  # the input will not do: no stack trace to read
        log.warning("job %s (%s) refused: %s", job_id, row["kind"], exc)
        return _finish_error(engine, settings, row, token, exc)
    except Exception as exc:
        log.exception("job %s (%s, attempt %s) failed", job_id, row["kind"], row["attempts"])
        return _finish_error(engine, settings, row, token, exc)
    with engine.begin() as conn:
        held = records.succeed(conn, job_id, token, result=result, now=datetime.now(UTC))
    return Outcome("succeeded") if held else Outcome("lost")
