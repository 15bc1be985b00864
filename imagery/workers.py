"""Set-up of the processes that analyse images: they exit when the process that started them
dies, and run at a lower priority than it if asked, so a server keeps answering."""

from __future__ import annotations

import os
import threading
import time

PARENT_CHECK_SECONDS = 0.5


def init_worker(niceness: int = 0) -> None:
    """Process-pool initializer: watch the parent, and lower this process's priority.

    A watcher thread rather than prctl(PR_SET_PDEATHSIG): that signal fires when the *thread*
    that started the worker ends, and pools are started from short-lived request threads."""
    if niceness:
        os.nice(niceness)
    parent = os.getppid()
    threading.Thread(target=_watch_parent, args=(parent,), name="parent-watch",
                     daemon=True).start()


def _watch_parent(parent: int) -> None:
    """Exit at once (no clean-up: the parent that would wait for it is gone) once the parent
    process is no longer this one's parent."""
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(1)
