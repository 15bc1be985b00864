"""Rectification tasks (整改任务): the list, the new-task form, a task's page with its cases
and the steps it takes as one, and the refusals that name the case that blocks."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "nav.rtasks": {"zh": "整改任务", "en": "Rectification tasks"},
    "rtask.title": {"zh": "整改任务", "en": "Rectification tasks"},
    "rtask.new": {"zh": "新建整改任务", "en": "New task"},
    "rtask.total": {"zh": "共 {n} 项", "en": "{n} in all"},
    "rtask.empty": {"zh": "还没有整改任务。可由领导或管理员新建整改任务，"
                          "把多个点位的案件归入同一任务。",
                    "en": "No rectification tasks yet. A leader or an admin can make one "
                          "that groups the cases of many sites."},
    "rtask.name": {"zh": "任务名称", "en": "Task"},
    "rtask.name_hint": {"zh": "例如 农村生活垃圾污染问题", "en": "e.g. rural household waste"},
    "rtask.inspection": {"zh": "督察批次", "en": "Inspection"},
    "rtask.inspection_hint": {"zh": "例如 2018年“回头看”", "en": "e.g. the 2018 look-back"},
    "rtask.serial": {"zh": "督察序号", "en": "Serial number"},
    "rtask.cases": {"zh": "案件编号", "en": "Case references"},
    "rtask.cases_hint": {"zh": "每行一个，或用逗号、顿号、空格分隔",
                         "en": "One a line, or separated by commas or spaces"},
    "rtask.contact": {"zh": "销号评估报告联系人（不填则用系统设置）",
                      "en": "The closure report's contact (empty: the settings')"},
    "rtask.contact_person": {"zh": "联系人", "en": "Contact person"},
    "rtask.contact_phone": {"zh": "联系电话", "en": "Telephone"},
    "rtask.contact_email": {"zh": "电子邮箱", "en": "E-mail"},
    "rtask.confirm.new": {"zh": "提交后新建整改任务，所列案件归入该任务，各自保留证据和回头看。",
                          "en": "The task will be made with these cases; each keeps its "
                                "evidence and look-backs."},
    "rtask.sites": {"zh": "点位", "en": "Sites"},
    "rtask.site_count": {"zh": "{n} 处点位", "en": "{n} sites"},
    "rtask.case_count": {"zh": "{n} 件案件", "en": "{n} cases"},
    "rtask.state": {"zh": "任务状态", "en": "State"},
    "rtask.state_hint": {"zh": "按进度最慢的案件计", "en": "that of its least advanced case"},
    "rtask.by_state": {"zh": "各状态案件数", "en": "Cases by state"},
    "rtask.no_cases": {"zh": "该任务还没有案件。", "en": "The task has no cases yet."},
    "rtask.members": {"zh": "任务内案件", "en": "The task's cases"},
    "rtask.add": {"zh": "添加案件", "en": "Add cases"},
    "rtask.confirm.add": {"zh": "提交后所列案件归入本任务。",
                          "en": "The cases will join the task."},
    "rtask.remove": {"zh": "移出任务", "en": "Take out"},
    "rtask.remove_case": {"zh": "将案件 {reference} 移出本任务", "en": "Take case {reference} "
                                                                "out of the task"},
    "rtask.report": {"zh": "生成整改任务销号评估报告", "en": "Make the task's closure report"},
    "rtask.step.accept": {"zh": "整体验收", "en": "Accept all"},
    "rtask.step.assess": {"zh": "整体销号评估", "en": "Assess all"},
    "rtask.step.publicise": {"zh": "整体公示", "en": "Publicise all"},
    "rtask.step.close": {"zh": "整体销号", "en": "Close all"},
    "rtask.confirm.accept": {"zh": "提交后任务内全部 {n} 件案件验收通过，"
                                   "照片作为每个点位的验收佐证；有一件不能验收则全部不办理。",
                             "en": "All {n} cases will be accepted, the photos kept as each "
                                   "site's evidence; if one cannot be, none is."},
    "rtask.confirm.assess": {"zh": "提交后任务内全部 {n} 件案件评估完成，等待公示；"
                                   "有一件不能评估则全部不办理。",
                             "en": "All {n} cases will be assessed; if one cannot be, none is."},
    "rtask.confirm.publicise": {"zh": "提交后任务内全部 {n} 件案件自今日起公示，公示期相同；"
                                      "有一件不能公示则全部不办理。",
                                "en": "All {n} cases go on notice from today for the same "
                                      "period; if one cannot, none does."},
    "rtask.confirm.close": {"zh": "提交后任务内全部 {n} 件案件销号，并各自安排回头看；"
                                  "有一件不能销号则全部不办理。",
                            "en": "All {n} cases will be closed, each with its look-backs; "
                                  "if one cannot be, none is."},
    "rtask.blocking": {"zh": "以下案件尚不能{step}，提交将被拒绝：{refs}",
                       "en": "These cases cannot {step} yet, so it will be refused: {refs}"},
    "rtask.action.accept": {"zh": "验收", "en": "accept"},
    "rtask.action.assess": {"zh": "销号评估", "en": "assess"},
    "rtask.action.publicise": {"zh": "公示", "en": "publicise"},
    "rtask.action.close": {"zh": "销号", "en": "close"},
    "rtask.blocked": {"zh": "案件 {reference} 不能{step}：{reason}任务内的案件均未办理。",
                      "en": "Case {reference} cannot {step}: {reason} No case of the task "
                            "was changed."},
    "rtask.reason.state": {"zh": "该案件当前为“{state}”，须为“{wanted}”。",
                           "en": "it is '{state}'; it must be '{wanted}'."},
    "rtask.error.cases": {"zh": "没有编号为 {reference} 的案件，请核对案件编号。",
                          "en": "No case has the reference {reference}."},
    "rtask.error.taken": {"zh": "案件 {reference} 已归入其他整改任务。",
                          "en": "Case {reference} is already part of another task."},
    "rtask.error.not_member": {"zh": "案件 {reference} 不在本任务中。",
                               "en": "Case {reference} is not part of this task."},
    "rtask.error.contact_phone": {"zh": "请填写有效的联系电话（数字、空格、+、-、括号）。",
                                  "en": "Give a telephone number (digits, spaces, +, - and "
                                        "brackets)."},
    "rtask.error.contact_email": {"zh": "请填写有效的电子邮箱。", "en": "Give an e-mail address."},
    "rtask.error.empty": {"zh": "该任务还没有案件，不能办理。", "en": "The task has no cases."},
    "action.case.join_task": {"zh": "归入整改任务", "en": "joined a task"},
    "action.case.leave_task": {"zh": "移出整改任务", "en": "left a task"},
    "action.task.create": {"zh": "新建整改任务", "en": "task made"},
    "action.task.accept": {"zh": "整改任务整体验收", "en": "task accepted"},
    "action.task.assess": {"zh": "整改任务整体销号评估", "en": "task assessed"},
    "action.task.publicise": {"zh": "整改任务整体公示", "en": "task publicised"},
    "action.task.close": {"zh": "整改任务整体销号", "en": "task closed"},
    "action.case.set_contact": {"zh": "设置销号评估报告联系人", "en": "report contact set"},
}
