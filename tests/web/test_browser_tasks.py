"""In the browser: the tasks page shows a failed job's readable error and retries it (the
frame's panel then says 正在处理 1 项); once the job has run, the panel's poll hides it and
the page offers the result. Jobs run in this process, through the runners' own attempt."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import expect

from geo.db import create_engine
from geo.migrate import upgrade
from tests.conftest import ALL_VERSIONS
from tests.web.browser import screenshot, serve, sign_in_page
from tests.web.jobs_worker import FAST
from web.accounts.users import add_user, find_user
from web.jobs import records, submit
from web.jobs.attempt import run_claimed
from web.jobs.local import claim_token
from web.settings import Settings


def _run_one(settings: Settings) -> str:
    engine = create_engine(settings.database_url)
    token = claim_token()
    with engine.begin() as conn:
        job_id = records.claim_next(conn, now=datetime.now(UTC), lease=30, token=token)
    engine.dispose()
    assert job_id is not None
    return run_claimed(settings, job_id, token).state


@pytest.fixture(scope="module")
def leader_url(module_database_url: str) -> str:
    """A database with the schema and one account, leader (no demo: the page needs none)."""
    engine = create_engine(module_database_url)
    upgrade(engine, ALL_VERSIONS)
    with engine.begin() as conn:
        add_user(conn, name="leader", password="leader-demo-2022", role="leader",
                 now=datetime.now(UTC))
    engine.dispose()
    return module_database_url


@pytest.mark.parametrize("width", ["360", "1366"])
def test_the_tasks_page_and_panel(leader_url: str, width: str, phone, desktop,  # noqa: ANN001
                                  tmp_path: Path) -> None:
    page = phone if width == "360" else desktop
    settings = Settings(database_url=leader_url, data_dir=tmp_path, **FAST)
    engine = create_engine(leader_url)
    with engine.connect() as conn:
        leader = find_user(conn, "leader")[0].id
    engine.dispose()
    job = submit(engine, settings, kind="test_fails_once", title="导出 G 盘",
                 params={"disk": "G:"}, user_id=leader)
    assert _run_one(settings) == "failed"
    with serve(settings) as base:
        sign_in_page(page, base, "leader")
        assert page.locator("#jobs-panel").is_hidden()
        page.goto(f"{base}/tasks")
        card = page.locator(f"#job-{job}")
        expect(card.locator(".chip")).to_have_text("失败")
        expect(card.locator(".job-error")).to_contain_text("「导出 G 盘」处理出错")
        screenshot(page, f"tasks-failed-{width}")
        card.get_by_role("button", name="重试").click()
        page.wait_for_url(f"{base}/tasks")
        expect(card.locator(".chip")).to_have_text("排队中")
        expect(page.locator("#jobs-panel")).to_have_text("正在处理 1 项")
        assert page.evaluate("document.documentElement.scrollWidth") <= int(width)
        screenshot(page, f"tasks-queued-{width}")
        counted = submit(engine, settings, kind="test_count", title="数到二", params={"n": 2},
                         user_id=leader)
        page.reload()
        expect(page.locator("#jobs-panel")).to_have_text("正在处理 2 项")
        assert _run_one(settings) == "failed" and _run_one(settings) == "succeeded"
        expect(page.locator("#jobs-panel")).to_be_hidden(timeout=10_000)  # its poll saw it
        page.reload()
        expect(page.locator(f"#job-{counted} .chip")).to_have_text("已完成")
        expect(page.locator(f"#job-{job} .chip")).to_have_text("失败")
