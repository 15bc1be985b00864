"""Zipped layers as bureaus hand them over: the shapefile in a (Chinese-named) folder at any
depth, entry names in GBK or UTF-8, several layers chosen with --layer."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from geo import layers
from geo.errors import LayerImportError
from geo.importer import ImportOptions, import_file, prepare
from tests.geo.sample import landfill_frame, sites_frame, write
from tests.geo.zips import raw_names, shapefile_parts, zip_files

NOW = datetime(2022, 5, 1, tzinfo=UTC)
LANDFILL = "东山镇前岙垃圾填埋场"
ENTERPRISES = ["台州市海门医化有限公司", "台州市东山印染有限公司"]


def _shapefile(folder: Path, stem: str, frame=None, *, cpg: bool = True) -> Path:  # noqa: ANN001
    """A GBK shapefile of `frame` (default: the landfill) in EPSG:4490, in its own folder."""
    folder.mkdir(parents=True)
    frame = landfill_frame() if frame is None else frame
    shp = write(frame.to_crs("EPSG:4490"), folder / f"{stem}.shp", encoding="GBK")
    if not cpg:
        shp.with_suffix(".cpg").unlink()
    return shp


def _names(engine) -> dict[str, str]:  # noqa: ANN001
    with engine.connect() as conn:
        rows = conn.execute(sa.select(layers.SITES.table.c.code, layers.SITES.table.c.name)
                            .order_by(layers.SITES.table.c.code))
        return dict(rows.all())


def refused(path: Path, **options: object) -> str:
    with pytest.raises(LayerImportError) as info:
        prepare(path, layers.SITES, "landfill", ImportOptions(**options))
    assert str(path) in str(info.value)
    return str(info.value)


@pytest.mark.parametrize("encoding", ["gbk", "utf-8", "utf-8-flagged"])
def test_shapefile_in_a_chinese_named_folder(engine, tmp_path: Path, encoding: str) -> None:  # noqa: ANN001
    """As Windows' "Send to > Compressed folder" zips the folder 填埋场: GBK names, no flag;
    the .dbf without a .cpg is read as GBK from its bytes."""
    shp = _shapefile(tmp_path / "填埋场", "填埋场", cpg=False)
    archive = zip_files(tmp_path / "填埋场.zip", shapefile_parts(shp, "填埋场"),
                        encoding=encoding)
    stored = raw_names(archive)
    assert stored[0] == ("填埋场/".encode(encoding[:5]), encoding == "utf-8-flagged")
    report = import_file(engine, archive, layers.SITES, kind="landfill", now=NOW)
    assert (report.inserted, report.updated) == (1, 0)
    assert _names(engine) == {"LF1": LANDFILL}


def test_utf8_zip_with_the_shapefile_two_folders_deep(engine, tmp_path: Path) -> None:  # noqa: ANN001
    shp = _shapefile(tmp_path / "shp", "企业点位", sites_frame())
    archive = zip_files(tmp_path / "qy.zip", shapefile_parts(shp, "2022年台账/企业"),
                        encoding="utf-8-flagged")
    import_file(engine, archive, layers.SITES, kind="enterprise", now=NOW)
    assert list(_names(engine).values()) == ENTERPRISES


def test_a_zip_with_two_layers_needs_layer_and_lists_them(engine, tmp_path: Path) -> None:  # noqa: ANN001
    landfill = _shapefile(tmp_path / "a", "填埋场")
    plants = _shapefile(tmp_path / "b", "企业", sites_frame())
    archive = zip_files(tmp_path / "两个图层.zip", {**shapefile_parts(landfill, "数据/填埋场"),
                                                   **shapefile_parts(plants, "数据/企业")})
    assert "holds 2 layers (企业, 填埋场); choose one with --layer" in refused(archive)
    assert "has no layer '垃圾场'; layers: 企业, 填埋场" in refused(archive, layer="垃圾场")
    import_file(engine, archive, layers.SITES, kind="landfill",
                options=ImportOptions(layer="填埋场"), now=NOW)
    assert _names(engine) == {"LF1": LANDFILL}
    # The folder holding it, its path inside the zip, or the file's name, name it too.
    for name in ("数据/企业", "数据/企业/企业", "数据/企业/企业.shp", "企业.shp"):
        feats, _ = prepare(archive, layers.SITES, "enterprise", ImportOptions(layer=name))
        assert [f.name for f in feats] == ENTERPRISES


def test_two_shapefiles_of_one_name_are_listed_by_path(tmp_path: Path) -> None:
    first = _shapefile(tmp_path / "a", "点位")
    second = _shapefile(tmp_path / "b", "点位", sites_frame())
    archive = zip_files(tmp_path / "p.zip", {**shapefile_parts(first, "东山镇"),
                                            **shapefile_parts(second, "海门街道")})
    assert "holds 2 layers (东山镇/点位.shp, 海门街道/点位.shp)" in refused(archive)
    assert "--layer '点位' names 2 layers" in refused(archive, layer="点位")
    feats, _ = prepare(archive, layers.SITES, "enterprise", ImportOptions(layer="海门街道/点位"))
    assert [f.name for f in feats] == ENTERPRISES


def test_a_geopackage_with_two_layers_inside_a_zip(tmp_path: Path) -> None:
    gpkg = write(landfill_frame(), tmp_path / "全区.gpkg", layer="landfills")
    write(sites_frame(), gpkg, layer="enterprises")
    archive = zip_files(tmp_path / "gpkg.zip", {"成果/全区.gpkg": gpkg})
    assert "holds 2 layers (landfills, enterprises)" in refused(archive)
    feats, _ = prepare(archive, layers.SITES, "enterprise", ImportOptions(layer="enterprises"))
    assert [f.name for f in feats] == ENTERPRISES


def test_macos_extras_are_not_layers(tmp_path: Path) -> None:
    shp = _shapefile(tmp_path / "lf", "填埋场")
    junk = tmp_path / "junk"
    junk.write_bytes(b"\x00\x05\x16\x07 AppleDouble")
    archive = zip_files(tmp_path / "mac.zip", {**shapefile_parts(shp, "填埋场"),
                                              "__MACOSX/填埋场/._填埋场.shp": junk},
                        encoding="utf-8-flagged")
    feats, _ = prepare(archive, layers.SITES, "landfill", ImportOptions())
    assert [f.name for f in feats] == [LANDFILL]


def test_entry_names_climbing_out_stay_inside(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """"../../../lf.shp" is extracted as lf.shp inside the work folder, which is removed."""
    work = tmp_path / "a" / "b" / "c" / "work"
    work.mkdir(parents=True)
    monkeypatch.setattr(tempfile, "tempdir", str(work))
    shp = _shapefile(tmp_path / "in" / "lf", "lf")
    archive = zip_files(tmp_path / "in" / "up.zip", shapefile_parts(shp, "../../.."))
    feats, _ = prepare(archive, layers.SITES, "landfill", ImportOptions())
    assert [f.name for f in feats] == [LANDFILL]
    assert [p for p in (tmp_path / "a").rglob("*") if p.is_file()] == []
    assert list(work.iterdir()) == []


def test_a_zip_without_layer_files_says_what_it_holds(tmp_path: Path) -> None:
    notes = tmp_path / "说明.txt"
    notes.write_text("坐标系 CGCS2000", encoding="utf-8")
    archive = zip_files(tmp_path / "empty.zip", {"资料/说明.txt": notes})
    assert "holds no layer file (.shp, .gpkg, .geojson, .kml) at any folder depth; it holds: " \
           "资料/说明.txt" in refused(archive)


def test_a_zipped_shapefile_without_prj_needs_crs_and_names_the_member(tmp_path: Path) -> None:
    shp = _shapefile(tmp_path / "lf", "填埋场")
    shp.with_suffix(".prj").unlink()
    archive = zip_files(tmp_path / "noprj.zip", shapefile_parts(shp, "填埋场"))
    message = refused(archive)
    assert f"{archive} (填埋场/填埋场.shp): the file declares no CRS" in message
    feats, _ = prepare(archive, layers.SITES, "landfill", ImportOptions(crs="EPSG:4490"))
    assert [f.name for f in feats] == [LANDFILL]


def _patched(archive: Path, offset: int, value: int) -> Path:
    """The zip with a 2-byte field of every central directory entry set to `value`
    (offset 8: the flag bits; 10: the compression method)."""
    data = bytearray(archive.read_bytes())
    at = data.find(b"PK\x01\x02")
    while at != -1:
        data[at + offset:at + offset + 2] = value.to_bytes(2, "little")
        at = data.find(b"PK\x01\x02", at + 4)
    archive.write_bytes(bytes(data))
    return archive


def test_encrypted_and_unreadably_compressed_entries_are_named(tmp_path: Path) -> None:
    shp = _shapefile(tmp_path / "lf", "填埋场")
    parts = shapefile_parts(shp, "填埋场")
    locked = _patched(zip_files(tmp_path / "locked.zip", parts), 8, 0x1)
    assert "填埋场/填埋场.shp: 填埋场.cpg is encrypted (password-protected); zip it again " \
           "without a password" in refused(locked)
    deflate64 = _patched(zip_files(tmp_path / "d64.zip", parts), 10, 9)
    assert "填埋场/填埋场.shp: 填埋场.cpg cannot be unzipped (" in refused(deflate64)
    assert "zip it again with ordinary Deflate compression" in refused(deflate64)


def test_a_zip_unzipping_past_the_limit_is_refused(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from geo.importer import zipped

    shp = _shapefile(tmp_path / "lf", "填埋场")
    archive = zip_files(tmp_path / "big.zip", shapefile_parts(shp, "填埋场"))
    monkeypatch.setattr(zipped, "MAX_UNZIPPED_BYTES", 100)
    assert "its layer files unzip to " in refused(archive)
    assert "more than the 100 allowed" in refused(archive)


def test_unreadable_layer_files_inside_are_named(tmp_path: Path) -> None:
    shp = _shapefile(tmp_path / "lf", "填埋场")
    shp.with_suffix(".dbf").unlink()
    shp.with_suffix(".shx").unlink()
    no_dbf = zip_files(tmp_path / "nodbf.zip", shapefile_parts(shp, "填埋场"))
    assert f"{no_dbf} (填埋场/填埋场.shp): cannot be read" in refused(no_dbf)
    broken = tmp_path / "坏.gpkg"
    broken.write_bytes(b"not a geopackage")
    archive = zip_files(tmp_path / "gpkg.zip", {"成果/坏.gpkg": broken})
    assert "成果/坏.gpkg: cannot be read as GeoPackage" in refused(archive)
