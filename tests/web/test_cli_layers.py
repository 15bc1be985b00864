"""The command line over the geodata: init, import, layers, locate; JSON output and exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.geo.sample import grid_frame, landfill_frame, sites_frame, write
from tests.web.cli import json_lines, run

COMMANDS = [[], ["init"], ["layers"], ["locate"], ["import"], ["import", "grid"],
            ["import", "sites"], ["import", "manifest"], ["demo"], ["serve"], ["ingest"],
            ["photos", "set-location"], ["cases", "list"], ["cases", "show"],
            ["lookbacks", "list"], ["audit", "verify"], ["tick"], ["stats"], ["worker"]]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "lookback")
def test_every_command_has_help(command: list[str], tmp_path: Path) -> None:
    result = run(f"sqlite:///{tmp_path / 'l.db'}", *command, "--help")
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output


def test_init_creates_then_finds_up_to_date(database_url: str) -> None:
    first = json_lines(run(database_url, "init", "--json").stdout)
    again = json_lines(run(database_url, "init", "--json").stdout)
    assert (first[0]["created"], again[0]["created"], again[0]["upgraded"]) == (True, False, False)
    assert again[0]["revisions"] == ["accounts_0003", "geo_0002", "imagery_0002",
                                     "inspections_0014", "web_0002"]


@pytest.fixture
def loaded(database_url: str, tmp_path: Path) -> str:
    grid = write(grid_frame().to_crs("EPSG:4549"), tmp_path / "grid.gpkg")
    sites = write(sites_frame(), tmp_path / "qy.shp", encoding="GBK")
    landfills = write(landfill_frame(), tmp_path / "lf.geojson")
    assert run(database_url, "import", "grid", str(grid)).exit_code == 0
    assert run(database_url, "import", "sites", str(sites), "--kind", "enterprise").exit_code == 0
    result = run(database_url, "import", "sites", str(landfills), "--kind", "landfill", "--json")
    assert json_lines(result.stdout) == [{
        "source": str(landfills), "layer": "sites", "kind": "landfill", "inserted": 1,
        "updated": 0, "repaired": []}]
    return database_url


def test_layers_counts(loaded: str) -> None:
    assert json_lines(run(loaded, "layers", "--json").stdout) == [{
        "grid_cells": 3,
        "sites": {"landfill": 1, "enterprise": 2, "waste_to_energy_plant": 0, "other": 0}}]


def test_locate_prints_the_documented_json(loaded: str) -> None:
    result = run(loaded, "locate", "121.405", "28.7", "--json")
    assert result.exit_code == 0
    assert json_lines(result.stdout) == [{
        "lon": 121.405, "lat": 28.7,
        "grid_cell": {"code": "C1", "name": "海门街道第01网格", "town": "海门街道"},
        "sites": [
            {"code": "E2", "kind": "enterprise", "name": "台州市东山印染有限公司",
             "distance_m": 87.95},
            {"code": "E1", "kind": "enterprise", "name": "台州市海门医化有限公司",
             "distance_m": 99.75},
        ]}]


def test_locate_inside_a_polygon_and_outside_every_cell(loaded: str) -> None:
    inside = json_lines(run(loaded, "locate", "121.415", "28.711", "--radius", "1",
                            "--json").stdout)[0]
    assert inside["grid_cell"] is None
    assert inside["sites"] == [{"code": "LF1", "kind": "landfill", "name": "东山镇前岙垃圾填埋场",
                                "distance_m": 0.0}]


def test_locate_as_text(loaded: str) -> None:
    result = run(loaded, "locate", "121.405", "28.7")
    assert "C1 海门街道第01网格 (海门街道)" in result.stdout
    assert "88.0 m  enterprise" in result.stdout


def test_locate_rejects_a_point_that_is_not_lon_lat(loaded: str) -> None:
    result = run(loaded, "locate", "28.7", "121.405", "--json")
    assert result.exit_code == 1
    assert "not a longitude/latitude" in json_lines(result.stdout)[0]["error"]


def test_failed_import_exits_non_zero_and_explains(loaded: str, tmp_path: Path) -> None:
    path = write(sites_frame().rename(columns={"code": "QYBM"}), tmp_path / "bad.geojson")
    result = run(loaded, "import", "sites", str(path), "--kind", "enterprise", "--json")
    assert result.exit_code == 1
    report = json_lines(result.stdout)[0]
    assert report["source"] == str(path)
    assert report["problems"] == ["code field 'code' does not exist; fields in the file: QYBM, "
                                  "name, industry, town"]
    text = run(loaded, "import", "sites", str(path), "--kind", "enterprise")
    assert text.exit_code == 1
    assert "code field 'code' does not exist" in text.stderr


def test_import_options_reach_the_importer(database_url: str, tmp_path: Path) -> None:
    path = tmp_path / "wg.csv"
    path.write_text("WGBM,WGMC,X,Y\nP1,测试,121.4,28.7\n", encoding="gbk")
    result = run(database_url, "import", "sites", str(path), "--kind", "other",
                 "--code-field", "WGBM", "--name-field", "WGMC", "--x-field", "X",
                 "--y-field", "Y", "--crs", "EPSG:4490", "--encoding", "gbk", "--json")
    assert json_lines(result.stdout)[0]["inserted"] == 1
