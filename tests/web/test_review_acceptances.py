"""The review queue's cases awaiting on-site acceptance: listed only to a role that accepts
cases of their source (the step roles an admin sets per source), never to the others."""

from __future__ import annotations

from pathlib import Path

from inspections import step_roles
from tests.inspections.builders import ADMIN, advance_to, clock, new_case, photo_ids
from tests.web.client import client_for, sign_in
from web.accounts.users import find_user
from web.database import engine_for
from web.settings import Settings

HEADING = "待现场验收的案件"


def _listed(url: str, name: str) -> list[str] | None:
    client = client_for(url)
    assert sign_in(client, name).status_code == 303
    page = client.get("/review")
    assert page.status_code == 200
    if HEADING not in page.text:
        return None
    part = page.text.split(HEADING, 1)[1]
    return [ref for ref in ("DC-2022-01", "XC-2022-01") if f">{ref}</a>" in part]


def test_only_the_roles_that_accept_see_the_cases_to_accept(fresh_demo_url: str,
                                                            tmp_path: Path) -> None:
    engine = engine_for(Settings(database_url=fresh_demo_url, data_dir=tmp_path / "data"))
    ids = photo_ids(engine, tmp_path, 1)
    at = clock()
    with engine.begin() as conn:
        agency = find_user(conn, "inspector")[0].agency  # the cases are their agency's
        for reference, source in (("DC-2022-01", "inspection_feedback"),
                                  ("XC-2022-01", "patrol")):
            case_id = new_case(conn, at, reference=reference, source=source,
                               lookback_agency=agency)
            advance_to(conn, at, case_id, "rectified", rectification=ids, acceptance=[])
    assert _listed(fresh_demo_url, "inspector") is None  # no source's acceptance is theirs
    assert _listed(fresh_demo_url, "leader") is None
    with engine.begin() as conn:
        step_roles.set_roles(conn, actor=ADMIN, clock=at, source="patrol", step="accept",
                             roles=["acceptor", "inspector"])
    engine.dispose()
    assert _listed(fresh_demo_url, "inspector") == ["XC-2022-01"]  # the patrol case only
