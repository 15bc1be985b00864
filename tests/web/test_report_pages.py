"""The report page (/reports): a period's parts with their paragraphs, saved behind the CSRF
token, refused with the reason under the part (what was typed kept), the next month's draft,
who may open and save it; and the report download carrying what was saved, not a draft."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from pathlib import Path

import docx
import pytest
from fastapi.testclient import TestClient

from inspections.report_texts import MAX_TEXT, ReportPeriod, saved_texts
from inspections.reports.parts import PARTS
from tests.web.client import client_for, csrf, sign_in
from web.database import engine_for
from web.settings import Settings

NOW = datetime(2022, 12, 20, 2, 0, tzinfo=UTC)  # 10:00 on 20 December in the district
ORGANISATION = "区委常委会专题研究督察整改工作，成立区督察整改工作领导小组。"
PLAN = "持续开展“回头看”，严防问题反弹。"


def _client(url: str, tmp_path: Path, name: str) -> TestClient:
    client = client_for(url, data_dir=tmp_path / "data", now=NOW)
    assert sign_in(client, name).status_code == 303
    return client


@pytest.fixture
def leader(fresh_demo_url: str, tmp_path: Path) -> TestClient:
    return _client(fresh_demo_url, tmp_path, "leader")


def _save(client: TestClient, year: str, month: str, token: str | None = "",
          **texts: str):  # noqa: ANN202
    """Post the page's form; with the page's token unless `token` is given (None: none)."""
    data = {"year": year, "month": month} | {f"part_{k}": v for k, v in texts.items()}
    if token is not None:
        data["csrf_token"] = token or csrf(client)
    return client.post("/reports/texts", data=data)


def _textarea(page: str, part: str) -> str:
    found = re.search(rf'name="part_{part}"[^>]*>([^<]*)</textarea>', page)
    assert found, part
    return found.group(1)


def _saved(url: str, period: ReportPeriod) -> dict[str, str]:
    with engine_for(Settings(database_url=url)).connect() as conn:
        return saved_texts(conn, period)


def test_a_leader_saves_a_months_paragraphs_and_the_next_month_shows_them_as_a_draft(
        leader: TestClient, fresh_demo_url: str) -> None:
    page = leader.get("/reports")
    assert page.status_code == 200
    assert "2022年12月整改进展报告" in page.text and 'id="texts-state">未填写' in page.text
    for title in PARTS.values():
        assert title in page.text
    assert 'href="/reports"' in page.text  # in the frame's navigation
    saved = _save(leader, "2022", "6", organisation=ORGANISATION, plan=PLAN, intro="")
    assert saved.status_code == 303
    assert saved.headers["location"] == "/reports?year=2022&month=6&saved=1"
    june = leader.get(saved.headers["location"]).text
    assert "已保存2022年6月的报告文字。" in june and 'id="texts-state">已保存' in june
    assert _textarea(june, "organisation") == ORGANISATION and _textarea(june, "intro") == ""
    assert 'name="month" value="6"' in june and 'action="/tasks/reports"' in june
    july = leader.get("/reports?year=2022&month=7").text
    assert 'id="texts-state">草稿' in july and "以下草稿取自2022年6月的报告" in july
    assert _textarea(july, "plan") == PLAN
    assert _saved(fresh_demo_url, ReportPeriod(2022, 6)) == {"organisation": ORGANISATION,
                                                            "plan": PLAN}
    assert _saved(fresh_demo_url, ReportPeriod(2022, 7)) == {}
    year = leader.get("/reports?year=2022&month=").text  # the year's report: no month draft
    assert "2022年整改进展报告" in year and 'id="texts-state">未填写' in year
    assert 'name="month" value=""' in year


def test_a_paragraph_too_long_is_refused_under_its_part_keeping_what_was_typed(
        leader: TestClient, fresh_demo_url: str) -> None:
    long = "字" * (MAX_TEXT + 1)
    refused = _save(leader, "2022", "6", organisation=ORGANISATION, problems=long)
    assert refused.status_code == 422
    assert "未保存：请按各部分下方的提示修改后再保存。" in refused.text
    assert (f"“三、（一）存在问题”共{MAX_TEXT + 1}字，超过{MAX_TEXT}字的上限，请删减。"
            in refused.text)
    assert _textarea(refused.text, "organisation") == ORGANISATION  # kept
    assert _textarea(refused.text, "problems") == long
    assert _saved(fresh_demo_url, ReportPeriod(2022, 6)) == {}  # nothing saved


def test_an_unknown_part_or_a_control_character_is_refused_in_chinese(
        leader: TestClient) -> None:
    refused = _save(leader, "2022", "6", meetings="42次")
    assert refused.status_code == 422
    assert "报告中没有“meetings”这一部分。" in refused.text
    refused = _save(leader, "2022", "6", intro="导语\x00")
    assert refused.status_code == 422
    assert "“导语（报告开头）”含有无法保存的控制字符，请删除后再保存。" in refused.text


@pytest.mark.parametrize(("year", "month"), [("1999", "6"), ("2022", "13"), ("二〇二二", "")])
def test_a_period_that_is_none_is_refused_in_chinese(leader: TestClient, fresh_demo_url: str,
                                                     year: str, month: str) -> None:
    for refused in (leader.get(f"/reports?year={year}&month={month}"),
                    _save(leader, year, month, plan=PLAN)):
        assert refused.status_code == 422
        assert "年份须为2000年至2100年，月份须为1月至12月（或全年）" in refused.text
        assert "2022年12月整改进展报告" in refused.text  # this month's page instead
    assert _textarea(refused.text, "plan") == PLAN  # what was typed is kept
    assert _saved(fresh_demo_url, ReportPeriod(2022, 12)) == {}


def test_saving_needs_the_csrf_token(leader: TestClient, fresh_demo_url: str) -> None:
    assert _save(leader, "2022", "6", token=None, plan=PLAN).status_code == 403
    assert _save(leader, "2022", "6", token="forged", plan=PLAN).status_code == 403
    assert _saved(fresh_demo_url, ReportPeriod(2022, 6)) == {}


@pytest.mark.parametrize("name", ["unit", "officer", "inspector"])
def test_other_roles_may_neither_open_nor_save_it(fresh_demo_url: str, tmp_path: Path,
                                                   name: str) -> None:
    client = _client(fresh_demo_url, tmp_path, name)
    assert client.get("/reports").status_code == 403
    assert 'href="/reports"' not in client.get("/").text
    assert _save(client, "2022", "6", plan=PLAN).status_code == 403
    assert _saved(fresh_demo_url, ReportPeriod(2022, 6)) == {}


def test_the_downloaded_report_carries_the_saved_paragraphs_not_a_draft(
        leader: TestClient) -> None:
    assert _save(leader, "2022", "6", organisation=ORGANISATION, plan=PLAN).status_code == 303

    def paragraphs(query: str) -> list[str]:
        got = leader.get(f"/api/reports/progress?{query}")
        assert got.status_code == 200
        return [p.text for p in docx.Document(io.BytesIO(got.content)).paragraphs]

    june = paragraphs("year=2022&month=6")
    head = next(i for i, p in enumerate(june) if "加强组织领导。" in p)
    assert june[head].endswith(ORGANISATION) or june[head + 1] == ORGANISATION  # (figures)
    assert f"（二）下一步工作计划。{PLAN}" in june
    july = paragraphs("year=2022&month=7")  # July shows June's as a draft, but has none
    assert not any(ORGANISATION in p or PLAN in p for p in july)


def test_a_paragraph_is_shown_as_text_never_run(leader: TestClient) -> None:
    hostile = '</textarea><script>alert(1)</script><img src=x onerror="alert(2)">'
    assert _save(leader, "2022", "6", intro=hostile).status_code == 303
    page = leader.get("/reports?year=2022&month=6").text
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert "&lt;/textarea&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_page_in_english(leader: TestClient) -> None:
    assert _save(leader, "2022", "5", plan=PLAN).status_code == 303
    page = leader.get("/reports?year=2022&month=6&lang=en").text
    assert "Progress report, 2022-06" in page and "the draft below is from 2022-05." in page
    assert "Make the progress report of 2022-06" in page
    assert "三、（二）下一步工作计划" in page  # the report's own headings stay as it writes them
