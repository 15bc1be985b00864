"""Messages of the report page (整改进展报告): the period, the parts' paragraphs, the draft,
saving and its refusals, the report button."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "nav.reports": {"zh": "进展报告", "en": "Reports"},
    "action.report_texts.save": {"zh": "保存报告文字", "en": "report paragraphs saved"},
    "reports.title": {"zh": "整改进展报告", "en": "Progress reports"},
    "reports.write": {"zh": "填写报告文字", "en": "Write the report's paragraphs"},
    "reports.intro": {
        "zh": "报告中的数字由系统按记录生成，各部分的文字在此填写，写在该部分的数字之后。保存后写入"
              "该期报告，并作为下一期的草稿；留空的部分只写数字。",
        "en": "The report's figures come from the records; each part's paragraph is written "
              "here and follows its figures. Saved paragraphs go into that period's report "
              "and become the next period's draft; an empty part carries figures only."},
    "reports.year": {"zh": "年份", "en": "Year"},
    "reports.month": {"zh": "月份", "en": "Month"},
    "reports.whole_year": {"zh": "全年（年度报告）", "en": "Whole year"},
    "reports.month_n": {"zh": "{month}月", "en": "Month {month}"},
    "reports.show": {"zh": "查看", "en": "Show"},
    "reports.period": {"zh": "{period}整改进展报告", "en": "Progress report, {period}"},
    "reports.state.saved": {"zh": "已保存", "en": "Saved"},
    "reports.state.draft": {"zh": "草稿", "en": "Draft"},
    "reports.state.new": {"zh": "未填写", "en": "Not written"},
    "reports.saved_by": {"zh": "{by} 于 {at} 保存", "en": "Saved by {by} at {at}"},
    "reports.draft_notice": {
        "zh": "本期尚未保存文字，以下草稿取自{source}的报告。草稿不会写入本期报告，修改后点"
              "“保存”才生效。",
        "en": "Nothing is saved for this period yet: the draft below is from {source}. A draft "
              "is not in this period's report until it is saved."},
    "reports.empty_notice": {"zh": "本期及以前各期都还没有文字。",
                             "en": "No paragraphs are saved for this or an earlier period."},
    "reports.saved": {"zh": "已保存{period}的报告文字。",
                      "en": "The paragraphs of {period} are saved."},
    "reports.hint": {"zh": "最多{limit}字，可留空", "en": "Up to {limit} characters; may be empty"},
    "reports.save": {"zh": "保存{period}报告文字", "en": "Save the paragraphs of {period}"},
    "reports.saving": {"zh": "正在保存…", "en": "Saving…"},
    "reports.read_only": {"zh": "您的账号可以查看报告文字，不能修改。",
                          "en": "Your account may read these paragraphs, not change them."},
    "reports.make": {"zh": "生成{period}整改进展报告",
                     "en": "Make the progress report of {period}"},
    "reports.starting": {"zh": "正在提交…", "en": "Starting…"},
    "reports.make_hint": {"zh": "报告在后台生成，使用本期已保存的文字，完成后在任务页下载。",
                          "en": "The report is made in the background with the paragraphs "
                                "saved for this period; download it from the tasks page."},
    "reports.jobs_link": {"zh": "查看任务", "en": "See the tasks"},
    "reports.error.period": {"zh": "年份须为2000年至2100年，月份须为1月至12月（或全年），"
                                   "请重新选择。",
                             "en": "Choose a year from 2000 to 2100 and a month from 1 to 12 "
                                   "(or the whole year)."},
    "reports.error.form": {"zh": "未保存：请按各部分下方的提示修改后再保存。",
                           "en": "Not saved: correct the parts marked below, then save."},
    "reports.error.too_long": {"zh": "“{part}”共{length}字，超过{limit}字的上限，请删减。",
                               "en": "{part}: {length} characters, more than {limit}; "
                                     "please shorten it."},
    "reports.error.unknown_part": {"zh": "报告中没有“{part}”这一部分。",
                                   "en": "The report has no part {part}."},
    "reports.error.control_chars": {"zh": "“{part}”含有无法保存的控制字符，请删除后再保存。",
                                    "en": "{part}: holds control characters; remove them."},
    "reports.error.not_text": {"zh": "“{part}”的内容不是文字，请重新填写。",
                               "en": "{part}: the content is not text; write it again."},
}
