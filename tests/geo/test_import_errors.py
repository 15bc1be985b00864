"""Bad input is refused with a message naming the file and feature; nothing is half-stored."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.affinity import affine_transform
from shapely.geometry import Point, Polygon, box

from geo import layers
from geo.errors import LayerImportError
from geo.importer import ImportOptions, import_file, prepare
from tests.geo.sample import grid_frame, landfill_frame, sites_frame, write

NOW = datetime(2022, 5, 1, tzinfo=UTC)
BOWTIE = Polygon([(121.40, 28.70), (121.41, 28.71), (121.41, 28.70), (121.40, 28.71)])
SPIKE = Polygon([(121.40, 28.70), (121.41, 28.70), (121.41, 28.71), (121.41, 28.72),
                 (121.41, 28.71), (121.40, 28.71)])


def refused(path: Path, target: layers.Layer = layers.SITES, kind: str | None = "landfill",
            **options: object) -> LayerImportError:
    with pytest.raises(LayerImportError) as info:
        prepare(path, target, kind, ImportOptions(**options))
    assert str(path) in str(info.value)
    return info.value


def test_no_crs_and_no_crs_option(tmp_path: Path) -> None:
    path = write(landfill_frame(), tmp_path / "lf.shp", encoding="UTF-8")
    path.with_suffix(".prj").unlink()
    assert "declares no CRS" in str(refused(path))


def test_csv_needs_a_crs(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("code,name,lon,lat\nP1,点,121.4,28.7\n", encoding="utf-8")
    assert "--crs" in str(refused(path))


def test_unknown_crs(tmp_path: Path) -> None:
    path = write(landfill_frame(), tmp_path / "lf.geojson")
    assert "--crs 'EPSG:999999'" in str(refused(path, crs="EPSG:999999"))


def test_invalid_geometry_that_repair_would_change_is_refused(tmp_path: Path) -> None:
    frame = landfill_frame()
    frame.geometry = [BOWTIE]
    err = refused(write(frame, tmp_path / "lf.geojson"))
    assert "feature #1 (code LF1): geometry is invalid (Self-intersection" in str(err)
    assert "would change its area" in str(err)


def test_invalid_geometry_that_repair_keeps_is_repaired(tmp_path: Path) -> None:
    frame = landfill_frame()
    frame.geometry = [SPIKE]
    feats, repaired = prepare(write(frame, tmp_path / "lf.geojson"), layers.SITES, "landfill",
                              ImportOptions())
    assert repaired == ["feature #1 (code LF1)"]
    assert feats[0].geometry.is_valid
    assert feats[0].geometry.area == pytest.approx(SPIKE.area)


def test_swapped_lon_lat_lands_outside_china(tmp_path: Path) -> None:
    frame = sites_frame()
    frame.geometry = [affine_transform(g, [0, 1, 1, 0, 0, 0]) for g in frame.geometry]
    err = refused(write(frame, tmp_path / "qy.geojson"), kind="enterprise")
    assert "feature #1 (code E1): lies at lon 28.7009, lat 121.4050" in str(err)
    assert "swapped" in str(err)


def test_wrong_crs_lands_outside_china(tmp_path: Path) -> None:
    path = write(grid_frame().to_crs("EPSG:4549"), tmp_path / "grid.gpkg")
    # Gauss-Kruger metres read as Web Mercator metres land at about 4.9 E.
    err = refused(path, layers.GRID_CELLS, None, crs="EPSG:3857")
    assert "outside China" in str(err)
    assert "EPSG:3857" in str(err)


def test_duplicate_codes_in_one_file(tmp_path: Path) -> None:
    frame = sites_frame()
    frame["code"] = ["E1", "E1"]
    assert "code E1 appears 2 times (features #1, #2)" in str(
        refused(write(frame, tmp_path / "qy.geojson"), kind="enterprise"))


def test_missing_code_field_lists_the_fields(tmp_path: Path) -> None:
    path = write(sites_frame().rename(columns={"code": "QYBM"}), tmp_path / "qy.geojson")
    err = refused(path, kind="enterprise")
    assert "code field 'code' does not exist; fields in the file: QYBM, name, industry, town" \
        in str(err)


def test_missing_name_field(tmp_path: Path) -> None:
    path = write(sites_frame(), tmp_path / "qy.geojson")
    assert "name field 'QYMC' does not exist" in str(refused(path, kind="enterprise",
                                                             name_field="QYMC"))


def test_missing_code_and_name_values(tmp_path: Path) -> None:
    frame = sites_frame()
    frame["code"] = [None, "E2"]
    frame["name"] = ["有名字", " "]
    err = str(refused(write(frame, tmp_path / "qy.geojson"), kind="enterprise"))
    assert "feature #1: no code in field 'code'" in err
    assert "feature #2 (code E2): no name in field 'name'" in err


def test_grid_cells_must_be_polygons(tmp_path: Path) -> None:
    frame = grid_frame()
    frame.geometry = [Point(121.4, 28.7)] * 3
    assert "geometry is a Point; expected MultiPolygon or Polygon" in str(
        refused(write(frame, tmp_path / "g.geojson"), layers.GRID_CELLS, None))


def test_empty_geometry(tmp_path: Path) -> None:
    frame = landfill_frame()
    frame.geometry = [None]
    assert "feature #1 (code LF1): has no geometry" in str(
        refused(write(frame, tmp_path / "lf.geojson")))


def test_unknown_kind(tmp_path: Path) -> None:
    assert "site kind 'dump' is unknown" in str(
        refused(write(landfill_frame(), tmp_path / "lf.geojson"), kind="dump"))


def test_unsupported_and_unreadable_files(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello")
    assert "unsupported file type .txt" in str(refused(tmp_path / "notes.txt"))
    (tmp_path / "broken.gpkg").write_bytes(b"not a geopackage at all")
    assert "cannot be read as GeoPackage" in str(refused(tmp_path / "broken.gpkg"))
    (tmp_path / "broken.zip").write_bytes(b"PK\x03\x04 truncated")
    assert "cannot be read" in str(refused(tmp_path / "broken.zip"))
    assert "no such file" in str(refused(tmp_path / "missing.geojson"))


def test_a_multi_layer_file_needs_a_layer(tmp_path: Path) -> None:
    path = write(landfill_frame(), tmp_path / "all.gpkg", layer="landfills")
    write(sites_frame(), path, layer="enterprises")
    assert "holds 2 layers (landfills, enterprises); choose one with --layer" in str(
        refused(path))
    assert "has no layer 'plants'" in str(refused(path, layer="plants"))
    feats, _ = prepare(path, layers.SITES, "enterprise", ImportOptions(layer="enterprises"))
    assert len(feats) == 2


def test_csv_with_a_bad_coordinate(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("code,name,lon,lat\nP1,点,121.4,28.7\nP2,点二,东经121,28.7\n",
                    encoding="utf-8")
    assert "column 'lon' is not a number in row 3 ('东经121')" in str(
        refused(path, kind="other", crs="EPSG:4326"))


def test_csv_without_coordinate_columns(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("code,name,east,north\nP1,点,121.4,28.7\n", encoding="utf-8")
    assert "no coordinate column found; name it with --x-field" in str(
        refused(path, kind="other", crs="EPSG:4326"))


def test_a_failing_file_stores_nothing_and_keeps_what_was_there(engine, tmp_path: Path) -> None:  # noqa: ANN001
    import_file(engine, write(sites_frame(), tmp_path / "ok.geojson"), layers.SITES,
                kind="enterprise", now=NOW)
    bad = gpd.GeoDataFrame(
        {"code": ["E1", "E3", "E4"], "name": ["改名", "新企业", "坏企业"]},
        geometry=[Point(121.41, 28.70), Point(121.42, 28.70), box(0, 0, 1, 1)], crs="EPSG:4326")
    with pytest.raises(LayerImportError, match="feature #3 \\(code E4\\): lies at"):
        import_file(engine, write(bad, tmp_path / "bad.geojson"), layers.SITES,
                    kind="enterprise", now=NOW)
    with engine.connect() as conn:
        assert layers.count(conn, layers.SITES) == 2
        names = {r["code"]: r["name"] for r in layers.all_features(conn, layers.SITES,
                                                                    ("code", "name"))}
    assert names == {"E1": "台州市海门医化有限公司", "E2": "台州市东山印染有限公司"}


def test_values_longer_than_their_column(engine, tmp_path: Path) -> None:  # noqa: ANN001
    frame = sites_frame()
    frame["name"] = ["长" * 201, "正常企业"]
    path = write(frame, tmp_path / "long.geojson")
    with pytest.raises(LayerImportError, match="feature #1 \\(code E1\\): name in field 'name' "
                       "is 201 characters long; at most 200 fit"):
        import_file(engine, path, layers.SITES, kind="enterprise", now=NOW)
    with engine.connect() as conn:
        assert layers.count(conn, layers.SITES) == 0
