"""Job kinds for the jobs tests (LOOKBACK_JOB_MODULES=tests.web.job_kinds): counting with
progress, always failing, and waiting for a file (so a test can kill its worker midway)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from web.jobs import JobRun, register


def count_to(run: JobRun, *, n: int) -> dict[str, int]:
    """Report progress step by step up to n; n and the niceness the job ran at."""
    for i in range(n + 1):
        run.progress(i, n, f"第 {i} 步", force=True)
    return {"n": n, "niceness": os.getpriority(os.PRIO_PROCESS, 0)}


def always_fails(run: JobRun, *, disk: str) -> None:
    """Fail the way an unforeseen fault does."""
    raise OSError(f"{disk}: no space left on device")


def wait_for(run: JobRun, *, path: str) -> dict[str, int]:
    """Wait until `path` exists (with progress first, so the test sees it running; the
    process's id in `path`.pid, so a test can stop that process alone)."""
    Path(f"{path}.pid").write_text(str(os.getpid()))
    run.progress(0, 1, "等待", force=True)
    while not Path(path).exists():
        time.sleep(0.02)
    return {"attempt": run.attempt}


register("test_count", "tests.web.job_kinds:count_to")
register("test_fails", "tests.web.job_kinds:always_fails", max_attempts=3)
register("test_wait", "tests.web.job_kinds:wait_for", max_attempts=3)
register("test_fails_once", "tests.web.job_kinds:always_fails", max_attempts=1)
