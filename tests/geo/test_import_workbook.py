"""Excel workbooks (.xlsx) with coordinate columns import like a CSV; a bad cell is named by
sheet, row and column, and nothing of the file is stored."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from geo import layers
from geo.errors import LayerImportError
from geo.importer import ImportOptions, import_file, prepare
from tests.geo.sample import sites_frame, write
from tests.geo.sheets import HEADER, ROWS, ledger

NOW = datetime(2022, 5, 1, tzinfo=UTC)
NAMES = ["台州市海门医化有限公司", "台州市东山印染有限公司"]
OPTIONS = {"code_field": "企业编码", "name_field": "企业名称", "industry_field": "行业",
           "crs": "EPSG:4490"}


def refused(path: Path, **options: object) -> str:
    with pytest.raises(LayerImportError) as info:
        prepare(path, layers.SITES, "enterprise", ImportOptions(**{**OPTIONS, **options}))
    assert str(path) in str(info.value)
    return str(info.value)


def test_a_ledger_imports_like_a_csv(engine, tmp_path: Path) -> None:  # noqa: ANN001
    report = import_file(engine, ledger(tmp_path / "企业.xlsx"), layers.SITES,
                         kind="enterprise", options=ImportOptions(**OPTIONS), now=NOW)
    assert (report.inserted, report.updated) == (2, 0)
    with engine.connect() as conn:
        rows = {r["code"]: r for r in layers.all_features(
            conn, layers.SITES, ("code", "name", "industry", "attributes"))}
    assert [rows[c]["name"] for c in ("331002001", "331002002")] == NAMES
    assert rows["331002001"]["industry"] == "pharma_chemical"
    assert (rows["331002002"]["geom"].x, rows["331002002"]["geom"].y) == \
        pytest.approx((121.4059, 28.7))
    assert rows["331002001"]["attributes"]["登记日期"] == "2021-04-06"


def test_a_bad_row_is_named_by_sheet_row_and_column_and_nothing_is_stored(
        engine, tmp_path: Path) -> None:  # noqa: ANN001
    import_file(engine, write(sites_frame(), tmp_path / "before.geojson"), layers.SITES,
                kind="enterprise", now=NOW)
    bad = [*ROWS, [331002003, "坏企业", "印染", "东经121度", 28.7, None],
           [331002004, "缺纬度企业", "印染", 121.41, None, None]]
    with pytest.raises(LayerImportError) as info:
        import_file(engine, ledger(tmp_path / "bad.xlsx", bad), layers.SITES,
                    kind="enterprise", options=ImportOptions(**OPTIONS), now=NOW)
    assert info.value.problems == [
        "sheet '企业台账', row 5, column D (经度): '东经121度' is not a number",
        "sheet '企业台账', row 6, column E (纬度): is empty"]
    with engine.connect() as conn:
        assert sorted(r["code"] for r in layers.all_features(conn, layers.SITES, ("code",))) \
            == ["E1", "E2"]


def test_the_sheet_is_chosen_by_layer_when_several_have_points(tmp_path: Path) -> None:
    path = ledger(tmp_path / "two.xlsx")
    from openpyxl import load_workbook

    book = load_workbook(path)
    other = book.create_sheet("2021年")
    other.append(HEADER)
    other.append(ROWS[0])
    book.save(path)
    assert "holds 3 sheets with data (填表说明, 企业台账, 2021年); choose one with --layer" \
        in refused(path)
    assert "has no sheet '2020年'; sheets: 填表说明, 企业台账, 2021年" in refused(
        path, layer="2020年")
    feats, _ = prepare(path, layers.SITES, "enterprise", ImportOptions(**OPTIONS, layer="2021年"))
    assert [f.name for f in feats] == NAMES[:1]


def test_named_coordinate_columns_and_a_missing_one(tmp_path: Path) -> None:
    path = ledger(tmp_path / "q.xlsx", notes=False)
    feats, _ = prepare(path, layers.SITES, "enterprise",
                       ImportOptions(**OPTIONS, x_field="经度", y_field="纬度"))
    assert len(feats) == 2
    assert (f"{path} (sheet '企业台账'): no column 'POINT_X' for --x-field; columns: 企业编码, "
            "企业名称, 行业, 经度, 纬度, 登记日期") in refused(path, x_field="POINT_X")


def test_a_workbook_needs_a_crs(tmp_path: Path) -> None:
    assert "declares no CRS (a shapefile without .prj, or a CSV or Excel table)" in refused(
        ledger(tmp_path / "q.xlsx"), crs=None)


def test_unreadable_and_empty_workbooks(tmp_path: Path) -> None:
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a workbook")
    assert "is not a readable Excel workbook (.xlsx)" in refused(broken)
    empty = tmp_path / "empty.xlsx"
    Workbook().save(empty)
    assert "holds no data: every sheet is empty" in refused(empty)


def test_an_empty_sheet_named_by_layer(tmp_path: Path) -> None:
    path = ledger(tmp_path / "q.xlsx")
    assert f"{path} (sheet '填表说明'): no coordinate column found" in refused(
        path, layer="填表说明")
    book = Workbook()
    book.create_sheet("空表")
    book.active.append(HEADER)
    book.save(tmp_path / "e.xlsx")
    assert "(sheet '空表'): is empty" in refused(tmp_path / "e.xlsx", layer="空表")
