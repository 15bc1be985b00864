"""Uploads recorded together, as the command line's chunks are: each upload is analysed on its
own in the worker pool, then handed to the process's recorder, which writes every upload
whose analysis finished meanwhile in one transaction (one look at the layers and photos for
the georeferencer, the files' fsyncs overlapped, one write lock taken) and answers each.

A group commit: under a burst of uploads the writes no longer queue one by one for the
database (SQLite has a single writer) and the process's threads no longer contend for it;
a lone upload is written at once, as before. Uploads of different users (or databases, or
kinds) are written in separate transactions, each with its own context."""

from __future__ import annotations

import queue
import threading
from concurrent.futures import Future
from dataclasses import dataclass

from imagery.analysis import Analysis
from imagery.ingest import RECORD_CHUNK, IngestContext, IngestRequest, IngestResult, record
from imagery.jobs import Rejected


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

    def _run(self) -> None:
        while True:
            batch = [self._queue.get()]
            while len(batch) < RECORD_CHUNK:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
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
