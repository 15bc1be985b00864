"""The kinds of job: a name, the plain function that does the work (given by its dotted path,
so a runner imports heavy modules only when it runs one) and how often it may be tried."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from web.jobs.errors import UnknownJobKind

DEFAULT_ATTEMPTS = 3


@dataclass(frozen=True)
class JobKind:
    """A kind of job: `target` is "module:function", called as function(run, **params) with
    a JobRun (progress, settings, the database) and the job's JSON params; it returns the
    job's result (JSON-able dict) or None."""

    name: str
    target: str
    max_attempts: int = DEFAULT_ATTEMPTS

    def function(self) -> Callable[..., dict[str, Any] | None]:
        """The function that runs this kind (imported now)."""
        module, _, name = self.target.partition(":")
        return getattr(importlib.import_module(module), name)


_KINDS: dict[str, JobKind] = {}


def register(name: str, target: str, *, max_attempts: int = DEFAULT_ATTEMPTS) -> JobKind:
    """Make a kind of job known (again: replaced) to this process."""
    kind = _KINDS[name] = JobKind(name, target, max_attempts)
    return kind


def get(name: str) -> JobKind:
    """The kind named `name`; UnknownJobKind if none is registered."""
    try:
        return _KINDS[name]
    except KeyError:
        raise UnknownJobKind(name) from None


def modules() -> list[str]:
    """The modules of the registered kinds (each once, in order of registration)."""
    return list(dict.fromkeys(kind.target.partition(":")[0] for kind in _KINDS.values()))


def load_modules(modules: str) -> None:
    """Import the extra modules (comma-separated) that register job kinds."""
    for module in filter(None, (m.strip() for m in modules.split(","))):
        importlib.import_module(module)


# The built-in kinds; their modules are imported only to run one.
register("report", "web.jobs.report_job:make_report", max_attempts=2)
register("ingest_upload", "web.jobs.ingest_job:ingest_upload", max_attempts=2)
register("ingest_received", "web.jobs.received_job:ingest_received_job", max_attempts=2)
register("thumbnails", "web.jobs.thumbs_job:make_thumbnails", max_attempts=3)
register("changes", "web.jobs.changes_job:detect_changes_job", max_attempts=2)
register("daily_tick", "web.jobs.tick_job:daily_tick", max_attempts=3)
