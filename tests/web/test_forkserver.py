"""A worker forked for the upload analysis or for jobs starts with every job kind's modules
already imported by the process's fork server (web/forkserver.py): nothing is left to
import before its first job. Seen from outside: the freshly forked worker, which has run
nothing but os.getpid, already has lxml's compiled module mapped (python-docx, which only the
report job imports, brings it in)."""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from web import forkserver
from web.jobs import kinds


def test_every_job_kind_module_is_preloaded() -> None:
    assert set(kinds.modules()) >= {"web.jobs.report_job", "web.jobs.received_job",
                                    "web.jobs.thumbs_job", "web.jobs.changes_job"}
    assert set(forkserver.preloaded()) >= {"imagery.jobs", "web.jobs.attempt",
                                           *kinds.modules()}


def test_a_fresh_worker_has_the_job_modules_loaded_before_its_first_job() -> None:
    with ProcessPoolExecutor(1, mp_context=forkserver.context()) as pool:
        pid = pool.submit(os.getpid).result()
        maps = Path(f"/proc/{pid}/maps").read_text()
    assert "lxml/etree" in maps
