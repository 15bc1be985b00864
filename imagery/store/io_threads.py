"""The process's threads for a store's waits (fsyncs, uploads to an object store): one pool
kept for the process, so that making an upload's three files durable starts no thread of its
own (a server does it for every upload)."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

IO_THREADS = 8  # waits overlapped at once, for the whole process
T = TypeVar("T")
R = TypeVar("R")
_lock = threading.Lock()
_pool: tuple[int, ThreadPoolExecutor] | None = None  # with the pid that made it


def _executor() -> ThreadPoolExecutor:
    """The pool, made on first use in this process (a forked child makes its own: the
    parent's threads are not in it)."""
    global _pool
    with _lock:
        if _pool is None or _pool[0] != os.getpid():
            _pool = (os.getpid(), ThreadPoolExecutor(IO_THREADS, thread_name_prefix="store-io"))
        return _pool[1]


def overlapped(work: Callable[[T], R], items: Iterable[T]) -> list[R]:
    """`work` of each item, their waits overlapped on the process's threads (a single item
    here); the results in order, or the first error raised."""
    items = list(items)
    if len(items) <= 1:
        return [work(item) for item in items]
    return list(_executor().map(work, items))
