"""Issue 12, acceptance 1 and 5, in the browser at 1366 px and at 360 px: a leader opens a
feedback problem with two measures; the unit starts it, completes both measures with photos
and claims it rectified; the acceptance group returns it, the unit claims again, the
acceptance group accepts with photos; the assessment group assesses it with its conclusion
and a PDF (refused first without a document, the conclusion kept); the leader publicises it
for 5 days, a citizen objects on /public and
the leader rejects the objection; past the notice period the leader closes it and the page
shows the whole history in Chinese. A month later a look-back round decided as recurred
reopens the case with a deadline in the future, and the unit finds it in its case list."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from geo.db import create_engine
from geo.layers import SITES
from imagery.demo_photos import PhotoSpec, write_photo
from inspections.demo.people import AGENCY
from tests.web.browser import fits, screenshot, serve, sign_in_page
from web.accounts.demo import DEMO_UNIT
from web.settings import Settings

T0 = datetime(2022, 6, 1, 2, 0, tzinfo=UTC)  # 10:00 in the district
REF = "DC-2022-31"
WIDTHS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 360, "height": 740}}
HISTORY = ("立案", "开始整改", "完成措施", "申请验收", "退回整改", "验收通过", "销号评估",
           "公示", "记录异议", "驳回异议", "销号")
CONCLUSION = "经评估，该项整改任务措施已落实，达到整改目标要求，符合销号条件。"


def _first_site(url: str) -> tuple[str, object]:
    """The first demo site's code and shape: the case's site, where the photos are taken."""
    engine = create_engine(url)
    with engine.connect() as conn:
        code, geom = conn.execute(sa.select(SITES.table.c.code, SITES.table.c.geom)
                                  .order_by(SITES.table.c.id)).first()
    engine.dispose()
    return code, geom


def _site_point(url: str) -> tuple[float, float]:
    """A point on the first demo site, where the photos are taken."""
    geom = _first_site(url)[1]
    point = geom.representative_point()
    return point.x, point.y


class Photos:
    """Real geotagged JPEGs made on demand, each different."""

    def __init__(self, folder: Path, lon: float, lat: float) -> None:
        self.folder, self.lon, self.lat, self.n = folder, lon, lat, 0

    def __call__(self, count: int, at: datetime) -> list[str]:
        made = []
        for _ in range(count):
            self.n += 1
            made.append(str(write_photo(PhotoSpec(f"p{self.n}.jpg", self.lon, self.lat, at,
                                                  seed=7000 + self.n), self.folder)))
        return made


def _page(browser, viewport: dict, base: str, name: str | None):  # noqa: ANN001, ANN202
    context = browser.new_context(viewport=viewport, locale="zh-CN",
                                  is_mobile=viewport["width"] < 400)
    page = context.new_page()
    if name:
        sign_in_page(page, base, name)
    return page


def _step(page, name: str, *, fill: dict | None = None, select: dict | None = None,  # noqa: ANN001
          photos: list[str] | None = None, shot: str | None = None) -> None:
    """Open the step's form from its button, fill it and submit it; wait for the page."""
    step = page.locator(f"details#step-{name}")
    if step.get_attribute("open") is None:  # a refused step comes back open
        step.locator("summary").click()
    form = step.locator("form")
    for field, value in (fill or {}).items():
        form.locator(f"[name={field}]").fill(value)
    for field, value in (select or {}).items():
        form.locator(f"[name={field}]").select_option(value)
    if photos:
        form.locator("input[type=file]").set_input_files(photos)
    assert form.locator(".confirm").inner_text().startswith("提交后")
    if shot:
        screenshot(page, shot)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def _button_locks(page) -> None:  # noqa: ANN001
    """A submit event (dispatched, so nothing is sent) locks the form's button and shows
    progress, so it cannot be pressed twice."""
    page.locator("details#step-start summary").click()
    page.locator("details#step-start form").dispatch_event("submit")
    button = page.locator("details#step-start button[type=submit]")
    assert button.is_disabled() and button.inner_text() == "正在提交…"
    page.reload()




