"""Every supported format, CRS and encoding imports to the same features in EPSG:4326."""

from __future__ import annotations

import zipfile
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
import sqlalchemy as sa
from pyproj import Transformer

from geo import layers
from geo.importer import ImportOptions, import_file, prepare
from tests.geo.sample import grid_frame, landfill_frame, sites_frame, write

NOW = datetime(2022, 5, 1, tzinfo=UTC)
NAMES = ["台州市海门医化有限公司", "台州市东山印染有限公司"]


def stored(engine, layer: layers.Layer) -> dict[str, sa.RowMapping]:  # noqa: ANN001
    with engine.connect() as conn:
        rows = conn.execute(sa.select(layer.table).order_by(layer.table.c.code)).mappings()
        return {r["code"]: r for r in rows}


def assert_same_geometries(rows: dict, frame: gpd.GeoDataFrame, tolerance: float = 1e-7) -> None:
    for code, geom in zip(frame["code"], frame.geometry, strict=True):
        # Hausdorff, so a single-part MultiPolygon (as GeoPackage writers make) still matches.
        assert shapely.hausdorff_distance(rows[code]["geom"], geom) < tolerance, code


def test_geopackage_in_a_gauss_kruger_zone_is_reprojected(engine, tmp_path: Path) -> None:  # noqa: ANN001
    path = write(grid_frame().to_crs("EPSG:4549"), tmp_path / "grid.gpkg", layer="wangge")
    report = import_file(engine, path, layers.GRID_CELLS, now=NOW)
    assert (report.inserted, report.updated) == (3, 0)
    rows = stored(engine, layers.GRID_CELLS)
    assert_same_geometries(rows, grid_frame())
    assert rows["C1"]["town"] == "海门街道"
    assert len(rows["C1"]["geom"].geoms[0].interiors) == 1  # the pond
    assert rows["C3"]["geom"].geom_type == "MultiPolygon"


def test_shapefile_with_gbk_cpg(engine, tmp_path: Path) -> None:  # noqa: ANN001
    path = write(sites_frame().to_crs("EPSG:4490"), tmp_path / "qy.shp", encoding="GBK")
    assert path.with_suffix(".cpg").exists()
    report = import_file(engine, path, layers.SITES, kind="enterprise", now=NOW)
    rows = stored(engine, layers.SITES)
    assert report.inserted == 2
    assert [rows["E1"]["name"], rows["E2"]["name"]] == NAMES
    assert rows["E1"]["industry"] == "pharma_chemical"
    assert rows["E1"]["attributes"]["industry"] == "医化"
    assert_same_geometries(rows, sites_frame())


def _gbk_shapefile_without_cpg(tmp_path: Path) -> Path:
    path = write(sites_frame(), tmp_path / "qy.shp", encoding="GBK")
    path.with_suffix(".cpg").unlink()
    return path


def test_shapefile_gbk_without_cpg_is_detected(tmp_path: Path) -> None:
    feats, _ = prepare(_gbk_shapefile_without_cpg(tmp_path), layers.SITES, "enterprise",
                       ImportOptions())
    assert [f.name for f in feats] == NAMES


def test_shapefile_encoding_can_be_given(tmp_path: Path) -> None:
    feats, _ = prepare(_gbk_shapefile_without_cpg(tmp_path), layers.SITES, "enterprise",
                       ImportOptions(encoding="GB18030"))
    assert [f.town for f in feats] == ["海门街道", "东山镇"]


def test_zipped_gbk_shapefile(engine, tmp_path: Path) -> None:  # noqa: ANN001
    folder = tmp_path / "shp"
    folder.mkdir()
    write(sites_frame().to_crs("EPSG:4490"), folder / "qy.shp", encoding="GBK")
    archive = tmp_path / "qy.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for part in folder.iterdir():
            zf.write(part, part.name)
    import_file(engine, archive, layers.SITES, kind="enterprise", now=NOW)
    assert [r["name"] for r in stored(engine, layers.SITES).values()] == NAMES


def test_geojson(engine, tmp_path: Path) -> None:  # noqa: ANN001
    path = write(landfill_frame(), tmp_path / "lf.geojson")
    import_file(engine, path, layers.SITES, kind="landfill", now=NOW)
    rows = stored(engine, layers.SITES)
    assert_same_geometries(rows, landfill_frame())
    assert rows["LF1"]["kind"] == "landfill"


def test_kml_takes_name_and_a_code_field(tmp_path: Path) -> None:
    frame = landfill_frame().rename(columns={"name": "Name"})
    path = write(frame, tmp_path / "lf.kml")
    feats, _ = prepare(path, layers.SITES, "landfill", ImportOptions(name_field="Name"))
    assert [(f.code, f.name) for f in feats] == [("LF1", "东山镇前岙垃圾填埋场")]
    assert shapely.hausdorff_distance(feats[0].geometry, landfill_frame().geometry[0]) < 1e-7


