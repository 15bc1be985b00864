"""In the browser, on the demo scenario as of its last day: a leader's map shows the flags
the scenario implies, the search finds the landfill that recurred and its popup lists its
case; nothing is fetched from anywhere but the app itself."""

from __future__ import annotations

import sqlalchemy as sa

from geo.db import create_engine
from geo.layers import SITES
from inspections.schema import case_sites, cases, lookback_rounds
from tests.scenario import Played
from tests.web.browser import screenshot, serve, sign_in_page
from web.settings import Settings


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
        desktop.wait_for_function("Number(document.body.dataset.sitesLoaded) > 0")
        assert desktop.locator(".flag-recurred").count() >= 1
        assert desktop.locator(".flag-due").count() >= 1
        assert desktop.locator(".flag-overdue").count() >= 1
        assert "问题反弹" in desktop.locator("#lb-legend").inner_text()
        screenshot(desktop, "map-leader-district")
        desktop.fill("#search", code)
        desktop.locator("#search-results li").first.click()
        popup = desktop.locator(".lb-popup")
        popup.wait_for()
        text = popup.inner_text()
        assert reference in text and "问题反弹" in text and "整改中" in text
        screenshot(desktop, "map-leader-recurred-site")
        page_size = len(desktop.content().encode())
    assert page_size < 300_000
    assert requests and all(url.startswith(base) for url in requests), \
        [u for u in requests if not u.startswith(base)]
