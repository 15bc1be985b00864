"""Synthetic orthophoto pairs for tests, the benchmark and the demo: a site's ground (soil
texture, vegetation, roads, roofs) and its later round with a planted change (a new dump pile
or an excavation, an irregular polygon of 100-800 m²) among nuisances that are not changes:
a seasonal colour shift of the vegetation, a brightness change, 1-3 m misregistration, JPEG
artefacts and a cloud shadow. Deterministic from a seed.

The GeoTIFFs are RGB, 8-bit, in the WGS 84 UTM zone of the centre (EPSG:326xx north,
327xx south); the later one is JPEG-compressed (quality 60), the earlier one DEFLATE."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import rasterio
from affine import Affine
from rasterio.features import rasterize
from rasterio.windows import Window
from scipy import ndimage
from shapely.geometry import Polygon, box

from imagery.changes.grid import to_crs, utm_crs

SCENE_MAX_PX = 2500  # the scene is drawn at most this many pixels wide, then upsampled
STRIP_ROWS = 64  # scene rows written at a time
KINDS = ("dump", "excavation")


@dataclass(frozen=True)
class PlantedChange:
    """The change planted in the later image: its outline (EPSG:4326), area and kind."""

    geometry: Polygon
    area_m2: float
    kind: str  # "dump" or "excavation"


@dataclass(frozen=True)
class SyntheticPair:
    """What write_scene_pair made: the site (EPSG:4326), the planted change (None for a
    no-change pair), the misregistration given to the later image, and the CRS used."""

    site: Polygon
    planted: PlantedChange | None
    shift_m: float
    crs: str


@dataclass(frozen=True)
class Scene:
    """A scene on its drawing grid: RGB 0..1 and where the vegetation is."""

    rgb: np.ndarray
    vegetation: np.ndarray
    transform: Affine


def site_square(centre_lonlat: tuple[float, float], side_m: float) -> Polygon:
    """A square site of `side_m` around the centre, in EPSG:4326."""
    crs = utm_crs(*centre_lonlat)
    x, y = to_crs(box(*centre_lonlat, *centre_lonlat), "EPSG:4326", crs).centroid.coords[0]
    half = side_m / 2
    return to_crs(box(x - half, y - half, x + half, y + half), crs, "EPSG:4326")


def write_pair(before_path: Path | str, after_path: Path | str,
               centre_lonlat: tuple[float, float] = (121.45, 28.68), size_m: float = 200.0,
               gsd_m: float = 0.1, seed: int = 0, change: bool = True) -> PlantedChange | None:
    """Write an earlier and a later orthophoto of `size_m` square around the centre at
    `gsd_m`; the later one has a planted change when `change`. Returns the planted change."""
    return write_scene_pair(before_path, after_path, centre_lonlat, size_m, gsd_m, seed,
                            change=change).planted


def _scene_grid(centre_lonlat: tuple[float, float], size_m: float, gsd_m: float
                ) -> tuple[Any, tuple[float, float], int, int, Affine]:
    """The scene's grid around the centre in its UTM zone: the CRS, the centre there, the
    factor the scene is drawn coarser by (at most SCENE_MAX_PX a side), its side in pixels
    and its transform."""
    crs = utm_crs(*centre_lonlat)
    cx, cy = to_crs(box(*centre_lonlat, *centre_lonlat), "EPSG:4326", crs).centroid.coords[0]
    factor = max(1, math.ceil(size_m / gsd_m / SCENE_MAX_PX))
    scene_gsd = gsd_m * factor
    side = max(8, round(size_m / scene_gsd))
    transform = Affine(scene_gsd, 0, cx - side * scene_gsd / 2, 0, -scene_gsd,
                       cy + side * scene_gsd / 2)
    return crs, (cx, cy), factor, side, transform


def write_scene_pair(before_path: Path | str, after_path: Path | str,
                     centre_lonlat: tuple[float, float] = (121.45, 28.68),
                     size_m: float = 200.0, gsd_m: float = 0.1, seed: int = 0, *,
                     change: bool = True, nuisances: bool = True,
                     overviews: bool = False) -> SyntheticPair:
    """write_pair with everything it made: the site is the middle 70 % of the image."""
    rng = np.random.default_rng(seed)
    crs, (cx, cy), factor, side, transform = _scene_grid(centre_lonlat, size_m, gsd_m)
    before = draw_ground(rng, side, transform)
    planted = None
    later = before.rgb.copy()
    if change:
        outline = planted_outline(rng, cx, cy, size_m * 0.7)
        later = paint_change(rng, later, outline, transform, kind := str(rng.choice(KINDS)))
        planted = PlantedChange(to_crs(outline, crs, "EPSG:4326"), float(outline.area), kind)
    shift = (0.0, 0.0)
    if nuisances:
        later, shift = with_nuisances(rng, later, before.vegetation, transform)
    after_transform = Affine.translation(*shift) @ transform
    write_geotiff(before_path, before.rgb, transform, factor, crs.to_string(), seed,
                  jpeg=False, overviews=overviews)
    write_geotiff(after_path, later, after_transform, factor, crs.to_string(), seed + 1,
                  jpeg=nuisances, overviews=overviews)
    site = site_square(centre_lonlat, size_m * 0.7)
    return SyntheticPair(site, planted, math.hypot(*shift), crs.to_string())


def write_rounds(paths: Sequence[Path | str],
                 centre_lonlat: tuple[float, float] = (121.45, 28.68), size_m: float = 200.0,
                 gsd_m: float = 0.1, seed: int = 0, *, change_from: int | None = None,
                 overviews: bool = False) -> PlantedChange | None:
    """Orthophotos of one site over several look-back rounds, one file per path: the first
    round clean, each later one with nuisances of its own (season, light, 1-3 m shift, JPEG,
    a cloud shadow); from round `change_from` (1 or later) on, the planted change is there,
    as a relapse would be. Returns the planted change (None when `change_from` is None). The
    site of write_pair (site_square of 70 % of `size_m`) fits these images too."""
    if change_from is not None and change_from < 1:
        raise ValueError(f"change_from: the first round is the reference, got {change_from}")
    rng = np.random.default_rng(seed)
    crs, (cx, cy), factor, side, transform = _scene_grid(centre_lonlat, size_m, gsd_m)
    ground = draw_ground(rng, side, transform)
    planted, changed = None, ground.rgb
    if change_from is not None:
        outline = planted_outline(rng, cx, cy, size_m * 0.7)
        kind = str(rng.choice(KINDS))
        changed = paint_change(rng, ground.rgb, outline, transform, kind)
        planted = PlantedChange(to_crs(outline, crs, "EPSG:4326"), float(outline.area), kind)
    for index, path in enumerate(paths):
        relapsed = change_from is not None and index >= change_from
        image, shift = changed if relapsed else ground.rgb, (0.0, 0.0)
        if index > 0:
            round_rng = np.random.default_rng([seed, index])
            image, shift = with_nuisances(round_rng, image, ground.vegetation, transform)
        write_geotiff(path, image, Affine.translation(*shift) @ transform, factor,
                      crs.to_string(), seed + index, jpeg=index > 0, overviews=overviews)
    return planted


def with_nuisances(rng: np.random.Generator, rgb: np.ndarray, vegetation: np.ndarray,
                   transform: Affine) -> tuple[np.ndarray, tuple[float, float]]:
    """A later round's look: seasonal vegetation, a cloud shadow, another exposure, and the
    1-3 m misregistration (east, north metres) to give its georeferencing."""
    rgb = seasonal_shift(rng, rgb, vegetation)
    rgb = cloud_shadow(rng, rgb, transform)
    rgb = brightness(rng, rgb)
    angle, length = rng.uniform(0, 2 * math.pi), rng.uniform(1.0, 3.0)
    return rgb, (length * math.cos(angle), length * math.sin(angle))


def smooth_noise(rng: np.random.Generator, side: int, scale_px: float) -> np.ndarray:
    """Noise of unit spread with features about `scale_px` pixels across."""
    scale_px = max(scale_px, 1.0)
    coarse = max(2, math.ceil(side / scale_px) + 3)
    field = rng.standard_normal((coarse, coarse))
    fine = ndimage.zoom(field, side / (coarse - 3), order=3)[:side, :side]
    return (fine - fine.mean()) / (fine.std() + 1e-9)


def draw_ground(rng: np.random.Generator, side: int, transform: Affine) -> Scene:
    """Soil with texture, patches of vegetation, roads and a few roofs."""
    gsd = transform.a
    soil = np.array([0.56, 0.50, 0.42])
    light = 0.06 * smooth_noise(rng, side, 25 / gsd) + 0.035 * smooth_noise(rng, side, 2 / gsd)
    rgb = soil[None, None, :] * (1 + light[..., None])
    rgb += 0.02 * rng.standard_normal((side, side, 3))
    vegetation = smooth_noise(rng, side, 14 / gsd) > 0.35
    crowns = 0.25 * smooth_noise(rng, side, 1.2 / gsd) + 0.1 * smooth_noise(rng, side, 6 / gsd)
    green = np.array([0.24, 0.37, 0.17])[None, None, :] * (1 + crowns[..., None])
    rgb = np.where(vegetation[..., None], green, rgb)
    rgb = draw_roads(rng, rgb, transform)
    rgb = draw_roofs(rng, rgb, transform)
    return Scene(np.clip(rgb, 0, 1).astype("float32"), vegetation, transform)


def line_mask(rng: np.random.Generator, side: int, width_px: float) -> np.ndarray:
    """A straight band of `width_px` across the image at a random place and angle."""
    rows, cols = np.mgrid[0:side, 0:side]
    angle = rng.uniform(0, math.pi)
    r0, c0 = rng.uniform(0.1, 0.9, size=2) * side
    distance = np.abs((rows - r0) * math.cos(angle) - (cols - c0) * math.sin(angle))
    return distance < width_px / 2


def draw_roads(rng: np.random.Generator, rgb: np.ndarray, transform: Affine) -> np.ndarray:
    """A paved road (6 m) and a dirt track (3 m)."""
    side, gsd = rgb.shape[0], transform.a
    paved = line_mask(rng, side, 6 / gsd)
    rgb[paved] = np.array([0.46, 0.46, 0.45]) + 0.02 * rng.standard_normal((paved.sum(), 3))
    track = line_mask(rng, side, 3 / gsd)
    rgb[track] = np.array([0.64, 0.57, 0.47]) + 0.03 * rng.standard_normal((track.sum(), 3))
    return rgb


def draw_roofs(rng: np.random.Generator, rgb: np.ndarray, transform: Affine) -> np.ndarray:
    """Two to four rectangular roofs of 6-15 m with a shadow on one side."""
    side, gsd = rgb.shape[0], transform.a
    colours = np.array([[0.32, 0.46, 0.66], [0.60, 0.30, 0.25], [0.72, 0.72, 0.70]])
    for _ in range(int(rng.integers(2, 5))):
        h, w = (rng.uniform(6, 15, size=2) / gsd).astype(int) + 1
        r, c = rng.integers(0, max(1, side - h)), rng.integers(0, max(1, side - w))
        shadow = max(1, int(2 / gsd))
        rgb[r + h:r + h + shadow, c + shadow:c + w + shadow] *= 0.45
        rgb[r:r + h, c:c + w] = colours[rng.integers(0, 3)]
    return rgb


def planted_outline(rng: np.random.Generator, cx: float, cy: float, site_m: float) -> Polygon:
    """An irregular polygon of 100-800 m² inside the site (projected coordinates)."""
    area = rng.uniform(100, 800)
    count = 14
    angles = np.sort(rng.uniform(0, 2 * math.pi, count))
    radii = np.exp(0.25 * ndimage.gaussian_filter1d(rng.standard_normal(count), 1.0, mode="wrap"))
    unit = Polygon(np.c_[radii * np.cos(angles), radii * np.sin(angles)])
    scale = math.sqrt(area / unit.area)
    reach = site_m / 2 - scale * radii.max() - 2
    ox, oy = rng.uniform(-reach, reach, size=2) if reach > 0 else (0.0, 0.0)
    return Polygon(np.c_[cx + ox + scale * radii * np.cos(angles),
                         cy + oy + scale * radii * np.sin(angles)])


def paint_change(rng: np.random.Generator, rgb: np.ndarray, outline: Polygon,
                 transform: Affine, kind: str) -> np.ndarray:
    """A dump pile (construction waste: light, mixed, rough) or an excavation (fresh red
    subsoil, smooth, a dark pit wall) painted inside `outline`."""
    side, gsd = rgb.shape[0], transform.a
    inside = rasterize([(outline, 1)], out_shape=(side, side), transform=transform,
                       dtype="uint8").astype(bool)
    if kind == "dump":
        base = np.array([0.70, 0.68, 0.64])
        debris = 0.18 * smooth_noise(rng, side, 0.6 / gsd)[..., None]
        specks = rng.choice([[0.9, 0.9, 0.9], [0.2, 0.35, 0.7], [0.15, 0.15, 0.15],
                             [0.6, 0.45, 0.3]], size=(side, side))
        pick = rng.random((side, side)) < 0.25
        fill = np.where(pick[..., None], specks, base * (1 + debris))
    else:
        base = np.array([0.66, 0.40, 0.27])
        fill = base * (1 + 0.05 * smooth_noise(rng, side, 3 / gsd))[..., None]
        wall = inside & ~ndimage.binary_erosion(inside, iterations=max(1, int(1.5 / gsd)))
        fill = np.where(wall[..., None], fill * 0.55, fill)
    out = rgb.copy()
    out[inside] = fill[inside]
    return out


def seasonal_shift(rng: np.random.Generator, rgb: np.ndarray, vegetation: np.ndarray
                   ) -> np.ndarray:
    """Vegetation turned towards autumn yellow-brown by 20-45 %."""
    share = rng.uniform(0.2, 0.45)
    yellowed = rgb * np.array([1.55, 1.05, 0.9])
    return np.where(vegetation[..., None], rgb * (1 - share) + yellowed * share, rgb)


def cloud_shadow(rng: np.random.Generator, rgb: np.ndarray, transform: Affine) -> np.ndarray:
    """A soft elliptical cloud shadow 160-400 m across (its edge crossing the site, a 10 m
    penumbra) darkening the ground to 60-75 %."""
    side, gsd = rgb.shape[0], transform.a
    rows, cols = np.mgrid[0:side, 0:side]
    a, b = rng.uniform(80, 200, size=2) / gsd
    angle = rng.uniform(0, 2 * math.pi)
    edge = rng.uniform(-0.3, 0.3) * side  # where the edge passes, from the image's centre
    reach = (a + b) / 2 + edge
    r0, c0 = side / 2 + reach * math.sin(angle), side / 2 + reach * math.cos(angle)
    inside = ((rows - r0) / a) ** 2 + ((cols - c0) / b) ** 2 < 1
    soft = ndimage.gaussian_filter(inside.astype("float32"), 5 / gsd)
    depth = rng.uniform(0.25, 0.4)
    tint = np.array([1.0, 1.0, 0.9])
    return rgb * (1 - depth * soft[..., None] * tint)


def brightness(rng: np.random.Generator, rgb: np.ndarray) -> np.ndarray:
    """A change of exposure (gain 0.8-1.2) and contrast (gamma 0.85-1.15)."""
    gain, gamma = rng.uniform(0.8, 1.2), rng.uniform(0.85, 1.15)
    return np.clip(rgb * gain, 0, 1) ** gamma


def write_geotiff(path: Path | str, rgb: np.ndarray, transform: Affine, factor: int, crs: str,
                  seed: int, *, jpeg: bool, overviews: bool) -> None:
    """Write the scene upsampled `factor` times (fine noise added), strip by strip."""
    side = rgb.shape[0]
    size = side * factor
    profile = {"driver": "GTiff", "width": size, "height": size, "count": 3, "dtype": "uint8",
               "crs": crs, "tiled": True, "blockxsize": 256, "blockysize": 256,
               "transform": transform @ Affine.scale(1 / factor),
               "photometric": "RGB", "interleave": "pixel"}
    if jpeg:
        profile.update(compress="JPEG", jpeg_quality=60, photometric="YCbCr")
    else:
        profile.update(compress="DEFLATE", predictor=2)
    rng = np.random.default_rng(seed + 7919)
    with rasterio.open(path, "w", **profile) as dst:
        for row in range(0, side, STRIP_ROWS):
            strip = rgb[row:row + STRIP_ROWS]
            if factor > 1:
                strip = strip.repeat(factor, axis=0).repeat(factor, axis=1)
            noisy = strip + 0.015 * rng.standard_normal(strip.shape, dtype="float32")
            data = np.clip(noisy * 255 + 0.5, 0, 255).astype("uint8")
            dst.write(np.moveaxis(data, -1, 0),
                      window=Window(0, row * factor, size, data.shape[0]))
        if overviews:
            dst.build_overviews([2, 4, 8, 16, 32], rasterio.enums.Resampling.average)