def _open_case(page, base: str, viewport: dict, tag: str, site: str) -> None:  # noqa: ANN001
    page.goto(f"{base}/cases")
    page.click("#new-case")
    form = page.locator("#new-case-form")
    form.locator("input[name=source][value=inspection_feedback]").check()
    values = {"inspection": "第二轮中央生态环境保护督察", "reference": REF,
              "title": "前岙垃圾填埋场渗滤液未收集", "target": "完成封场和渗滤液收集处理",
              "measures": "建设渗滤液收集池\n完成封场覆土", "deadline": "2022-09-30",
              "responsible_unit": DEMO_UNIT, "leader": "张副区长", "agency": AGENCY,
              "sites": site}
    for field, value in values.items():
        form.locator(f"[name={field}]").fill(value)
    form.locator("input[name=key_case]").check()
    screenshot(page, f"case-new-{tag}")
    fits(page)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert page.url.endswith(f"/cases/{REF}")
    assert "2022年9月30日" in page.locator("#case-facts").inner_text()
    assert page.locator("#case-sites a").get_attribute("href") == f"/map?site={site}"


@pytest.mark.parametrize("tag", list(WIDTHS))
def test_a_case_goes_round_the_whole_loop(fresh_demo_url: str, browser, tmp_path: Path,  # noqa: ANN001
                                          tag: str) -> None:
    viewport = WIDTHS[tag]
    lon, lat = _site_point(fresh_demo_url)
    shoot = Photos(tmp_path / "shots", lon, lat)
    (tmp_path / "shots").mkdir()
    data = tmp_path / "data"
    settings = Settings(database_url=fresh_demo_url, data_dir=data, now=T0)
    with serve(settings) as base:
        leader = _page(browser, viewport, base, "leader")
        _open_case(leader, base, viewport, tag, _first_site(fresh_demo_url)[0])

        unit = _page(browser, viewport, base, "unit")
        unit.goto(f"{base}/cases/{REF}")
        assert unit.locator("#actions summary").all_inner_texts() == ["开始整改", "指定责任人"]
        _button_locks(unit)
        _step(unit, "start")
        _step(unit, "measure", select={"position": "1"}, photos=shoot(2, T0),
              fill={"note": "收集池已建成"}, shot=f"case-unit-measure-{tag}")
        fits(unit)
        # A measure without a photo is refused beside the photo field, the note kept.
        _step(unit, "measure", select={"position": "2"}, fill={"note": "覆土完成"})
        refused = unit.locator("details#step-measure")
        assert refused.locator(".field-error").inner_text() == "请上传至少一张现场照片。"
        assert refused.locator("textarea[name=note]").input_value() == "覆土完成"
        screenshot(unit, f"case-unit-refused-{tag}")
        _step(unit, "measure", select={"position": "2"}, photos=shoot(1, T0))
        assert unit.locator("#measure-progress").inner_text() == "已完成 2/2 项"
        _step(unit, "claim", photos=shoot(1, T0))
        assert "已整改待验收" in unit.locator(".case-head").inner_text()

        inspector = _page(browser, viewport, base, "acceptor")
        inspector.goto(f"{base}/cases/{REF}")
        _step(inspector, "return", fill={"note": "渗滤液收集池未加盖"})
        unit.reload()
        _step(unit, "claim", photos=shoot(1, T0))
        inspector.reload()
        _step(inspector, "accept", photos=shoot(2, T0), fill={"note": "现场核查到位"})
        _assess(browser, viewport, base, tmp_path, tag)

        leader.reload()
        _step(leader, "publicise", fill={"days": "5"})
        assert "2022年6月1日 至 2022年6月5日" in leader.locator("#case-facts").inner_text()

        citizen = _page(browser, viewport, base, None)
        citizen.goto(f"{base}/public/cases/{REF}")
        assert citizen.locator("#conclusion").inner_text() == CONCLUSION
        citizen.fill("#objection-form textarea[name=text]", "填埋场东侧仍有渗滤液外溢")
        citizen.fill("#objection-form input[name=contact]", "13800000000")
        with citizen.expect_navigation():
            citizen.click("#objection-form button[type=submit]")
        citizen.locator("#objection-received").wait_for()

        leader.reload()
        assert "填埋场东侧仍有渗滤液外溢" in leader.locator(".objection").inner_text()
        name = leader.locator("details[id^=step-dismiss-]").get_attribute("id")[5:]
        _step(leader, name, fill={"note": "经现场核实，外溢点已封堵"},
              shot=f"case-leader-objection-{tag}")
        assert leader.locator(".objection").count() == 0
        assert "close" not in leader.locator("#actions").inner_text()  # notice running
    with serve(Settings(database_url=fresh_demo_url, data_dir=data,
                        now=T0 + timedelta(days=6))) as later:
        leader = _page(browser, viewport, later, "leader")
        leader.goto(f"{later}/cases/{REF}")
        _step(leader, "close", fill={"note": "公示期满无异议"})
        assert "已销号" in leader.locator(".case-head").inner_text()
        history = leader.locator("#history").inner_text()
        for label in HISTORY:
            assert label in history, label
        assert "case." not in history and "measure." not in history
        assert leader.locator("#photos img").count() == 7
        screenshot(leader, f"case-closed-{tag}")
        fits(leader)
    _recurs(browser, viewport, fresh_demo_url, data, shoot, tag)


