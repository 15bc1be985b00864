"""The analysis of files as jobs, run inline, in a process pool of the batch's own, or in a
pool the caller keeps (the server's); pool workers exit when their parent dies."""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from imagery.analysis import Analysis, analyse_file
from imagery.errors import RejectedFile, StoreUnavailable
from imagery.limits import Limits
from imagery.store import Staged, Store, stage
from imagery.workers import init_worker


@dataclass(frozen=True)
class Rejected:
    """A file the analysis refused (picklable, unlike the exception)."""

    name: str
    reason: str


@dataclass(frozen=True)
class Job:
    """A run of files to analyse alike: each file's path and the name its owner knows."""

    files: list[tuple[Path, str]]
    kind: str
    store: Store  # picklable: each worker process reaches the store on its own
    render: bool
    limits: Limits
    crs: str | None = None  # declared for GeoTIFFs exported without one


def analyse_job(job: Job) -> list[Analysis | Rejected]:
    """Analyse a run of files (the worker-process entry point). Files are only staged: the
    caller makes them durable in bulk before it records their rows."""
    return [_analyse(path, name, job, job.store) for path, name in job.files]


def _analyse(path: Path, name: str, job: Job, store: Store) -> Analysis | Rejected:
    staged: list[Staged] = []

    def put(sha256: str, data: bytes, variant: str = "original") -> None:
        item = stage(store, sha256, data, variant)
        if item is not None:
            staged.append(item)

    try:
        analysis = analyse_file(path, job.kind, store, job.render, put=put, name=name,
                                limits=job.limits, crs=job.crs)
        return replace(analysis, staged=tuple(staged))
    except RejectedFile as exc:
        outcome = Rejected(exc.name, exc.reason)
    except StoreUnavailable:
        _discard(staged)
        raise  # not the file's fault: nothing can be stored until the store is back
    except Exception as exc:  # keep going past anything a hostile file provokes
        outcome = Rejected(name, f"cannot be processed ({type(exc).__name__}: {exc})")
    _discard(staged)
    return outcome


def _discard(staged: list[Staged]) -> None:
    for item in staged:
        item.scratch.unlink(missing_ok=True)


def run_jobs(jobs: list[Job], *, workers: int, parallel: bool,
             executor: Executor | None = None) -> Iterator[Analysis | Rejected]:
    """Each file's outcome, in order: in `executor` when given, else in a pool of `workers`
    processes of this call's own when `parallel`, else here."""
    if executor is not None:
        for outcomes in executor.map(analyse_job, jobs):
            yield from outcomes
        return
    if not parallel:
        for job in jobs:
            yield from analyse_job(job)
        return
    fork = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=fork,
                             initializer=init_worker) as pool:
        for outcomes in pool.map(analyse_job, jobs):
            yield from outcomes


def chunks(items: Iterable, size: int, seconds: float | None = None) -> Iterator[list]:
    """Consecutive lists of up to `size` items, a list also ending once `seconds` have passed
    since its first item arrived (so slow streams are not held back)."""
    chunk: list = []
    started = 0.0
    for item in items:
        if not chunk:
            started = time.monotonic()
        chunk.append(item)
        if len(chunk) == size or (seconds is not None
                                  and time.monotonic() - started >= seconds):
            yield chunk
            chunk = []
    if chunk:
        yield chunk
