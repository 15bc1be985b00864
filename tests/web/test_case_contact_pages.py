"""A case's own contact for its closure report, set in the browser by a leader or an admin:
what the case page names (the settings' until set), the form with what holds where a field is
left empty, each refusal in Chinese beside its field with nothing stored, other roles refused."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import sqlalchemy as sa

from geo.db import create_engine
from inspections.clock import FixedClock
from inspections.schema import cases
from tests.inspections.builders import new_case
from tests.web.browser import screenshot, serve, sign_in_page, sized_page
from tests.web.client import client_for, csrf, sign_in
from web.database import engine_for
from web.security import CSRF_FIELD
from web.settings import Settings

NOW = datetime(2022, 12, 20, 2, 0, tzinfo=UTC)
DEFAULT = "区生态环境保护督察整改工作协调小组办公室"  # the settings' contact person


def _case(url: str) -> str:
    """A new case in the demo district; its reference."""
    engine = engine_for(Settings(database_url=url))
    with engine.begin() as conn:
        new_case(conn, FixedClock(NOW), reference="DC-2022-01")
    engine.dispose()
    return "DC-2022-01"


def _stored(url: str, reference: str) -> tuple:
    with create_engine(url).connect() as conn:
        return tuple(conn.execute(sa.select(cases.c.contact_person, cases.c.contact_phone,
                                            cases.c.contact_email)
                                  .where(cases.c.reference == reference)).one())


def _signed_in(url: str, name: str):  # noqa: ANN202
    client = client_for(url)
    assert sign_in(client, name).status_code == 303
    return client


def test_a_leader_names_the_cases_contact(fresh_demo_url: str) -> None:
    reference = _case(fresh_demo_url)
    leader = _signed_in(fresh_demo_url, "leader")
    page = leader.get(f"/cases/{reference}").text
    shown = re.search(r'id="case-contact">(.*?)</dd>', page, re.S).group(1)
    assert DEFAULT in shown and f'href="/cases/{reference}/contact"' in shown
    form = leader.get(f"/cases/{reference}/contact").text
    assert f"联系人 {DEFAULT}" in form  # what holds where a field is left empty
    saved = leader.post(f"/cases/{reference}/contact", data={
        CSRF_FIELD: csrf(leader), "person": "王芳", "phone": "0576-88888888", "email": ""})
    assert saved.status_code == 303
    assert "已保存本案件的报告联系人。" in leader.get(saved.headers["location"]).text
    assert _stored(fresh_demo_url, reference) == ("王芳", "0576-88888888", None)
    shown = re.search(r'id="case-contact">(.*?)</dd>', leader.get(f"/cases/{reference}").text,
                      re.S).group(1)
    assert "王芳 · 0576-88888888" in shown


def test_a_bad_contact_is_named_beside_its_field_and_nothing_stored(fresh_demo_url: str
                                                                     ) -> None:
    reference = _case(fresh_demo_url)
    admin = _signed_in(fresh_demo_url, "admin")
    for field, value, message in (("phone", "call me", "请填写有效的联系电话"),
                                  ("email", "wang@", "请填写有效的电子邮箱"),
                                  ("person", "王" * 101, "联系人不超过 100 个字")):
        data = {CSRF_FIELD: csrf(admin), "person": "王芳", "phone": "", "email": ""}
        page = admin.post(f"/cases/{reference}/contact", data=data | {field: value})
        assert page.status_code == 422
        beside = re.search(rf'name="{field}".*?<span class="field-error" role="alert">([^<]+)<',
                           page.text, re.S)
        assert beside and message in beside.group(1), page.text
        assert 'value="王芳"' in page.text or field == "person"  # what was typed is kept
        assert _stored(fresh_demo_url, reference) == (None, None, None)


def test_other_roles_and_forged_posts_are_refused(fresh_demo_url: str) -> None:
    reference = _case(fresh_demo_url)
    unit = _signed_in(fresh_demo_url, "unit")
    assert 'id="case-contact"' not in unit.get(f"/cases/{reference}").text
    assert unit.get(f"/cases/{reference}/contact").status_code in (403, 404)
    refused = unit.post(f"/cases/{reference}/contact",
                        data={CSRF_FIELD: csrf(unit), "person": "王芳"})
    assert refused.status_code in (403, 404)
    leader = _signed_in(fresh_demo_url, "leader")
    assert leader.post(f"/cases/{reference}/contact", data={"person": "王芳"}).status_code == 403
    assert leader.get("/cases/NO-SUCH-CASE/contact").status_code == 404
    assert _stored(fresh_demo_url, reference) == (None, None, None)


def test_in_the_browser_at_both_widths(fresh_demo_url: str, browser) -> None:  # noqa: ANN001
    reference = _case(fresh_demo_url)
    with serve(Settings(database_url=fresh_demo_url)) as base:
        for width, person in (("360", "王芳"), ("1366", "李强")):
            with sized_page(browser, width) as page:
                sign_in_page(page, base, "leader")
                page.goto(f"{base}/cases/{reference}")
                page.click("#set-contact")
                page.fill("input[name=person]", person)
                page.fill("input[name=phone]", "0576 8888")
                screenshot(page, f"case-contact-{width}")
                page.click("#contact-form button[type=submit]")
                page.locator("#contact-saved").wait_for()
                width_px = int(width)
                assert page.evaluate("document.documentElement.scrollWidth") <= width_px
                page.click(f"text=返回案件 {reference}")
                assert f"{person} · 0576 8888" in page.locator("#case-contact").inner_text()
