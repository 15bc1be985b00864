"""In the browser, on the demo scenario as of its last day: a leader's map shows the flags
the scenario implies and the site that recurred; the dashboard shows the report's figures; an
inspector reviews a due round and its flag changes on the map. Nothing is fetched from
anywhere but the app itself. (The review test changes the scenario's data: it comes last.)"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from geo.db import create_engine
from geo.layers import SITES
from imagery.demo_photos import PhotoSpec, write_photo
from inspections.schema import case_sites, cases, lookback_rounds
from tests.scenario import Played
from tests.web.browser import screenshot, serve, sign_in_page
from web.settings import Settings

# The map marks the body once sites have loaded (a selector: the CSP forbids eval'd waits).
SITES_LOADED = "body[data-sites-loaded]:not([data-sites-loaded='0'])"


def _recurred_site(played: Played) -> tuple[str, str]:
    """(site code, case reference) of the landfill whose look-back found a recurrence."""
    engine = create_engine(played.env["url"])
    s = SITES.table
    with engine.connect() as conn:
        row = conn.execute(
            sa.select(s.c.code, cases.c.reference)
            .join(case_sites, case_sites.c.site_id == s.c.id)
            .join(cases, cases.c.id == case_sites.c.case_id)
            .join(lookback_rounds, lookback_rounds.c.case_id == cases.c.id)
            .where(lookback_rounds.c.state == "recurred")).one()
    engine.dispose()
    return row.code, row.reference


def settings_of(played: Played) -> Settings:
    """The app's settings on the scenario's database, its clock at the scenario's end."""
    return Settings(database_url=played.env["url"], data_dir=played.env["data"],
                    now=played.env["now"])


def test_a_leader_sees_the_flags_and_a_sites_cases(played: Played, desktop) -> None:  # noqa: ANN001
    code, reference = _recurred_site(played)
    requests: list[str] = []
    desktop.on("request", lambda r: requests.append(r.url))
    with serve(settings_of(played)) as base:
        sign_in_page(desktop, base, "leader")
        desktop.goto(f"{base}/map")
        desktop.wait_for_selector(SITES_LOADED, state="attached")
        assert desktop.locator(".flag-recurred").count() >= 1
        assert desktop.locator(".flag-due").count() >= 1
        assert desktop.locator(".flag-overdue").count() >= 1
        assert "问题反弹" in desktop.locator("#lb-legend").inner_text()
        screenshot(desktop, "map-leader-district")
        desktop.locator("path.flag-recurred").first.click(force=True)
        clicked = desktop.locator(".lb-popup")
        clicked.wait_for()
        assert reference in clicked.inner_text()
        desktop.keyboard.press("Escape")
        desktop.fill("#search", code)
        desktop.locator("#search-results li").first.click()
        popup = desktop.locator(".lb-popup")
        popup.wait_for()
        text = popup.inner_text()
        assert reference in text and "问题反弹" in text and "整改中" in text
        screenshot(desktop, "map-leader-recurred-site")
        page_size = len(desktop.content().encode())
        desktop.goto(f"{base}/cases/{reference}")  # the case's site, on the map
        desktop.locator("#case-sites a", has_text=code).click()
        desktop.wait_for_url(f"{base}/map?site={code}")
        popup = desktop.locator(".lb-popup", has_text=reference)
        popup.wait_for()
        issue = popup.locator("a.lb-issue", has_text="下发督办单")  # a ticket on the site
        assert issue.get_attribute("href") == f"/tickets/new?site={code}"
        desktop.goto(f"{base}/tickets/new?site={code}")
        assert desktop.input_value("textarea[name=request]").startswith("【")
    assert page_size < 300_000
    assert requests and all(url.startswith(base) for url in requests), \
        [u for u in requests if not u.startswith(base)]


