"""The enforcement pages (执法): the form with its errors beside the fields, the import from
Excel (all rows or none), the list with its filters and the export."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from fastapi.testclient import TestClient

from tests.web.client import client_for, csrf, sign_in
from tests.web.complaint_files import a_site, cells, workbook

NOW = datetime(2022, 12, 20, 2, 0, tzinfo=UTC)
HEADERS = ("决定日期", "类型", "文书编号", "罚款金额(元)", "人数", "点位编码", "案件编号",
           "文书说明")


@pytest.fixture
def leader(fresh_demo_url: str) -> TestClient:
    client = client_for(fresh_demo_url, now=NOW)
    assert sign_in(client, "leader").status_code == 303
    return client


def _import(client: TestClient, data: bytes):  # noqa: ANN202
    return client.post("/enforcement/import", data={"csrf_token": csrf(client)},
                       files={"file": ("执法.xlsx", data, "application/octet-stream")})


def _count(client: TestClient, query: str = "") -> str:
    page = client.get(f"/enforcement{query}")
    assert page.status_code == 200
    return page.text.split('id="action-count">')[1].split("<")[0]


def _rows(site_code: str) -> list[list]:
    return [
        [datetime(2022, 3, 1), "行政处罚决定", "台环罚〔2022〕1号", 125000, None, site_code, None,
         "@SUM(1+1)*cmd|' /C calc'!A0"],
        [datetime(2022, 4, 2), "移送公安", "台环移〔2022〕1号", None, None, None, None, None],
        [datetime(2022, 5, 3), "行政拘留", "拘〔2022〕1号", None, 3, None, None, None],
        [datetime(2022, 6, 4), "刑事拘留", "刑〔2022〕1号", None, 2, None, None, None],
        [datetime(2022, 7, 5), "查封扣押、限产停产", "台环封〔2022〕1号", None, None, site_code,
         None, None],
    ]


def test_import_all_or_nothing_then_list_and_export(leader: TestClient,
                                                    fresh_demo_url: str) -> None:
    code, name, town = a_site(fresh_demo_url)
    good = _rows(code)
    bad = [list(r) for r in good] + [list(good[0])]  # row 7: the same number again
    bad[1][3] = 5000  # row 3: a fine on a referral
    bad[2][4] = None  # row 4: a detention without persons
    bad[3][4] = 1.5  # row 5: half a person
    refused = _import(leader, workbook(bad, headers=HEADERS))
    assert refused.status_code == 422
    for problem in ("第 3 行「罚款金额(元)」：只有行政处罚决定填写罚款金额",
                    "第 4 行「人数」：拘留须填写人数", "第 5 行「人数」：「1.5」不是整数",
                    "第 7 行「文书编号」：该类型的文书编号 台环罚〔2022〕1号 已登记"):
        assert problem in refused.text
    assert _count(leader) == "共 0 起"
    done = _import(leader, workbook(good, headers=HEADERS))
    assert (done.status_code, done.headers["location"]) == (303, "/enforcement?imported=5")
    page = leader.get("/enforcement").text
    assert "已导入" not in page and "12.50 万元" in page and "刑事拘留" in page
    assert _count(leader, "?kind=administrative_detention") == "共 1 起"
    assert _count(leader, f"?town={town}") == "共 2 起"
    assert _count(leader, "?q=台环罚") == "共 1 起"
    again = [list(good[0])]
    again[0][3] = 130000  # recorded already: the row updates it
    done = _import(leader, workbook(again, headers=HEADERS))
    assert (done.status_code, done.headers["location"]) == (303, "/enforcement?imported=1")
    assert _count(leader) == "共 5 起" and "13.00 万元" in leader.get("/enforcement").text
    exported = cells(leader.get("/enforcement/export.xlsx?kind=penalty_decision").content)
    assert exported[0] == ("决定日期", "类型", "文书编号", "罚款金额(元)", "人数", "点位编码",
                           "点位", "镇(街道)", "案件编号", "文书说明")
    assert exported[1][1:] == ("行政处罚决定", "台环罚〔2022〕1号", 130000, None, code, name,
                               town, None, "'@SUM(1+1)*cmd|' /C calc'!A0")
    assert exported[1][0].date() == date(2022, 3, 1) and len(exported) == 2


def test_the_form_records_and_refuses_beside_the_fields(leader: TestClient) -> None:
    refused = leader.post("/enforcement/new", data={
        "csrf_token": csrf(leader), "decided_on": "2022-12-01", "kind": "criminal_case",
        "number": "刑〔2022〕9号", "fine_yuan": "800", "persons": ""})
    assert refused.status_code == 422
    assert "只有行政处罚决定填写罚款金额" in refused.text and "拘留须填写人数" in refused.text
    assert 'value="刑〔2022〕9号"' in refused.text and 'value="800"' in refused.text
    done = leader.post("/enforcement/new", data={
        "csrf_token": csrf(leader), "decided_on": "2022-12-01", "kind": "penalty_decision",
        "number": "台环罚〔2022〕9号", "fine_yuan": "8,500.5"})
    assert (done.status_code, done.headers["location"]) == (303, "/enforcement?recorded=1")
    page = leader.get("/enforcement?recorded=1").text
    assert "已登记执法记录" in page and "8,500.50 元" in page and "2022年12月1日" in page


def test_template_empty_state_and_who_may(leader: TestClient, fresh_demo_url: str) -> None:
    assert cells(leader.get("/enforcement/template.xlsx").content) == [HEADERS]
    assert "没有符合条件的执法记录" in leader.get("/enforcement?kind=criminal_case").text
    officer = client_for(fresh_demo_url, now=NOW)
    sign_in(officer, "officer")
    assert officer.get("/enforcement").status_code == 403
    assert officer.get("/enforcement/new").status_code == 403
    assert _import(officer, workbook(_rows("X"), headers=HEADERS)).status_code == 403
