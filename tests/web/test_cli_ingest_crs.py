"""`lookback ingest` refuses a GeoTIFF exported without its CRS, saying so in the CLI's
language and naming the file; `--crs` declares the CRS and it is stored as an orthophoto."""

from __future__ import annotations

from pathlib import Path

from tests.imagery.rasters import write_geotiff
from tests.web.cli import json_lines, run


def _env(tmp_path: Path, **settings: str) -> dict[str, str]:
    return {"LOOKBACK_DATA_DIR": str(tmp_path / "store"), **settings}


def _without_crs(tmp_path: Path) -> Path:
    return write_geotiff(tmp_path / "正射影像.tif", crs=None)  # origin in EPSG:4549 metres


def test_refused_in_chinese_and_in_english(database_url: str, tmp_path: Path) -> None:
    path = _without_crs(tmp_path)
    zh = run(database_url, "ingest", str(path), **_env(tmp_path))
    assert zh.exit_code == 1
    assert (f"{path}：该 GeoTIFF 有地理变换但没有坐标系（CRS）（导出时未带投影），无法确定位置；"
            f"请用 --crs 声明坐标系，例如 lookback ingest {path} --crs EPSG:4549") in zh.stderr
    assert "0 stored, 0 duplicate, 1 rejected" in zh.stderr
    en = run(database_url, "ingest", str(path), **_env(tmp_path, LOOKBACK_LANGUAGE="en"))
    assert f"{path}: the GeoTIFF has a geotransform but no CRS" in en.stderr
    as_json = json_lines(run(database_url, "ingest", str(path), "--json",
                             **_env(tmp_path)).stdout)
    assert (as_json[0]["status"], as_json[0]["file"]) == ("rejected", str(path))
    assert as_json[0]["reason"].startswith("has a geotransform but no CRS")


def test_declared_with_crs_it_is_stored_as_an_orthophoto(database_url: str,
                                                         tmp_path: Path) -> None:
    path = _without_crs(tmp_path)
    result = run(database_url, "ingest", str(path), "--crs", "EPSG:4549", "--json",
                 **_env(tmp_path))
    assert result.exit_code == 0, result.output
    [line] = json_lines(result.stdout)
    assert (line["status"], line["kind"], line["location_source"]) == ("stored", "orthophoto",
                                                                       "raster")
    assert (round(line["lon"], 2), round(line["lat"], 2)) == (121.45, 28.68)


def test_an_unknown_crs_is_refused_before_any_file(database_url: str, tmp_path: Path) -> None:
    path = _without_crs(tmp_path)
    result = run(database_url, "ingest", str(path), "--crs", "EPSG:999999", **_env(tmp_path))
    assert result.exit_code == 1
    assert "--crs EPSG:999999：不是 PROJ 认识的坐标系（" in result.stderr
    assert "stored" not in result.stderr
