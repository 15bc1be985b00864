"""Build the synthetic demo district files: python data/build_demo.py [--scale 1] [--out DIR]."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geo.synthetic import generate_district, write_district_files  # noqa: E402


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line: scale, seed and output folder."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=1, help="1 district, 10 city, 100 province")
    parser.add_argument("--seed", type=int, default=2022, help="random seed (default 2022)")
    parser.add_argument("--out", type=Path, default=Path("data/district"), help="output folder")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Generate the district, write its files and print counts and timings."""
    args = parse_args(argv)
    started = time.perf_counter()
    district = generate_district(scale=args.scale, seed=args.seed)
    generated = time.perf_counter()
    manifest = write_district_files(district, args.out)
    written = time.perf_counter()
    for layer in ("towns", "grid_cells", "enterprises", "landfills", "plants"):
        print(f"{layer:12} {len(getattr(district, layer)):>7}")
    print(f"generated in {generated - started:.2f} s, written in {written - generated:.2f} s")
    print(f"manifest: {manifest}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
