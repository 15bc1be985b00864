"""The demo scenario's orthophotos, as `lookback demo` played them (both backends): three
landfills surveyed on their second and third look-back rounds through the photo ingest,
change detection run on each later one; HTK-2018-TB-25's relapse shows as a change polygon
on its round page, and the map flags the three sites "possible change" until reviewed."""

from __future__ import annotations

import sqlalchemy as sa
from fastapi.testclient import TestClient
from playwright.sync_api import expect

from geo.db import create_engine
from geo.schema import sites
from imagery.schema import photo_sites, photos
from inspections.change_review import list_changes
from inspections.schema import cases, lookback_rounds, round_photos
from tests.scenario import Played
from tests.web.browser import screenshot, serve, sign_in_page, sized_page
from tests.web.client import client_for, sign_in
from web.settings import Settings

SURVEYED = {"LF025", "LF026", "LF027"}


def _client(played: Played, name: str) -> TestClient:
    client = client_for(played.env["url"], now=played.env["now"],
                        data_dir=played.env["data"])
    assert sign_in(client, name).status_code == 303
    return client


def test_three_landfills_have_orthophotos_of_two_rounds(played: Played) -> None:
    engine = create_engine(played.env["url"])
    with engine.connect() as conn:
        rows = conn.execute(sa.select(sites.c.code, photos.c.id, photos.c.uploaded_at)
                            .join(photo_sites, photo_sites.c.photo_id == photos.c.id)
                            .join(sites, sites.c.id == photo_sites.c.site_id)
                            .where(photos.c.kind == "orthophoto",
                                   photo_sites.c.relation == "covered")).all()
        changes = list_changes(conn)
        code_of = dict(conn.execute(sa.select(sites.c.id, sites.c.code)).all())
    engine.dispose()
    by_site: dict[str, list[int]] = {}
    for code, _, uploaded in rows:
        by_site.setdefault(code, []).append(uploaded.year)
    assert set(by_site) >= SURVEYED
    assert all(sorted(by_site[c]) == [2021, 2022] for c in SURVEYED)
    assert {code_of[c.site_id] for c in changes} <= SURVEYED
    assert {c.state for c in changes} == {"unreviewed"}
    relapse = [c for c in changes if code_of[c.site_id] == "LF025"]
    assert max(c.area_m2 for c in relapse) >= 100  # the new dump pile


def test_the_relapse_shows_on_its_round_page_and_the_map(played: Played) -> None:
    engine = create_engine(played.env["url"])
    with engine.connect() as conn:
        round_id = conn.execute(sa.select(lookback_rounds.c.id).join(
            cases, cases.c.id == lookback_rounds.c.case_id).where(
            cases.c.reference == "HTK-2018-TB-25", lookback_rounds.c.number == 3)).scalar_one()
        lf025 = conn.execute(sa.select(sites.c.id).where(sites.c.code == "LF025")).scalar_one()
        biggest = list_changes(conn, site_ids=[lf025])[0]
        evidence = set(conn.execute(sa.select(round_photos.c.photo_id)
                                    .where(round_photos.c.round_id == round_id)).scalars())
    engine.dispose()
    inspector = _client(played, "inspector")
    page = inspector.get(f"/review/{round_id}")
    assert page.status_code == 200
    assert f'id="change-{biggest.id}"' in page.text and "卷帘对比" in page.text
    assert biggest.after_photo_id in evidence and biggest.area_m2 >= 100
    assert inspector.get(f"/changes/{biggest.id}/before.jpg").status_code == 200
    leader = _client(played, "leader")
    flags = leader.get("/api/map/sites/LF025").json()["flags"]
    assert flags[0] == "recurred" and "possible_change" in flags
    dashboard = leader.get("/dashboard").text
    assert 'id="change-precision"' in dashboard


def test_the_demo_round_page_shows_the_relapse_in_the_browser(played: Played,
                                                              browser) -> None:  # noqa: ANN001
    engine = create_engine(played.env["url"])
    with engine.connect() as conn:
        round_id = conn.execute(sa.select(lookback_rounds.c.id).join(
            cases, cases.c.id == lookback_rounds.c.case_id).where(
            cases.c.reference == "HTK-2018-TB-25", lookback_rounds.c.number == 3)).scalar_one()
    engine.dispose()
    settings = Settings(database_url=played.env["url"], data_dir=played.env["data"],
                        now=played.env["now"])
    with serve(settings) as base, sized_page(browser, "1366") as page:
        sign_in_page(page, base, "inspector")
        page.goto(f"{base}/review/{round_id}")
        expect(page.locator(".change-card")).to_have_count(1)
        expect(page.locator(".change-card")).to_contain_text("待复核")
        # Both orthophotos are drawn under the swipe: tiles of each have loaded.
        expect(page.locator("#swipe-map img.leaflet-tile-loaded").first).to_be_visible()
        expect(page.locator(".change-card img").nth(1)).to_have_js_property("complete", True)
        screenshot(page, f"demo-changes-{engine.dialect.name}")
