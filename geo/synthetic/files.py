"""write_district_files: the district as the files bureaus hand over (GPKG, SHP zip, KML...)."""

from __future__ import annotations

import json
import tempfile
import zipfile
from pathlib import Path

import geopandas as gpd
import pyogrio

from geo.synthetic.district import SyntheticDistrict

GRID_CRS = "EPSG:4549"  # CGCS2000 / 3-degree Gauss-Kruger CM 120E, as land bureaus deliver
ENTERPRISE_CRS = "EPSG:4490"  # CGCS2000 geographic
ENTERPRISE_ENCODING = "GBK"
SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")
FIXED_DATE = "2022-12-31T00:00:00Z"  # keeps GeoPackage bytes reproducible
ZIP_DATE = (2022, 12, 31, 0, 0, 0)

MANIFEST_LAYERS = [
    {
        "layer": "grid",
        "file": "grid_cells.gpkg",
        "layer_name": "grid_cells",
        "code_field": "WGBM",
        "name_field": "WGMC",
        "town_field": "SSZ",
    },
    {
        "layer": "sites",
        "kind": "enterprise",
        "file": "enterprises.zip",
        "code_field": "QYBM",
        "name_field": "QYMC",
        "industry_field": "HYLB",
        "town_field": "SSZ",
    },
    {
        "layer": "sites",
        "kind": "landfill",
        "file": "landfills.geojson",
        "code_field": "code",
        "name_field": "name",
        "town_field": "town",
    },
    {
        "layer": "sites",
        "kind": "waste_to_energy_plant",
        "file": "plants.kml",
        "code_field": "code",
        "name_field": "Name",
    },
]


def _write(frame: gpd.GeoDataFrame, path: Path, **kwargs: object) -> None:
    """Write with pyogrio after removing any older file (drivers may append otherwise)."""
    path.unlink(missing_ok=True)
    frame.to_file(path, engine="pyogrio", **kwargs)


def write_grid(cells: gpd.GeoDataFrame, path: Path) -> None:
    """grid_cells.gpkg: layer grid_cells in EPSG:4549 with WGBM/WGMC/SSZ (网格编码/名称/所属镇)."""
    frame = cells.rename(columns={"code": "WGBM", "name": "WGMC", "town": "SSZ"})
    frame = frame[["WGBM", "WGMC", "SSZ", "geometry"]].to_crs(GRID_CRS)
    previous = pyogrio.get_gdal_config_option("OGR_CURRENT_DATE")
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": FIXED_DATE})
    try:
        _write(frame, path, driver="GPKG", layer="grid_cells")
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": previous})


def write_enterprises(enterprises: gpd.GeoDataFrame, path: Path) -> None:
    """enterprises.zip: a GBK shapefile in EPSG:4490 with QYBM/QYMC/HYLB/SSZ, zipped flat."""
    frame = enterprises.rename(
        columns={"code": "QYBM", "name": "QYMC", "industry": "HYLB", "town": "SSZ"}
    )
    frame = frame[["QYBM", "QYMC", "HYLB", "SSZ", "geometry"]].to_crs(ENTERPRISE_CRS)
    with tempfile.TemporaryDirectory() as tmp:
        shp = Path(tmp) / "enterprises.shp"
        frame.to_file(shp, engine="pyogrio", driver="ESRI Shapefile", encoding=ENTERPRISE_ENCODING)
        cpg = shp.with_suffix(".cpg")
        if not cpg.exists() or cpg.read_text().strip() != ENTERPRISE_ENCODING:
            cpg.write_text(ENTERPRISE_ENCODING)
        path.unlink(missing_ok=True)
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for suffix in SHAPEFILE_PARTS:
                info = zipfile.ZipInfo(f"enterprises{suffix}", date_time=ZIP_DATE)
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, shp.with_suffix(suffix).read_bytes())


def write_geojson(frame: gpd.GeoDataFrame, columns: list[str], path: Path) -> None:
    """A GeoJSON file in EPSG:4326 with the given columns, 7 decimals (about 1 cm)."""
    _write(
        frame[[*columns, "geometry"]].to_crs("EPSG:4326"),
        path,
        driver="GeoJSON",
        layer_options={"COORDINATE_PRECISION": 7, "RFC7946": "YES"},
    )


def write_plants(plants: gpd.GeoDataFrame, path: Path) -> None:
    """plants.kml: one Placemark per plant, <name> = plant name, code etc. in ExtendedData."""
    frame = plants.rename(columns={"name": "Name"}).to_crs("EPSG:4326")
    frame["capacity_t_per_day"] = frame["capacity_t_per_day"].astype("int32")
    frame = frame[["Name", "code", "town", "capacity_t_per_day", "geometry"]]
    _write(frame, path, driver="LIBKML", layer="plants")


def manifest(district: SyntheticDistrict) -> dict:
    """The import instructions and counts for the written files."""
    counts = {
        "towns": len(district.towns),
        "grid_cells": len(district.grid_cells),
        "enterprises": len(district.enterprises),
        "landfills": len(district.landfills),
        "plants": len(district.plants),
    }
    return {
        "scale": district.scale,
        "seed": district.seed,
        "layers": MANIFEST_LAYERS,
        "counts": counts,
    }


def write_district_files(district: SyntheticDistrict, out_dir: Path) -> Path:
    """Write every layer into `out_dir` and return the path of manifest.json."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    write_grid(district.grid_cells, out_dir / "grid_cells.gpkg")
    write_enterprises(district.enterprises, out_dir / "enterprises.zip")
    write_geojson(district.landfills, ["code", "name", "town"], out_dir / "landfills.geojson")
    write_plants(district.plants, out_dir / "plants.kml")
    write_geojson(district.towns, ["code", "name"], out_dir / "towns.geojson")
    path = out_dir / "manifest.json"
    text = json.dumps(manifest(district), ensure_ascii=False, indent=2)
    path.write_text(text + "\n", encoding="utf-8")
    return path
