"""Ledgers (台账) in Excel, on both backends: the exported workbook's layout (Chinese
headers, frozen header row, fitted widths, dates as dates); round trips (export, edit a cell
with openpyxl, import: the record changed through the domain, audited; a new row creates a
record) for cases, measures, tickets, look-back rounds, complaints and enforcement; a bad row
named by sheet, row and column with nothing imported; who may import what."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from io import BytesIO

import pytest
from fastapi.testclient import TestClient
from openpyxl import Workbook, load_workbook

from tests.web.client import client_for, csrf, sign_in
from tests.web.complaint_files import a_site
from tests.web.ledger_files import (
    append,
    audit_count,
    edit,
    only,
    open_case_with_measure,
    query,
    row_number,
    rows_of,
)

NOW = datetime(2022, 12, 20, 2, 0, tzinfo=UTC)  # 10:00 on 20 December 2022 in the district
SHEETS = ["案件", "整改措施", "督办单", "回头看", "信访举报", "执法记录"]


def _client(url: str, name: str) -> TestClient:
    client = client_for(url, now=NOW)
    assert sign_in(client, name).status_code == 303
    return client


@pytest.fixture
def leader(scenario_url: str) -> TestClient:
    return _client(scenario_url, "leader")


def _export(client: TestClient, *sheets: str) -> bytes:
    query_ = "&".join(f"sheet={s}" for s in sheets)
    got = client.get(f"/ledgers/export.xlsx?{query_}")
    assert got.status_code == 200, got.text
    assert got.headers["content-type"].startswith("application/vnd.openxmlformats")
    return got.content


def _import(client: TestClient, data: bytes):  # noqa: ANN202
    return client.post("/ledgers/import", data={"csrf_token": csrf(client)},
                       files={"file": ("台账.xlsx", data, "application/octet-stream")})


def _imported(client: TestClient, data: bytes) -> str:
    done = _import(client, data)
    assert done.status_code == 303, done.text
    page = client.get(done.headers["location"])
    return page.text.split('id="ledger-imported" role="status">')[1].split("<")[0]


def test_the_workbook_has_chinese_headers_a_frozen_row_fitted_widths_and_real_dates(
        leader: TestClient) -> None:
    book = load_workbook(BytesIO(_export(leader)))
    assert book.sheetnames == SHEETS
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
    cases = book["案件"]
    headers = [c.value for c in cases[1]]
    assert headers[:4] == ["案件编号", "问题来源", "督察轮次", "交办批次"]
    assert "整改时限" in headers and "状态" in headers and "立案日期" in headers
    deadline = cases.cell(row=2, column=headers.index("整改时限") + 1)
    assert deadline.is_date and isinstance(deadline.value, datetime)
    assert deadline.number_format == "yyyy-mm-dd"
    state = cases.cell(row=2, column=headers.index("状态") + 1).value
    assert state in ("待整改", "整改中", "已整改待验收", "已验收", "公示中", "已销号")
    titles = [r[headers.index("问题名称")] for r in cases.iter_rows(min_row=2, values_only=True)]
    longest = max(sum(2 if ord(ch) > 0x2E80 else 1 for ch in s) for s in titles)
    width = cases.column_dimensions["E"].width  # 问题名称
    assert width == min(60, longest + 2)
    assert cases.column_dimensions["D"].width < 12  # 交办批次: short numbers, short column
    rounds = book["回头看"]
    first = rounds.cell(row=2, column=3)
    assert [c.value for c in rounds[1]][2] == "复核开始日期" and first.is_date


def test_cases_and_measures_round_trip(leader: TestClient, scenario_url: str) -> None:
    reference, position, text = open_case_with_measure(scenario_url)
    data = _export(leader, "cases", "measures")
    row = row_number(data, "案件", 案件编号=reference)
    data = edit(data, "案件", row, {"问题名称": "垃圾填埋场渗滤液整改（台账更正）",
                                   "责任领导": "王副区长", "整改时限": datetime(2023, 3, 31)})
    data = append(data, "案件", {"案件编号": "TZ-2022-01", "问题来源": "网格巡查",
                                "问题名称": "河道边堆放建筑垃圾", "责任单位": "城关镇人民政府",
                                "整改时限": datetime(2023, 1, 31), "整改目标": "清运完毕"})
    measure_row = row_number(data, "整改措施", 案件编号=reference, 序号=position)
    data = edit(data, "整改措施", measure_row, {"整改措施": text + "（每周巡查一次）"})
    data = append(data, "整改措施", {"案件编号": "TZ-2022-01", "整改措施": "清运建筑垃圾"})
    before = audit_count(scenario_url, "case.edit")
    assert _imported(leader, data).startswith("已导入台账：新建 2 条")
    [(title, leader_name, deadline, state)] = query(
        scenario_url, "SELECT title, leader, deadline, state FROM cases WHERE reference = :r",
        r=reference)
    assert (title, leader_name, str(deadline)[:10]) == (
        "垃圾填埋场渗滤液整改（台账更正）", "王副区长", "2023-03-31")
    assert audit_count(scenario_url, "case.edit") == before + 1
    assert audit_count(scenario_url, "case.set_deadline") >= 1
    assert query(scenario_url, "SELECT m.text FROM measures m JOIN cases c ON c.id = "
                                 "m.case_id WHERE c.reference = :r AND m.position = :p",
                 r=reference, p=position)[0][0] == text + "（每周巡查一次）"
    [(new_state, new_measure)] = query(
        scenario_url, "SELECT c.state, m.text FROM cases c JOIN measures m ON m.case_id = "
                        "c.id WHERE c.reference = 'TZ-2022-01'")
    assert (new_state, new_measure) == ("open", "清运建筑垃圾")
    again = _export(leader, "cases")  # the same file again changes nothing
    entries = audit_count(scenario_url, "case.edit")
    assert "新建 0 条" in _imported(leader, again)
    assert audit_count(scenario_url, "case.edit") == entries


def test_tickets_round_trip_and_a_row_without_a_number_issues_one(
        leader: TestClient, scenario_url: str) -> None:
    [(number,)] = query(scenario_url, "SELECT number FROM tickets WHERE state = 'issued' "
                                        "ORDER BY number LIMIT 1")
    data = _export(leader, "tickets")
    row = row_number(data, "督办单", 督办单编号=number)
    data = edit(data, "督办单", row, {"督办事项": "请于月底前完成整改并书面反馈（台账）"})
    data = append(data, "督办单", {"责任单位": "城关镇人民政府", "办理时限": date(2023, 1, 10),
                                  "督办事项": "清理河道两岸垃圾"})
    count = query(scenario_url, "SELECT count(*) FROM tickets")[0][0]
    assert "新建 1 条" in _imported(leader, data)
    assert query(scenario_url, "SELECT request FROM tickets WHERE number = :n",
                 n=number)[0][0] == "请于月底前完成整改并书面反馈（台账）"
    assert audit_count(scenario_url, "ticket.edit") == 1
    [(new, state)] = query(scenario_url, "SELECT number, state FROM tickets WHERE request "
                                           "= '清理河道两岸垃圾'")
    assert new.startswith("DB-2022-") and state == "issued"
    assert query(scenario_url, "SELECT count(*) FROM tickets")[0][0] == count + 1


def test_rounds_round_trip_and_a_new_round_for_a_closed_case(
        leader: TestClient, scenario_url: str) -> None:
    [(reference, number)] = query(
        scenario_url, "SELECT c.reference, r.number FROM lookback_rounds r JOIN cases c ON "
                        "c.id = r.case_id WHERE r.state = 'scheduled' ORDER BY c.reference, "
                        "r.number LIMIT 1")
    data = _export(leader, "lookback_rounds")
    row = row_number(data, "回头看", 案件编号=reference, 轮次=number)
    last = rows_of(data, "回头看")[row - 2]["复核截止日期"]
    data = edit(data, "回头看", row, {"复核截止日期": last + timedelta(days=10),
                                     "复核机构": "台州环科检测"})
    top = query(scenario_url, "SELECT max(r.number) FROM lookback_rounds r JOIN cases c ON "
                                "c.id = r.case_id WHERE c.reference = :r", r=reference)[0][0]
    data = append(data, "回头看", {"案件编号": reference, "轮次": top + 1,
                                  "复核开始日期": date(2024, 6, 1),
                                  "复核截止日期": date(2024, 6, 30)})
    assert "新建 1 条" in _imported(leader, data)
    [(agency, state)] = query(
        scenario_url, "SELECT r.agency, r.state FROM lookback_rounds r JOIN cases c ON c.id "
                        "= r.case_id WHERE c.reference = :r AND r.number = :n",
        r=reference, n=number)
    assert (agency, state) == ("台州环科检测", "scheduled")
    moved = rows_of(_export(leader, "lookback_rounds"), "回头看")[row - 2]["复核截止日期"]
    assert moved == last + timedelta(days=10)
    assert audit_count(scenario_url, "round.edit") == 1
    assert query(scenario_url, "SELECT r.state FROM lookback_rounds r JOIN cases c ON c.id "
                                 "= r.case_id WHERE c.reference = :r AND r.number = :n",
                 r=reference, n=top + 1)[0][0] == "scheduled"


def test_complaints_and_enforcement_round_trip(fresh_demo_url: str) -> None:
    leader = _client(fresh_demo_url, "leader")  # a district without complaints yet
    code, _, _ = a_site(fresh_demo_url)
    blank = only(_export(leader, "complaints", "enforcement"), ["信访举报", "执法记录"])
    first = append(blank, "信访举报", {"受理日期": date(2022, 6, 3), "渠道": "来信",
                                      "内容": "夜间异味", "点位编码": code})
    first = append(first, "执法记录", {"决定日期": date(2022, 7, 1), "类型": "行政处罚决定",
                                      "文书编号": "台环罚〔2022〕8号", "罚款金额(元)": 50000})
    assert "新建 2 条" in _imported(leader, first)
    data = _export(leader, "complaints", "enforcement")
    [complaint] = rows_of(data, "信访举报")
    assert isinstance(complaint["登记号"], int) and complaint["点位编码"] == code
    data = edit(data, "信访举报", 2, {"内容": "夜间异味，已查明为废气直排"})
    data = edit(data, "执法记录", 2, {"罚款金额(元)": 62000.5})
    assert "新建 0 条，核对已有记录 2 条" in _imported(leader, data)
    assert query(fresh_demo_url, "SELECT summary FROM complaints")[0][0] == \
        "夜间异味，已查明为废气直排"
    assert float(query(fresh_demo_url, "SELECT fine_yuan FROM enforcement_actions")[0][0]) == \
        62000.5
    assert audit_count(fresh_demo_url, "complaint.edit") == 1
    assert audit_count(fresh_demo_url, "enforcement.edit") == 1


def test_a_bad_row_is_named_by_sheet_row_and_column_and_nothing_is_imported(
        leader: TestClient, scenario_url: str) -> None:
    reference, position, _ = open_case_with_measure(scenario_url)
    data = _export(leader, "cases", "measures", "tickets", "lookback_rounds")
    row = row_number(data, "案件", 案件编号=reference)
    data = edit(data, "案件", row, {"问题名称": "不应保存的修改"})  # a good edit
    data = edit(data, "督办单", 3, {"办理时限": "2023-02-30"})  # a bad date
    data = edit(data, "回头看", 2, {"状态": "暂停"})  # an unknown state
    data = append(data, "整改措施", {"案件编号": "XX-404", "整改措施": "新增措施"})
    measures = len(rows_of(data, "整改措施")) + 1
    entries = query(scenario_url, "SELECT count(*) FROM audit_log")[0][0]
    refused = _import(leader, data)
    assert refused.status_code == 422
    text = refused.text
    assert "未导入任何记录" in text and 'id="ledger-problems"' in text
    for sheet, row_, column, message in (
            ("督办单", 3, "办理时限", "「2023-02-30」不是日期"),
            ("回头看", 2, "状态", "「暂停」不是可选值"),
            ("整改措施", measures, "案件编号", "没有编号为 XX-404 的案件")):
        cells = (f'<td data-label="工作表">{sheet}</td><td data-label="行">{row_}</td>'
                 f'<td data-label="列">{column}</td>')
        assert cells in text, (sheet, row_, column)
        assert message in text.split(cells)[1].split("</tr>")[0]
    assert query(scenario_url, "SELECT count(*) FROM audit_log")[0][0] == entries
    assert query(scenario_url, "SELECT title FROM cases WHERE reference = :r",
                 r=reference)[0][0] != "不应保存的修改"


def test_what_only_the_workflow_changes_is_refused_where_it_is(
        leader: TestClient, scenario_url: str) -> None:
    [(reference,)] = query(scenario_url, "SELECT reference FROM cases WHERE state = "
                                           "'closed' ORDER BY reference LIMIT 1")
    data = only(_export(leader, "cases"), ["案件"])
    row = row_number(data, "案件", 案件编号=reference)
    data = edit(data, "案件", row, {"状态": "整改中", "整改时限": datetime(2023, 6, 30)})
    refused = _import(leader, data)
    assert refused.status_code == 422
    assert "只能在案件页面按流程办理" in refused.text
    assert "案件已销号，整改时限不能再调整" in refused.text


def test_who_may_import_is_decided_by_each_kind(scenario_url: str) -> None:
    leader = _client(scenario_url, "leader")
    data = only(_export(leader, "cases", "tickets"), ["案件", "督办单"])
    inspector = _client(scenario_url, "inspector")
    refused = _import(inspector, data)  # may issue tickets, not edit cases
    assert refused.status_code == 422
    assert "<td data-label=\"工作表\">案件</td>" in refused.text
    assert "您的角色不能导入此台账" in refused.text
    unit = _client(scenario_url, "unit")
    assert _import(unit, data).status_code == 403
    page = unit.get("/cases")
    assert 'id="ledger-export"' in page.text and 'id="ledger-import-form"' not in page.text
    assert 'id="ledger-import-form"' in leader.get("/cases").text
    assert 'id="ledger-import-form"' in inspector.get("/tickets").text
    assert unit.get("/ledgers/export.xlsx?sheet=enforcement").status_code == 403


def test_a_sheet_that_is_no_ledger_is_named(leader: TestClient) -> None:
    book = load_workbook(BytesIO(_export(leader, "cases")))
    book["案件"].title = "汇总"
    out = BytesIO()
    book.save(out)
    refused = _import(leader, out.getvalue())
    assert refused.status_code == 422
    assert "<td data-label=\"工作表\">汇总</td>" in refused.text
    assert "工作表名称不是台账名称" in refused.text


def test_a_sheet_with_only_some_columns_changes_only_those(leader: TestClient,
                                                           scenario_url: str) -> None:
    [(reference, source, title, unit, deadline, leader_name, person)] = query(
        scenario_url, "SELECT reference, source, title, responsible_unit, deadline, leader, "
                      "person_in_charge FROM cases WHERE state IN ('open', 'rectifying') AND "
                      "leader IS NOT NULL ORDER BY reference LIMIT 1")
    book = Workbook()
    sheet = book.active
    sheet.title = "案件"
    sheet.append(["案件编号", "问题来源", "问题名称", "责任单位", "整改时限", "整改目标"])
    sheet.append([reference, {"inspection_feedback": "督察反馈问题", "petition": "信访件",
                              "patrol": "网格巡查", "lookback": "回头看发现"}[source], title,
                  unit, deadline if isinstance(deadline, date) else
                  date.fromisoformat(str(deadline)[:10]), "只改整改目标"])
    out = BytesIO()
    book.save(out)
    assert "新建 0 条，核对已有记录 1 条" in _imported(leader, out.getvalue())
    assert query(scenario_url, "SELECT target, leader, person_in_charge FROM cases WHERE "
                               "reference = :r", r=reference)[0] == (
        "只改整改目标", leader_name, person)