def _assess(browser, viewport: dict, base: str, folder: Path, tag: str) -> None:  # noqa: ANN001
    """The assessment group's step: refused without a document (beside the field, the
    conclusion kept), then done with a PDF; the page shows the conclusion and the file."""
    from tests.web.assessment_files import pdf_bytes

    report = folder / "评估报告.pdf"
    report.write_bytes(pdf_bytes())
    assessor = _page(browser, viewport, base, "assessor")
    assessor.goto(f"{base}/")
    assert assessor.locator("#card-assessments .todo-count").inner_text() == "1"
    assessor.goto(f"{base}/cases/{REF}")
    assert assessor.locator("#actions summary").all_inner_texts() == ["销号评估"]
    _step(assessor, "assess", fill={"conclusion": CONCLUSION})
    refused = assessor.locator("details#step-assess")
    assert refused.locator(".field-error").inner_text() == "请上传至少一份评估材料。"
    assert refused.locator("textarea[name=conclusion]").input_value() == CONCLUSION
    screenshot(assessor, f"case-assess-refused-{tag}")
    fits(assessor)
    _step(assessor, "assess", photos=[str(report)], shot=f"case-assess-{tag}")
    assert "已评估待公示" in assessor.locator(".case-head").inner_text()
    assert CONCLUSION in assessor.locator("#assessment").inner_text()
    assert assessor.locator("#assessment-documents a").inner_text() == "评估报告.pdf"
    screenshot(assessor, f"case-assessed-{tag}")
    fits(assessor)


def _recurs(browser, viewport: dict, url: str, data: Path, shoot: Photos,  # noqa: ANN001
            tag: str) -> None:
    """A month after the closure the first look-back finds the problem back."""
    now = T0 + timedelta(days=40)
    with serve(Settings(database_url=url, data_dir=data, now=now)) as base:
        leader = _page(browser, viewport, base, "leader")
        leader.goto(f"{base}/review")
        leader.click(f"a:has-text('{REF}')")
        form = leader.locator("#review-form")
        form.locator("input[name=outcome][value=recurred]").check()
        form.locator("textarea[name=note]").fill("东侧新增裸露垃圾约200平方米")
        form.locator("input[type=file]").set_input_files(shoot(1, now))
        with leader.expect_navigation():
            form.locator("button[type=submit]").click()
        unit = _page(browser, viewport, base, "unit")
        unit.goto(f"{base}/")  # the desk: the reopened case is among the unit's to-dos
        card = unit.locator("#card-recurrences")
        assert card.locator(".todo-count").inner_text() == "1"
        card.click()
        unit.wait_for_url(f"{base}/desk/recurrences")
        assert REF in unit.locator("main").inner_text()
        unit.goto(f"{base}/cases")
        unit.select_option("#case-filters select[name=state]", "rectifying")
        with unit.expect_navigation():
            unit.click("#case-filters button[type=submit]")
        assert "state=rectifying" in unit.url
        assert REF in unit.locator("#cases").inner_text()
        screenshot(unit, f"cases-unit-recurred-{tag}")
        fits(unit)
        unit.click(f"#cases a:has-text('{REF}')")
        facts = unit.locator("#case-facts").inner_text()
        assert "2022年8月10日" in facts and "还剩 30 天" in facts  # 40 days on, +30
        assert unit.locator("#measure-progress").inner_text() == "已完成 0/2 项"
        assert unit.locator("#actions summary").first.inner_text() == "完成措施"
