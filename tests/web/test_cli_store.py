"""`lookback store check [--repair] [--json]` finds and repairs a planted orphan and temporary
file, reports (and keeps) a photo whose file is gone, exits 1 while problems remain; and
`lookback init` removes stale temporaries, never young ones."""

from __future__ import annotations

import os
import time
from pathlib import Path

from imagery.store import FileStore, sha256_of
from tests.imagery.images import exif_bytes, jpeg
from tests.web.cli import json_lines, run

HOURS_AGO = time.time() - 2 * 3600
FINDING = {"kind", "path", "sha256", "photo_ids", "size_bytes", "repaired"}


def _old(path: Path, data: bytes = b"left behind") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    os.utime(path, (HOURS_AGO, HOURS_AGO))
    return path


def _store(database_url: str, tmp_path: Path) -> tuple[dict[str, str], FileStore, dict]:
    env = {"LOOKBACK_DATA_DIR": str(tmp_path / "store")}
    photo = jpeg(tmp_path / "a.jpg", seed=71, exif=exif_bytes(lon=121.45, lat=28.68))
    [stored] = json_lines(run(database_url, "ingest", str(photo), "--json", **env).stdout)
    return env, FileStore(tmp_path / "store"), stored


def test_a_planted_orphan_and_temporary_are_found_then_repaired(database_url: str,
                                                                 tmp_path: Path) -> None:
    env, store, _ = _store(database_url, tmp_path)
    data = b"an orphan: no photo names these bytes"
    orphan = _old(store.path(sha256_of(data)), data)
    temporary = _old(store.scratch_dir() / ".tmp-k2j4h5")
    checked = run(database_url, "store", "check", "--json", **env)
    assert checked.exit_code == 1
    *findings, summary = json_lines(checked.stdout)
    assert all(set(f) == FINDING for f in findings)
    assert sorted((f["kind"], f["path"], f["repaired"]) for f in findings) == [
        ("orphan_file", str(orphan.relative_to(store.root)), False),
        ("temporary", str(temporary.relative_to(store.root)), False)]
    assert summary == {"files": 3, "originals": 2, "photos": 1, "orphan_files": 1,
                       "missing_files": 0, "temporaries": 1, "repaired": 0,
                       "problems_left": 2}
    assert orphan.exists() and temporary.exists()  # a check alone changes nothing
    repaired = run(database_url, "store", "check", "--repair", "--json", **env)
    assert repaired.exit_code == 0
    *findings, summary = json_lines(repaired.stdout)
    assert [f["repaired"] for f in findings] == [True, True]
    assert (summary["repaired"], summary["problems_left"]) == (2, 0)
    assert not orphan.exists() and not temporary.exists()
    clean = run(database_url, "store", "check", **env)
    assert clean.exit_code == 0 and clean.stdout == ""
    assert "0 problem(s) left" in clean.stderr


def test_a_photo_without_its_file_is_reported_and_kept(database_url: str,
                                                       tmp_path: Path) -> None:
    env, store, stored = _store(database_url, tmp_path)
    store.path(stored["sha256"]).unlink()
    result = run(database_url, "store", "check", "--repair", **env)
    assert result.exit_code == 1
    assert result.stdout == (f"photo without its file: originals/{stored['sha256'][:2]}/"
                             f"{stored['sha256']} (photo {stored['id']})\n")
    assert "1 problem(s) left" in result.stderr


def test_init_removes_stale_temporaries_only(database_url: str, tmp_path: Path) -> None:
    env, store, _ = _store(database_url, tmp_path)
    stale = _old(store.scratch_dir() / "upload-abc" / "upload")
    os.utime(stale.parent, (HOURS_AGO, HOURS_AGO))
    fresh = store.scratch_dir() / ".tmp-being-written"
    fresh.write_bytes(b"now")
    result = run(database_url, "init", **env)
    assert result.exit_code == 0
    assert "removed 1 stale temporary file(s)" in result.stderr
    assert not stale.parent.exists() and fresh.exists()


def test_the_command_line_runs_as_a_module() -> None:
    """`lookback serve` runs again as `python -m web.cli`, so its analysis workers start
    without re-running the console script (and importing the whole application)."""
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "web.cli", "store", "--help"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0 and "check" in result.stdout
