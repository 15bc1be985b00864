"""Exports: a GeoPackage that round-trips through pyogrio with its CRS and counts, CSV for
Excel (UTF-8 with BOM), GeoJSON, each error named; downloads hold only what a role sees."""

from __future__ import annotations

from pathlib import Path

import pyogrio
import pytest

from tests.web.cli import json_lines, run


def test_a_geopackage_of_the_district(demo_url: str, tmp_path: Path) -> None:
    out = tmp_path / "district.gpkg"
    result = run(demo_url, "export", "sites", "grid_cells", "photos", "--out", str(out),
                 "--json")
    assert result.exit_code == 0, result.output
    assert json_lines(result.stdout)[0]["layers"]["sites"] == 445
    names = [name for name, _ in pyogrio.list_layers(out)]
    assert names == ["sites", "grid_cells", "photos"]
    sites = pyogrio.read_dataframe(out, layer="sites")
    cells = pyogrio.read_dataframe(out, layer="grid_cells")
    assert (len(sites), len(cells)) == (445, 272)
    assert sites.crs.to_epsg() == 4326 and cells.crs.to_epsg() == 4326
    assert set(sites["kind"]) == {"enterprise", "landfill", "waste_to_energy_plant"}
    assert cells.geometry.is_valid.all()


def test_csv_opens_in_excel_and_geojson_reads_back(demo_url: str, tmp_path: Path) -> None:
    csv = tmp_path / "sites.csv"
    assert run(demo_url, "export", "sites", "--format", "csv", "--out", str(csv)).exit_code == 0
    data = csv.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    header, first = data.decode("utf-8-sig").splitlines()[:2]
    assert header.split(",")[:3] == ["记录编号", "编码", "名称"] and "经度" in header
    assert any("\u4e00" <= ch <= "\u9fff" for ch in first)
    geojson = tmp_path / "cells.geojson"
    assert run(demo_url, "export", "grid_cells", "--format", "geojson", "--out",
               str(geojson)).exit_code == 0
    assert len(pyogrio.read_dataframe(geojson)) == 272


@pytest.mark.parametrize(("args", "message"), [
    (["volcanoes"], "layer 'volcanoes' is unknown"),
    (["sites", "grid_cells", "--format", "csv"], "csv holds one layer"),
])
def test_bad_exports_are_named(demo_url: str, tmp_path: Path, args: list[str],
                               message: str) -> None:
    result = run(demo_url, "export", *args, "--out", str(tmp_path / "x"), "--json")
    assert result.exit_code == 1
    assert message in json_lines(result.stdout)[0]["error"]
