"""generate_district: the whole synthetic district as GeoDataFrames in EPSG:4326."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely

from geo.synthetic import land as land_mod
from geo.synthetic import names, sites
from geo.synthetic.extent import CELL_SIZE_M, Extent, extent_for_scale
from geo.synthetic.grid import Lattice, make_lattice, tile_towns
from geo.synthetic.towns import order_north_west, polygonal, town_seeds, voronoi_regions

COUNTY_CODE = "331002"
TOWNS_PER_SCALE = 6
ENTERPRISES_PER_SCALE = 400
LANDFILLS_PER_SCALE = 41
PLANTS_PER_SCALE = 4
PLANT_CAPACITIES = (600, 1000, 1500, 1200)
CRS = "EPSG:4326"


@dataclass(frozen=True)
class SyntheticDistrict:
    """A made-up coastal district: towns, grid cells and sites, all EPSG:4326."""

    towns: gpd.GeoDataFrame
    grid_cells: gpd.GeoDataFrame
    enterprises: gpd.GeoDataFrame
    landfills: gpd.GeoDataFrame
    plants: gpd.GeoDataFrame
    scale: int = 1
    seed: int = 2022


def _lake_boxes(
    lattice: Lattice, mainland: shapely.Polygon, regions: list, seeds: np.ndarray
) -> list[shapely.Polygon]:
    """Lattice boxes wholly inside the mainland and one town region, holding no seed."""
    boxes = lattice.boxes()
    inside = shapely.contains(mainland, boxes)
    tree = shapely.STRtree(regions)
    in_one_region = np.zeros(len(boxes), dtype=bool)
    in_one_region[tree.query(boxes, predicate="within")[0]] = True
    seed_tree = shapely.STRtree(shapely.points(seeds))
    has_seed = np.zeros(len(boxes), dtype=bool)
    has_seed[seed_tree.query(boxes, predicate="intersects")[0]] = True
    return list(boxes[inside & in_one_region & ~has_seed])


def _build_land(extent: Extent, rng: np.random.Generator):
    """Mainland, islands, lakes and town regions; returns (land, coastline, towns, lattice)."""
    coast = land_mod.make_coast(extent, rng)
    mainland = land_mod.mainland_polygon(coast)
    islands = land_mod.make_islands(coast, mainland, rng)
    seeds = town_seeds(mainland, extent, TOWNS_PER_SCALE * extent.scale, rng)
    regions = voronoi_regions(seeds, extent)
    lattice = make_lattice(extent, CELL_SIZE_M)
    candidates = _lake_boxes(lattice, mainland, regions, seeds)
    lakes = land_mod.make_lakes(candidates, CELL_SIZE_M, extent, rng)
    land = shapely.difference(shapely.union_all([mainland, *islands]), shapely.union_all(lakes))
    towns = [polygonal(shapely.intersection(r, land)) for r in regions]
    towns = [towns[i] for i in order_north_west(regions) if not towns[i].is_empty]
    return land, land_mod.coastline(coast), towns, lattice


def _towns_frame(towns: list, town_names: list[str]) -> gpd.GeoDataFrame:
    codes = [f"{COUNTY_CODE}{i + 1:02d}" for i in range(len(towns))]
    return gpd.GeoDataFrame({"code": codes, "name": town_names}, geometry=towns, crs=CRS)


def _cells_frame(cells_by_town: list[list], town_names: list[str]) -> gpd.GeoDataFrame:
    rows: dict[str, list] = {"code": [], "name": [], "town": [], "geometry": []}
    for t, (cells, town) in enumerate(zip(cells_by_town, town_names, strict=True)):
        for n, i in enumerate(order_north_west(cells), start=1):
            rows["code"].append(f"{COUNTY_CODE}-{t + 1:02d}-{n:02d}")
            rows["name"].append(f"{town}第{n:02d}网格")
            rows["town"].append(town)
            rows["geometry"].append(cells[i])
    return gpd.GeoDataFrame(rows, crs=CRS)


def _enterprises_frame(land, coast, extent, towns, town_names, rng) -> gpd.GeoDataFrame:
    n = ENTERPRISES_PER_SCALE * extent.scale
    kinds = sites.industries(n, rng)
    xy = sites.enterprise_points(land, coast, extent, kinds, rng)
    in_town = sites.town_of(xy, towns, town_names)
    data = {
        "code": [f"E{i + 1:05d}" for i in range(n)],
        "name": names.company_names(in_town, kinds, rng),
        "industry": kinds,
        "town": in_town,
    }
    return gpd.GeoDataFrame(data, geometry=shapely.points(xy), crs=CRS)


def _site_frames(land, extent, towns, town_names, rng):
    spacing = sites.Spacing(extent, sites.SITE_SPACING_M)
    n_plants = PLANTS_PER_SCALE * extent.scale
    plant_geoms = sites.site_polygons(land, extent, rng.uniform(3.2, 7.8, n_plants), spacing, rng)
    n_fills = LANDFILLS_PER_SCALE * extent.scale
    fill_geoms = sites.site_polygons(land, extent, rng.uniform(0.6, 3.8, n_fills), spacing, rng)

    def located(geoms: list) -> list[str]:
        inner = shapely.point_on_surface(np.asarray(geoms, dtype=object))
        return sites.town_of(shapely.get_coordinates(inner), towns, town_names)

    fill_towns = located(fill_geoms)
    landfills = gpd.GeoDataFrame(
        {
            "code": [f"LF{i + 1:03d}" for i in range(n_fills)],
            "name": names.landfill_names(fill_towns, rng),
            "town": fill_towns,
        },
        geometry=fill_geoms,
        crs=CRS,
    )
    plant_towns = located(plant_geoms)
    plants = gpd.GeoDataFrame(
        {
            "code": [f"WTE{i + 1:02d}" for i in range(n_plants)],
            "name": names.plant_names(plant_towns),
            "town": plant_towns,
            "capacity_t_per_day": [PLANT_CAPACITIES[i % 4] for i in range(n_plants)],
        },
        geometry=plant_geoms,
        crs=CRS,
    )
    return landfills, plants


def generate_district(*, scale: int = 1, seed: int = 2022) -> SyntheticDistrict:
    """Build the synthetic district; the same (scale, seed) always gives the same data."""
    rng = np.random.default_rng(seed)
    extent = extent_for_scale(scale)
    land, coast, towns, lattice = _build_land(extent, rng)
    town_names = names.town_names(len(towns), rng)
    cells_by_town = tile_towns(towns, lattice)
    enterprises = _enterprises_frame(land, coast, extent, towns, town_names, rng)
    landfills, plants = _site_frames(land, extent, towns, town_names, rng)
    return SyntheticDistrict(
        towns=_towns_frame(towns, town_names),
        grid_cells=_cells_frame(cells_by_town, town_names),
        enterprises=enterprises,
        landfills=landfills,
        plants=plants,
        scale=scale,
        seed=seed,
    )
