"""`lookback --help` and the light commands load no heavy library: the web app, matplotlib,
geopandas, rasterio and the rest are imported inside the commands that need them; alembic
only when the database is not at the newest revisions, shapely (with numpy) only when a
geometry is written or read. Each case runs `python -m web.cli ...` in a fresh interpreter
and reads its sys.modules as it exits (how long that takes is benchmarks/bench_cli.py's to
say, never a timed test's)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
# Runs the command as `python -m web.cli` does, then writes the modules it imported.
PROBE = """
import atexit, json, sys, runpy
out, sys.argv = sys.argv[1], ["lookback", *sys.argv[2:]]
atexit.register(lambda: open(out, "w").write(json.dumps(sorted(sys.modules))))
runpy.run_module("web.cli", run_name="__main__", alter_sys=True)
"""
# What a command that opens the database but draws, serves and reads no image must not load.
HEAVY = {"matplotlib", "geopandas", "pandas", "rasterio", "rio_tiler", "morecantile", "PIL",
         "fastapi", "starlette", "uvicorn", "jinja2", "docx", "openpyxl", "pyogrio", "fiona",
         "boto3", "botocore", "procrastinate", "web.app", "web.pages", "web.api",
         "alembic", "mako", "shapely", "numpy", "pyproj", "geo.spatial"}
# `lookback --help` needs typer and rich only: not the settings, not even the database.
NOT_FOR_HELP = HEAVY | {"sqlalchemy", "pydantic", "pydantic_settings", "psycopg", "psycopg2",
                        "web.settings", "web.database", "geo.schema", "imagery.ingest"}
LIGHT_COMMANDS = (["users", "list", "--json"], ["layers", "--json"], ["tick", "--json"],
                  ["audit", "verify", "--json"], ["cases", "list", "--json"])


def _loaded(tmp_path: Path, args: list[str], **env: str) -> tuple[set[str], str]:
    """The modules `lookback ARGS` imported (each package and its parents), and its output."""
    out = tmp_path / "modules.json"
    done = subprocess.run([sys.executable, "-c", PROBE, str(out), *args], cwd=tmp_path,
                          env={**os.environ, "PYTHONPATH": str(REPO), **env},
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"lookback {' '.join(args)}: {done.stderr}"
    names = json.loads(out.read_text())
    return {".".join(n.split(".")[:depth]) for n in names
            for depth in range(1, n.count(".") + 2)}, done.stdout


def test_help_loads_only_the_command_line(tmp_path: Path) -> None:
    loaded, output = _loaded(tmp_path, ["--help"])
    assert "serve" in output and "users" in output  # every command is still listed
    assert loaded & NOT_FOR_HELP == set()


def test_light_commands_load_no_heavy_library(module_database_url: str,
                                              tmp_path: Path) -> None:
    env = {"LOOKBACK_DATABASE_URL": module_database_url,
           "LOOKBACK_DATA_DIR": str(tmp_path / "data")}
    loaded, _ = _loaded(tmp_path, ["users", "list", "--json"], **env)
    assert "alembic" in loaded  # the first command creates the database through alembic
    for args in LIGHT_COMMANDS:
        loaded, _ = _loaded(tmp_path, args, **env)
        assert loaded & HEAVY == set(), f"lookback {' '.join(args)}"
