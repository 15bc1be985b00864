"""The command line's plain output: readable tables in the configured language with local
times and labels (never Python dicts, tuples or raw codes); --json unchanged."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from inspections.clock import aware
from tests.web.cli import json_lines, run


def _plain(played, *args: str, lang: str = "zh") -> str:  # noqa: ANN001
    result = run(played.env["url"], *args, LOOKBACK_DATA_DIR=played.env["data"],
                 LOOKBACK_NOW=played.env["now"], LOOKBACK_LANGUAGE=lang)
    assert result.exit_code == 0, result.output
    return result.stdout


def _no_python(text: str) -> None:
    for raw in ("{'", "('", "': ", "None", "True", "False", "+00:00", "case.create"):
        assert raw not in text, raw


def test_cases_list_is_a_table_with_labels(played) -> None:  # noqa: ANN001
    cases = played.cli("cases", "list")
    text = _plain(played, "cases", "list")
    first = text.splitlines()[0]
    for heading in ("编号", "状态", "整改时限", "责任单位", "问题", "序时进度"):
        assert heading in first
    assert all(c["reference"] in text for c in cases)
    assert "已销号" in text and "closed" not in text
    _no_python(text)
    english = _plain(played, "cases", "list", lang="en")
    assert "Reference" in english.splitlines()[0] and "closed" in english


def test_case_show_has_its_history_in_local_time(played) -> None:  # noqa: ANN001
    closed = next(c for c in played.cli("cases", "list") if c["state"] == "closed")
    [shown] = played.cli("cases", "show", closed["reference"])
    text = _plain(played, "cases", "show", closed["reference"])
    assert "立案" in text and "销号" in text and "处理记录" in text
    first = datetime.fromisoformat(shown["history"][0]["at"])  # --json: as before (UTC)
    local = aware(first).astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d %H:%M")
    assert local in text
    _no_python(text)


def test_lookbacks_list_and_stats_and_users(played) -> None:  # noqa: ANN001
    rounds = played.cli("lookbacks", "list")
    text = _plain(played, "lookbacks", "list")
    assert "检查窗口" in text.splitlines()[0]
    assert rounds[0]["case_reference"] in text
    assert "复核通过" in text or "问题反弹" in text or "待复核" in text
    _no_python(text)
    stats = _plain(played, "stats", "--year", "2022")
    assert "指标" in stats and "{'" not in stats
    assert "督察反馈问题" in stats and "已销号（个）" in stats and "行政处罚决定（起）" in stats
    assert "closed" not in stats and "penalty_decisions" not in stats
    users = _plain(played, "users", "list")
    assert "网格员" in users and "启用" in users and "officer" in users
    listed = json_lines(run(played.env["url"], "users", "list", "--json").stdout)
    assert {u["name"] for u in listed} >= {"officer", "admin"}
