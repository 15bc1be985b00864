"""Change detection between two look-back rounds (issue 16): accuracy over synthetic pairs,
and the time for a 10000 x 10000 px orthophoto pair.

Pairs (`imagery.changes.synthetic`, written once into bench-data/changes/): 200 m square
orthophotos at 0.2 m; three in four have a planted change (a dump pile or an excavation,
100-800 m²), all have nuisances that are not changes (seasonal vegetation colour, brightness,
1-3 m misregistration, JPEG, a cloud shadow). Printed, for ours and for the baseline:
- recall: planted changes (all >= 100 m²) at least half covered by detected polygons;
- mean IoU of each planted polygon and the detected polygons touching it;
- false-positive area on the no-change pairs, as a share of the site's area.

Baseline, measured in the same run on the same files: a plain RGB difference (sum of the
absolute band differences) with a fixed threshold, no registration, connected regions of at
least the same minimum area. The speed ratio printed is our time over the baseline's.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import time
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import rasterio
from rasterio.enums import Resampling
from rasterio.features import shapes
from scipy import ndimage
from shapely import wkt
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union

from benchmarks.common import CACHE
from imagery.changes import detect_changes
from imagery.changes.grid import to_crs
from imagery.changes.synthetic import write_scene_pair

FOLDER = CACHE / "changes"
PAIR_SIZE_M, PAIR_GSD_M = 200.0, 0.2
BIG_SIZE_M, BIG_GSD_M = 500.0, 0.05  # 10000 x 10000 px
MIN_AREA_M2 = 25.0
BUFFER_M = 20.0
NAIVE_THRESHOLD = 90  # sum of |R|+|G|+|B| differences, 0..765
TARGETS = {"recall": 0.9, "iou": 0.6, "fp": 0.05, "seconds": 30.0}


@dataclass(frozen=True)
class Pair:
    """A pair's files and what was planted, in its projected CRS."""

    before: Path
    after: Path
    site: BaseGeometry  # EPSG:4326
    planted: BaseGeometry | None  # projected
    crs: str


def made_pair(seed: int, size_m: float, gsd_m: float, name: str, *, change: bool,
              overviews: bool = False) -> Pair:
    """The pair for `seed`, written once (its facts kept beside it in JSON)."""
    FOLDER.mkdir(parents=True, exist_ok=True)
    before, after = FOLDER / f"{name}-before.tif", FOLDER / f"{name}-after.tif"
    facts_path = FOLDER / f"{name}.json"
    if not facts_path.exists():
        made = write_scene_pair(before, after, size_m=size_m, gsd_m=gsd_m, seed=seed,
                                change=change, overviews=overviews)
        planted = to_crs(made.planted.geometry, "EPSG:4326", made.crs) if made.planted else None
        facts_path.write_text(json.dumps({"site": made.site.wkt, "crs": made.crs,
                                          "planted": planted.wkt if planted else None}))
    facts = json.loads(facts_path.read_text())
    planted = wkt.loads(facts["planted"]) if facts["planted"] else None
    return Pair(before, after, wkt.loads(facts["site"]), planted, facts["crs"])


def naive(pair: Pair) -> list[BaseGeometry]:
    """The baseline: whole images read at full resolution, pixel by pixel RGB difference on
    the later image's own pixel grid taken as the earlier one's, fixed threshold, connected
    regions of at least MIN_AREA_M2 in the site plus its buffer (projected polygons)."""
    with rasterio.open(pair.before) as first, rasterio.open(pair.after) as second:
        transform, gsd = first.transform, first.res[0]
        a, b = first.read(), second.read(out_shape=(second.count, first.height, first.width))
    difference = np.zeros(a.shape[1:], dtype="int16")
    for band in range(3):
        difference += np.abs(a[band].astype("int16") - b[band].astype("int16"))
    del a, b
    labels, count = ndimage.label(difference > NAIVE_THRESHOLD)
    sizes = np.bincount(labels.ravel())
    keep = sizes >= MIN_AREA_M2 / (gsd * gsd)
    keep[0] = False
    mask = keep[labels]
    area = to_crs(pair.site, "EPSG:4326", pair.crs).buffer(BUFFER_M)
    found = [shape(g).intersection(area)
             for g, _ in shapes(mask.astype("uint8"), mask=mask, transform=transform)]
    return [g for g in found if g.area >= MIN_AREA_M2]


def ours(pair: Pair) -> list[BaseGeometry]:
    """imagery.changes.detect_changes, its polygons back in the pair's projected CRS."""
    result = detect_changes(pair.before, pair.after, pair.site, buffer_m=BUFFER_M,
                            min_area_m2=MIN_AREA_M2)
    return [to_crs(p.geometry, "EPSG:4326", pair.crs) for p in result.polygons]


