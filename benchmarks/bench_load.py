"""Twenty phones upload at once while an orthophoto converts: upload p95, `GET /login` p95
and photos per second, ours against today's in-request path and the CLI (benchmarks/load.py).

Run `python benchmarks/bench_load.py [--quick] [--backend sqlite|postgis] [--store local|s3]
[--workers N] [--job-workers M] [--repeat R]`, or through benchmarks/run.py with the others."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # also run as a plain script

from benchmarks.load import main  # noqa: E402

if __name__ == "__main__":
    raise SystemExit(main())
