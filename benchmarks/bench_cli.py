"""Start-up of the command line: `lookback --help`, and a light command, in a fresh interpreter.

Baseline, measured in the same run: the same command after the interpreter first imports what
web/cli/*.py imported at their top before issue 13 (the web app, the reports' matplotlib, the
demo, the importers' geopandas, the ingest's rasterio...), which every command then paid. The
ratio printed is ours over the baseline's; below 1.0 is faster. Target: `lookback --help`
under 0.5 s.
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
# `python -m web.cli ARGS`, after importing the modules named in the first argument.
RUN = """
import importlib, runpy, sys
for name in filter(None, sys.argv[1].split(",")):
    importlib.import_module(name)
sys.argv = ["lookback", *sys.argv[2:]]
runpy.run_module("web.cli", run_name="__main__", alter_sys=True)
"""


def _cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def seconds(args: list[str], env: dict[str, str], folder: Path, preload: tuple[str, ...] = ()
            ) -> tuple[float, float]:
    """Wall and CPU time of one `lookback ARGS` in a fresh interpreter (it must succeed); the
    CPU time tells what the command costs when other work shares the machine."""
    start, cpu = time.perf_counter(), _cpu()
    subprocess.run([sys.executable, "-c", RUN, ",".join(preload), *args], cwd=folder, env=env,
                   check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start, _cpu() - cpu


def best(args: list[str], env: dict[str, str], folder: Path, repeat: int
         ) -> tuple[tuple[float, float], tuple[float, float]]:
    """Best (wall, CPU) of `repeat` runs of ours and of the baseline, alternated so both see
    the same machine."""
    ours, theirs = [], []
    for _ in range(repeat):
        ours.append(seconds(args, env, folder))
        theirs.append(seconds(args, env, folder, OLD_EAGER))
    return (min(w for w, _ in ours), min(c for _, c in ours)), \
        (min(w for w, _ in theirs), min(c for _, c in theirs))


def line(what: str, ours: tuple[float, float], theirs: tuple[float, float]) -> str:
    """One command's times (wall, and CPU in brackets) against the baseline's."""
    return (f"  {what}: {ours[0]:.2f} s (CPU {ours[1]:.2f} s), with the old eager imports "
            f"{theirs[0]:.2f} s (CPU {theirs[1]:.2f} s), ratio {ours[0] / theirs[0]:.2f}")


def main() -> int:
    """Measure `lookback --help` and `lookback users list --json` (SQLite); print the ratios."""
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
        helps = best(["--help"], env, folder, args.repeat)
        light = best(["users", "list", "--json"], env, folder, args.repeat)
    print(f"best of {args.repeat}, each in a fresh interpreter (python alone {bare:.2f} s):")
    print(line("lookback --help", *helps) + f" (target < {TARGET_S} s)")
    print(line("lookback users list --json (SQLite, opens the database)", *light))
    ok = helps[0][0] < TARGET_S
    print("target met" if ok else "target NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
