"""Analysis workers exit when the process that owns their pool dies (kill -9 included): the
command line's forked pools, spawned ones, and the server's, whose workers are the children of
a fork server that waits for them."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PARENT = """
import multiprocessing, os, sys, time
from concurrent.futures import ProcessPoolExecutor
from imagery.workers import init_worker

pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context(sys.argv[1]),
                           initializer=init_worker, initargs=(5, os.getpid()))
print(pool.submit(os.getpid).result(), pool.submit(os.nice, 0).result(), flush=True)
time.sleep(120)
"""


def _gone(pid: int) -> bool:
    """The process has exited (a zombie waiting for a reaper counts as exited)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return True
    return state in ("Z", "X")


@pytest.mark.parametrize("method", ["fork", "spawn", "forkserver"])
def test_a_worker_exits_when_its_owner_is_killed(method: str) -> None:
    parent = subprocess.Popen([sys.executable, "-c", PARENT, method], cwd=REPO,
                              stdout=subprocess.PIPE, text=True,
                              env={**os.environ, "PYTHONPATH": str(REPO)})
    try:
        worker, niceness = map(int, parent.stdout.readline().split())
        assert niceness == os.nice(0) + 5  # below its parent, so a server keeps answering
        assert not _gone(worker)
    finally:
        parent.kill()
        parent.wait()
    deadline = time.monotonic() + 10
    while not _gone(worker) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _gone(worker), f"worker {worker} outlived its parent"
