"""`lookback demo`: the shipped district loads through the importers; larger sets generate."""

from __future__ import annotations

import json
from pathlib import Path

from tests.web.cli import json_lines, run
from web.settings import Settings

MANIFEST = json.loads((Settings().demo_dir / "manifest.json").read_text(encoding="utf-8"))


def test_demo_loads_every_file_once(database_url: str) -> None:
    result = run(database_url, "demo", "--no-scenario", "--json")
    assert result.exit_code == 0, result.output
    *reports, accounts = json_lines(result.stdout)
    assert all(a["demo_only"] for a in accounts["demo_accounts"])
    assert [Path(r["source"]).name for r in reports] == [
        "grid_cells.gpkg", "enterprises.zip", "landfills.geojson", "plants.kml"]
    counts = MANIFEST["counts"]
    assert [r["inserted"] for r in reports] == [
        counts["grid_cells"], counts["enterprises"], counts["landfills"], counts["plants"]]
    again = run(database_url, "demo", "--if-empty", "--json")
    assert again.exit_code == 0
    assert json_lines(again.stdout) == []
    assert json_lines(run(database_url, "layers", "--json").stdout)[0] == {
        "grid_cells": counts["grid_cells"],
        "sites": {"landfill": counts["landfills"], "enterprise": counts["enterprises"],
                  "waste_to_energy_plant": counts["plants"], "other": 0}}


def test_demo_enterprises_keep_their_chinese_names_and_industries(database_url: str) -> None:
    run(database_url, "demo", "--no-scenario")
    located = json_lines(run(database_url, "locate", "121.45", "28.68", "--radius", "3000",
                             "--json").stdout)[0]
    assert located["grid_cell"]["town"].endswith(("街道", "镇"))
    names = [s["name"] for s in located["sites"]]
    assert names and all(any("\u4e00" <= ch <= "\u9fff" for ch in n) for n in names)


def test_generated_city_set_is_written_and_loaded(database_url: str, tmp_path: Path) -> None:
    result = run(database_url, "demo", "--scale", "city", "--out", str(tmp_path / "city"),
                 "--load", "--json")
    assert result.exit_code == 0, result.output
    summary, *reports = json_lines(result.stdout)
    assert summary["scale"] == 10
    assert 2000 <= summary["grid_cells"] <= 4000
    assert [r["inserted"] for r in reports] == [summary["grid_cells"], summary["enterprises"],
                                               summary["landfills"], summary["plants"]]


def test_scale_needs_an_output_folder(database_url: str) -> None:
    result = run(database_url, "demo", "--scale", "city", "--json")
    assert result.exit_code == 1
    assert "--scale needs --out" in json_lines(result.stdout)[0]["error"]


def test_a_broken_file_fails_after_the_rest_are_loaded(database_url: str,
                                                        tmp_path: Path) -> None:
    run(database_url, "demo", "--scale", "district", "--out", str(tmp_path / "d"))
    (tmp_path / "d" / "landfills.geojson").write_text("{ not json", encoding="utf-8")
    result = run(database_url, "import", "manifest", str(tmp_path / "d" / "manifest.json"),
                 "--json")
    assert result.exit_code == 1
    reports = json_lines(result.stdout)
    assert [r.get("inserted") for r in reports] == [
        MANIFEST["counts"]["grid_cells"], MANIFEST["counts"]["enterprises"], None,
        MANIFEST["counts"]["plants"]]
    assert "landfills.geojson: cannot be read" in reports[2]["error"]


def test_a_missing_manifest_is_explained(database_url: str, tmp_path: Path) -> None:
    result = run(database_url, "import", "manifest", str(tmp_path / "none.json"), "--json")
    assert result.exit_code == 1
    assert "is not a readable manifest" in json_lines(result.stdout)[0]["error"]
