"""Twenty phones upload at once while an orthophoto converts (issue 13): 200 photos of 12 MP
by 20 concurrent uploaders while a 1 GB GeoTIFF converts, through real `lookback serve`
processes. The orthophoto is sent first; the phones start once its bytes are all sent and its
conversion is under way (in its request for the baseline, in a job for ours).

Printed per set-up: upload p95 (each photo's answer), `GET /login` p95 meanwhile, photos per
second until every photo is stored (read from the database, so work finished by job workers
after the answer counts too), and the orthophoto's time. Set-ups, in the same run on the same
files: the baseline, today's in-request path (one process, each upload analysed before its
answer), then ours (`--workers N` app processes, `--job-workers M` job workers), each time
followed by the CLI ingest of the same photos on the same machine (`lookback ingest`, start-up
included): `--repeat R` such rounds (3 by default), since this VM's speed drifts by 10-15 %
from one minute to the next; the photos/s ratio judged is the median round's, every round is
printed.

Targets: `/login` p95 < 150 ms under load; ours >= 0.8x the CLI's photos per second.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import rasterio
import sqlalchemy as sa
from affine import Affine
from rasterio.windows import Window

from benchmarks.common import CACHE
from benchmarks.live_server import LOOKBACK, Prober, officer_session, p95, upload_all
from benchmarks.load_setup import (
    Setup,
    check_supported,
    code_of,
    fresh_database,
    load_demo,
    running,
    scratch,
    settings_env,
)
from benchmarks.photos import field_photos
from benchmarks.s3_server import seaweedfs
from geo.db import create_engine
from tests.imagery.rasters import centred_origin

LOGIN_P95_MS = 150.0
VS_CLI = 0.8
STORED = (200, 201, 202)  # stored now, or accepted for a job to store
SETTLE_S = 5.0  # the server is up this long before the phones come (its processes started)
ORTHO_LIMIT_S = 1800  # the orthophoto is counted as lost past this (a job failed: at once)
# The baseline: the code as it was before issue 13 (main at this commit), one app process,
# every upload and the orthophoto's conversion inside its request; run from a copy of that
# commit's tree (`git archive`), on the same machine, in the same run.
BASELINE_REVISION = "91a5ab6"


@dataclass(frozen=True)
class Size:
    """How much load: photos, concurrent uploaders, the orthophoto's side in pixels."""

    photos: int
    uploaders: int
    ortho_px: int


FULL = Size(photos=200, uploaders=20, ortho_px=18_260)  # 18,260^2 x 3 bands = 1.0 GB
QUICK = Size(photos=20, uploaders=4, ortho_px=3_000)


