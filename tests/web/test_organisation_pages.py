"""The organisation pages (组织领导: 会议、批示、带队督查): the form with its errors beside the
fields (nothing recorded), the list with its kind filter and cases as links, the import
from Excel (all rows or none, each bad row named by row and column) and the export, who may
read and record, the nav entry, and the figures in `lookback stats` and on the dashboard."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from inspections.clock import FixedClock
from tests.inspections.builders import new_case
from tests.web.cli import json_lines, run
from tests.web.client import client_for, csrf, sign_in
from tests.web.complaint_files import cells, workbook
from web.database import engine_for
from web.settings import Settings

NOW = datetime(2022, 12, 20, 2, 0, tzinfo=UTC)  # 10:00 on 20 December in the district
HEADERS = ("日期", "类别", "领导", "事项", "关联案件", "备注")


def _client(url: str, tmp_path: Path, name: str) -> TestClient:
    client = client_for(url, data_dir=tmp_path / "data", now=NOW)
    assert sign_in(client, name).status_code == 303
    return client


def _cases(url: str, tmp_path: Path, *references: str) -> None:
    engine = engine_for(Settings(database_url=url, data_dir=tmp_path / "data"))
    with engine.begin() as conn:
        for reference in references:
            new_case(conn, FixedClock(NOW), reference=reference)
    engine.dispose()


@pytest.fixture
def admin(fresh_demo_url: str, tmp_path: Path) -> TestClient:
    _cases(fresh_demo_url, tmp_path, "DC-2022-01", "DC-2022-02")
    return _client(fresh_demo_url, tmp_path, "admin")


def _form(**changes: str) -> dict[str, str]:
    return {"kind": "meeting", "held_on": "2022-12-19", "leader": "区委书记",
            "subject": "研究部署督察反馈问题整改工作", "case_references": "DC-2022-01、DC-2022-02",
            "note": ""} | changes


def _post(client: TestClient, data: dict[str, str]):  # noqa: ANN202
    return client.post("/organisation/new", data=data | {"csrf_token": csrf(client)})


def _import(client: TestClient, data: bytes):  # noqa: ANN202
    return client.post("/organisation/import", data={"csrf_token": csrf(client)},
                       files={"file": ("组织领导.xlsx", data, "application/octet-stream")})


def _count(client: TestClient, query: str = "") -> str:
    page = client.get(f"/organisation{query}")
    assert page.status_code == 200
    return page.text.split('id="org-count">')[1].split("<")[0]


def test_the_form_records_a_meeting_listed_with_its_cases_as_links(admin: TestClient) -> None:
    form = admin.get("/organisation/new")
    assert form.status_code == 200 and 'value="2022-12-20"' in form.text
    for label in ("会议", "批示", "带队督查", "领导", "事项", "关联案件"):
        assert label in form.text
    done = _post(admin, _form())
    assert (done.status_code, done.headers["location"]) == (303, "/organisation?recorded=1")
    listing = admin.get("/organisation?recorded=1").text
    assert "已登记" in listing and _count(admin) == "共 1 次"
    assert "2022年12月19日" in listing and "研究部署督察反馈问题整改工作" in listing
    assert ('<a href="/cases/DC-2022-01">DC-2022-01</a>、'
            '<a href="/cases/DC-2022-02">DC-2022-02</a>') in listing
    assert _count(admin, "?kind=meeting") == "共 1 次"
    assert _count(admin, "?kind=instruction") == "共 0 次"
    assert _count(admin, "?q=DC-2022-02") == "共 1 次"


def test_form_errors_are_beside_their_fields_and_nothing_is_recorded(admin: TestClient) -> None:
    refused = _post(admin, _form(kind="party", held_on="2022-12-21", leader="",
                                 subject="事" * 201, case_references="DC-404, DC-2022-01"))
    assert refused.status_code == 422
    page = refused.text
    assert "「party」不是可选值（会议、批示、带队督查）" in page
    assert "不能晚于今天（2022年12月20日）" in page
    assert "必填" in page  # the leader
    assert "超过 200 个字" in page
    assert "没有编号为 DC-404 的案件" in page
    assert 'value="DC-404, DC-2022-01"' in page  # what was typed is kept
    bad_date = _post(admin, _form(held_on="2022-02-30"))
    assert bad_date.status_code == 422 and "「2022-02-30」不是日期" in bad_date.text
    assert _count(admin) == "共 0 次"


def test_import_is_all_or_nothing_then_the_export_reads_back(admin: TestClient) -> None:
    good = [[datetime(2022, 3, 1), "会议", "区委书记", "区委常委会专题研究督察整改", "DC-2022-01",
             None],
            [datetime(2022, 5, 2), "批示", "区长", "批示抓紧推进填埋场整改",
             "DC-2022-01、DC-2022-02", "限期销号"],
            ["2022年6月3日", "带队督查", "区委副书记", "带队检查前岙填埋场", None, None]]
    bad = [list(r) for r in good]
    bad[0][1] = "座谈"  # Excel row 2
    bad[1][4] = "DC-404"  # row 3
    bad[2][2] = None  # row 4
    refused = _import(admin, workbook(bad, headers=HEADERS))
    assert refused.status_code == 422 and "未导入任何记录" in refused.text
    for problem in ("第 2 行「类别」：「座谈」不是可选值（会议、批示、带队督查）",
                    "第 3 行「关联案件」：没有编号为 DC-404 的案件", "第 4 行「领导」：必填"):
        assert problem in refused.text
    assert _count(admin) == "共 0 次"
    done = _import(admin, workbook(good, headers=HEADERS))
    assert (done.status_code, done.headers["location"]) == (303, "/organisation?imported=3")
    assert "已导入 3 条记录" in admin.get("/organisation?imported=3").text
    assert _count(admin, "?start=2022-05-01&end=2022-06-30") == "共 2 次"
    exported = cells(admin.get("/organisation/export.xlsx?sort=oldest").content)
    assert exported[0] == (*HEADERS, "登记人")
    assert exported[2][1:] == ("批示", "区长", "批示抓紧推进填埋场整改",
                               "DC-2022-01、DC-2022-02", "限期销号", "admin")
    assert exported[3][0].date() == date(2022, 6, 3)
    assert cells(admin.get("/organisation/template.xlsx").content) == [HEADERS]


def test_who_may_read_and_record(fresh_demo_url: str, tmp_path: Path) -> None:
    for name in ("unit", "officer", "inspector", "acceptor", "assessor"):
        client = _client(fresh_demo_url, tmp_path, name)
        assert client.get("/organisation").status_code == 403
        assert client.get("/organisation/new").status_code == 403
        assert _post(client, _form(case_references="")).status_code == 403
        assert _import(client, workbook([], headers=HEADERS)).status_code == 403
        assert client.get("/organisation/export.xlsx").status_code == 403
        assert 'href="/organisation"' not in client.get("/").text
    leader = _client(fresh_demo_url, tmp_path, "leader")
    assert _post(leader, _form(kind="leader_check", case_references="")).status_code == 303
    assert _count(leader) == "共 1 次"
    assert 'href="/organisation"' in leader.get("/").text  # the nav's 组织领导


def test_the_figures_are_in_lookback_stats(admin: TestClient, fresh_demo_url: str) -> None:
    for kind, day in (("meeting", "2022-12-01"), ("meeting", "2022-12-19"),
                      ("instruction", "2022-11-30"), ("leader_check", "2022-12-02")):
        assert _post(admin, _form(kind=kind, held_on=day)).status_code == 303
    result = run(fresh_demo_url, "stats", "--year", "2022", "--month", "12", "--json")
    assert result.exit_code == 0, result.output
    [figures] = json_lines(result.stdout)
    assert figures["organisation"] == {"meetings": 2, "instructions": 0, "leader_checks": 1}
    table = run(fresh_demo_url, "stats", "--year", "2022", LOOKBACK_LANGUAGE="zh")
    assert "组织领导" in table.output and "会议（次）" in table.output
    dashboard = admin.get("/dashboard").text  # the year's figure links to its list
    after = dashboard.split('data-figure="org-meetings" href="')[1]
    href, shown = after.split('"')[0].replace("&amp;", "&"), after.split(">")[1].split("<")[0]
    assert shown == "2" and href.startswith("/organisation?kind=meeting")
    assert _count(admin, href.removeprefix("/organisation")) == "共 2 次"


def test_the_audit_action_reads_in_chinese() -> None:
    from web.pages.labels import action_label

    assert action_label("organisation.record", "zh") == "登记组织领导记录"


def test_the_case_page_lists_the_records_about_the_case(admin: TestClient, fresh_demo_url: str,
                                                        tmp_path: Path) -> None:
    empty = admin.get("/cases/DC-2022-01").text
    assert "尚无关于本案件的会议、批示或带队督查。" in empty
    _post(admin, _form(held_on="2022-12-01", case_references="DC-2022-01"))
    _post(admin, _form(kind="instruction", held_on="2022-12-19", leader="区长",
                       subject="督察反馈问题务必按期销号"))
    page = admin.get("/cases/DC-2022-01").text
    listed = page.split('id="case-organisation">')[1].split("</ul>")[0]
    assert listed.index("2022年12月19日 · 批示 · 区长：督察反馈问题务必按期销号") < \
        listed.index("2022年12月1日 · 会议 · 区委书记")  # newest first
    assert 'href="/organisation?q=DC-2022-01"' in page
    assert listed.count("<li>") == 2
    assert admin.get("/cases/DC-2022-02").text.split('id="case-organisation">')[1] \
        .split("</ul>")[0].count("<li>") == 1
    acceptor = _client(fresh_demo_url, tmp_path, "acceptor")
    shown = acceptor.get("/cases/DC-2022-01")
    assert shown.status_code == 200
    assert 'id="case-organisation"' not in shown.text  # only the roles that read them
