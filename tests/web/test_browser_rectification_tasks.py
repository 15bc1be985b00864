"""Rectification tasks in the browser (issue 14): at 1366 px a leader makes the task of the
demo's 45 sites from their references; the acceptance group's 整体验收 is refused naming the
case still being rectified, then (that case caught up) accepts all 45 with one photo; the
assessment group assesses them all, the leader publicises them and, past the notice, closes
them. At 360 px the task list reads as cards with nothing sideways."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from geo.layers import SITES
from imagery.demo_photos import PhotoSpec, write_photo
from inspections import workflow
from inspections.cases import find_case
from inspections.rectification_tasks import create_task
from tests.inspections.builders import LEADER, T0, UNIT, photo_ids
from tests.inspections.builders import clock as fixed_clock
from tests.inspections.task_builders import KINDS, TITLE, open_cases, reference
from tests.web.assessment_files import pdf_bytes
from tests.web.browser import fits, screenshot, serve, sign_in_page
from web.database import engine_for
from web.settings import Settings

WIDTHS = {"1366": {"width": 1366, "height": 900}, "360": {"width": 360, "height": 740}}
CONCLUSION = "经评估，该项整改任务措施已落实，达到整改目标要求，符合销号条件。"


def _world(url: str, tmp_path: Path, lagging: dict[int, str]) -> tuple[Path, object]:
    """The demo's 45 sites with a case each, rectified (but the lagging ones)."""
    data = tmp_path / "store"
    engine = engine_for(Settings(database_url=url, data_dir=data))
    p = photo_ids(engine, tmp_path, 3)
    t = SITES.table
    with engine.begin() as conn:
        sites = [(r.id, r.kind) for r in conn.execute(
            sa.select(t.c.id, t.c.kind).where(t.c.kind.in_(list(KINDS))).order_by(t.c.code))]
        open_cases(conn, fixed_clock(), sites, lagging=lagging,
                   photos={"rectification": p[:2], "acceptance": p[2:]})
    return data, (engine, p)


def _page(browser, viewport: dict, base: str, name: str):  # noqa: ANN001, ANN202
    context = browser.new_context(viewport=viewport, locale="zh-CN",
                                  is_mobile=viewport["width"] < 400)
    page = context.new_page()
    sign_in_page(page, base, name)
    return page




def _step(page, name: str, *, fill: dict | None = None, files: list[str] | None = None,  # noqa: ANN001
          shot: str | None = None) -> None:
    step = page.locator(f"details#step-{name}")
    if step.get_attribute("open") is None:
        step.locator("summary").click()
    form = step.locator("form")
    for field, value in (fill or {}).items():
        form.locator(f"[name={field}]").fill(value)
    if files:
        form.locator("input[type=file]").set_input_files(files)
    assert form.locator(".confirm").inner_text().startswith("提交后")
    if shot:
        screenshot(page, shot)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def _by_state(page) -> str:  # noqa: ANN001
    return page.locator("#rtask-by-state").inner_text()


