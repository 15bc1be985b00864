"""Messages of the organisation records (组织领导: 会议、批示、带队督查): the list, the form, the
sheet and their figures in `lookback stats`."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "nav.organisation": {"zh": "组织领导", "en": "Organisation"},
    "action.organisation.record": {"zh": "登记组织领导记录",
                                   "en": "organisation record added"},
    "org.title": {"zh": "组织领导（会议、批示、带队督查）",
                  "en": "Meetings, instructions and leader-led checks"},
    "org.count": {"zh": "共 {total} 次", "en": "{total} in all"},
    "org.new": {"zh": "登记会议、批示或带队督查", "en": "Record a meeting, instruction or check"},
    "org.held_on": {"zh": "日期", "en": "Date"},
    "org.kind": {"zh": "类别", "en": "Kind"},
    "org.kind.meeting": {"zh": "会议", "en": "Meeting"},
    "org.kind.instruction": {"zh": "批示", "en": "Written instruction"},
    "org.kind.leader_check": {"zh": "带队督查", "en": "Leader-led check"},
    "org.leader": {"zh": "领导", "en": "Leader"},
    "org.leader_hint": {"zh": "主持、批示或带队的领导，例如 区委书记",
                        "en": "Who chaired, wrote or led it"},
    "org.subject": {"zh": "事项", "en": "Subject"},
    "org.subject_hint": {"zh": "例如 研究部署督察反馈问题整改工作",
                         "en": "e.g. the rectification of the feedback problems"},
    "org.cases": {"zh": "关联案件", "en": "Cases"},
    "org.cases_hint": {"zh": "填写案件编号，多个编号用顿号（、）或逗号分隔；可不填。",
                       "en": "Case references, separated by commas; optional."},
    "org.note": {"zh": "备注", "en": "Note"},
    "org.too_many": {"zh": "最多关联 {limit} 个案件", "en": "at most {limit} cases"},
    "org.search": {"zh": "搜索事项、领导、备注或案件编号",
                   "en": "Search subject, leader, note or case"},
    "org.none": {"zh": "没有符合条件的会议、批示或带队督查",
                 "en": "No meetings, instructions or checks match"},
    "org.none_hint": {"zh": "请放宽日期范围、类别或镇(街道)，或清空搜索。",
                      "en": "Widen the dates, kind or town, or clear the search."},
    "org.import_confirm": {"zh": "导入后文件中每一行登记为一条记录；任何一行有误则全部不导入。",
                           "en": "Each row becomes a record; if any row is wrong, nothing is "
                                 "imported."},
    "org.imported": {"zh": "已导入 {count} 条记录", "en": "{count} records imported"},
    "org.recorded": {"zh": "已登记", "en": "Recorded"},
    "org.confirm": {"zh": "提交后计入进展报告“加强组织领导”的会议、批示、带队督查次数。",
                    "en": "Once submitted it counts in the progress report's organisation "
                          "figures."},
    "org.sheet": {"zh": "组织领导", "en": "Organisation"},
    "fig.organisation": {"zh": "组织领导", "en": "Organisation"},
    "fig.meetings": {"zh": "会议（次）", "en": "meetings"},
    "fig.instructions": {"zh": "批示（次）", "en": "written instructions"},
    "fig.leader_checks": {"zh": "带队督查（次）", "en": "leader-led checks"},
}
