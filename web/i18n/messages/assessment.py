"""The closure assessment's messages (销号评估): its state, the roles of the government's
acceptance and assessment groups, the case page's form, the documents, the public notice."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "state.assessed": {"zh": "已评估待公示", "en": "assessed"},
    "role.acceptor": {"zh": "验收工作小组", "en": "acceptance group"},
    "role.assessor": {"zh": "评估工作小组", "en": "assessment group"},
    "action.case.assess": {"zh": "销号评估", "en": "assessed for closure"},
    "action.step_roles.set": {"zh": "设置验收、评估角色", "en": "step roles set"},
    "loop.step.assess": {"zh": "销号评估", "en": "Assess for closure"},
    "loop.confirm.assess": {"zh": "提交后案件评估完成，等待公示；评估结论将在公示页面公开。",
                            "en": "The case will be assessed and await public notice; the "
                                  "conclusion will be shown on the public notice."},
    "loop.conclusion": {"zh": "评估结论", "en": "Conclusion"},
    "loop.conclusion_hint": {"zh": "如：经评估，该项整改任务措施已落实，达到整改目标要求，"
                                   "符合销号条件。",
                             "en": "e.g. The measures are in place, the target is reached: "
                                   "the case may be closed."},
    "loop.documents": {"zh": "评估材料（PDF、Word 文档或扫描件，可多选）",
                       "en": "Documents (PDF, Word or scans; several allowed)"},
    "loop.assessment": {"zh": "销号评估", "en": "Closure assessment"},
    "loop.assessment_by": {"zh": "{who} 于 {at} 评估", "en": "Assessed by {who} on {at}"},
    "loop.assessment_none": {"zh": "尚未评估。", "en": "Not assessed yet."},
    "loop.assessment_legacy": {"zh": "无评估记录：本案件在销号评估纳入闭环流程之前已公示。",
                               "en": "No assessment on record: the case was publicised before "
                                     "the assessment became a step."},
    "loop.document_size": {"zh": "{kb} KB", "en": "{kb} KB"},
    "loop.error.conclusion": {"zh": "请填写评估结论。", "en": "Give the conclusion."},
    "loop.error.conclusion_long": {"zh": "评估结论不能超过4000个字。",
                                   "en": "At most 4000 characters."},
    "loop.error.documents": {"zh": "请上传至少一份评估材料。",
                             "en": "Add at least one document."},
    "loop.error.too_many_documents": {"zh": "评估材料不能超过20份。",
                                      "en": "At most 20 documents."},
    "loop.error.document.empty": {"zh": "文件 {name} 是空文件。", "en": "File {name} is empty."},
    "loop.error.document.too_large": {"zh": "文件 {name} 超过大小限制（{mb} MB）。",
                                      "en": "File {name} is larger than {mb} MB."},
    "loop.error.document.old_word": {"zh": "文件 {name} 是旧版 Word（.doc）文档，"
                                           "请另存为 .docx 或 PDF 后上传。",
                                     "en": "File {name} is an old Word (.doc) file; save it "
                                           "as .docx or PDF."},
    "loop.error.document.not_docx": {"zh": "文件 {name} 是压缩包，不是 Word（.docx）文档。",
                                     "en": "File {name} is a zip file, not a Word (.docx) "
                                           "document."},
    "loop.error.document.unknown": {"zh": "文件 {name} 不是 PDF、Word（.docx）文档或"
                                          "扫描图片（PNG、JPEG、TIFF）。",
                                    "en": "File {name} is not a PDF, a Word (.docx) document "
                                          "or a scan (PNG, JPEG, TIFF)."},
    "desk.card.assessments": {"zh": "待评估案件", "en": "Awaiting assessment"},
    "desk.act.assess": {"zh": "评估", "en": "Assess"},
    "desk.note.case_assessed": {"zh": "案件 {ref} 已完成销号评估", "en": "Case {ref} assessed"},
    "public.conclusion": {"zh": "评估结论", "en": "Assessment conclusion"},
    "public.no_conclusion": {"zh": "本案件公示于销号评估纳入流程之前，无评估结论记录。",
                             "en": "This case was publicised before assessments were "
                                   "recorded: there is no conclusion on record."},
    "fig.assessed": {"zh": "已评估（个）", "en": "assessed"},
    "steproles.title": {"zh": "验收、销号评估办理角色", "en": "Who accepts and assesses"},
    "steproles.link": {"zh": "验收、销号评估办理角色", "en": "Who accepts and assesses"},
    "steproles.intro": {"zh": "按问题来源设置由哪些角色办理验收和销号评估。默认：验收由验收工作小组"
                              "办理，销号评估由评估工作小组办理；第三方检查人员负责回头看。",
                        "en": "Per case source, the roles that accept and assess. By default "
                              "the acceptance group accepts and the assessment group "
                              "assesses; third-party inspectors do the look-backs."},
    "steproles.step.accept": {"zh": "验收", "en": "acceptance"},
    "steproles.step.assess": {"zh": "销号评估", "en": "closure assessment"},
    "steproles.default": {"zh": "默认", "en": "default"},
    "steproles.who": {"zh": "办理角色", "en": "Roles"},
    "steproles.save": {"zh": "保存", "en": "Save"},
    "steproles.reset": {"zh": "恢复默认", "en": "Back to the default"},
    "steproles.saved": {"zh": "已保存{source}的{step}办理角色。",
                        "en": "Saved who takes the {step} of {source} cases."},
    "steproles.error.none": {"zh": "请至少选择一个角色。", "en": "Choose at least one role."},
    "steproles.error.bad": {"zh": "未能保存：问题来源、环节或角色无效。",
                            "en": "Not saved: unknown source, step or role."},
}
