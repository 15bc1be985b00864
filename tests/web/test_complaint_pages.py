"""The complaint pages (环境信访举报): the list with its filters and pages, the form with its
errors beside the fields, the import from Excel (all rows or none) and the export."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from fastapi.testclient import TestClient

from tests.web.client import client_for, csrf, sign_in
from tests.web.complaint_files import a_site, cells, rows, workbook

NOW = datetime(2022, 12, 20, 2, 0, tzinfo=UTC)  # 10:00 on 20 December in the district


@pytest.fixture
def leader(fresh_demo_url: str) -> TestClient:
    client = client_for(fresh_demo_url, now=NOW)
    assert sign_in(client, "leader").status_code == 303
    return client


def _import(client: TestClient, data: bytes, name: str = "信访.xlsx"):  # noqa: ANN202
    return client.post("/complaints/import", data={"csrf_token": csrf(client)},
                       files={"file": (name, data, "application/octet-stream")})


def _count(client: TestClient, query: str = "") -> str:
    page = client.get(f"/complaints{query}")
    assert page.status_code == 200
    return page.text.split('id="complaint-count">')[1].split("<")[0]


def test_the_form_records_a_complaint_with_site_pin_and_case_free(leader: TestClient,
                                                                  fresh_demo_url: str) -> None:
    code, name, town = a_site(fresh_demo_url)
    form = leader.get("/complaints/new")
    assert form.status_code == 200 and 'id="pin-map"' in form.text
    assert 'value="2022-12-20"' in form.text  # today proposed
    done = leader.post("/complaints/new", data={
        "csrf_token": csrf(leader), "received_on": "2022-12-19", "channel": "hotline_12369",
        "summary": "=HYPERLINK(\"x\") 夜间异味", "lon": "121.41", "lat": "28.71",
        "site_code": code})
    assert (done.status_code, done.headers["location"]) == (303, "/complaints?recorded=1")
    page = leader.get("/complaints?recorded=1").text
    assert "已登记信访举报" in page and "2022年12月19日" in page and "12369热线" in page
    assert name in page and town in page
    exported = cells(leader.get("/complaints/export.xlsx").content)
    assert exported[0] == ("受理日期", "渠道", "内容", "经度", "纬度", "点位编码", "点位",
                           "镇(街道)", "案件编号", "登记号")
    assert exported[1][1:-1] == ("12369热线", "'=HYPERLINK(\"x\") 夜间异味", 121.41, 28.71,
                                 code, name, town, None)
    assert isinstance(exported[1][-1], int)  # the record's number, to update it by
    assert exported[1][0].date() == date(2022, 12, 19)


def test_form_errors_are_beside_their_fields_and_what_was_typed_is_kept(
        leader: TestClient) -> None:
    refused = leader.post("/complaints/new", data={
        "csrf_token": csrf(leader), "received_on": "2022-12-21", "channel": "",
        "summary": "河道边倾倒固废", "lon": "121.4", "lat": "", "case_reference": "XF-404"})
    assert refused.status_code == 422
    page = refused.text
    assert "不能晚于今天（2022年12月20日）" in page
    assert "必填" in page  # the channel
    assert "经度和纬度须同时填写" in page
    assert "没有编号为 XF-404 的案件" in page
    assert "河道边倾倒固废" in page and 'value="XF-404"' in page and 'value="121.4"' in page
    assert _count(leader) == "共 0 件"


def test_import_is_all_or_nothing_and_names_each_bad_row(leader: TestClient,
                                                         fresh_demo_url: str) -> None:
    code, _, _ = a_site(fresh_demo_url)
    good = rows(30, code)
    bad = [list(r) for r in good]
    bad[6][0] = "2022-13-45"  # Excel row 8
    bad[11][1] = "微信"  # Excel row 13
    bad[20][5] = "QY-NONE"  # Excel row 22
    refused = _import(leader, workbook(bad))
    assert refused.status_code == 422
    assert "未导入任何记录" in refused.text
    assert "第 8 行「受理日期」：「2022-13-45」不是日期" in refused.text
    choices = "12369热线、网络、来信、来访、其他"
    assert f"第 13 行「渠道」：「微信」不是可选值（{choices}）" in refused.text
    assert "第 22 行「点位编码」：没有编码为 QY-NONE 的点位" in refused.text
    assert _count(leader) == "共 0 件"
    done = _import(leader, workbook(good))
    assert (done.status_code, done.headers["location"]) == (303, "/complaints?imported=30")
    assert "已导入 30 件信访举报" in leader.get("/complaints?imported=30").text
    assert _count(leader) == "共 30 件"
    assert _count(leader, "?channel=letter") == "共 7 件"
    assert _count(leader, "?start=2022-03-01&end=2022-03-31") == "共 5 件"
    assert _count(leader, "?q=第12处") == "共 1 件"


@pytest.mark.parametrize(("data", "message"), [
    (b"not a workbook", "文件不是 Excel 工作簿(.xlsx)"),
    (workbook([]), "文件中没有数据行"),
    (workbook([["2022-03-01", "来信", "异味"]], headers=("日期", "渠道", "内容")),
     "「受理日期」：缺少此列"),
    (workbook([["2022-03-01", "来信", None]]), "第 2 行「内容」：必填"),
    (workbook([["2022-03-01", "来信", "异味", "东经121", 28.7]]),
     "第 2 行「经度」：「东经121」不是数字"),
    (workbook([["2022-03-01", "来信", "异味", 121.4]]), "第 2 行「纬度」：经度和纬度须同时填写"),
    (workbook([["2022-03-01", "来信", "异味", 221.4, 28.7]]), "第 2 行「经度」：221.4 超出范围"),
    (workbook([["2022-12-21", "来信", "异味"]]), "第 2 行「受理日期」：不能晚于今天"),
])
def test_a_refused_file_says_why_and_stores_nothing(leader: TestClient, data: bytes,
                                                    message: str) -> None:
    refused = _import(leader, data)
    assert refused.status_code == 422
    assert message in refused.text
    assert _count(leader) == "共 0 件"


def test_dates_as_the_bureau_types_them_are_read(leader: TestClient) -> None:
    data = workbook([["2022年6月30日", "来访", "来访反映扬尘"], ["2022/7/1", "网络", "扬尘"],
                     [None, None, None], ["2022-07-02", "hotline_12369", "噪声"]])
    assert _import(leader, data).headers["location"] == "/complaints?imported=3"
    assert _count(leader, "?start=2022-06-30&end=2022-07-02") == "共 3 件"


def test_a_file_over_the_upload_limit_is_refused(fresh_demo_url: str) -> None:
    client = client_for(fresh_demo_url, now=NOW, max_upload_bytes=1000)
    sign_in(client, "leader")
    refused = _import(client, workbook(rows(30, None)))
    assert refused.status_code == 422 and "未导入任何记录" in refused.text
    assert _count(client) == "共 0 件"


def test_fifty_a_page_with_the_total_and_filters_kept(leader: TestClient) -> None:
    _import(leader, workbook(rows(60, None)))
    first = leader.get("/complaints?channel=&q=异味").text
    assert first.count('data-label="受理日期"') == 50
    assert "共 60 件" in first and "第 1 / 2 页" in first
    assert "page=2" in first and "q=%E5%BC%82%E5%91%B3" in first
    second = leader.get("/complaints?channel=&q=异味&page=2").text
    assert second.count('data-label="受理日期"') == 10


def test_the_template_and_an_empty_list(leader: TestClient) -> None:
    template = leader.get("/complaints/template.xlsx")
    assert template.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert cells(template.content) == [("受理日期", "渠道", "内容", "经度", "纬度",
                                        "点位编码", "案件编号", "登记号")]
    page = leader.get("/complaints?q=没有这样的内容").text
    assert "没有符合条件的信访举报" in page and 'href="/complaints/template.xlsx"' in page


def test_who_may_read_and_record(fresh_demo_url: str) -> None:
    unit = client_for(fresh_demo_url, now=NOW)
    sign_in(unit, "unit")
    assert unit.get("/complaints").status_code == 403
    assert unit.get("/complaints/new").status_code == 403
    assert _import(unit, workbook(rows(1, None))).status_code == 403
    officer = client_for(fresh_demo_url, now=NOW)
    sign_in(officer, "officer")
    assert 'id="new-complaint"' in officer.get("/complaints").text
    inspector = client_for(fresh_demo_url, now=NOW)
    sign_in(inspector, "inspector")
    assert inspector.get("/complaints/export.xlsx").status_code == 403


def test_many_bad_rows_show_the_first_fifty_and_how_many_more(leader: TestClient) -> None:
    data = workbook([["2022-03-01", "来信", None]] * 60)
    refused = _import(leader, data)
    assert refused.status_code == 422
    assert refused.text.count("「内容」：必填") == 50
    assert "第 61 行「内容」：必填" not in refused.text
    assert "另有 10 处问题未列出" in refused.text


def test_the_imports_parse_in_the_thread_pool_not_the_event_loop() -> None:
    import inspect

    from web.pages.complaints import complaint_import
    from web.pages.enforcement import enforcement_import

    assert not inspect.iscoroutinefunction(complaint_import)
    assert not inspect.iscoroutinefunction(enforcement_import)


def test_the_date_column_turns_the_order_and_keeps_the_filters(leader: TestClient) -> None:
    _import(leader, workbook([["2022-03-01", "来信", "最早的异味"],
                              ["2022-05-01", "来信", "最新的异味"],
                              ["2022-04-01", "网络", "网络反映"]]))
    newest = leader.get("/complaints?channel=letter&page=1").text
    assert newest.index("最新的异味") < newest.index("最早的异味")
    link = newest.split('id="sort-date" href="')[1].split('"')[0]
    assert link == "/complaints?channel=letter&amp;sort=oldest"
    oldest = leader.get("/complaints?channel=letter&sort=oldest").text
    assert oldest.index("最早的异味") < oldest.index("最新的异味") and "网络反映" not in oldest
    exported = cells(leader.get("/complaints/export.xlsx?channel=letter&sort=oldest").content)
    assert [row[2] for row in exported[1:]] == ["最早的异味", "最新的异味"]
