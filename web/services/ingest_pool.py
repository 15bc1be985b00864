"""The server's pool of processes that analyse uploads: decoding, hashing and COG conversion
never run in the server's own process, so its event loop and threads keep answering, its
memory stays small, and a file that crashes a decoder takes down only a worker.

Started on the first upload and shared by the process's apps; a server starts it with itself
(`warm`), so the first uploads do not wait for the fork server's imports. Workers are forked
from the process's fork server (web/forkserver.py: a fresh single-threaded interpreter that
has imported the analysis and the job modules, never a fork of the server, with its
threads, nor a re-run of its main module, with the whole application); they run at a lower
priority, are replaced after a while, and exit if the server dies (the server, not the fork
server, which waits for them, is the one watched)."""

from __future__ import annotations

import os
import threading
from concurrent.futures import ProcessPoolExecutor

from imagery.workers import init_worker
from web import forkserver

NICENESS = 5  # below the server, so a burst of uploads does not slow its answers
TASKS_PER_WORKER = 200  # then a fresh process: no slow growth from decoder libraries

_pools: dict[int, ProcessPoolExecutor] = {}
_lock = threading.Lock()


def analysis_pool(workers: int) -> ProcessPoolExecutor:
    """The pool of `workers` processes (started now if there is none)."""
    with _lock:
        pool = _pools.get(workers)
        if pool is None:
            pool = _pools[workers] = ProcessPoolExecutor(
                max_workers=workers, mp_context=forkserver.context(),
                initializer=init_worker, initargs=(NICENESS, os.getpid()),
                max_tasks_per_child=TASKS_PER_WORKER)
        return pool


def warm(workers: int) -> None:
    """Start the pool and its processes now, in the background (nothing waits for them)."""
    if workers < 1:
        return

    def start() -> None:
        try:
            pool = analysis_pool(workers)
            for started in [pool.submit(os.getpid) for _ in range(workers)]:
                started.result()
        except RuntimeError:  # the process is exiting before its pool could start: no need
            return

    threading.Thread(target=start, name="analysis-pool-start", daemon=True).start()


def discard(pool: ProcessPoolExecutor) -> None:
    """Forget a broken pool (a worker died); the next upload starts a new one."""
    with _lock:
        for workers, known in list(_pools.items()):
            if known is pool:
                del _pools[workers]
    pool.shutdown(wait=False, cancel_futures=True)
