"""Start-up of the command line: `lookback --help`, and light commands, in a fresh interpreter.

Baselines, measured in the same run: the same command after the interpreter first imports what
web/cli/*.py imported at their top before issue 13 (the web app, the reports' matplotlib, the
demo, the importers' geopandas, the ingest's rasterio...), which every command then paid; and,
for the commands that open the database, the same command after checking the migrations
through alembic and importing shapely and geo.spatial, as every such command did before it
read the version table itself and left shapely to the first geometry. The ratio printed is
ours over the baseline's; below 1.0 is faster. Target: each command under 0.5 s.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TARGET_S = 0.5
# What web/cli/*.py imported at their top before the commands imported it themselves.
OLD_EAGER = ("web.app", "uvicorn", "web.database", "web.settings", "web.clock",
             "web.pages.labels", "web.services.exports", "web.services.audit_anchors",
             "web.accounts.demo", "web.accounts.users", "geo.importer", "geo.importer.manifest",
             "geo.locate", "geo.synthetic", "imagery.ingest", "imagery.georef", "imagery.photos",
             "imagery.store_check", "inspections.demo.scenario",
             "inspections.reports.closure_report", "inspections.reports.progress_report",
             "inspections.stats", "inspections.lookbacks", "inspections.tickets",
             "inspections.audit_verify")
# What any command that opens the database needs: the floor under a light command.
LIBRARIES = ("typer", "rich.console", "rich.table", "sqlalchemy", "pydantic_settings")
# What a command that opens the database loaded before it checked the migrations itself.
OLD_DATABASE = ("shapely", "geo.spatial")
# `python -m web.cli ARGS`, after importing the modules named in the first argument and, when
# the second is "alembic", upgrading the database through alembic (the old migration check).
RUN = """
import importlib, os, runpy, sys
for name in filter(None, sys.argv[1].split(",")):
    importlib.import_module(name)
if sys.argv[2] == "alembic":
    from geo.db import create_engine
    from geo.migrate import upgrade
    from web.database import VERSION_LOCATIONS
    upgrade(create_engine(os.environ["LOOKBACK_DATABASE_URL"]), VERSION_LOCATIONS)
sys.argv = ["lookback", *sys.argv[3:]]
runpy.run_module("web.cli", run_name="__main__", alter_sys=True)
"""


def _cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def seconds(args: list[str], env: dict[str, str], folder: Path, preload: tuple[str, ...] = (),
            alembic: bool = False) -> tuple[float, float]:
    """Wall and CPU time of one `lookback ARGS` in a fresh interpreter (it must succeed); the
    CPU time tells what the command costs when other work shares the machine."""
    start, cpu = time.perf_counter(), _cpu()
    subprocess.run([sys.executable, "-c", RUN, ",".join(preload), "alembic" if alembic else "",
                    *args], cwd=folder, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start, _cpu() - cpu


def best(args: list[str], env: dict[str, str], folder: Path, repeat: int,
         preload: tuple[str, ...], alembic: bool = False
         ) -> tuple[tuple[float, float], tuple[float, float]]:
    """Best (wall, CPU) of `repeat` runs of ours and of the baseline (`preload` imported and,
    with `alembic`, the migrations checked by alembic first), alternated so both see the same
    machine."""
    ours, theirs = [], []
    for _ in range(repeat):
        ours.append(seconds(args, env, folder))
        theirs.append(seconds(args, env, folder, preload, alembic))
    return (min(w for w, _ in ours), min(c for _, c in ours)), \
        (min(w for w, _ in theirs), min(c for _, c in theirs))


def _libraries(env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU time of a fresh interpreter that imports LIBRARIES and stops."""
    start, cpu = time.perf_counter(), _cpu()
    subprocess.run([sys.executable, "-c", f"import {', '.join(LIBRARIES)}"], env=env,
                   check=True)
    return time.perf_counter() - start, _cpu() - cpu


def line(what: str, ours: tuple[float, float], theirs: tuple[float, float],
         baseline: str) -> str:
    """One command's times (wall, and CPU in brackets) against the baseline's."""
    return (f"  {what}: {ours[0]:.2f} s (CPU {ours[1]:.2f} s), {baseline} "
            f"{theirs[0]:.2f} s (CPU {theirs[1]:.2f} s), ratio {ours[0] / theirs[0]:.2f}")


def main() -> int:
    """Measure `lookback --help` and two light commands on SQLite; print the ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs of each; the best counts")
    args, _ = parser.parse_known_args()
    with tempfile.TemporaryDirectory(prefix="bench-cli-") as tmp:
        folder = Path(tmp)
        env = {**os.environ, "PYTHONPATH": str(REPO),
               "LOOKBACK_DATABASE_URL": f"sqlite:///{folder / 'cli.db'}",
               "LOOKBACK_DATA_DIR": str(folder / "data"),
               "LOOKBACK_AUDIT_KEY_FILE": str(folder / "audit.key"),
               "LOOKBACK_AUDIT_ANCHOR_FILE": str(folder / "audit.anchor")}
        subprocess.run([sys.executable, "-m", "web.cli", "init"], cwd=folder, env=env,
                       check=True, capture_output=True)  # the database exists, as in use
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        bare = time.perf_counter() - start
        users, layers = ["users", "list", "--json"], ["layers", "--json"]
        runs = {"lookback --help": best(["--help"], env, folder, args.repeat, OLD_EAGER),
                "lookback users list --json": best(users, env, folder, args.repeat,
                                                   OLD_DATABASE, alembic=True),
                "lookback layers --json": best(layers, env, folder, args.repeat,
                                               OLD_DATABASE, alembic=True)}
        eager = best(users, env, folder, args.repeat, OLD_EAGER + OLD_DATABASE, alembic=True)
        floor = min(_libraries(env) for _ in range(args.repeat))
    print(f"best of {args.repeat}, each in a fresh interpreter (python alone {bare:.2f} s; "
          f"target < {TARGET_S} s each):")
    print(line("lookback --help", *runs["lookback --help"], "with the old eager imports"))
    for what in ("lookback users list --json", "lookback layers --json"):
        print(line(what, *runs[what], "with alembic's check and shapely as before"))
    print(line("lookback users list --json", runs["lookback users list --json"][0], eager[1],
               "with the old eager imports too"))
    print(f"  the libraries alone ({', '.join(LIBRARIES)} imported, nothing run): "
          f"{floor[0]:.2f} s (CPU {floor[1]:.2f} s)")
    ok = all(ours[0] < TARGET_S for ours, _ in runs.values())
    print("target met" if ok else "target NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
