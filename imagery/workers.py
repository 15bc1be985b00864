"""Set-up of the processes that analyse images: they exit when the process that owns their
pool dies, and run at a lower priority (a higher niceness) if asked, so a server keeps answering."""

from __future__ import annotations

import os
import select
import threading
import time

OWNER_CHECK_SECONDS = 0.5  # where there is no pidfd to wait on


def lower_priority(niceness: int) -> None:
    """Run this process at niceness `niceness` at least (never raised back: only root may)."""
    current = os.getpriority(os.PRIO_PROCESS, 0)
    if niceness > current:
        os.setpriority(os.PRIO_PROCESS, 0, niceness)


def init_worker(niceness: int = 0, owner: int | None = None) -> None:
    """Process-pool initializer: exit when `owner` (the process that made the pool; default
    this worker's parent) dies, and lower this process's priority by `niceness`.

    The owner is not always the parent: a fork server's workers are its children, and it
    waits for them before it exits. A watcher thread rather than prctl(PR_SET_PDEATHSIG),
    which fires when the *thread* that started the worker ends (pools are started from
    short-lived request threads) and only for the parent."""
    lower_priority(niceness)
    owner = os.getppid() if owner is None else owner
    threading.Thread(target=_watch, args=(owner,), name="owner-watch", daemon=True).start()


def _watch(owner: int) -> None:
    """Exit at once (no clean-up: whoever would wait for it is gone) when the owner dies."""
    try:
        handle = os.pidfd_open(owner)
    except ProcessLookupError:  # gone before we looked
        os._exit(1)
    except (AttributeError, OSError):  # no pidfd (not Linux 5.3+): poll instead
        while _alive(owner):
            time.sleep(OWNER_CHECK_SECONDS)
        os._exit(1)
    select.select([handle], [], [])  # readable once the owner has exited
    os._exit(1)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