def orthophoto(size: int) -> Path:
    """An uncompressed size x size px, 3-band GeoTIFF over the demo district (about
    3 size^2 bytes on disk, as a drone survey's export is), written once into the cache."""
    path = CACHE / f"ortho-raw-{size}.tif"
    if path.exists():
        return path
    CACHE.mkdir(parents=True, exist_ok=True)
    origin = centred_origin("EPSG:4549", width=size, height=size, pixel_size=0.05)
    profile = {"driver": "GTiff", "width": size, "height": size, "count": 3, "dtype": "uint8",
               "crs": "EPSG:4549", "transform": Affine(0.05, 0, origin[0], 0, -0.05, origin[1]),
               "tiled": True, "blockxsize": 512, "blockysize": 512}
    rows = 1024
    rng = np.random.default_rng(7)
    band = (np.add.outer(np.arange(rows) % 200, np.arange(size) % 50) // 2).astype("uint8")
    partial = path.with_suffix(".partial")
    with rasterio.open(partial, "w", **profile) as dst:
        for top in range(0, size, rows):
            height = min(rows, size - top)
            grain = rng.integers(0, 16, (3, height, size), dtype=np.uint8)
            dst.write(np.stack([band[:height]] * 3) + grain, window=Window(0, top, size, height))
    partial.rename(path)
    return path



def _stored(engine: sa.Engine) -> tuple[int, int]:
    """Photos and orthophotos in the database now."""
    with engine.connect() as conn:
        kinds = dict(conn.execute(sa.text(
            "SELECT kind = 'orthophoto', count(*) FROM photos GROUP BY 1")).all())
    return kinds.get(False, 0), kinds.get(True, 0)  # (0 and 1 on SQLite: equal keys)


def _failed_jobs(engine: sa.Engine) -> list[str]:
    """Jobs that gave up (the baseline has no jobs table: none)."""
    with engine.connect() as conn:
        if not sa.inspect(conn).has_table("jobs"):
            return []
        return [f"{kind}: {code} {values}" for kind, code, values in conn.execute(sa.text(
            "SELECT kind, error_code, error_values FROM jobs WHERE state = 'failed'"))]


def _converting(engine: sa.Engine) -> bool:
    """Whether the orthophoto is converting: its job runs (ours), or its request is past its
    body, which the baseline converts in (it has no jobs table)."""
    with engine.connect() as conn:
        if not sa.inspect(conn).has_table("jobs"):
            return True
        return conn.execute(sa.text("SELECT count(*) FROM jobs WHERE kind = 'ingest_upload' "
                                    "AND state IN ('running', 'succeeded')")).scalar() > 0


def _wait(done: Callable[[], bool], started: float, limit_s: float = ORTHO_LIMIT_S
          ) -> float | None:
    """Seconds from `started` until `done()` (polled), or None past the limit."""
    while not done():
        if time.perf_counter() - started > limit_s:
            return None
        time.sleep(0.1)
    return time.perf_counter() - started


def measure(setup: Setup, size: Size, backend: str, s3: str | None) -> dict:
    """Run the load against one set-up; its figures."""
    photos, ortho = field_photos(size.photos), orthophoto(size.ortho_px)
    folder = scratch(CACHE / "load" / re.sub(r"\W+", "-", setup.label).strip("-"))
    with fresh_database(backend, folder) as url:
        env = settings_env(url, folder, s3) | setup.env
        load_demo(env)
        with running(setup, env) as (base, _pid):
            session = officer_session(base)
            time.sleep(SETTLE_S)  # as a real server is: started before anyone uploads
            prober = Prober(f"{base}/login")
            prober.start()
            engine = create_engine(url)
            with ThreadPoolExecutor(size.uploaders + 1) as pool:
                sent = threading.Event()
                ortho_started = time.perf_counter()
                big = pool.submit(upload_all, base, session, [ortho], on_sent=sent.set)
                while not sent.wait(0.5) and not big.done():  # its bytes sent (or it failed)
                    pass
                _wait(lambda: _converting(engine), ortho_started)  # then, while it converts:
                started = time.perf_counter()
                phones = [pool.submit(upload_all, base, session, photos[k::size.uploaders])
                          for k in range(size.uploaders)]
                answers = [a for phone in phones for a in phone.result()]
                ok = sum(status in STORED for status, _ in answers)
                photos_s = _wait(lambda: _stored(engine)[0] >= ok, started)
                ortho_status = big.result()[0][0]
                ortho_s = (_wait(lambda: _stored(engine)[1] >= 1 or bool(_failed_jobs(engine)),
                                 ortho_started) if ortho_status in STORED else None)
                failed = _failed_jobs(engine)
                engine.dispose()
            login = prober.stop()
    scratch(folder)  # a GB or two per set-up: not kept
    return {"label": setup.label, "upload_p95": p95([s for _, s in answers]),
            "upload_p50": sorted(s for _, s in answers)[len(answers) // 2],
            "ok": ok, "n": len(photos),
            "login_p95": p95(login), "probes": len(login), "failed_probes": prober.failures,
            "photos_s": photos_s, "rate": ok / photos_s if photos_s else 0.0,
            "ortho_status": ortho_status, "ortho_s": None if failed else ortho_s,
            "failed_jobs": failed}


def cli_ingest(size: Size, backend: str, s3: str | None) -> dict:
    """`lookback ingest` of the same photos on a fresh database: photos per second."""
    folder = scratch(CACHE / "load" / "cli")
    inbox = scratch(folder / "inbox")
    for path in field_photos(size.photos):
        os.link(path, inbox / path.name)
    with fresh_database(backend, folder) as url:
        settings = settings_env(url, folder, s3)
        env = {**os.environ, **settings}
        load_demo(settings)
        start = time.perf_counter()
        subprocess.run([str(LOOKBACK), "--help"], env=env, check=True,
                       stdout=subprocess.DEVNULL)
        startup = time.perf_counter() - start
        start = time.perf_counter()
        subprocess.run([str(LOOKBACK), "ingest", str(inbox), "--user", "officer", "--json"],
                       env=env, check=True, stdout=subprocess.DEVNULL)
        seconds = time.perf_counter() - start
    scratch(folder)
    return {"seconds": seconds, "rate": size.photos / seconds, "startup": startup}


def _report(row: dict) -> None:
    photos = (f"{row['n']} photos stored in {row['photos_s']:.1f} s = {row['rate']:.1f}/s"
              if row["photos_s"] else f"NOT all {row['n']} photos stored")
    ortho = (f"orthophoto stored at {row['ortho_s']:.1f} s (status {row['ortho_status']})"
             if row["ortho_s"] else f"orthophoto NOT stored (status {row['ortho_status']})")
    print(f"  {row['label']}:\n"
          f"    upload p95 {row['upload_p95']:.2f} s (p50 {row['upload_p50']:.2f} s; "
          f"{row['ok']}/{row['n']} answered stored)\n"
          f"    GET /login p95 {row['login_p95']:.1f} ms ({row['probes']} probes, "
          f"{row['failed_probes']} failed; target < {LOGIN_P95_MS:.0f} ms)\n"
          f"    {photos}; {ortho}", flush=True)
    for failure in row.get("failed_jobs", []):
        print(f"    job failed: {failure}", flush=True)


def _round(setup: Setup, size: Size, backend: str, s3: str | None) -> tuple[dict, dict]:
    """Ours, then the CLI on the same photos straight after: one pair, measured in the same
    spell of the machine (a VM's speed drifts by 10-15 % from one minute to the next)."""
    ours = measure(setup, size, backend, s3)
    _report(ours)
    cli = cli_ingest(size, backend, s3)
    print(f"    CLI ingest: {size.photos} photos in {cli['seconds']:.1f} s = {cli['rate']:.1f}/s "
          f"(`lookback --help` alone takes {cli['startup']:.1f} s); ours "
          f"{ours['rate'] / cli['rate']:.2f}x the CLI", flush=True)
    return ours, cli


def run(args: argparse.Namespace) -> bool:
    """Measure the baseline, then ours and the CLI in `args.repeat` rounds; print; whether
    ours meets the targets (the photos/s ratio: the median round's)."""
    size = QUICK if args.quick else FULL
    check_supported(args.store, args.job_workers)
    baseline_setup = Setup(f"baseline: in-request ({BASELINE_REVISION}), 1 app process",
                           env=code_of(BASELINE_REVISION, CACHE / "load"))
    ours_setup = Setup(f"ours: {args.workers} app processes, {args.job_workers} job workers",
                       workers=args.workers, job_workers=args.job_workers)
    gb = 3 * size.ortho_px**2 / 1e9
    print(f"{args.backend}, store {args.store}: {size.photos} photos of 12 MP by "
          f"{size.uploaders} uploaders while a {gb:.2f} GB orthophoto "
          f"({size.ortho_px} x {size.ortho_px} px, uncompressed) converts", flush=True)
    s3 = seaweedfs(scratch(CACHE / "load" / "weed")) if args.store == "s3" else nullcontext()
    with s3 as endpoint:
        baseline = measure(baseline_setup, size, args.backend, endpoint)
        _report(baseline)
        rounds = [_round(ours_setup, size, args.backend, endpoint)
                  for _ in range(args.repeat)]
    by_ratio = sorted(rounds, key=lambda pair: pair[0]["rate"] / pair[1]["rate"])
    ours, cli = by_ratio[(len(by_ratio) - 1) // 2]  # the median round (the lower of two)
    vs_cli = ours["rate"] / cli["rate"]
    ratios = ", ".join(f"{o['rate'] / c['rate']:.2f}x" for o, c in rounds)
    print(f"  ours vs baseline: upload p95 ratio {ours['upload_p95'] / baseline['upload_p95']:.2f}"
          f", photos/s ratio {ours['rate'] / max(baseline['rate'], 1e-9):.2f}")
    print(f"  ours vs CLI: photos/s {vs_cli:.2f}x, the median of {len(rounds)} rounds "
          f"({ratios}; target >= {VS_CLI}x); /login p95 "
          f"{max(o['login_p95'] for o, _ in rounds):.1f} ms at most "
          f"(target < {LOGIN_P95_MS:.0f} ms)")
    return (vs_cli >= VS_CLI and all(o["login_p95"] < LOGIN_P95_MS and o["ok"] == o["n"]
                                     and o["ortho_s"] for o, _ in rounds))


def main() -> int:
    """Parse the options and measure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help=f"a smoke-sized run ({QUICK.photos} photos, {QUICK.uploaders} "
                             f"uploaders, a {QUICK.ortho_px} px orthophoto)")
    parser.add_argument("--backend", choices=("sqlite", "postgis"), default="sqlite")
    parser.add_argument("--store", choices=("local", "s3"), default="local",
                        help="s3: a SeaweedFS server started on free ports")
    parser.add_argument("--workers", type=int, default=2, help="app processes of ours")
    parser.add_argument("--job-workers", type=int, default=0,
                        help="`lookback worker` processes beside ours")
    parser.add_argument("--repeat", type=int, default=3,
                        help="rounds of ours then the CLI; the photos/s ratio judged is the "
                             "median round's")
    args, _ = parser.parse_known_args()
    ok = run(args)
    print("targets met" if ok else "targets NOT met")
    return 0 if ok else 1
