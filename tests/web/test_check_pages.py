"""The check pages (明察暗访 / 督查): the form with photos and its errors beside the fields, a
check's page with its photos and 下发督办单 filled from the findings, the import from Excel
(all rows or none, each bad row named by row and column), the list's filters and the export,
and who may read and record."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from inspections.clock import FixedClock
from tests.inspections.builders import new_case
from tests.web.check_files import HEADERS, jpeg_bytes
from tests.web.client import client_for, csrf, sign_in
from tests.web.complaint_files import a_site, cells, workbook
from web.database import engine_for
from web.settings import Settings

NOW = datetime(2022, 12, 20, 2, 0, tzinfo=UTC)  # 10:00 on 20 December in the district


def _client(url: str, tmp_path: Path, name: str) -> TestClient:
    client = client_for(url, data_dir=tmp_path / "data", now=NOW)
    assert sign_in(client, name).status_code == 303
    return client


@pytest.fixture
def leader(fresh_demo_url: str, tmp_path: Path) -> TestClient:
    return _client(fresh_demo_url, tmp_path, "leader")


def _form(code: str, **changes: str) -> dict[str, str]:
    return {"kind": "unannounced", "checked_on": "2022-12-19", "organiser": "区委督查室",
            "site_code": code, "problems_found": "yes",
            "findings": "渗滤液调节池满溢，未及时外运"} | changes


def _post(client: TestClient, data: dict[str, str], photos: list[tuple[str, bytes]] = ()):  # noqa: ANN202
    files = [("photos", (name, body, "image/jpeg")) for name, body in photos]
    return client.post("/checks/new", data=data | {"csrf_token": csrf(client)},
                       files=files or None)


def _import(client: TestClient, data: bytes):  # noqa: ANN202
    return client.post("/checks/import", data={"csrf_token": csrf(client)},
                       files={"file": ("督查.xlsx", data, "application/octet-stream")})


def _count(client: TestClient, query: str = "") -> str:
    page = client.get(f"/checks{query}")
    assert page.status_code == 200
    return page.text.split('id="check-count">')[1].split("<")[0]


def test_the_form_records_a_check_with_photos_and_its_page_issues_a_ticket(
        leader: TestClient, fresh_demo_url: str) -> None:
    code, name, town = a_site(fresh_demo_url)
    form = leader.get("/checks/new")
    assert form.status_code == 200 and 'value="2022-12-20"' in form.text
    assert 'enctype="multipart/form-data"' in form.text and 'name="photos"' in form.text
    done = _post(leader, _form(code), [("a.jpg", jpeg_bytes(1)), ("b.jpg", jpeg_bytes(2))])
    assert done.status_code == 303
    where = done.headers["location"]
    assert where.startswith("/checks/") and where.endswith("?recorded=1")
    page = leader.get(where).text
    assert "已登记督查检查" in page and "明察暗访 · 2022年12月19日" in page
    assert "区委督查室" in page and f"{name}（{code}）" in page and "发现问题" in page
    thumbs = page.count('src="/api/photos/')
    assert thumbs == 2
    photo = page.split('<img alt="现场照片" src="')[1].split('"')[0]
    assert leader.get(photo).headers["content-type"] == "image/jpeg"
    check_id = where.split("/")[2].split("?")[0]
    assert f'href="/tickets/new?check={check_id}"' in page
    ticket = leader.get(f"/tickets/new?check={check_id}").text
    assert "渗滤液调节池满溢，未及时外运</textarea>" in ticket
    assert f'name="site" value="{code}"' in ticket
    assert leader.get("/tickets/new?check=999").status_code == 404
    issued = leader.post("/tickets/new", data={
        "responsible_unit": "台州市椒江区生态环境分局", "request": "渗滤液调节池满溢，未及时外运",
        "deadline": "2022-12-30", "site": code, "check": check_id, "csrf_token": csrf(leader)})
    assert issued.status_code == 303
    number = issued.headers["location"].split("/")[2].split("?")[0]
    shown = leader.get(f"/tickets/{number}").text  # the ticket keeps where it came from
    assert f'<a href="/map?site={code}">{name}（{code}）</a>' in shown
    assert f'href="/checks/{check_id}"' in shown
    assert f'<a href="/tickets/{number}">{number}</a>' in leader.get(f"/checks/{check_id}").text
    assert number in leader.get("/tickets", params={"q": code}).text  # found by its site
    listing = leader.get("/checks").text
    assert _count(leader) == "共 1 次" and town in listing
    assert f'href="/checks/{check_id}"' in listing


def test_form_errors_are_beside_their_fields_and_nothing_is_recorded(leader: TestClient,
                                                                     fresh_demo_url: str) -> None:
    code, _, _ = a_site(fresh_demo_url)
    refused = _post(leader, _form("QY-NONE", kind="secret", checked_on="2022-12-21",
                                  findings="", case_reference="DC-404"))
    assert refused.status_code == 422
    page = refused.text
    assert "「secret」不是可选值（明察暗访、督查）" in page
    assert "不能晚于今天（2022年12月20日）" in page
    assert "必填" in page  # the findings
    assert "没有编码为 QY-NONE 的点位" in page and "没有编号为 DC-404 的案件" in page
    assert 'value="区委督查室"' in page and 'value="QY-NONE"' in page
    bad_date = _post(leader, _form(code, checked_on="2022-02-30"))
    assert bad_date.status_code == 422 and "「2022-02-30」不是日期" in bad_date.text
    bad_photo = _post(leader, _form(code), [("f09.jpg", b"not a picture")])
    assert bad_photo.status_code == 422 and "f09.jpg" in bad_photo.text
    assert "渗滤液调节池满溢，未及时外运</textarea>" in bad_photo.text  # kept
    assert _count(leader) == "共 0 次"


def test_import_is_all_or_nothing_then_filters_and_export(leader: TestClient,
                                                          fresh_demo_url: str) -> None:
    code, name, town = a_site(fresh_demo_url)
    good = [[datetime(2022, 3, 1), "明察暗访", "区委督查室", code, "发现问题", "夜间偷排", None],
            [datetime(2022, 5, 2), "督查", "区整改协调小组", code, "未发现问题", "整改到位",
             None],
            ["2022年6月3日", "督查", "区委督查室", code, "未发现问题", "@SUM(1) 回头看", None]]
    bad = [list(r) for r in good]
    bad[0][1] = "暗访"  # Excel row 2
    bad[1][3] = "QY-NONE"  # row 3
    bad[2][5] = None  # row 4
    refused = _import(leader, workbook(bad, headers=HEADERS))
    assert refused.status_code == 422 and "未导入任何记录" in refused.text
    for problem in ("第 2 行「方式」：「暗访」不是可选值（明察暗访、督查）",
                    "第 3 行「点位编码」：没有编码为 QY-NONE 的点位", "第 4 行「检查发现」：必填"):
        assert problem in refused.text
    assert _count(leader) == "共 0 次"
    done = _import(leader, workbook(good, headers=HEADERS))
    assert (done.status_code, done.headers["location"]) == (303, "/checks?imported=3")
    assert "已导入 3 次督查检查" in leader.get("/checks?imported=3").text
    assert _count(leader, "?kind=announced") == "共 2 次"
    assert _count(leader, "?start=2022-05-01&end=2022-06-30") == "共 2 次"
    assert _count(leader, f"?town={town}") == "共 3 次"
    assert _count(leader, "?q=协调小组") == "共 1 次"
    exported = cells(leader.get("/checks/export.xlsx?kind=announced&sort=oldest").content)
    assert exported[0] == ("检查日期", "方式", "组织单位", "点位编码", "点位", "镇(街道)",
                           "是否发现问题", "检查发现", "案件编号", "登记人")
    assert exported[1][1:] == ("督查", "区整改协调小组", code, name, town, "未发现问题",
                               "整改到位", None, "leader")
    assert exported[2][7] == "'@SUM(1) 回头看" and exported[2][0].date() == date(2022, 6, 3)
    assert cells(leader.get("/checks/template.xlsx").content) == [HEADERS]


def test_who_may_read_and_record(fresh_demo_url: str, tmp_path: Path) -> None:
    code, _, _ = a_site(fresh_demo_url)
    for name in ("unit", "officer"):
        client = _client(fresh_demo_url, tmp_path, name)
        assert client.get("/checks").status_code == 403
        assert client.get("/checks/new").status_code == 403
        assert _post(client, _form(code)).status_code == 403
        assert _import(client, workbook([], headers=HEADERS)).status_code == 403
        assert client.get("/checks/export.xlsx").status_code == 403
        assert client.get("/tickets/new?check=1").status_code == 403
    inspector = _client(fresh_demo_url, tmp_path, "inspector")
    done = _post(inspector, _form(code, kind="announced", problems_found="no"))
    assert done.status_code == 303
    assert "督查 · 2022年12月19日" in inspector.get(done.headers["location"]).text
    assert inspector.get("/checks/999").status_code == 404
    assert 'href="/checks"' in inspector.get("/").text  # the nav's 督查检查


def test_fifty_a_page_and_the_empty_state(leader: TestClient, fresh_demo_url: str) -> None:
    code, _, _ = a_site(fresh_demo_url)
    rows = [[datetime(2022, 1 + i % 11, 1 + i % 28), "督查", "区委督查室", code, "未发现问题",
             f"第{i}次检查", None] for i in range(55)]
    assert _import(leader, workbook(rows, headers=HEADERS)).headers["location"] == \
        "/checks?imported=55"
    first = leader.get("/checks").text
    assert first.count('data-label="检查日期"') == 50 and "第 1 / 2 页" in first
    assert leader.get("/checks?page=2").text.count('data-label="检查日期"') == 5
    empty = leader.get("/checks?q=没有这样的检查").text
    assert "没有符合条件的督查检查" in empty


def test_a_ticket_from_a_check_names_its_case_only_to_who_may_see_it(
        leader: TestClient, fresh_demo_url: str, tmp_path: Path) -> None:
    code, _, _ = a_site(fresh_demo_url)
    engine = engine_for(Settings(database_url=fresh_demo_url, data_dir=tmp_path / "data"))
    with engine.begin() as conn:  # no look-back agency: the demo inspector does not see it
        new_case(conn, FixedClock(NOW), reference="DC-2022-31")
    engine.dispose()
    done = _post(leader, _form(code, case_reference="DC-2022-31"))
    check_id = done.headers["location"].split("/")[2].split("?")[0]
    as_leader = leader.get(f"/tickets/new?check={check_id}").text
    assert 'name="case" value="DC-2022-31"' in as_leader
    inspector = _client(fresh_demo_url, tmp_path, "inspector")
    as_inspector = inspector.get(f"/tickets/new?check={check_id}")
    assert as_inspector.status_code == 200 and 'name="case"' not in as_inspector.text
    assert "渗滤液调节池满溢，未及时外运</textarea>" in as_inspector.text


def test_the_audit_action_reads_in_chinese() -> None:
    from web.pages.labels import action_label

    assert action_label("check.record", "zh") == "登记督查检查"
