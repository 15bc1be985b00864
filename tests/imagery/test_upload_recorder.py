"""The server's recorder writes the uploads whose analysis finished while it was busy in one
transaction per user, answers each upload with its own result, and hands an error to every
upload of the failed transaction without stopping (web/services/upload_recorder.py); it waits
a moment for uploads still being analysed, and none for a lone one. Each upload's files are
made durable before it is recorded (imagery.ingest.made_durable)."""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import pytest
import sqlalchemy as sa

from geo.db import create_engine
from imagery.ingest import IngestContext, IngestRequest, analyse, made_durable
from imagery.jobs import Rejected
from imagery.schema import photos
from tests.imagery.images import jpeg
from web.services import upload_recorder
from web.services.upload_recorder import Recorder


def _analysed(ctx: IngestContext, files: Path, seeds: range) -> list[tuple]:
    requests = [IngestRequest(jpeg(files / f"p{seed}.jpg", seed=seed)) for seed in seeds]
    return list(zip(requests, analyse(ctx, requests), strict=True))


def _wait_until(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 10
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def _hold_the_write_lock(conn: sa.Connection) -> None:
    """Keep other writers of photos waiting until `conn`'s transaction ends (SQLite: the
    writing BEGIN IMMEDIATE holds it already)."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("LOCK TABLE photos IN EXCLUSIVE MODE")


def test_uploads_waiting_for_the_writer_share_a_transaction(ctx: IngestContext,
                                                            files: Path) -> None:
    recorder = Recorder()
    first, *rest = _analysed(ctx, files, range(1, 6))
    other_user = replace(ctx, user="li.na")
    commits: list[int] = []
    sa.event.listen(ctx.engine, "commit", lambda _conn: commits.append(1))
    with ThreadPoolExecutor(5) as pool:
        with ctx.engine.begin() as blocker:
            _hold_the_write_lock(blocker)
            waiting = [pool.submit(recorder.record, replace(ctx, user="officer"), *first)]
            _wait_until(lambda: recorder._queue.empty())  # taken, and waiting for the lock
            waiting += [pool.submit(recorder.record, replace(ctx, user="officer"), *pair)
                        for pair in rest[:3]]
            waiting.append(pool.submit(recorder.record, other_user, *rest[3]))
            _wait_until(lambda: recorder._queue.qsize() == 4)
        results = [future.result(timeout=30) for future in waiting]
    assert [r.status for r in results] == ["stored"] * 5
    assert len({r.id for r in results}) == 5
    assert [r.file for r in results] == [str(p[0].path) for p in [first, *rest]]
    # The blocker's commit, the first upload's, then one per user for the four that waited.
    assert len(commits) <= 4
    with ctx.engine.connect() as conn:
        uploaders = dict(conn.execute(sa.select(photos.c.id, photos.c.uploaded_by)).all())
    assert [uploaders[r.id] for r in results] == ["officer"] * 4 + ["li.na"]


def test_a_failed_write_answers_every_upload_of_it_and_the_recorder_goes_on(
        ctx: IngestContext, files: Path, tmp_path: Path) -> None:
    recorder = Recorder()
    pairs = _analysed(ctx, files, range(7, 9))
    empty = create_engine(f"sqlite:///{tmp_path / 'no-tables.db'}")  # no schema: the write fails
    with pytest.raises(sa.exc.OperationalError):
        recorder.record(replace(ctx, engine=empty), *pairs[0])
    empty.dispose()
    assert recorder.record(ctx, *pairs[1]).status == "stored"


def test_the_recorder_waits_for_uploads_still_being_analysed(
        ctx: IngestContext, files: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(upload_recorder, "LINGER_SECONDS", 60.0)  # only the wait ends it
    recorder = Recorder()
    first, second = _analysed(ctx, files, range(11, 13))
    commits: list[int] = []
    sa.event.listen(ctx.engine, "commit", lambda _conn: commits.append(1))
    with ThreadPoolExecutor(2) as pool:
        with recorder.analysing():  # the second upload, still being analysed
            written = pool.submit(recorder.record, ctx, *first)
            _wait_until(lambda: recorder._queue.empty())  # taken: waiting for the second
            time.sleep(0.2)
            assert not written.done()
        later = recorder.record(ctx, *second)  # its analysis done: both written now
        results = [written.result(timeout=30), later]
    assert [r.status for r in results] == ["stored", "stored"]
    assert len(commits) == 1  # one transaction for both


def test_a_lone_upload_is_written_at_once(ctx: IngestContext, files: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(upload_recorder, "LINGER_SECONDS", 60.0)
    [pair] = _analysed(ctx, files, range(14, 15))
    with ThreadPoolExecutor(1) as pool:  # nothing else under analysis: no wait
        assert pool.submit(Recorder().record, ctx, *pair).result(timeout=30).status == "stored"


def test_files_made_durable_before_recording_and_a_store_that_fails_them(
        ctx: IngestContext, files: Path) -> None:
    request, analysis = _analysed(ctx, files, range(16, 17))[0]
    assert analysis.staged  # written to scratch names only
    settled = made_durable(request, analysis)
    assert settled.staged == ()
    assert ctx.store.has(analysis.sha256) and ctx.store.has(analysis.sha256, "256.jpg")
    assert all(not s.scratch.exists() for s in analysis.staged)
    result = Recorder().record(ctx, request, settled)
    assert result.status == "stored"

    request, lost = _analysed(ctx, files, range(17, 18))[0]
    lost.staged[0].scratch.unlink()  # the work file is gone before it was made durable
    refused = made_durable(request, lost)
    assert isinstance(refused, Rejected) and refused.name == str(request.path)
    assert refused.reason.startswith("could not be stored (")
    assert not ctx.store.has(lost.sha256)
