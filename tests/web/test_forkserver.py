"""A worker forked for the upload analysis or for jobs starts with every job kind's modules
already imported by the process's fork server (web/forkserver.py): nothing is left to
import before its first job. Seen from outside: the freshly forked worker, which has run
nothing but os.getpid, already has lxml's compiled module mapped (python-docx, which only the
report job imports, brings it in)."""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from web import forkserver
from web.jobs import kinds


def _fresh_worker_maps() -> str:
    """What a worker just forked from the fork server has mapped, having run nothing but
    os.getpid."""
    with ProcessPoolExecutor(1, mp_context=forkserver.context()) as pool:
        pid = pool.submit(os.getpid).result()
        return Path(f"/proc/{pid}/maps").read_text()


def test_every_job_kind_module_is_preloaded() -> None:
    assert set(kinds.modules()) >= {"web.jobs.report_job", "web.jobs.received_job",
                                    "web.jobs.thumbs_job", "web.jobs.changes_job"}
    assert set(forkserver.preloaded()) >= {"imagery.jobs", "web.jobs.attempt",
                                           *kinds.modules()}


def test_a_fresh_worker_has_the_job_modules_loaded_before_its_first_job() -> None:
    assert "lxml/etree" in _fresh_worker_maps()


def test_a_fresh_worker_has_scipys_fft_loaded_for_its_first_phash() -> None:
    """imagehash's pHash imports scipy.fftpack on its first call: the fork server has."""
    assert "scipy/fft/_pocketfft" in _fresh_worker_maps()


PROBE = """
from concurrent.futures import ProcessPoolExecutor
from web import forkserver

def loaded():
    import boto3
    return boto3.DEFAULT_SESSION is not None

if __name__ == "__main__":
    with ProcessPoolExecutor(1, mp_context=forkserver.context()) as pool:
        print(pool.submit(loaded).result())
"""


@pytest.mark.parametrize(("store_url", "parsed"), [("s3://photos/lookback", "True"),
                                                    ("", "False")])
def test_the_s3_models_are_parsed_once_in_the_fork_server_when_the_store_is_s3(
        store_url: str, parsed: str, tmp_path: Path) -> None:
    """A worker makes its S3 client from boto3's default session, which the fork server
    made (and parsed botocore's models into) only for an S3 store."""
    script = tmp_path / "probe.py"
    script.write_text(PROBE)
    env = {**os.environ, "LOOKBACK_STORE_URL": store_url,
           "PYTHONPATH": str(Path(__file__).parents[2])}
    out = subprocess.run([sys.executable, str(script)], env=env, capture_output=True,
                         text=True, check=True, timeout=120)
    assert out.stdout.strip() == parsed
