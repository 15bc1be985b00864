"""Messages of the checks (明察暗访 / 督查): the list, the form, a check's page, its sheet."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "nav.checks": {"zh": "督查检查", "en": "Checks"},
    "action.check.record": {"zh": "登记督查检查", "en": "check recorded"},
    "checks.title": {"zh": "督查检查", "en": "Checks"},
    "checks.count": {"zh": "共 {total} 次", "en": "{total} in all"},
    "checks.new": {"zh": "登记督查检查", "en": "Record a check"},
    "checks.checked_on": {"zh": "检查日期", "en": "Checked on"},
    "checks.kind": {"zh": "方式", "en": "Kind"},
    "checks.kind.unannounced": {"zh": "明察暗访", "en": "Unannounced"},
    "checks.kind.announced": {"zh": "督查", "en": "Announced"},
    "checks.organiser": {"zh": "组织单位", "en": "Organiser"},
    "checks.organiser_hint": {"zh": "例如 区委督查室、区整改协调小组",
                              "en": "e.g. the district supervision office"},
    "checks.findings": {"zh": "检查发现", "en": "Findings"},
    "checks.problems": {"zh": "是否发现问题", "en": "Problems found"},
    "checks.found.yes": {"zh": "发现问题", "en": "Problems found"},
    "checks.found.no": {"zh": "未发现问题", "en": "No problems"},
    "checks.photos": {"zh": "现场照片", "en": "Photos"},
    "checks.photos_hint": {"zh": "可拍照或从相册选择，可多张", "en": "Take or choose photos"},
    "checks.no_photos": {"zh": "没有现场照片", "en": "No photos"},
    "checks.recorded_by": {"zh": "登记人", "en": "Recorded by"},
    "checks.recorded_at": {"zh": "登记时间", "en": "Recorded at"},
    "checks.search": {"zh": "搜索发现、组织单位、点位或案件",
                      "en": "Search findings, organiser, site or case"},
    "checks.none": {"zh": "没有符合条件的督查检查", "en": "No checks match"},
    "checks.none_hint": {"zh": "请放宽日期范围、方式或镇(街道)，或清空搜索。",
                         "en": "Widen the dates, kind or town, or clear the search."},
    "checks.import_confirm": {"zh": "导入后文件中每一行登记为一次督查检查（照片不在表中）；"
                                    "任何一行有误则全部不导入。",
                              "en": "Each row becomes a check (photos are not in the sheet); "
                                    "if any row is wrong, nothing is imported."},
    "checks.imported": {"zh": "已导入 {count} 次督查检查", "en": "{count} checks imported"},
    "checks.recorded": {"zh": "已登记督查检查", "en": "Check recorded"},
    "checks.confirm": {"zh": "提交后登记为一次督查检查；发现问题可在检查页下发督办单。",
                       "en": "Once submitted it is recorded; a ticket can be issued from its "
                             "page."},
    "checks.sheet": {"zh": "督查检查", "en": "Checks"},
    "checks.one": {"zh": "{kind} · {day}", "en": "{kind} · {day}"},
    "checks.issue": {"zh": "下发督办单", "en": "Issue a ticket"},
    "checks.tickets": {"zh": "据此下发的督办单", "en": "Tickets issued from this check"},
    "checks.issue_hint": {"zh": "以检查发现作为督办要求，打开督办单表单。",
                          "en": "Opens the ticket form with the findings as its request."},
    "checks.back": {"zh": "返回督查检查列表", "en": "Back to the checks"},
}
