"""The closure assessment report of a task (issue 14): the demo's 41 landfills and 4 plants, a
case each, accepted, assessed, publicised and closed as one task; its report (python-docx)
has the title with the inspection and serial number, the sites, the measures once, one
conclusion, the contact with phone and e-mail (settings < task < case < argument) and the
sign-off; from the command line and the API. A case's own report is still a task of one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import docx
import pytest
import sqlalchemy as sa
from docx.enum.text import WD_ALIGN_PARAGRAPH

from geo.layers import SITES
from inspections import rectification_tasks as tasks
from tests.inspections.builders import ACCEPTOR, ASSESSOR, CONCLUSION, LEADER, REPORT, photo_ids
from tests.inspections.builders import clock as fixed_clock
from tests.inspections.task_builders import (
    INSPECTION,
    KINDS,
    LANDFILL_MEASURES,
    PLANT_MEASURES,
    TITLE,
    open_cases,
    reference,
    task_of,
)
from tests.web.cli import json_lines, run
from tests.web.client import client_for, sign_in
from web.database import engine_for
from web.settings import Settings

NOW = "2022-03-20T10:00:00+08:00"
ISSUER = "中共台州市椒江区委 台州市椒江区人民政府"


@pytest.fixture
def closed_task(fresh_demo_url: str, tmp_path: Path) -> dict:
    """The demo's 45 sites as one task, every case closed through the task's steps."""
    store = tmp_path / "store"
    engine = engine_for(Settings(database_url=fresh_demo_url, data_dir=store))
    clk = fixed_clock()
    p = photo_ids(engine, tmp_path, 4)
    photos = {"rectification": p[:2], "acceptance": p[2:]}
    t = SITES.table
    with engine.begin() as conn:
        sites = [(r.id, r.kind) for r in conn.execute(
            sa.select(t.c.id, t.c.kind).where(t.c.kind.in_(list(KINDS))).order_by(t.c.code))]
        assert len(sites) == 45  # 41 township landfills and 4 waste-to-energy plants
        ids = open_cases(conn, clk, sites, photos=photos, measures_done=True)
        task_id = task_of(conn, clk, ids)
    for step, actor, extra in (("accept", ACCEPTOR, {"photo_ids": photos["acceptance"]}),
                               ("assess", ASSESSOR, {"conclusion": CONCLUSION,
                                                     "documents": [REPORT]}),
                               ("publicise", LEADER, {"notice_start": clk.today(),
                                                      "notice_end": clk.today()
                                                      + timedelta(days=6)})):
        with engine.begin() as conn:
            getattr(tasks, f"{step}_task")(conn, task_id=task_id, actor=actor, clock=clk,
                                           **extra)
    clk.advance(days=7)
    with engine.begin() as conn:
        tasks.close_task(conn, task_id=task_id, actor=LEADER, clock=clk)
    return {"url": fresh_demo_url, "data": str(store), "task": task_id}


def _cli_report(world: dict, tmp_path: Path, *args: str) -> docx.document.Document:
    out = tmp_path / "report.docx"
    result = run(world["url"], "report", "closure", *args, "--out", str(out), "--json",
                 LOOKBACK_DATA_DIR=world["data"], LOOKBACK_NOW=NOW)
    assert result.exit_code == 0, result.output
    assert json_lines(result.stdout)[0]["bytes"] > 10_000
    return docx.Document(str(out))


def _texts(doc: docx.document.Document) -> list[str]:
    return [p.text for p in doc.paragraphs]


def test_the_tasks_closure_report(closed_task: dict, tmp_path: Path) -> None:
    doc = _cli_report(closed_task, tmp_path, "--task", str(closed_task["task"]),
                      "--contact-phone", "0576-12345678", "--contact-email", "dc@jj.gov.cn")
    texts = _texts(doc)
    assert texts[0] == f"关于{TITLE}整改任务销号评估报告"
    assert texts[1] == f"（{INSPECTION}督察序号12）"
    whole = "\n".join(texts)
    assert "涉及点位共45处：" in whole
    for measure in (*LANDFILL_MEASURES, *PLANT_MEASURES):  # listed once, done once
        assert sum(t.count(measure) for t in texts) == 2, measure
    for count in (41, 4):
        assert f"\n{count}处点位均已于2022年3月1日完成。" in whole
    assert whole.count(CONCLUSION) == 1
    assert ("如对该问题整改公示情况有异议，请在公示期2022年3月1日至2022年3月7日内迳向联系人反映。"
            "联系人：区督察整改办 王明；联系电话：0576-12345678；电子邮箱：dc@jj.gov.cn。"
            ) in whole  # the task's person, the command line's phone and e-mail
    issuer, day = doc.paragraphs[-2], doc.paragraphs[-1]
    assert (issuer.text, day.text) == (ISSUER, "2022年3月20日")
    assert issuer.alignment == day.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert 2 <= len(doc.inline_shapes) <= 3 * 4 + 4 + 1  # photos bounded, one map


def test_a_cases_report_is_a_task_of_one_with_the_tasks_serial(closed_task: dict,
                                                               tmp_path: Path) -> None:
    doc = _cli_report(closed_task, tmp_path, reference(1))
    texts = _texts(doc)
    assert texts[0] == f"关于{TITLE}（点位1）整改任务销号评估报告"
    assert texts[1] == f"（{INSPECTION}督察序号12）"
    whole = "\n".join(texts)
    assert ("联系人：区督察整改办 王明；联系电话：0576-88001234；"
            "电子邮箱：zgb@example.gov.cn。") in whole
    assert "涉及点位共" not in whole
    assert texts[texts.index("（二）整改措施落实情况") + 2] == "已于2022年3月1日完成。"


def test_the_api_takes_the_contact_and_names_bad_input(closed_task: dict) -> None:
    leader = client_for(closed_task["url"], now=NOW, data_dir=closed_task["data"],
                        report_contact_person="设置里的联系人")
    sign_in(leader, "leader")
    path = f"/api/reports/rectification-tasks/{closed_task['task']}/closure"
    got = leader.get(path, params={"contact_person": "李四", "contact_email": "li@jj.gov.cn"})
    assert got.status_code == 200 and got.content[:2] == b"PK"
    assert got.headers["content-disposition"].endswith(
        f'filename="closure-task-{closed_task["task"]}.docx"')
    bad = leader.get(path, params={"contact_email": "li.jj.gov.cn"})
    assert bad.status_code == 422
    assert "contact email 'li.jj.gov.cn' is not an e-mail address" in bad.json()["detail"]
    assert leader.get("/api/reports/rectification-tasks/999/closure").status_code == 404
    case = leader.get(f"/api/reports/closure/{reference(2)}",
                      params={"contact_phone": "0576-1"})
    assert case.status_code == 200
    unit = client_for(closed_task["url"], now=NOW)
    sign_in(unit, "unit")
    assert unit.get(path).status_code == 403


def test_the_command_line_names_bad_input(closed_task: dict, tmp_path: Path) -> None:
    out = str(tmp_path / "x.docx")
    for args, message in (((reference(1), "--task", "1"), "give a case reference or --task"),
                          ((), "give a case reference or --task"),
                          (("--task", "999"), "rectification task 999: no such task"),
                          (("--task", str(closed_task["task"]), "--contact-phone", "call me"),
                           "contact phone 'call me' is not a telephone number")):
        result = run(closed_task["url"], "report", "closure", *args, "--out", out, "--json",
                     LOOKBACK_DATA_DIR=closed_task["data"])
        assert result.exit_code == 1, (args, result.output)
        assert message in json_lines(result.stdout)[0]["error"], args


def test_settings_give_the_contact_when_nothing_else_does(closed_task: dict,
                                                         tmp_path: Path) -> None:
    engine = engine_for(Settings(database_url=closed_task["url"]))
    with engine.begin() as conn:
        made = tasks.create_task(conn, actor=LEADER, clock=fixed_clock(datetime(2022, 4, 1,
                                                                               tzinfo=UTC)),
                                 title="绿能环保发电项目")
        case_id = conn.execute(sa.text("SELECT id FROM cases WHERE reference = :r"),
                               {"r": reference(3)}).scalar_one()
        tasks.remove_cases(conn, task_id=closed_task["task"], case_ids=[case_id], actor=LEADER,
                           clock=fixed_clock())
        tasks.add_cases(conn, task_id=made, case_ids=[case_id], actor=LEADER,
                        clock=fixed_clock())
    out = tmp_path / "s.docx"
    result = run(closed_task["url"], "report", "closure", "--task", str(made), "--out",
                 str(out), "--json", LOOKBACK_DATA_DIR=closed_task["data"], LOOKBACK_NOW=NOW,
                 LOOKBACK_REPORT_CONTACT_PHONE="0576-80000000",
                 LOOKBACK_REPORT_ISSUER="中共某区委 某区人民政府")
    assert result.exit_code == 0, result.output
    texts = _texts(docx.Document(str(out)))
    assert texts[:2] == ["关于绿能环保发电项目整改任务销号评估报告", "一、整改任务"]
    assert ("联系人：区生态环境保护督察整改工作协调小组办公室；"
            "联系电话：0576-80000000。") in "\n".join(texts)
    assert texts[-2] == "中共某区委 某区人民政府"


def test_a_cases_own_contact_is_over_its_tasks(closed_task: dict, tmp_path: Path) -> None:
    """settings < task < case < argument: the case's phone over the task's, the command
    line's e-mail over both, the task's person where the case names none."""
    url = closed_task["url"]
    done = run(url, "cases", "contact", reference(1), "--user", "leader", "--phone",
               "0576-11112222", "--json")
    assert done.exit_code == 0, done.output
    assert json_lines(done.stdout)[0] == {"reference": reference(1), "person": None,
                                          "phone": "0576-11112222", "email": None}
    whole = "\n".join(_texts(_cli_report(closed_task, tmp_path, reference(1),
                                         "--contact-email", "case@jj.gov.cn")))
    assert ("联系人：区督察整改办 王明；联系电话：0576-11112222；电子邮箱：case@jj.gov.cn。"
            in whole)
    for user, extra, message in (("unit", (), "may not set the report's contact"),
                                 ("leader", ("--email", "no-at-sign"),
                                  "contact email 'no-at-sign' is not an e-mail address")):
        refused = run(url, "cases", "contact", reference(1), "--user", user, *extra, "--json")
        assert refused.exit_code == 1 and message in json_lines(refused.stdout)[0]["error"]
