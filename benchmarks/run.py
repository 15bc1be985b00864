"""Run every benchmark; each prints its time and its ratio to a baseline measured alongside."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    """Run each benchmarks/bench_*.py in turn; non-zero when one fails."""
    failed = 0
    for script in sorted(HERE.glob("bench_*.py")):
        print(f"== {script.name}", flush=True)
        module = f"benchmarks.{script.stem}"
        failed |= subprocess.call([sys.executable, "-m", module, *sys.argv[1:]],
                                  cwd=HERE.parent) != 0
    return int(failed)


if __name__ == "__main__":
    sys.exit(main())
