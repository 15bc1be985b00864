"""The process's fork server, shared by its upload-analysis pool and its job pool.

multiprocessing starts one fork server per process, with the preload list of the pool that
starts it first; so both pools ask for the same list here: the analysis and the module of
every kind of job. The fork server imports them once; each worker forked from it starts
with nothing left to import (a pool's workers are replaced after a while: each used to
spend 2-3 s of CPU importing rasterio, the web services and the rest before its first job).
"""

from __future__ import annotations

import multiprocessing
from multiprocessing.context import ForkServerContext

from web.jobs import kinds


def preloaded() -> list[str]:
    """What the fork server imports: the analysis and what its first file would import
    (imagery.preload), the job runner, every job kind's module."""
    return ["imagery.jobs", "imagery.preload", "web.jobs.attempt", *kinds.modules()]


def context() -> ForkServerContext:
    """The fork-server start method, with the shared preload list set."""
    forkserver = multiprocessing.get_context("forkserver")
    forkserver.set_forkserver_preload(preloaded())
    return forkserver  # type: ignore[return-value]
