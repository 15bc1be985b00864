"""The progress report's sentences from known figures, as the source report writes them:
its enforcement sentence (起, 人, 万元) and the organisation sentence waiting for its
figures (meetings, instructions, leader-led checks: the seam for the organisation records)."""

from __future__ import annotations

from inspections.reports.progress_report import enforcement_sentence, organisation_sentence

SOURCE_2022 = {"penalty_decisions": 60, "fines_yuan": 8425735.0, "police_referrals": 9,
               "seizures_or_limits": 16, "detentions": 1, "detained_persons": 2,
               "criminal_cases": 1, "criminal_persons": 1}


def test_enforcement_is_written_as_in_the_source() -> None:
    assert enforcement_sentence(SOURCE_2022, "2022年") == (
        "2022年，生态环境部门共作出行政处罚决定60件，罚款842.5735万元，移送公安9起，"
        "行政拘留2人，刑事拘留1人，查封扣押、限产停产16起。")


def test_small_fines_stay_in_yuan_and_zeros_are_written() -> None:
    quiet = dict.fromkeys(SOURCE_2022, 0) | {"penalty_decisions": 1, "fines_yuan": 9999.5}
    assert enforcement_sentence(quiet, "2022年6月") == (
        "2022年6月，生态环境部门共作出行政处罚决定1件，罚款9999.5元，移送公安0起，"
        "行政拘留0人，刑事拘留0人，查封扣押、限产停产0起。")


def test_the_organisation_sentence_waits_for_its_figures() -> None:
    assert organisation_sentence({}, "2022年") is None
    figures = {"organisation": {"meetings": 42, "instructions": 34, "leader_checks": 35}}
    assert organisation_sentence(figures, "2022年") == (
        "2022年，区委、区政府先后42次召开会议研究生态环境保护督察整改相关事项，区委书记、区长作出"
        "批示34次，区级领导先后35次带队奔赴现场解决重难点问题。")