def _csv(frame: gpd.GeoDataFrame, x: str = "经度", y: str = "纬度") -> str:
    lines = [f"code,name,{x},{y}"]
    lines += [f"{r.code},{r.name},{r.geometry.x},{r.geometry.y}" for r in frame.itertuples()]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_csv_in_every_everyday_encoding(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "qy.csv"
    path.write_bytes(_csv(sites_frame()).encode(encoding))
    feats, _ = prepare(path, layers.SITES, "enterprise", ImportOptions(crs="EPSG:4326"))
    assert [f.name for f in feats] == NAMES
    assert [f.code for f in feats] == ["E1", "E2"]  # no BOM glued to the first field


def test_csv_with_named_coordinate_columns(tmp_path: Path) -> None:
    path = tmp_path / "qy.csv"
    path.write_text(_csv(sites_frame(), "POINT_X", "POINT_Y"), encoding="utf-8")
    feats, _ = prepare(path, layers.SITES, "enterprise",
                       ImportOptions(crs="4490", x_field="POINT_X", y_field="POINT_Y"))
    assert [(f.geometry.x, f.geometry.y) for f in feats] == [(121.405, 28.7009),
                                                             (121.4059, 28.7)]


@pytest.mark.parametrize("epsg", range(4513, 4555))
def test_every_cgcs2000_gauss_kruger_zone(tmp_path: Path, epsg: int) -> None:
    """Zones 4513-4533 carry the zone number in the easting; 4534-4554 do not."""
    zone = epsg - 4513 + 25 if epsg <= 4533 else epsg - 4534 + 25
    lon, lat = 3.0 * zone + 0.4, 30.0
    x, y = Transformer.from_crs(4490, epsg, always_xy=True).transform(lon, lat)
    path = tmp_path / "p.csv"
    path.write_text(f"code,name,x,y\nP1,测试点,{x!r},{y!r}\n", encoding="utf-8")
    feats, _ = prepare(path, layers.SITES, "other", ImportOptions(crs=f"EPSG:{epsg}"))
    assert feats[0].geometry.x == pytest.approx(lon, abs=1e-7)
    assert feats[0].geometry.y == pytest.approx(lat, abs=1e-7)


def test_crs_option_declares_a_missing_prj(engine, tmp_path: Path) -> None:  # noqa: ANN001
    path = write(grid_frame().to_crs("EPSG:4549"), tmp_path / "grid.shp", encoding="UTF-8")
    path.with_suffix(".prj").unlink()
    import_file(engine, path, layers.GRID_CELLS, options=ImportOptions(crs="EPSG:4549"), now=NOW)
    assert_same_geometries(stored(engine, layers.GRID_CELLS), grid_frame())


def test_reimport_updates_features_in_place(engine, tmp_path: Path) -> None:  # noqa: ANN001
    path = write(landfill_frame(), tmp_path / "lf.geojson")
    import_file(engine, path, layers.SITES, kind="landfill", now=NOW)
    moved = landfill_frame()
    moved["name"] = ["东山镇前岙垃圾填埋场(已封场)"]
    moved.geometry = moved.geometry.translate(0.001, 0)
    report = import_file(engine, write(moved, tmp_path / "lf2.geojson"), layers.SITES,
                         kind="landfill", now=NOW)
    assert (report.inserted, report.updated) == (0, 1)
    rows = stored(engine, layers.SITES)
    assert list(rows) == ["LF1"]
    assert rows["LF1"]["name"] == "东山镇前岙垃圾填埋场(已封场)"
    assert_same_geometries(rows, moved)


def test_same_code_in_another_kind_is_another_site(engine, tmp_path: Path) -> None:  # noqa: ANN001
    path = write(landfill_frame(), tmp_path / "lf.geojson")
    import_file(engine, path, layers.SITES, kind="landfill", now=NOW)
    import_file(engine, path, layers.SITES, kind="other", now=NOW)
    with engine.connect() as conn:
        assert layers.site_counts(conn)["landfill"] == 1
        assert layers.site_counts(conn)["other"] == 1


def test_reimported_geometry_is_found_where_it_moved(engine, tmp_path: Path) -> None:  # noqa: ANN001
    """The spatial index follows an update (the R*Tree row is replaced, not duplicated)."""
    from geo import spatial

    import_file(engine, write(landfill_frame(), tmp_path / "a.geojson"), layers.SITES,
                kind="landfill", now=NOW)
    moved = landfill_frame()
    moved.geometry = moved.geometry.translate(0.1, 0)
    import_file(engine, write(moved, tmp_path / "b.geojson"), layers.SITES, kind="landfill",
                now=NOW)
    with engine.connect() as conn:
        assert spatial.within_distance(conn, layers.SITES, 121.415, 28.711, 10) == []
        assert len(spatial.within_distance(conn, layers.SITES, 121.515, 28.711, 10)) == 1


def test_heights_are_dropped(engine, tmp_path: Path) -> None:  # noqa: ANN001
    frame = sites_frame()
    frame.geometry = shapely.force_3d(frame.geometry.values, 12.5)
    import_file(engine, write(frame, tmp_path / "z.geojson"), layers.SITES, kind="enterprise",
                now=NOW)
    assert not any(r["geom"].has_z for r in stored(engine, layers.SITES).values())