@pytest.mark.parametrize("tag", ["1366"])
def test_the_task_page_takes_each_step_on_all_45_cases(fresh_demo_url: str, browser,  # noqa: ANN001
                                                       tmp_path: Path, tag: str) -> None:
    viewport = WIDTHS[tag]
    data, (engine, p) = _world(fresh_demo_url, tmp_path, {17: "rectifying"})
    shot = write_photo(PhotoSpec("accept.jpg", 121.4, 28.7, T0, seed=8101), tmp_path)
    report = tmp_path / "评估报告.pdf"
    report.write_bytes(pdf_bytes())
    with serve(Settings(database_url=fresh_demo_url, data_dir=data, now=T0)) as base:
        leader = _page(browser, viewport, base, "leader")
        leader.goto(f"{base}/rectification-tasks")
        leader.click("#new-rtask")
        form = leader.locator("#new-rtask-form")
        for field, value in (("title", TITLE), ("inspection", "2018年“回头看”"),
                             ("serial", "12"),
                             ("cases", "\n".join(reference(n) for n in range(1, 46))),
                             ("contact_person", "王明"), ("contact_phone", "0576-88001234"),
                             ("contact_email", "zgb@example.gov.cn")):
            form.locator(f"[name={field}]").fill(value)
        screenshot(leader, f"rtask-new-{tag}")
        with leader.expect_navigation():
            form.locator("button[type=submit]").click()
        task_url = leader.url
        assert leader.locator("#rtask-title").inner_text() == TITLE
        assert leader.locator("#rtask-serial").inner_text() == "2018年“回头看” · 督察序号12"
        assert leader.locator("#rtask-cases tbody tr").count() == 45
        assert leader.locator("#closure-report button").inner_text() == "生成整改任务销号评估报告"
        fits(leader)

        acceptor = _page(browser, viewport, base, "acceptor")
        acceptor.goto(task_url)
        assert acceptor.locator("#actions summary").all_inner_texts() == ["整体验收"]
        _step(acceptor, "accept", files=[str(shot)], shot=f"rtask-accept-{tag}")
        error = acceptor.locator("details#step-accept #case-error").inner_text()
        assert error.startswith(f"案件 {reference(17)} 不能验收：该案件当前为“整改中”")
        assert "已整改待验收 44" in _by_state(acceptor) and "整改中 1" in _by_state(acceptor)
        screenshot(acceptor, f"rtask-refused-{tag}")
        fits(acceptor)
        with engine.begin() as conn:  # the 17th site catches up
            workflow.claim_rectified(conn, case_id=find_case(conn, reference(17)).id,
                                     actor=UNIT, clock=fixed_clock(), photo_ids=p[:2])
        acceptor.goto(task_url)
        _step(acceptor, "accept", files=[str(shot)], fill={"note": "验收工作小组现场核查"})
        assert _by_state(acceptor) == "已验收 45"

        assessor = _page(browser, viewport, base, "assessor")
        assessor.goto(task_url)
        _step(assessor, "assess", fill={"conclusion": CONCLUSION}, files=[str(report)])
        assert _by_state(assessor) == "已评估待公示 45"
        leader.goto(task_url)
        _step(leader, "publicise", fill={"days": "5"})
        assert _by_state(leader) == "公示中 45"
        assert leader.locator("#step-close").count() == 0  # the notice period runs
    with serve(Settings(database_url=fresh_demo_url, data_dir=data,
                        now=T0 + timedelta(days=6))) as later:
        leader = _page(browser, viewport, later, "leader")
        leader.goto(task_url.replace(base, later))
        _step(leader, "close", fill={"note": "公示期满无异议"})
        assert _by_state(leader) == "已销号 45"
        assert leader.locator("#rtask-state").inner_text().startswith("已销号")
        screenshot(leader, f"rtask-closed-{tag}")
        fits(leader)


@pytest.mark.parametrize("tag", ["360"])
def test_the_task_list_on_a_phone(fresh_demo_url: str, browser, tmp_path: Path,  # noqa: ANN001
                                  tag: str) -> None:
    viewport = WIDTHS[tag]
    data, (engine, _) = _world(fresh_demo_url, tmp_path, {})
    with engine.begin() as conn:
        ids = [find_case(conn, reference(n)).id for n in range(1, 46)]
        create_task(conn, actor=LEADER, clock=fixed_clock(), title=TITLE,
                    inspection="2018年“回头看”", serial="12", case_ids=ids)
        create_task(conn, actor=LEADER, clock=fixed_clock(), title="绿能环保发电项目建设滞后")
    with serve(Settings(database_url=fresh_demo_url, data_dir=data, now=T0)) as base:
        leader = _page(browser, viewport, base, "leader")
        leader.goto(f"{base}/rectification-tasks")
        assert leader.locator("#rtask-count").inner_text() == "共 2 项"
        rows = leader.locator("#rtasks tbody tr")
        assert rows.count() == 2
        assert "45 处点位 · 45 件案件" in rows.nth(1).inner_text()
        assert "已整改待验收" in rows.nth(1).inner_text()
        screenshot(leader, f"rtask-list-{tag}")
        fits(leader)
        rows.nth(1).locator("a").click()
        leader.wait_for_url(f"{base}/rectification-tasks/*")
        screenshot(leader, f"rtask-page-{tag}")
        fits(leader)
