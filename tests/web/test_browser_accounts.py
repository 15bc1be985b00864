"""In the browser (Debian Chromium, 1366 px and 360 px): an admin creates a grid officer bound
to two grid cells; the officer signs in and sees only those cells' cases. A reset password
works once shown; a disabled account cannot sign in."""

from __future__ import annotations

import sqlalchemy as sa

from geo.db import create_engine
from geo.layers import GRID_CELLS, SITES
from imagery.schema import photos
from inspections.schema import case_photos, case_sites, cases
from tests.web.browser import fits, nav_to, screenshot, serve, sign_in_page, sized_page
from web.settings import Settings

DESKTOP = {"width": 1366, "height": 900}


def _two_cells_with_cases(url: str) -> tuple[list[str], set[str], int]:
    """Two grid cells holding case photos, the references of those cells' cases, and how
    many cases there are in all."""
    cells = GRID_CELLS.table
    with create_engine(url).connect() as conn:
        by_cell = conn.execute(
            sa.select(cells.c.code, cases.c.reference)
            .join(photos, photos.c.grid_cell_id == cells.c.id)
            .join(case_photos, case_photos.c.photo_id == photos.c.id)
            .join(cases, cases.c.id == case_photos.c.case_id)
            .order_by(cells.c.code)).all()
        total = conn.execute(sa.select(sa.func.count()).select_from(cases)).scalar_one()
    codes = sorted({code for code, _ in by_cell})[:2]
    return codes, {ref for code, ref in by_cell if code in codes}, total


def _site_and_allowed_photos(url: str, codes: list[str], reference: str
                             ) -> tuple[str, set[int]]:
    """A site of the case, and the ids of the photos taken in the two grid cells."""
    cells, sites = GRID_CELLS.table, SITES.table
    with create_engine(url).connect() as conn:
        site = conn.execute(sa.select(sites.c.code)
                            .join(case_sites, case_sites.c.site_id == sites.c.id)
                            .join(cases, cases.c.id == case_sites.c.case_id)
                            .where(cases.c.reference == reference)).scalars().first()
        allowed = set(conn.execute(sa.select(photos.c.id)
                                   .join(cells, cells.c.id == photos.c.grid_cell_id)
                                   .where(cells.c.code.in_(codes))).scalars())
    return site, allowed


def _sign_in(page, base: str, name: str, password: str) -> None:  # noqa: ANN001
    page.goto(f"{base}/login")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")


