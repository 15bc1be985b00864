"""Script injection, tried as an attacker would: every page, as each role, with hostile values
in every query parameter and in every stored text a page shows (town, site, unit and user
names, notes, file names, objections, reasons). No dialog fires, the Content-Security-Policy
reports no violation, and the payload never reaches the HTML unescaped.

The hostile world is a copy of the demo scenario's SQLite database with its texts replaced
(escaping happens in the templates and scripts, the same on either backend)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from urllib.parse import urlencode

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from geo.db import create_engine
from tests.scenario import Played
from tests.web.browser import serve, sign_in_page
from web.settings import Settings

SCRIPT = '</script><script>alert("xss")</script>'
ATTRIBUTE = '"><img src=x onerror=alert(1)>'
PAYLOAD = f"{SCRIPT}{ATTRIBUTE}'-alert(2)-'"
URL = "javascript:alert(3)"
# Every stored text a page shows (the town and unit keep their pairings consistent).
TEXTS = {
    "grid_cells": ["name", "town"], "sites": ["name", "town"],
    "cases": ["title", "description", "responsible_unit", "leader", "target",
              "lookback_agency"],
    "measures": ["text", "note"], "photos": ["original_name", "note", "uploaded_by"],
    "objections": ["text", "submitter", "decided_by"], "audit_log": ["actor", "note"],
    "lookback_rounds": ["agency", "reviewed_by", "note"], "case_photos": ["linked_by"],
    "tickets": ["responsible_unit", "request", "response", "issued_by", "verified_by"],
    "users": ["agency", "unit"], "complaints": ["summary"],
    "case_assessments": ["conclusion", "assessed_by"], "assessment_documents": ["name"],
    "organisation_records": ["leader", "subject", "note", "recorded_by"],
}
PARAMS = ("town", "industry", "source", "flag", "state", "unit", "q", "year", "month",
          "inspection", "next", "lang", "done", "outcome", "received", "page", "sort")
ROLES = ("officer", "inspector", "unit", "leader", "admin", "assessor")
# Looks for what an injection leaves in the page: handlers, scripts, javascript: links.
INJECTED = ("document.querySelectorAll('[onerror], [onload]:not(body), img[src=\"x\"], "
            "a[href^=\"javascript:\" i], script:not([src]):not([type=\"application/json\"])')"
            ".length")


def _hostile_copy(played: Played, folder: Path) -> str:
    """A copy of the scenario's database with every shown text made hostile; its URL."""
    source = make_url(played.env["url"]).database
    target = folder / "hostile.db"
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    url = f"sqlite:///{target}"
    engine = create_engine(url)
    with engine.begin() as conn:
        for table, columns in TEXTS.items():
            values = ", ".join(f"{c} = CASE WHEN {c} IS NULL THEN NULL ELSE :p END"
                               for c in columns)
            conn.execute(sa.text(f"UPDATE {table} SET {values}"), {"p": PAYLOAD})
        conn.execute(sa.text("UPDATE objections SET contact = :u"), {"u": URL})
    engine.dispose()
    return url


def _targets(url: str) -> dict[str, str]:
    """A case with a history, a round to review and a case on public notice."""
    engine = create_engine(url)
    with engine.connect() as conn:
        def one(sql: str) -> str:
            return str(conn.execute(sa.text(sql)).scalar())

        found = {
            "case": one("SELECT c.reference FROM cases c JOIN lookback_rounds r "
                        "ON r.case_id = c.id WHERE r.state = 'recurred'"),
            "round": one("SELECT id FROM lookback_rounds WHERE state = 'due' ORDER BY id"),
            "notice": one("SELECT reference FROM cases WHERE state IN ('publicised', 'closed') "
                          "ORDER BY state DESC, id DESC"),
        }
    engine.dispose()
    return found


def _pages(found: dict[str, str]) -> list[str]:
    return ["/", "/map", "/dashboard", "/cases", f"/cases/{found['case']}", "/tickets",
            "/review", f"/review/{found['round']}", "/upload", "/public",
            f"/public/cases/{found['notice']}", "/login", "/docs", "/organisation"]


def _visit(page, url: str, problems: list[str]) -> None:  # noqa: ANN001
    response = page.goto(url)
    if "/map" in url:  # its script fetches the data it shows
        page.wait_for_load_state("networkidle")
    raw = response.text() if response else ""
    for piece in (SCRIPT, ATTRIBUTE, "<img src=x"):
        if piece in raw:
            problems.append(f"{url}: {piece!r} unescaped in the HTML")
    if page.evaluate(INJECTED):
        problems.append(f"{url}: injected elements in the page")


@pytest.mark.parametrize("played", ["sqlite"], indirect=True)
def test_no_page_runs_a_hostile_value(played: Played, browser, tmp_path: Path) -> None:  # noqa: ANN001
    url = _hostile_copy(played, tmp_path)
    found = _targets(url)
    query = "?" + urlencode({name: PAYLOAD if n % 2 else URL for n, name in enumerate(PARAMS)})
    settings = Settings(database_url=url, data_dir=played.env["data"], now=played.env["now"])
    problems: list[str] = []
    with serve(settings) as base:
        for role in ROLES:
            context = browser.new_context(viewport={"width": 1280, "height": 800},
                                          locale="zh-CN")
            page = context.new_page()
            page.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
            page.on("console", lambda m: problems.append(f"console: {m.text}")
                    if "Content Security Policy" in m.text else None)
            page.on("pageerror", lambda e, p=page: problems.append(f"{p.url}: script error: {e}"))
            sign_in_page(page, base, role)
            for path in _pages(found):
                _visit(page, base + path, problems)
                _visit(page, base + path + query, problems)
            if role == "leader":  # a site's popup, built by the map's script from the API
                page.goto(f"{base}/map")
                page.fill("#search", "LF")
                page.locator("#search-results li").first.click()
                page.locator(".lb-popup").wait_for()
                assert PAYLOAD in page.locator(".lb-popup").inner_text()
                if page.evaluate(INJECTED):
                    problems.append("map popup: injected elements")
            context.close()
    assert not problems, "\n".join(problems[:20])