def test_the_dashboard_shows_the_reports_figures(played: Played, desktop) -> None:  # noqa: ANN001
    requests: list[str] = []
    desktop.on("request", lambda r: requests.append(r.url))
    with serve(settings_of(played)) as base:
        sign_in_page(desktop, base, "leader")
        desktop.click("a[href='/dashboard']")
        desktop.wait_for_url(f"{base}/dashboard")

        def figure(name: str) -> str:
            return desktop.locator(f"[data-figure={name}]").inner_text()

        assert (figure("feedback-total"), figure("feedback-closed"),
                figure("feedback-in-progress")) == ("12", "9", "3")
        assert (figure("petitions-total"), figure("petitions-batches")) == ("54", "24")
        assert figure("tickets-issued") == "244"
        assert desktop.locator("svg.chart").count() == 4
        screenshot(desktop, "dashboard-2022")
        desktop.click("[data-figure=feedback-in-progress]")
        desktop.wait_for_url("**/cases?**")
        assert desktop.locator("#case-count").inner_text() == "共 3 件"
        desktop.go_back()
        desktop.click("[data-figure=tickets-issued]")
        desktop.wait_for_url("**/tickets?**")
        assert desktop.locator("#ticket-count").inner_text() == "共 244 个"
        desktop.go_back()
        desktop.click("[data-figure=tickets-overdue]")
        desktop.wait_for_url("**/tickets?**")
        overdue = desktop.locator("#tickets tbody tr").count()
        assert desktop.locator("#ticket-count").inner_text() == f"共 {overdue} 个"
        desktop.go_back()  # the source report's 42 meetings, 34 instructions, 35 checks
        assert (figure("org-meetings"), figure("org-instructions"),
                figure("org-leader_checks")) == ("42", "34", "35")
        desktop.click("[data-figure=org-meetings]")
        desktop.wait_for_url("**/organisation?**")
        assert desktop.locator("#org-count").inner_text() == "共 42 次"
    assert all(url.startswith(base) for url in requests)


def _a_due_landfill_round(played: Played) -> tuple[int, str, float, float]:
    """(round id, site code, lon, lat) of a due round of a landfill case."""
    engine = create_engine(played.env["url"])
    s = SITES.table
    with engine.connect() as conn:
        row = conn.execute(
            sa.select(lookback_rounds.c.id, s.c.code, s.c.geom)
            .join(case_sites, case_sites.c.case_id == lookback_rounds.c.case_id)
            .join(s, s.c.id == case_sites.c.site_id)
            .where(lookback_rounds.c.state == "due", s.c.kind == "landfill")
            .order_by(lookback_rounds.c.id)).first()
    engine.dispose()
    point = row.geom.representative_point()
    return row.id, row.code, point.x, point.y


def test_an_inspector_reviews_a_due_round_and_the_map_follows(played: Played, desktop,  # noqa: ANN001
                                                              tmp_path: Path) -> None:
    round_id, code, lon, lat = _a_due_landfill_round(played)
    taken = datetime.fromisoformat(played.env["now"]) - timedelta(hours=1)
    flight = write_photo(PhotoSpec("DJI_0901.JPG", lon, lat, taken, seed=777,
                                   scene="landfill", drone_altitude_m=120.0), tmp_path)
    with serve(settings_of(played)) as base:
        sign_in_page(desktop, base, "inspector")
        desktop.goto(f"{base}/review")
        assert desktop.locator(f"#queue a[href='/review/{round_id}']").count() == 1
        desktop.goto(f"{base}/review/{round_id}")
        assert desktop.locator("#round-flag").inner_text() == "回头看到期"
        desktop.set_input_files("input[name=photos]", str(flight))
        desktop.fill("textarea[name=note]", "无人机航拍复核，封场覆土完好，未见渗滤液")
        desktop.click("#review-form button[type=submit]")
        desktop.wait_for_url(f"{base}/review?done={round_id}**")
        assert "复核结论" in desktop.locator("#review-done").inner_text()
        screenshot(desktop, "review-done")
        desktop.goto(f"{base}/map")
        desktop.wait_for_selector(SITES_LOADED, state="attached")
        desktop.fill("#search", code)
        desktop.locator("#search-results li").first.click()
        popup = desktop.locator(".lb-popup")
        popup.wait_for()
        assert "复核通过" in popup.inner_text()
        screenshot(desktop, "map-after-review")
