"""The ticket pages' forms through the app: issuing, answering, returning and verifying, each
refusal in Chinese beside its field with what was typed kept, and no form for a step the user
may not take."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from geo.layers import SITES
from inspections import cases as case_store
from inspections import tickets
from inspections.actors import Actor
from inspections.clock import FixedClock
from tests.imagery.images import exif_bytes, jpeg
from tests.web.client import client_for, csrf, inside_town, sign_in
from web.accounts.demo import DEMO_TOWN, DEMO_UNIT
from web.database import engine_for
from web.settings import Settings

NOW = datetime(2022, 6, 1, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
LEADER = Actor("leader", "leader")


def create_engine(url: str, tmp_path: Path):  # noqa: ANN201
    """The app's engine on the database, with the test app's audit key (in its data folder)."""
    return engine_for(Settings(database_url=url, data_dir=tmp_path / "data"))


def _client(url: str, tmp_path: Path, name: str) -> TestClient:
    client = client_for(url, data_dir=tmp_path / "data", now=NOW)
    assert sign_in(client, name).status_code == 303
    return client


def _post(client: TestClient, path: str, files: dict | None = None, **data: str):  # noqa: ANN202
    return client.post(path, data=data | {"csrf_token": csrf(client)}, files=files)


def _issue(url: str, tmp_path: Path, **extra: object) -> str:
    values = {"responsible_unit": DEMO_UNIT, "request": "清理东侧堆场",
              "deadline": date(2022, 6, 15)} | extra
    with create_engine(url, tmp_path).begin() as conn:
        ticket_id = tickets.issue_ticket(conn, actor=LEADER, clock=FixedClock(NOW), **values)
        return tickets.get_ticket(conn, ticket_id).number


def _state(url: str, tmp_path: Path, number: str) -> tickets.Ticket:
    with create_engine(url, tmp_path).connect() as conn:
        return tickets.get_ticket(conn, tickets.find_ticket(conn, number))


def _error_of(page: str, name: str) -> str:
    """The error shown under the field `name`."""
    field = re.search(rf'<label class="field has-error">(?:(?!</label>).)*name="{name}"'
                      r'(?:(?!</label>).)*<span class="field-error" role="alert">([^<]*)</span>',
                      page, re.S)
    assert field, f"no error under {name}"
    return field.group(1)


def test_issuing_refusals_name_each_field_and_keep_what_was_typed(fresh_demo_url: str,
                                                                  tmp_path: Path) -> None:
    leader = _client(fresh_demo_url, tmp_path, "leader")
    sent = _post(leader, "/tickets/new", responsible_unit="  ", request="",
                 deadline="2022-13-40", copy_to_leader="张副区长")
    assert sent.status_code == 422
    assert _error_of(sent.text, "responsible_unit") == "请填写责任单位。"
    assert _error_of(sent.text, "request") == "请填写督办事项：要求责任单位做什么。"
    assert _error_of(sent.text, "deadline") == "“2022-13-40”不是有效日期，请用日期选择器选择。"
    assert 'value="张副区长"' in sent.text
    past = _post(leader, "/tickets/new", responsible_unit=DEMO_UNIT, request="清理",
                 deadline="2022-05-31")
    assert _error_of(past.text, "deadline") == "办理时限不能早于今天（2022年6月1日）。"
    assert f'value="{DEMO_UNIT}"' in past.text and ">清理</textarea>" in past.text
    missing = _post(leader, "/tickets/new", responsible_unit=DEMO_UNIT, request="清理")
    assert _error_of(missing.text, "deadline") == "请选择办理时限。"
    with create_engine(fresh_demo_url, tmp_path).connect() as conn:
        assert tickets.list_tickets(conn) == []


@pytest.mark.parametrize("name", ["unit", "officer"])
def test_only_issuers_get_the_form(fresh_demo_url: str, tmp_path: Path, name: str) -> None:
    client = _client(fresh_demo_url, tmp_path, name)
    page = client.get("/tickets/new")
    assert page.status_code == 403 and 'id="issue-form"' not in page.text
    sent = _post(client, "/tickets/new", responsible_unit=DEMO_UNIT, request="清理",
                 deadline="2022-06-15")
    assert sent.status_code == 403
    assert 'id="issue-ticket"' not in client.get("/tickets").text
    with create_engine(fresh_demo_url, tmp_path).connect() as conn:
        assert tickets.list_tickets(conn) == []


def test_a_ticket_issued_from_a_case_names_it_and_copies_its_leader(fresh_demo_url: str,
                                                                   tmp_path: Path) -> None:
    with create_engine(fresh_demo_url, tmp_path).begin() as conn:
        case_store.create_case(conn, actor=LEADER, clock=FixedClock(NOW), source="patrol",
                               reference="XC-2022-0007", title="堆场扬尘", description="扬尘",
                               responsible_unit=DEMO_UNIT, deadline=date(2022, 7, 1),
                               target="覆盖裸土", leader="张副区长", key_case=True)
    leader = _client(fresh_demo_url, tmp_path, "leader")
    form = leader.get("/tickets/new", params={"case": "XC-2022-0007"}).text
    assert 'id="origin-case"' in form and f'value="{DEMO_UNIT}"' in form
    assert 'value="张副区长"' in form and 'value="2022-06-16"' in form  # 15 days by default
    sent = _post(leader, "/tickets/new", case="XC-2022-0007", responsible_unit=DEMO_UNIT,
                 request="覆盖裸土", deadline="2022-06-16", copy_to_leader="张副区长")
    assert sent.status_code == 303
    assert sent.headers["location"] == "/tickets/DB-2022-0001?done=issue"
    page = leader.get("/tickets/DB-2022-0001").text
    assert 'href="/cases/XC-2022-0007"' in page and "张副区长" in page
    assert leader.get("/tickets/new", params={"case": "XC-2099-0001"}).status_code == 404
    assert leader.get("/tickets/new", params={"site": "NO-SUCH"}).status_code == 404


def test_a_ticket_form_opened_from_a_site_names_it(fresh_demo_url: str, tmp_path: Path) -> None:
    sites = SITES.table
    with create_engine(fresh_demo_url, tmp_path).connect() as conn:
        code, name = conn.execute(sa.select(sites.c.code, sites.c.name)
                                  .order_by(sites.c.code).limit(1)).one()
    leader = _client(fresh_demo_url, tmp_path, "leader")
    form = leader.get("/tickets/new", params={"site": code}).text
    assert f"{name}（{code}）" in form and f">【{name}】</textarea>" in form


def test_answering_refusals_keep_the_answer_and_store_nothing(fresh_demo_url: str,
                                                              tmp_path: Path) -> None:
    number = _issue(fresh_demo_url, tmp_path)
    unit = _client(fresh_demo_url, tmp_path, "unit")
    page = unit.get(f"/tickets/{number}").text
    assert 'id="step-respond" open' in page
    assert 'id="step-return"' not in page and 'id="step-verify"' not in page
    empty = _post(unit, f"/tickets/{number}/respond", response="  ")
    assert empty.status_code == 422
    assert _error_of(empty.text, "response") == "请填写答复内容：说明已做了哪些整改。"
    bad = _post(unit, f"/tickets/{number}/respond", response="已清理",
                files={"photos": ("scan.jpg", b"not a picture", "image/jpeg")})
    assert bad.status_code == 422
    assert "照片“scan.jpg”未能保存：文件不是 JPEG、PNG、TIFF 或 HEIC 图片，或已损坏" in bad.text
    assert ">已清理</textarea>" in bad.text
    assert _state(fresh_demo_url, tmp_path, number).state == "issued"
    leader = _client(fresh_demo_url, tmp_path, "leader")
    refused = _post(leader, f"/tickets/{number}/respond", response="代为答复")
    assert refused.status_code == 403 and "你无权执行这一步。" in refused.text
    assert _post(leader, f"/tickets/{number}/verify").status_code == 409
    assert _state(fresh_demo_url, tmp_path, number).state == "issued"
    assert unit.get("/tickets/DB-2099-0001").status_code == 404
    odd = unit.get(f"/tickets/{number}", params={"done": "__class__"})
    assert odd.status_code == 200 and 'id="ticket-done"' not in odd.text


def test_returning_and_verifying_are_the_issuers(fresh_demo_url: str, tmp_path: Path) -> None:
    number = _issue(fresh_demo_url, tmp_path)
    unit = _client(fresh_demo_url, tmp_path, "unit")
    assert _post(unit, f"/tickets/{number}/respond", response="已清理").status_code == 303
    again = _post(unit, f"/tickets/{number}/respond", response="再次答复")
    assert again.status_code == 409 and "督办单的状态已经变化" in again.text
    unit_page = unit.get(f"/tickets/{number}?done=respond").text
    assert "已答复，等待核实" in unit_page and 'id="ticket-steps"' not in unit_page
    assert _post(unit, f"/tickets/{number}/return", reason="x",
                 deadline="2022-06-20").status_code == 403
    assert _post(unit, f"/tickets/{number}/verify").status_code == 403
    leader = _client(fresh_demo_url, tmp_path, "leader")
    page = leader.get(f"/tickets/{number}").text
    assert 'id="step-return"' in page and 'id="step-verify"' in page
    bad = _post(leader, f"/tickets/{number}/return", reason="", deadline="2022-06-20")
    assert _error_of(bad.text, "reason") == "请填写退回理由：说明答复缺少什么。"
    assert 'id="step-return" open' in bad.text and 'value="2022-06-20"' in bad.text
    assert _state(fresh_demo_url, tmp_path, number).state == "responded"
    sent = _post(leader, f"/tickets/{number}/return", reason="缺照片", deadline="2022-06-20")
    assert sent.headers["location"] == f"/tickets/{number}?done=return"
    returned = _state(fresh_demo_url, tmp_path, number)
    assert (returned.state, returned.deadline) == ("issued", date(2022, 6, 20))
    listed = leader.get("/tickets", params={"state": "returned"}).text
    assert "共 1 个" in listed and "退回重办" in listed


def test_the_list_pages_sorts_searches_and_says_when_nothing_matches(fresh_demo_url: str,
                                                                     tmp_path: Path) -> None:
    for n in range(51):
        _issue(fresh_demo_url, tmp_path, responsible_unit="海门街道办事处" if n % 2 else DEMO_UNIT,
               deadline=date(2022, 6, 2 + n % 20))
    leader = _client(fresh_demo_url, tmp_path, "leader")
    first = leader.get("/tickets").text
    assert "共 51 个" in first and first.count('class="ticket-number"') == 50
    assert "第 1 / 2 页" in first
    second = leader.get("/tickets", params={"page": 2}).text
    assert re.findall(r'class="ticket-number"><a[^>]*>([^<]*)<', second) == ["DB-2022-0051"]
    by_deadline = leader.get("/tickets", params={"sort": "deadline", "dir": "desc"}).text
    deadlines = re.findall(r'data-label="办理时限"[^>]*>([^<]*)<', by_deadline)
    assert deadlines[0] == "2022年6月21日" and deadlines[-1] == "2022年6月2日"
    found = leader.get("/tickets", params={"q": "db-2022-0007", "unit": "", "year": ""}).text
    assert "共 1 个" in found
    unit = _client(fresh_demo_url, tmp_path, "unit")
    assert "共 26 个" in unit.get("/tickets").text  # its own unit's only
    none = leader.get("/tickets", params={"year": 2021}).text
    empty = re.search(r'id="tickets-empty">([^<]*)<', none).group(1)
    assert empty == "没有符合条件的督办单。可以清除筛选条件或换一个年份、月份再查。"


def test_the_dashboards_overdue_tickets_equal_their_list(played) -> None:  # noqa: ANN001
    client = client_for(played.env["url"], data_dir=played.env["data"])
    assert sign_in(client, "leader").status_code == 303
    dashboard = client.get("/dashboard", params={"year": 2022}).text
    link, figure = re.search(r'<a data-figure="tickets-overdue" href="([^"]+)">(\d+)</a>',
                             dashboard).groups()
    listed = client.get(link.replace("&amp;", "&")).text
    assert f"共 {figure} 个" in listed and int(figure) > 0
    assert listed.count('class="ticket-number"') == int(figure)
    batches = re.search(r'data-figure="petitions-batches" href="([^"]+)"', dashboard).group(1)
    assert "sort=batch" in batches and "source=petition" in batches


def test_the_issuing_inspector_sees_the_answers_photos(fresh_demo_url: str,
                                                        tmp_path: Path) -> None:
    """An inspector who issued a ticket outside any case of the agency sees the photos the
    unit answered with."""
    inspector = _client(fresh_demo_url, tmp_path, "inspector")
    issued = _post(inspector, "/tickets/new", responsible_unit=DEMO_UNIT,
                   request="核查东侧堆场", deadline="2022-06-15")
    number = issued.headers["location"].split("/")[-1].split("?")[0]
    lon, lat = inside_town(fresh_demo_url, DEMO_TOWN)
    photo = jpeg(tmp_path / "answer.jpg", seed=4242, exif=exif_bytes(lon=lon, lat=lat))
    unit = _client(fresh_demo_url, tmp_path, "unit")
    answered = _post(unit, f"/tickets/{number}/respond", response="已覆盖",
                     files={"photos": ("answer.jpg", photo.read_bytes(), "image/jpeg")})
    assert answered.status_code == 303
    [photo_id] = _state(fresh_demo_url, tmp_path, number).photo_ids
    assert f"/api/photos/{photo_id}/thumbnail" in inspector.get(f"/tickets/{number}").text
    shown = inspector.get(f"/api/photos/{photo_id}/thumbnail")
    assert shown.status_code == 200 and shown.headers["content-type"] == "image/jpeg"
