"""The public notice: no login, nothing private on it, objections (CSRF-protected, limited
in size and rate) reaching the case's timeline."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa

from geo.db import create_engine
from inspections.schema import case_assessments, objections
from tests.web.client import client_for, csrf, headers
from tests.web.test_api_cases import (  # noqa: F401  (url: fixture)
    REPORT_PDF,
    T0,
    People,
    _rectified,
    url,
)

BASE = "/api/cases/DC2-2022-01"
CONCLUSION = "经评估，该项整改任务措施已落实，达到整改目标要求，符合销号条件。"


def _on_notice(url: str, tmp_path: Path) -> People:  # noqa: F811
    now = People(url, tmp_path, T0)
    _rectified(now)
    now.post("acceptor", f"{BASE}/accept", {"photo_ids": [now.photo("acceptor", 51)],
                                            "note": "内部意见：企业负责人配合度一般"})
    assessor = now["assessor"]
    assessed = assessor.post(f"{BASE}/assess", headers=headers(assessor),
                             data={"conclusion": CONCLUSION},
                             files={"documents": ("内部评估底稿.pdf", REPORT_PDF,
                                                  "application/pdf")})
    assert assessed.status_code == 200, assessed.text
    now.post("leader", f"{BASE}/publicise", {"notice_start": "2022-03-01",
                                             "notice_end": "2022-03-07"})
    return now


def test_the_notice_needs_no_login_and_shows_nothing_private(url: str,  # noqa: F811
                                                             tmp_path: Path) -> None:
    _on_notice(url, tmp_path)
    public = client_for(url, now=T0)
    listing = public.get("/public")
    assert listing.status_code == 200
    assert "DC2-2022-01" in listing.text
    page = public.get("/public/cases/DC2-2022-01")
    assert page.status_code == 200 and 'id="objection-form"' in page.text
    assert CONCLUSION in listing.text
    assert f'<p class="conclusion" id="conclusion">{CONCLUSION}</p>' in page.text
    for private in ("/api/photos", "内部意见", "unit-password", "联络员", "inspector",
                    "lookback_session", "内部评估底稿", "/documents/"):
        assert private not in page.text, private
    assert public.get("/public/cases/NOPE").status_code == 404


def test_an_objection_reaches_the_timeline(url: str, tmp_path: Path) -> None:  # noqa: F811
    now = _on_notice(url, tmp_path)
    public = client_for(url, now=T0 + timedelta(days=1))
    sent = public.post("/public/cases/DC2-2022-01/objections", data={
        "text": "填埋场仍有异味", "contact": "13800000000", "name": "",
        "csrf_token": csrf(public)})
    assert (sent.status_code, sent.headers["location"]) == (
        303, "/public/cases/DC2-2022-01?received=1")
    history = now["leader"].get(BASE).json()["history"]
    assert any(h["action"] == "objection.record" and h["note"] == "填埋场仍有异味"
               for h in history)
    assert all("13800000000" not in str(h) for h in history)  # the contact stays private
    engine = create_engine(url)
    with engine.connect() as conn:
        row = conn.execute(sa.select(objections)).mappings().one()
    engine.dispose()
    assert (row["contact"], row["submitter"]) == ("13800000000", None)
    shown = public.get("/public/cases/DC2-2022-01?received=1").text
    assert "已收到您的异议" in shown and "13800000000" not in shown


def test_objections_need_the_csrf_token_and_a_contact(url: str,  # noqa: F811
                                                      tmp_path: Path) -> None:
    _on_notice(url, tmp_path)
    public = client_for(url, now=T0)
    csrf(public)
    forged = public.post("/public/cases/DC2-2022-01/objections",
                         data={"text": "x", "contact": "y"})
    assert forged.status_code == 403
    blank = public.post("/public/cases/DC2-2022-01/objections",
                        data={"text": "有问题", "contact": "  ", "csrf_token": csrf(public)})
    assert blank.status_code == 422 and "contact: say how" in blank.text
    huge = public.post("/public/cases/DC2-2022-01/objections",
                       data={"text": "长" * 3000, "contact": "1", "csrf_token": csrf(public)})
    assert huge.status_code == 422


def test_objections_are_rate_limited(url: str, tmp_path: Path) -> None:  # noqa: F811
    _on_notice(url, tmp_path)
    public = client_for(url, now=T0)
    token = csrf(public)
    for n in range(5):
        assert public.post("/public/cases/DC2-2022-01/objections", data={
            "text": f"异议{n}", "contact": "c", "csrf_token": token}).status_code == 303
    sixth = public.post("/public/cases/DC2-2022-01/objections", data={
        "text": "再来", "contact": "c", "csrf_token": token})
    assert sixth.status_code == 422 and "at most 5 an hour" in sixth.text


def test_a_case_publicised_before_assessments_says_it_has_no_conclusion(
        url: str, tmp_path: Path) -> None:  # noqa: F811
    """As a case publicised before the migration: no assessment row, no invented words."""
    _on_notice(url, tmp_path)
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.delete(case_assessments))
    engine.dispose()
    public = client_for(url, now=T0)
    page = public.get("/public/cases/DC2-2022-01").text
    assert "本案件公示于销号评估纳入流程之前，无评估结论记录。" in page
    assert CONCLUSION not in page and "符合销号条件" not in public.get("/public").text
