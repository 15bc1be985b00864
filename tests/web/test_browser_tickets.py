"""In the browser, at 1366 px and at 360 px, clicking and typing only: a leader issues a
supervision ticket; the unit answers it with a photo; the leader returns it; the unit answers
again; the leader verifies it (issue 12, acceptance 2). Each side's bell rises with the other's
step and falls once its notifications are read."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.imagery.images import exif_bytes, jpeg
from tests.web.browser import PHONE, fits, screenshot, serve, sign_in_page
from tests.web.client import inside_town
from web.accounts.demo import DEMO_TOWN, DEMO_UNIT
from web.settings import Settings

NOW = datetime(2022, 6, 1, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
WIDTHS = {"1366": {"viewport": {"width": 1366, "height": 800}},
          "360": {"viewport": PHONE, "device_scale_factor": 2, "is_mobile": True,
                  "has_touch": True}}


@contextmanager
def _person(browser, width: str, base: str, name: str) -> Iterator[object]:  # noqa: ANN001
    """A signed-in page of its own (its own cookies) at the width."""
    context = browser.new_context(locale="zh-CN", **WIDTHS[width])
    page = context.new_page()
    sign_in_page(page, base, name)
    try:
        yield page
    finally:
        context.close()


def _bell(page) -> int:  # noqa: ANN001
    """The unread count the bell shows (none shown: 0)."""
    count = page.locator(".bell-count >> visible=true")
    return int(count.inner_text()) if count.count() else 0


def _read_bell(page, before: int, says: str) -> int:  # noqa: ANN001
    """The bell, seen after a reload, shows one more than `before`; opening it shows what
    happened (`says`) as new, and afterwards it shows none. Returns the new baseline, 0."""
    page.reload()
    assert _bell(page) == before + 1
    page.click(".bell >> visible=true")
    page.locator("#notes .note.unread", has_text=says).wait_for()
    page.reload()
    assert _bell(page) == 0
    return 0


def _open_tickets(page) -> None:  # noqa: ANN001
    page.click("a[href='/tickets'] >> visible=true")
    page.wait_for_selector("#ticket-filters")


def _open_ticket(page, number: str) -> None:  # noqa: ANN001
    _open_tickets(page)
    page.fill("input[name=q]", number)
    page.click("#ticket-filters button[type=submit]")
    page.click(f"#tickets a:text-is('{number}')")
    page.wait_for_selector("#ticket-history")


def _issue(leader, width: str) -> str:  # noqa: ANN001
    _open_tickets(leader)
    leader.click("#issue-ticket")
    leader.fill("input[name=responsible_unit]", DEMO_UNIT)
    leader.fill("input[name=deadline]", "2022-06-15")
    leader.click("#issue-form button[type=submit]")  # the request forgotten
    error = leader.locator("label.has-error .field-error")
    assert error.inner_text() == "请填写督办事项：要求责任单位做什么。"
    assert leader.input_value("input[name=responsible_unit]") == DEMO_UNIT  # kept
    fits(leader)
    screenshot(leader, f"ticket-issue-error-{width}")
    leader.fill("textarea[name=request]", "请核查东侧堆场扬尘，覆盖裸土并报送整改照片")
    leader.click("#issue-form button[type=submit]")
    leader.wait_for_selector("#ticket-done")
    number = leader.locator("#ticket-number").inner_text()
    assert leader.locator("#ticket-done").inner_text() == (
        f"督办单 {number} 已下发给{DEMO_UNIT}。")
    assert leader.locator("#ticket-state").inner_text() == "已下发"
    assert leader.locator("#ticket-deadline").inner_text() == "2022年6月15日 （剩余 14 天）"
    assert leader.locator("#ticket-steps").count() == 0  # nothing for the leader to do yet
    fits(leader)
    screenshot(leader, f"ticket-issued-{width}")
    return number


def _answer(unit, number: str, text: str, photo: Path | None, width: str,  # noqa: ANN001
            shot: str) -> None:
    _open_ticket(unit, number)
    assert unit.locator("#step-respond").get_attribute("open") is not None
    unit.click("#step-respond button[type=submit]")  # nothing typed
    unit.locator(".field-error", has_text="请填写答复内容").wait_for()
    if photo is not None:
        unit.set_input_files("#step-respond input[type=file]", str(photo))
    unit.fill("textarea[name=response]", text)
    fits(unit)
    screenshot(unit, f"{shot}-form-{width}")
    unit.click("#step-respond button[type=submit]")
    unit.wait_for_selector("#ticket-done")
    assert unit.locator("#ticket-done").inner_text() == f"督办单 {number} 已答复，等待核实。"
    assert unit.locator("#ticket-state").inner_text() == "已反馈"
    assert unit.locator("#ticket-steps").count() == 0
    fits(unit)
    screenshot(unit, f"{shot}-{width}")


@pytest.mark.parametrize("width", ["1366", "360"])
def test_a_ticket_issued_answered_returned_answered_and_verified(
        fresh_demo_url: str, browser, tmp_path: Path, width: str) -> None:  # noqa: ANN001
    lon, lat = inside_town(fresh_demo_url, DEMO_TOWN)
    photo = jpeg(tmp_path / "IMG_2001.jpg", seed=2001, exif=exif_bytes(lon=lon, lat=lat))
    settings = Settings(database_url=fresh_demo_url, data_dir=tmp_path / "data", now=NOW)
    with (serve(settings) as base, _person(browser, width, base, "leader") as leader,
          _person(browser, width, base, "unit") as unit):
        unit_bell = _bell(unit)
        number = _issue(leader, width)
        leader_bell = _bell(leader)  # the leader's own step does not ring the leader's bell
        unit_bell = _read_bell(unit, unit_bell, f"收到新督办单 {number}")
        screenshot(unit, f"ticket-bell-read-{width}")
        _answer(unit, number, "已覆盖裸土 1200 平方米", photo, width, "ticket-answered")
        assert unit.locator("#ticket-photos img").count() == 1
        assert _bell(unit) == unit_bell
        leader_bell = _read_bell(leader, leader_bell, f"督办单 {number} 已答复")

        _open_ticket(leader, number)
        leader.click("#step-return summary")
        leader.fill("input[name=deadline]", "2022-05-30")  # before today
        leader.click("#step-return button[type=submit]")
        leader.locator(".field-error", has_text="请填写退回理由").wait_for()
        assert leader.locator(".field-error", has_text="办理时限不能早于今天（2022年6月1日）"
                              ).count() == 1
        leader.fill("textarea[name=reason]", "照片未见东侧堆场，请补充全景照片")
        leader.fill("#step-return input[name=deadline]", "2022-06-10")
        leader.click("#step-return button[type=submit]")
        leader.wait_for_selector("#ticket-done")
        assert leader.locator("#ticket-done").inner_text() == (
            f"督办单 {number} 已退回重办，新的办理时限为 2022年6月10日。")
        assert leader.locator("#ticket-state").inner_text() == "退回重办"
        fits(leader)
        screenshot(leader, f"ticket-returned-{width}")

        unit_bell = _read_bell(unit, unit_bell, f"督办单 {number} 被退回重办")
        _open_ticket(unit, number)
        assert "已被退回重办" in unit.inner_text("main")
        assert "照片未见东侧堆场" in unit.locator("#ticket-history").inner_text()
        _answer(unit, number, "已补充东侧堆场全景照片", None, width, "ticket-answered-again")

        leader_bell = _read_bell(leader, leader_bell, f"督办单 {number} 已答复")
        _open_ticket(leader, number)
        assert leader.locator("#ticket-response").inner_text().startswith("已补充东侧堆场全景照片")
        leader.click("#step-verify summary")
        leader.fill("textarea[name=note]", "现场核实属实")
        leader.click("#step-verify button[type=submit]")
        leader.wait_for_selector("#ticket-done")
        assert leader.locator("#ticket-state").inner_text() == "已核实"
        assert leader.locator("#ticket-steps").count() == 0
        assert _bell(leader) == leader_bell
        _read_bell(unit, unit_bell, f"督办单 {number} 已核实")
        steps = leader.locator("#ticket-history li strong").all_inner_texts()
        assert steps == ["下发督办单", "答复", "退回重办", "答复", "核实办结"]
        history = leader.locator("#ticket-history").inner_text()
        assert "2022年6月1日 10:00 · leader（领导）" in history
        assert "UTC" not in history and "ticket." not in history
        fits(leader)
        screenshot(leader, f"ticket-verified-{width}")
        _open_tickets(leader)
        leader.select_option("select[name=state]", "verified")
        leader.click("#ticket-filters button[type=submit]")
        assert leader.locator("#ticket-count").inner_text() == "共 1 个"
        assert leader.locator("#tickets tbody tr").inner_text().startswith(number)
        fits(leader)
        screenshot(leader, f"ticket-list-{width}")

        _open_tickets(unit)
        unit.check("input[name=overdue]")
        unit.click("#ticket-filters button[type=submit]")
        assert unit.locator("#tickets-empty").inner_text().startswith("没有符合条件的督办单")
        fits(unit)
        screenshot(unit, f"ticket-list-empty-{width}")