def scores(pair: Pair, found: list[BaseGeometry]) -> tuple[bool, float, float]:
    """(found: planted at least half covered, IoU, false-positive area share of the site)."""
    site_area = to_crs(pair.site, "EPSG:4326", pair.crs).area
    if pair.planted is None:
        return False, 0.0, sum(g.area for g in found) / site_area
    touching = [g for g in found if g.intersects(pair.planted)]
    union = unary_union(touching) if touching else None
    if union is None:
        return False, 0.0, sum(g.area for g in found) / site_area
    covered = union.intersection(pair.planted).area
    iou = covered / union.union(pair.planted).area
    others = sum(g.area for g in found) - union.area
    return covered >= 0.5 * pair.planted.area, iou, others / site_area


def accuracy(pairs: list[Pair]) -> None:
    """Recall, mean IoU and false-positive share for ours and the baseline."""
    table: dict[str, dict[str, list[float]]] = {}
    for method, run in (("ours", ours), ("naive", naive)):
        rows: dict[str, list[float]] = {"hit": [], "iou": [], "fp": [], "fp_change": [],
                                        "seconds": []}
        for pair in pairs:
            start = time.perf_counter()
            found = run(pair)
            rows["seconds"].append(time.perf_counter() - start)
            hit, iou, fp = scores(pair, found)
            if pair.planted is not None:
                rows["hit"].append(hit)
                rows["iou"].append(iou)
                rows["fp_change"].append(fp)
            else:
                rows["fp"].append(fp)
        table[method] = rows
    changed = sum(p.planted is not None for p in pairs)
    print(f"{len(pairs)} pairs ({changed} with a planted change of 100-800 m², "
          f"{len(pairs) - changed} without)")
    print(f"{'':6} {'recall':>7} {'mean IoU':>9} {'FP share (no change)':>21} "
          f"{'FP share (change)':>18} {'s/pair':>7}")
    for method, rows in table.items():
        print(f"{method:6} {np.mean(rows['hit']):7.2f} {np.mean(rows['iou']):9.2f} "
              f"{100 * np.mean(rows['fp']):20.2f}% {100 * np.mean(rows['fp_change']):17.2f}% "
              f"{np.mean(rows['seconds']):7.2f}")
    mine = table["ours"]
    print(f"targets: recall >= {TARGETS['recall']} "
          f"({'met' if np.mean(mine['hit']) >= TARGETS['recall'] else 'NOT met'}), "
          f"IoU >= {TARGETS['iou']} "
          f"({'met' if np.mean(mine['iou']) >= TARGETS['iou'] else 'NOT met'}), "
          f"FP <= {TARGETS['fp']:.0%} "
          f"({'met' if np.mean(mine['fp']) <= TARGETS['fp'] else 'NOT met'})")


def with_overviews(pair: Pair) -> Pair:
    """A copy of the pair whose files have internal overviews, as the ingest's COGs have."""
    copies = []
    for path in (pair.before, pair.after):
        copy = path.with_name(path.name.replace("big-", "big-ovr-"))
        if not copy.exists():
            shutil.copyfile(path, copy)
            with rasterio.open(copy, "r+") as dataset:
                dataset.build_overviews([2, 4, 8, 16, 32], Resampling.average)
        copies.append(copy)
    return replace(pair, before=copies[0], after=copies[1])


def timed(run, pair: Pair, repeat: int) -> tuple[float, int]:  # noqa: ANN001
    """Best wall time of `repeat` runs, and how many polygons the last found."""
    best, found = float("inf"), []
    for _ in range(repeat):
        start = time.perf_counter()
        found = run(pair)
        best = min(best, time.perf_counter() - start)
    return best, len(found)


def speed(repeat: int) -> None:
    """Time ours and the baseline on a 10000 x 10000 px pair, without and with overviews."""
    big = made_pair(1001, BIG_SIZE_M, BIG_GSD_M, "big", change=True)
    with rasterio.open(big.before) as dataset:
        print(f"speed: {dataset.width} x {dataset.height} px pair, "
              f"{(big.before.stat().st_size + big.after.stat().st_size) / 1e6:.0f} MB on disk")
    naive_s, naive_n = timed(naive, big, repeat)
    for label, files in (("plain GeoTIFF", big),
                         ("with overviews (as stored)", with_overviews(big))):
        ours_s, ours_n = timed(ours, files, repeat)
        verdict = "met" if ours_s < TARGETS["seconds"] else "NOT met"
        print(f"  {label}: ours {ours_s:.2f} s ({ours_n} polygons), naive {naive_s:.2f} s "
              f"({naive_n} polygons), ratio {ours_s / naive_s:.2f} "
              f"(target < {TARGETS['seconds']:.0f} s: {verdict})")


def main() -> None:
    """Accuracy over --pairs pairs, then the speed on the 10000 x 10000 px pair."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pairs", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--skip-speed", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("GDAL_NUM_THREADS", "2")
    pairs = [made_pair(seed, PAIR_SIZE_M, PAIR_GSD_M, f"pair-{seed}", change=seed % 4 != 3)
             for seed in range(args.pairs)]
    accuracy(pairs)
    if not args.skip_speed:
        speed(args.repeat)


if __name__ == "__main__":
    main()
