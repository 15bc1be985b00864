"""In the browser: a 300 MB GeoTIFF sent from the upload page over tus to a real `lookback
serve`, which is killed (-9) midway and started again on the same port; the page's upload
resumes where the server's file stopped, completes, and the stored original has the source's
SHA-256."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import numpy as np
import rasterio
from rasterio.transform import from_origin
from rasterio.windows import Window

from imagery.store import FileStore, sha256_of_file
from tests.web.browser import screenshot, sign_in_page
from tests.web.cli import run
from tests.web.test_serve_workers import LOOKBACK, _port, _wait_for

SIDE = 10_000  # 3 bands of 10,000 x 10,000 bytes: 300 MB, uncompressed
PIXEL_DEG = 2e-6  # about 0.2 m: the raster is 2 km across, inside the demo district


def geotiff(path: Path) -> Path:
    """An uncompressed RGB GeoTIFF in EPSG:4326 centred on lon 121.45, lat 28.68, written a
    strip at a time."""
    profile = {"driver": "GTiff", "width": SIDE, "height": SIDE, "count": 3, "dtype": "uint8",
               "crs": "EPSG:4326", "tiled": False, "compress": None,
               "transform": from_origin(121.45 - SIDE * PIXEL_DEG / 2,
                                        28.68 + SIDE * PIXEL_DEG / 2, PIXEL_DEG, PIXEL_DEG)}
    rows = 500
    ramp = (np.arange(SIDE, dtype=np.uint32) * 7 % 251).astype(np.uint8)
    with rasterio.open(path, "w", **profile) as dst:
        for top in range(0, SIDE, rows):
            strip = np.broadcast_to(ramp, (rows, SIDE))
            block = np.stack([strip, np.roll(strip, top % 97, axis=1), strip[:, ::-1]])
            dst.write(block, window=Window(0, top, SIDE, rows))
    return path


def _start(port: int, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen([str(LOOKBACK), "serve", "--port", str(port)],
                            env={**os.environ, **env}, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)


def _stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGKILL)  # the server and its analysis workers
    server.wait()


def _received_third(folder: Path, total: int, server: subprocess.Popen) -> int:
    """Wait until a third of the file is in the tus folder; how much was there."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and server.poll() is None:
        sizes = [p.stat().st_size for p in folder.glob("*-*") if p.suffix == ""] \
            if folder.is_dir() else []
        if sizes and max(sizes) >= total // 3:
            return max(sizes)
        time.sleep(0.005)
    raise AssertionError("the upload did not reach a third of the file")


def test_a_300_mb_geotiff_resumes_after_the_server_restarts(desktop, tmp_path: Path) -> None:  # noqa: ANN001
    source = geotiff(tmp_path / "正射影像_300MB.tif")
    total = source.stat().st_size
    assert total > 300_000_000
    url = f"sqlite:///{tmp_path / 'lookback.db'}"
    data = tmp_path / "store"
    env = {"LOOKBACK_DATABASE_URL": url, "LOOKBACK_DATA_DIR": str(data)}
    assert run(url, "demo", "--no-scenario", "--json", **env).exit_code == 0
    port = _port()
    base = f"http://127.0.0.1:{port}"
    server = _start(port, env)
    try:
        _wait_for(base, server)
        sign_in_page(desktop, base, "inspector")
        desktop.goto(f"{base}/upload")
        desktop.set_input_files("#pick", str(source))
        desktop.click("#submit")
        at_kill = _received_third(data / "tmp" / "tus", total, server)
        _stop(server)
        assert at_kill < total
        server = _start(port, env)  # the same port: the page's retries find it again
        _wait_for(base, server)
        item = desktop.locator("#results li").nth(0)
        item.locator(".status", has_text="已保存").wait_for(timeout=180_000)
        screenshot(desktop, "upload-resumed-geotiff-1366")
    finally:
        _stop(server)
    sha = sha256_of_file(source)
    stored = FileStore(data).path(sha)
    assert stored.is_file() and sha256_of_file(stored) == sha
    assert FileStore(data).path(sha, "cog.tif").is_file()
