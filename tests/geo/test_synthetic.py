"""Tests for the synthetic demo district and the files written from it."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest
import shapely

from geo.synthetic import SyntheticDistrict, generate_district, write_district_files

BBOX = (121.30, 28.60, 121.60, 28.80)
INDUSTRIES = {"医化", "印染", "眼镜", "纺织", "船舶修造", "砂石"}


@pytest.fixture(scope="module")
def district() -> SyntheticDistrict:
    """The scale-1 district, generated once for the module."""
    return generate_district(scale=1, seed=2022)


@pytest.fixture(scope="module")
def files(district: SyntheticDistrict, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The district written to a temporary folder; returns the folder."""
    out = tmp_path_factory.mktemp("district")
    write_district_files(district, out)
    return out


def _frames(d: SyntheticDistrict) -> dict[str, gpd.GeoDataFrame]:
    return {
        "towns": d.towns,
        "grid_cells": d.grid_cells,
        "enterprises": d.enterprises,
        "landfills": d.landfills,
        "plants": d.plants,
    }


def test_same_seed_gives_same_district(district: SyntheticDistrict) -> None:
    again = generate_district(scale=1, seed=2022)
    for name, frame in _frames(district).items():
        assert frame.equals(_frames(again)[name]), name


def test_other_seed_gives_other_district(district: SyntheticDistrict) -> None:
    other = generate_district(scale=1, seed=7)
    assert not other.enterprises.geometry.equals(district.enterprises.geometry)


def test_scale_one_counts(district: SyntheticDistrict) -> None:
    assert 5 <= len(district.towns) <= 8
    assert 200 <= len(district.grid_cells) <= 400
    assert len(district.enterprises) == 400
    assert len(district.landfills) == 41
    assert len(district.plants) == 4
    assert district.plants["capacity_t_per_day"].tolist() == [600, 1000, 1500, 1200]


def test_codes_are_unique_and_well_formed(district: SyntheticDistrict) -> None:
    cells = district.grid_cells
    assert cells["code"].is_unique
    assert cells["code"].str.fullmatch(r"331002-\d{2}-\d{2,3}").all()
    assert district.towns["code"].str.fullmatch(r"331002\d{2}").all()
    assert district.enterprises["code"].iloc[0] == "E00001"
    assert district.landfills["code"].iloc[0] == "LF001"
    assert district.plants["code"].tolist() == ["WTE01", "WTE02", "WTE03", "WTE04"]
    first = cells.iloc[0]
    assert first["name"] == f"{first['town']}第01网格"


def test_all_geometries_valid_and_in_bbox(district: SyntheticDistrict) -> None:
    box = shapely.box(*BBOX)
    for name, frame in _frames(district).items():
        assert frame.crs.to_epsg() == 4326, name
        assert shapely.is_valid(frame.geometry.values).all(), name
        assert shapely.within(frame.geometry.values, box).all(), name


def test_cells_tile_the_land_exactly(district: SyntheticDistrict) -> None:
    land = shapely.union_all(district.towns.geometry.values)
    cells = shapely.union_all(district.grid_cells.geometry.values)
    assert shapely.symmetric_difference(land, cells).area < 1e-9 * land.area
    total = shapely.area(district.grid_cells.geometry.values).sum()
    assert abs(total - cells.area) < 1e-9 * cells.area


def test_each_cell_lies_in_its_town(district: SyntheticDistrict) -> None:
    towns = district.towns.set_index("name").geometry
    for cell in district.grid_cells.itertuples():
        inside = shapely.intersection(cell.geometry, towns[cell.town]).area
        assert inside >= (1 - 1e-9) * cell.geometry.area, cell.code


def test_no_cell_is_a_sliver(district: SyntheticDistrict) -> None:
    areas = district.grid_cells.to_crs("EPSG:4549").area
    assert areas.min() > 0.05 * 1500**2


def test_holes_and_multipolygons_occur(district: SyntheticDistrict) -> None:
    geoms = district.grid_cells.geometry
    assert any(g.geom_type == "Polygon" and len(g.interiors) > 0 for g in geoms)
    assert (geoms.geom_type == "MultiPolygon").any()
    land = shapely.union_all(district.towns.geometry.values)
    assert land.geom_type == "MultiPolygon"  # the mainland plus islands


