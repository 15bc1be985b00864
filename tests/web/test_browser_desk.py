"""In the browser, at 1366 px and 360 px: each role's work desk on the demo scenario (a card's
number is the length of the list it opens), and the bell: the acceptance group's decision
raises the unit's count, opening the notifications lowers it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.scenario import Played
from tests.web.browser import PHONE, fits, screenshot, serve, sign_in_page
from tests.web.desk_work import NOW, make_work
from web.settings import Settings

WIDE = {"width": 1366, "height": 800}
ROWS = {"/cases": "#cases tbody tr", "/tickets": "#tickets tbody tr", "/review": "#queue li",
        "/desk/": ".desk-item"}
ROLES = {"unit": "unit", "inspector": "inspector", "leader": "leader",
         "officer": "grid_officer", "admin": "admin", "acceptor": "acceptor",
         "assessor": "assessor"}



def _frame_fits(page, name: str) -> None:  # noqa: ANN001
    """At 1366 px the top bar's entries hold one line (the rest fold under 更多); at 360 px
    each bottom tab's name holds one line, whole, and the tabs' 更多 opens every other page
    of the role inside the screen."""
    if page.width == "1366":
        tops = page.locator(".topnav > a, .topnav > details").evaluate_all(
            "els => els.map(e => Math.round(e.getBoundingClientRect().top))")
        assert len(set(tops)) == 1, tops
        return
    lines = page.locator(".tabs > a").evaluate_all(
        "els => els.filter(e => !e.children.length).map(e => {"
        " const r = document.createRange(); r.selectNodeContents(e);"
        " return [e.textContent, r.getClientRects().length, e.scrollWidth <= e.clientWidth]; })")
    assert len(lines) >= 2 and all(n == 1 and whole for _, n, whole in lines), lines
    more = page.locator(".tabs .more")
    if more.count() == 0:
        return
    more.locator("summary").click()
    box = more.locator(".more-menu").bounding_box()
    assert box["x"] >= 0 and box["y"] >= 0 and box["x"] + box["width"] <= 360, box
    assert more.locator(".more-menu a").count() >= 1
    screenshot(page, f"desk-{name}-360-more", full_page=False)  # the open menu
    more.locator("summary").click()


def _rows(href: str) -> str:
    return next(sel for prefix, sel in ROWS.items() if href.startswith(prefix))


def _biggest_card(page):  # noqa: ANN001, ANN202
    """The card with the largest number that opens a list (the admin's accounts excepted)."""
    cards = page.locator(".todo-card")
    found = [(int(cards.nth(i).locator(".todo-count").inner_text()), i)
             for i in range(cards.count())
             if cards.nth(i).get_attribute("href") != "/accounts"]
    return cards.nth(max(found)[1]) if found else None


@pytest.mark.parametrize("name", list(ROLES))
def test_each_roles_desk_and_a_card_opening_its_list(played: Played, page, name: str) -> None:  # noqa: ANN001
    settings = Settings(database_url=played.env["url"], data_dir=played.env["data"],
                        now=played.env["now"])
    with serve(settings) as base:
        sign_in_page(page, base, name)
        assert page.locator("h1").inner_text() == "工作台"
        assert page.locator(".todo-card").count() >= 1
        assert "2022年12月20日" in page.locator("#who").inner_text()
        fits(page)
        _frame_fits(page, name)
        screenshot(page, f"desk-{name}-{page.width}")
        card = _biggest_card(page)
        if card is None:
            return
        number = int(card.locator(".todo-count").inner_text())
        label = card.locator(".todo-label").inner_text()
        href = card.get_attribute("href")
        card.click()
        page.wait_for_load_state()
        assert page.locator(_rows(href)).count() == number, (label, href)
        fits(page)
        screenshot(page, f"desk-{name}-{page.width}-list")


def test_a_decision_rings_the_units_bell_and_reading_silences_it(
        fresh_demo_url: str, tmp_path: Path, browser) -> None:  # noqa: ANN001
    work = make_work(fresh_demo_url, tmp_path)
    settings = Settings(database_url=work.url, data_dir=str(tmp_path / "store"),
                        now=NOW.isoformat())
    phone = browser.new_context(viewport=PHONE, locale="zh-CN", device_scale_factor=2,
                                is_mobile=True, has_touch=True).new_page()
    desk = browser.new_context(viewport=WIDE, locale="zh-CN").new_page()
    with serve(settings) as base:
        sign_in_page(phone, base, "unit")
        bell = phone.locator(".tabs .bell .bell-count")
        before = int(bell.inner_text())
        assert before > 0
        screenshot(phone, "bell-unit-360-before")
        sign_in_page(desk, base, "acceptor")
        inspector_bell = int(desk.locator(".tools .bell .bell-count").inner_text())
        desk.locator("#card-acceptances").click()
        desk.locator(f"a:text-is('{work.claimed}')").first.click()
        desk.locator("details#step-return summary").click()  # the case page's 退回整改
        desk.fill("details#step-return textarea[name=note]", "渗滤液收集池未加盖，请整改")
        with desk.expect_navigation():
            desk.click("details#step-return button[type=submit]")
        assert int(desk.locator(".tools .bell .bell-count").inner_text()) == inspector_bell
        phone.reload()
        assert int(bell.inner_text()) == before + 1
        phone.locator(".tabs .bell").click()
        phone.locator("#notes").wait_for()
        first = phone.locator("#notes li").first
        assert "案件 T-CLAIMED 被退回整改" in first.inner_text()
        assert "unread" in first.get_attribute("class")
        assert phone.locator("#notes li.unread").count() == before + 1
        fits(phone)
        screenshot(phone, "notifications-unit-360")
        assert phone.locator(".tabs .bell .bell-count").count() == 0
        phone.locator(".tabs a[href='/']").click()
        phone.locator("#todos").wait_for()
        assert phone.locator(".tabs .bell .bell-count").count() == 0
        desk.goto(f"{base}/notifications")
        fits(desk)
        screenshot(desk, "notifications-acceptor-1366")
    phone.context.close()
    desk.context.close()
