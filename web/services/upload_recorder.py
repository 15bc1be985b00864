"""Uploads recorded together, as the command line's chunks are: each upload is analysed on its
own in the worker pool, its files made durable in its own thread, then handed to the
process's recorder, which writes every upload whose analysis finished meanwhile in one
transaction (one look at the layers and photos for the georeferencer, one write lock taken)
and answers each.

A group commit: under a burst of uploads the writes no longer queue one by one for the
database (SQLite has a single writer) and the process's threads no longer contend for it;
a lone upload is written at once, as before. While other uploads of the process are still
being analysed, the recorder waits a moment (LINGER_SECONDS at most) for them to join the
transaction: each transaction's fixed costs (the layers' versions, the new photos' hashes,
the commit) are then shared by more uploads. Uploads of different users (or
databases, or kinds) are written in separate transactions, each with its own context."""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass

from imagery.analysis import Analysis
from imagery.ingest import RECORD_CHUNK, IngestContext, IngestRequest, IngestResult, record
from imagery.jobs import Rejected

LINGER_SECONDS = 0.2  # the longest a written batch waits for uploads still being analysed


@dataclass(frozen=True)
class _Pending:
    """One analysed upload waiting to be written, and where its result goes."""

    ctx: IngestContext
    request: IngestRequest
    outcome: Analysis | Rejected
    result: Future[IngestResult]


def _group_of(ctx: IngestContext) -> tuple:
    """Uploads that may share a transaction have the same database, store, user and kind
    (the user decides the scope: what the upload may be a duplicate of)."""
    return (id(ctx.engine), id(ctx.store), ctx.user, ctx.kind, ctx.render, ctx.radius_m,
            ctx.crs, ctx.limits, str(ctx.local_tz))


class Recorder:
    """The process's writer of analysed uploads: a thread started on first use."""

    def __init__(self) -> None:
        self._queue: queue.SimpleQueue[_Pending] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._analysing = 0  # uploads of the process under analysis: soon to be recorded

    @contextmanager
    def analysing(self) -> Iterator[None]:
        """Count an upload as under analysis while the block runs (the recorder waits a
        moment for such uploads before it writes)."""
        with self._lock:
            self._analysing += 1
        try:
            yield
        finally:
            with self._lock:
                self._analysing -= 1

    def record(self, ctx: IngestContext, request: IngestRequest,
               outcome: Analysis | Rejected) -> IngestResult:
        """Write one analysed upload (with whatever else is waiting); its result."""
        pending = _Pending(ctx, request, outcome, Future())
        self._queue.put(pending)
        self._start()
        return pending.result.result()

    def _start(self) -> None:
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="upload-recorder",
                                                daemon=True)
                self._thread.start()

    def _gather(self) -> list[_Pending]:
        """The next batch: what waits now, and what comes while uploads are still being
        analysed, up to LINGER_SECONDS after the first (at once when none is)."""
        batch = [self._queue.get()]
        deadline = time.monotonic() + LINGER_SECONDS
        while len(batch) < RECORD_CHUNK:
            wait = deadline - time.monotonic() if self._analysing else 0.0
            try:
                batch.append(self._queue.get(timeout=wait) if wait > 0
                             else self._queue.get_nowait())
            except queue.Empty:
                break
        return batch

    def _run(self) -> None:
        while True:
            batch = self._gather()
            groups: dict[tuple, list[_Pending]] = {}
            for pending in batch:
                groups.setdefault(_group_of(pending.ctx), []).append(pending)
            for group in groups.values():
                _write(group)


def _write(group: list[_Pending]) -> None:
    """Record a group in one transaction; each upload gets its result, or the error."""
    try:
        results = record(group[0].ctx, [(p.request, p.outcome) for p in group])
    except BaseException as exc:  # noqa: BLE001 (handed to every waiting upload)
        for pending in group:
            pending.result.set_exception(exc)
        return
    for pending, result in zip(group, results, strict=True):
        pending.result.set_result(result)


RECORDER = Recorder()
