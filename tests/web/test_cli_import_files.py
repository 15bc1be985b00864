"""`lookback import sites` with files as bureaus hand them over: a zip holding two layers
(refused listing both, then one chosen with --layer) and an Excel ledger with coordinates."""

from __future__ import annotations

from pathlib import Path

from tests.geo.sample import landfill_frame, sites_frame, write
from tests.geo.sheets import ledger
from tests.geo.zips import shapefile_parts, zip_files
from tests.web.cli import json_lines, run


def _two_layers(tmp_path: Path) -> Path:
    parts = {}
    for stem, frame in (("填埋场", landfill_frame()), ("企业", sites_frame())):
        (tmp_path / stem).mkdir()
        shp = write(frame, tmp_path / stem / f"{stem}.shp", encoding="GBK")
        parts |= shapefile_parts(shp, f"台账/{stem}")
    return zip_files(tmp_path / "图层.zip", parts)


def test_a_zip_with_two_layers_lists_them_then_imports_the_one_named(database_url: str,
                                                                      tmp_path: Path) -> None:
    archive = _two_layers(tmp_path)
    plain = run(database_url, "import", "sites", str(archive), "--kind", "landfill")
    assert plain.exit_code == 1
    assert f"{archive}: holds 2 layers (企业, 填埋场); choose one with --layer" in plain.stderr
    as_json = run(database_url, "import", "sites", str(archive), "--kind", "landfill", "--json")
    assert json_lines(as_json.stdout)[0]["problems"] == [
        "holds 2 layers (企业, 填埋场); choose one with --layer"]
    chosen = run(database_url, "import", "sites", str(archive), "--kind", "landfill",
                 "--layer", "填埋场", "--json")
    assert chosen.exit_code == 0, chosen.output
    assert json_lines(chosen.stdout)[0]["inserted"] == 1
    counts = json_lines(run(database_url, "layers", "--json").stdout)[0]["sites"]
    assert (counts["landfill"], counts["enterprise"]) == (1, 0)


def test_an_excel_ledger_with_coordinates(database_url: str, tmp_path: Path) -> None:
    path = ledger(tmp_path / "企业台账.xlsx")
    args = ["import", "sites", str(path), "--kind", "enterprise", "--code-field", "企业编码",
            "--name-field", "企业名称", "--crs", "EPSG:4490", "--json"]
    result = run(database_url, *args)
    assert result.exit_code == 0, result.output
    assert json_lines(result.stdout)[0]["inserted"] == 2
    bad = ledger(tmp_path / "坏.xlsx", [[331002009, "坏企业", "印染", 121.4, "北纬28度", None]])
    refused = run(database_url, "import", "sites", str(bad), *args[3:])
    assert refused.exit_code == 1
    assert json_lines(refused.stdout)[0]["problems"] == [
        "sheet '企业台账', row 3, column E (纬度): '北纬28度' is not a number"]