def test_an_admin_binds_a_new_officer_to_two_cells(played, browser, phone) -> None:  # noqa: ANN001
    codes, expected, total = _two_cells_with_cases(played.env["url"])
    assert len(codes) == 2 and expected and len(expected) < total
    settings = Settings(database_url=played.env["url"], data_dir=played.env["data"])
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    admin = context.new_page()
    with serve(settings) as base:
        sign_in_page(admin, base, "admin")
        admin.goto(f"{base}/accounts")
        screenshot(admin, "accounts-list-1366")
        admin.click("text=新建账号")
        admin.fill("input[name=name]", "li.na")
        admin.fill("input[name=password]", "li-na-first-2022")
        admin.select_option("#role", "grid_officer")
        for code in codes:
            box = admin.locator(f"input[name=grid][value='{code}']")
            if not box.is_visible():
                admin.locator("details.town", has=box).locator("summary").click()
            box.check()
        assert admin.locator("input[name=agency]").is_hidden()  # only the officer's binding
        assert "提交后将创建该账号" in admin.locator("#create-confirm").inner_text()
        screenshot(admin, "accounts-new-officer-1366")
        fits(admin)
        admin.click("#account-form button[type=submit]")
        admin.wait_for_url(f"{base}/accounts?done=created&name=li.na")
        admin.locator("#accounts-message", has_text="已创建账号 li.na（网格员）").wait_for()
        row = admin.locator("tr[data-name='li.na']")
        assert f"{codes[0]}、{codes[1]}" in row.inner_text() and "启用" in row.inner_text()

        _sign_in(phone, base, "li.na", "li-na-first-2022")
        phone.wait_for_url(f"{base}/")
        phone.click(".tabs a[href='/cases']")
        phone.wait_for_url(f"{base}/cases")
        shown = set(phone.locator("#cases tbody tr td:first-child a").all_inner_texts())
        assert shown == expected
        screenshot(phone, "accounts-officer-cases-360")
        fits(phone)

        site, allowed = _site_and_allowed_photos(played.env["url"], codes, min(expected))
        officer = context.new_page()  # the map's photos, on the officer's desktop
        context.clear_cookies()
        _sign_in(officer, base, "li.na", "li-na-first-2022")
        officer.wait_for_url(f"{base}/")
        nav_to(officer, "/map")
        officer.wait_for_selector(".leaflet-container")
        officer.fill("#search", site)  # fly to a site of one of the officer's cases
        officer.locator("#search-results li").first.click()
        officer.locator(".leaflet-popup", has_text=site).wait_for()  # the flight has ended
        assert officer.locator(".lb-popup a.lb-issue").count() == 0  # officers issue no ticket
        officer.locator(".leaflet-control-layers").hover()  # open the layers control
        with officer.expect_response(lambda r: "/api/map/photos" in r.url) as answer:
            officer.locator(".leaflet-control-layers-overlays label",
                            has_text="照片").first.locator("input").check()
        seen = {f["properties"]["id"] for f in answer.value.json()["features"]
                if "id" in f["properties"]}
        assert seen and seen <= allowed  # only photos of the officer's two cells
        screenshot(officer, "accounts-officer-map-1366")
    context.close()


def test_a_reset_password_works_and_a_disabled_account_cannot_sign_in(  # noqa: ANN001
        fresh_demo_url: str, phone, browser) -> None:
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    admin = context.new_page()
    with serve(Settings(database_url=fresh_demo_url)) as base:
        sign_in_page(admin, base, "admin")
        admin.goto(f"{base}/accounts")
        admin.click("tr[data-name='unit'] a")
        assert "新密码只显示一次" in admin.locator(".confirm").first.inner_text()
        admin.click("#reset-password")
        password = admin.locator("#new-password").inner_text()
        assert "只在此页显示一次" in admin.locator(".notice").inner_text()
        screenshot(admin, "accounts-password-shown-1366")

        _sign_in(phone, base, "unit", "unit-demo-2022")  # the old password no longer works
        assert phone.locator("#login-error").inner_text() == "用户名或密码错误，请重试。"
        _sign_in(phone, base, "unit", password)
        phone.wait_for_url(f"{base}/")

        admin.click("text=返回账号 unit")
        assert "停用后，unit 立即退出登录" in admin.locator("form[action$='/disable']").inner_text()
        admin.click("#disable")
        admin.locator("#account-message", has_text="已停用账号 unit").wait_for()
        screenshot(admin, "accounts-disabled-1366")

        phone.goto(f"{base}/cases")  # the open session ended at once
        phone.wait_for_url(f"{base}/login?next=/cases")
        _sign_in(phone, base, "unit", password)
        assert phone.locator("#login-error").inner_text() == "用户名或密码错误，请重试。"
        screenshot(phone, "accounts-disabled-login-360")
        fits(phone)

        with sized_page(browser, "360") as small:  # the officer becomes a unit's clerk
            sign_in_page(small, base, "admin")
            small.goto(f"{base}/accounts/officer")
            small.click("#change-role")
            assert small.locator("#role").input_value() == "grid_officer"
            small.select_option("#role", "unit")
            assert small.locator("#grid-cells").is_hidden()
            small.fill("input[name=unit]", "区水务局")
            assert "下次打开页面即按新角色" in small.locator("#change-confirm").inner_text()
            fits(small)
            screenshot(small, "accounts-change-role-360")
            small.click("#account-form button[type=submit]")
            small.locator("#account-message", has_text="已修改账号 officer").wait_for()
            assert "责任单位：区水务局" in small.locator(".facts").inner_text()
    context.close()
