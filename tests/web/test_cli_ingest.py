"""`lookback ingest` and `lookback photos set-location`: JSON lines, exit codes, both cores."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa
from typer.testing import CliRunner

from geo.db import create_engine
from imagery.store import FileStore, sha256_of
from tests.imagery.images import exif_bytes, jpeg
from tests.web.cli import json_lines
from web.cli import app

FIELDS = {"file", "status", "reason", "id", "sha256", "kind", "lon", "lat", "location_source",
          "taken_at", "grid_cell", "near_sites", "footprint", "covered_sites", "similar_to",
          "flags"}


def run(env: dict[str, str], *args: str):  # noqa: ANN201
    return CliRunner().invoke(app, list(args), env=env)


def _env(database_url: str, tmp_path: Path) -> dict[str, str]:
    return {"LOOKBACK_DATABASE_URL": database_url, "LOOKBACK_DATA_DIR": str(tmp_path / "store")}


def _photos(folder: Path, n: int) -> list[Path]:
    folder.mkdir(exist_ok=True)
    # Demo district: around (121.45, 28.68), inside the grid.
    return [jpeg(folder / f"p{i:03d}.jpg", seed=100 + i,
                 exif=exif_bytes(lon=121.45 + i * 1e-4, lat=28.68)) for i in range(n)]


def test_ingest_a_folder_with_json_lines(database_url: str, tmp_path: Path) -> None:
    env = _env(database_url, tmp_path)
    assert run(env, "demo", "--no-scenario").exit_code == 0
    folder = tmp_path / "in"
    paths = _photos(folder, 10)  # enough to go to the worker processes
    (folder / "zz-broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 broken")
    result = run(env, "ingest", str(folder), "--user", "officer", "--json")
    assert result.exit_code == 1  # one file was rejected, after all the others were done
    lines = json_lines(result.stdout)
    assert all(set(line) == FIELDS for line in lines)
    assert [line["status"] for line in lines] == ["stored"] * 10 + ["rejected"]
    assert [line["sha256"] for line in lines[:10]] == [sha256_of(p.read_bytes()) for p in paths]
    assert all(line["grid_cell"] is not None for line in lines[:10])
    again = json_lines(run(env, "ingest", str(paths[0]), "--json").stdout)
    assert (again[0]["status"], again[0]["id"]) == ("duplicate", lines[0]["id"])
    with create_engine(database_url).connect() as conn:
        assert conn.execute(sa.text("SELECT uploaded_by FROM photos")).scalars().all() == [
            "officer"] * 10


def test_set_location(database_url: str, tmp_path: Path) -> None:
    env = _env(database_url, tmp_path)
    run(env, "demo", "--no-scenario")
    path = jpeg(tmp_path / "n.jpg", exif=exif_bytes())
    [stored] = json_lines(run(env, "ingest", str(path), "--json").stdout)
    assert stored["flags"] == ["needs_location"]
    result = run(env, "photos", "set-location", str(stored["id"]), "121.45", "28.68", "--json")
    assert result.exit_code == 0
    assert json_lines(result.stdout)[0]["grid_cell"]["town"].endswith(("街道", "镇"))
    missing = run(env, "photos", "set-location", "999", "121.45", "28.68", "--json")
    assert missing.exit_code == 1
    assert json_lines(missing.stdout)[0]["error"] == "photo 999: no such photo"
    swapped = run(env, "photos", "set-location", str(stored["id"]), "28.68", "121.45")
    assert swapped.exit_code == 1
    assert "not a longitude/latitude" in swapped.stderr


def test_killed_ingest_leaves_no_half_file_and_no_orphan_row(tmp_path: Path) -> None:
    """SIGKILL in the middle of a batch; every row's original is whole, the rest is absent."""
    url = f"sqlite:///{tmp_path / 'l.db'}"
    env = {**os.environ, **_env(url, tmp_path)}
    paths = _photos(tmp_path / "in", 400)  # rows are committed in chunks of half a second
    proc = subprocess.Popen([sys.executable, "-c", "from web.cli import app; app()", "ingest",
                             str(tmp_path / "in"), "--json"], env=env, stdout=subprocess.PIPE,
                            text=True, start_new_session=True)
    first = proc.stdout.readline()
    assert json.loads(first)["status"] == "stored"
    os.killpg(proc.pid, signal.SIGKILL)  # the command and its worker processes, as a crash
    proc.wait()
    with create_engine(url).connect() as conn:
        rows = conn.execute(sa.text("SELECT sha256 FROM photos")).scalars().all()
    assert 1 <= len(rows) < len(paths)
    store = tmp_path / "store" / "originals"
    for path in store.rglob("*"):
        if path.is_file() and not path.name.startswith(".tmp-"):
            assert sha256_of(path.read_bytes()) == path.name  # never a half file
    for sha in rows:
        assert FileStore(tmp_path / "store").has(sha)  # never a row without its file


def test_metadata_only_flag(database_url: str, tmp_path: Path) -> None:
    from tests.imagery.images import dji_packet

    env = _env(database_url, tmp_path)
    run(env, "demo", "--no-scenario")
    path = jpeg(tmp_path / "DJI_0001.JPG", size=(600, 400),
                exif=exif_bytes(focal_35mm=24, make="DJI"),
                xmp=dji_packet(lat=28.68, lon=121.45, relative_altitude=100))
    result = run(env, "ingest", str(path), "--metadata-only", "--json")
    [line] = json_lines(result.stdout)
    assert (result.exit_code, line["status"], line["kind"]) == (0, "stored", "drone")
    assert line["footprint"]["type"] == "Polygon"
    assert not FileStore(tmp_path / "store").has(line["sha256"])


def test_the_pixel_limits_are_settings(database_url: str, tmp_path: Path) -> None:
    env = {**_env(database_url, tmp_path), "LOOKBACK_MAX_PHOTO_PIXELS": "100000"}
    path = jpeg(tmp_path / "vga.jpg", seed=77)
    result = run(env, "ingest", str(path), "--json")
    assert result.exit_code == 1
    [line] = json_lines(result.stdout)
    assert (line["status"], line["reason"]) == (
        "rejected", "is 640 x 480 = 307,200 pixels, more than the 100,000 allowed for photos")
