"""Labels for codes: every audit action the domain writes has a Chinese and an English label;
refused review decisions are said in the reader's language, beside the field."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from imagery.errors import RejectedFile
from inspections.errors import IllegalTransition, InvalidInput, MissingEvidence
from inspections.schema import ROUND_STATES
from inspections.workflow import STEPS
from web.i18n.catalog import MESSAGES
from web.pages.labels import action_label, label
from web.pages.review import decision_error

INSPECTIONS = Path(__file__).resolve().parents[2] / "inspections"


def _written_actions() -> set[str]:
    """Every action code inspections/* passes to audit.record (literal or per step/state)."""
    found = set()
    for source in INSPECTIONS.rglob("*.py"):
        found |= set(re.findall(r'action="([a-z_]+\.[a-z_]+)"', source.read_text()))
    moved = {f"case.{name}" for name, step in STEPS.items() if step.to is not None}
    return found | moved | {f"round.{state}" for state in ROUND_STATES if state != "scheduled"}


def test_every_action_written_has_a_label_in_both_languages() -> None:
    actions = _written_actions()
    assert {"case.create", "measure.complete", "objection.record", "ticket.issue"} <= actions
    for code in actions:
        assert f"action.{code}" in MESSAGES, code
        assert set(MESSAGES[f"action.{code}"]) == {"zh", "en"}


@pytest.mark.parametrize(("code", "zh", "en"), [
    ("case.create", "立案", "case opened"), ("measure.complete", "完成措施",
                                             "measure completed"),
    ("objection.record", "记录异议", "objection recorded"),
    ("ticket.issue", "下发督办单", "ticket issued")])
def test_actions_read_as_people_say_them(code: str, zh: str, en: str) -> None:
    assert action_label(code, "zh") == zh
    assert action_label(code, "en") == en


def test_unknown_codes_never_show_an_action_code() -> None:
    assert action_label("case.teleport", "zh") == "其他操作"
    assert label("state", "rectifying", "zh") == "整改中"
    assert label("source", "inspection_feedback", "zh") == "督察反馈问题"
    with pytest.raises(ValueError, match="label kind 'colour' is unknown"):
        label("colour", "red", "zh")


def test_a_refused_review_names_the_field_in_chinese() -> None:
    missing = MissingEvidence("round 3: a review needs a note saying what was found")
    assert decision_error(missing, "", "zh") == ("note", "请填写复核意见，写明现场看到的情况。")
    field, text = decision_error(MissingEvidence("round 3: no photo"), "堆体已清", "zh")
    assert field == "photos" and text.startswith("没有在回头看时间窗内拍到")
    assert decision_error(IllegalTransition("x"), "n", "zh")[1].startswith("该轮次已不在待复核")
    assert decision_error(RejectedFile("f09.jpg", "not an image"), "n", "zh") == (
        "photos", "照片未能保存：f09.jpg: not an image")
    assert decision_error(InvalidInput("outcome 'x'"), "n", "en") == (
        "form", "Not recorded: outcome 'x'")