def test_enterprises_lie_in_one_cell_of_their_town(district: SyntheticDistrict) -> None:
    joined = gpd.sjoin(district.enterprises, district.grid_cells, predicate="within")
    assert len(joined) == len(district.enterprises)
    assert (joined["town_left"] == joined["town_right"]).all()
    assert set(district.enterprises["industry"]) == INDUSTRIES


def test_landfills_and_plants_do_not_overlap_and_have_plausible_areas(
    district: SyntheticDistrict,
) -> None:
    sites = gpd.GeoSeries(
        [*district.landfills.geometry, *district.plants.geometry], crs="EPSG:4326"
    )
    tree = shapely.STRtree(sites.values)
    left, right = tree.query(sites.values, predicate="intersects")
    assert (left == right).all()
    hectares = district.landfills.to_crs("EPSG:4549").area / 10_000
    assert hectares.between(0.5, 4).all()
    plant_ha = district.plants.to_crs("EPSG:4549").area / 10_000
    assert plant_ha.between(3, 8).all()


def test_manifest_describes_the_files(files: Path) -> None:
    manifest = json.loads((files / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["scale"] == 1 and manifest["seed"] == 2022
    assert manifest["counts"]["landfills"] == 41
    for entry in manifest["layers"]:
        frame = pyogrio.read_dataframe(files / entry["file"], layer=entry.get("layer_name"))
        for key, column in entry.items():
            if key.endswith("_field"):
                assert column in frame.columns, (entry["file"], column)


def test_grid_gpkg_is_cgcs2000_gauss_kruger(files: Path, district: SyntheticDistrict) -> None:
    info = pyogrio.read_info(files / "grid_cells.gpkg", layer="grid_cells")
    assert info["crs"] == "EPSG:4549"
    frame = pyogrio.read_dataframe(files / "grid_cells.gpkg", layer="grid_cells")
    assert frame["WGBM"].tolist() == district.grid_cells["code"].tolist()
    assert frame["WGMC"].iloc[0].endswith("第01网格")
    assert set(frame.geom_type) == {"MultiPolygon"}  # the GPKG driver promotes to multi
    back = frame.to_crs("EPSG:4326").geometry.values
    assert shapely.hausdorff_distance(back, district.grid_cells.geometry.values).max() < 1e-7


def test_enterprise_zip_is_a_gbk_shapefile(files: Path, district: SyntheticDistrict) -> None:
    with zipfile.ZipFile(files / "enterprises.zip") as zf:
        names = sorted(zf.namelist())
        assert zf.read("enterprises.cpg").decode().strip() == "GBK"
        dbf = zf.read("enterprises.dbf")
    expected = [f"enterprises.{ext}" for ext in ("cpg", "dbf", "prj", "shp", "shx")]
    assert names == expected
    first_name = district.enterprises["name"].iloc[0]
    assert first_name.encode("gbk") in dbf
    frame = pyogrio.read_dataframe(files / "enterprises.zip")
    assert pyogrio.read_info(files / "enterprises.zip")["crs"] == "EPSG:4490"
    assert frame["QYMC"].tolist() == district.enterprises["name"].tolist()
    assert frame["SSZ"].tolist() == district.enterprises["town"].tolist()
    assert set(frame["HYLB"]) == INDUSTRIES


def test_landfills_and_towns_geojson_round_trip(files: Path, district: SyntheticDistrict) -> None:
    landfills = pyogrio.read_dataframe(files / "landfills.geojson")
    assert landfills.crs.to_epsg() == 4326
    assert landfills[["code", "name", "town"]].equals(district.landfills[["code", "name", "town"]])
    towns = pyogrio.read_dataframe(files / "towns.geojson")
    assert towns["name"].tolist() == district.towns["name"].tolist()


def test_plants_kml_has_name_and_code(files: Path, district: SyntheticDistrict) -> None:
    plants = pyogrio.read_dataframe(files / "plants.kml")
    assert plants.crs.to_epsg() == 4326
    assert plants["Name"].tolist() == district.plants["name"].tolist()
    assert plants["code"].tolist() == ["WTE01", "WTE02", "WTE03", "WTE04"]


def test_scale_must_be_positive() -> None:
    with pytest.raises(ValueError, match="scale"):
        generate_district(scale=0)
