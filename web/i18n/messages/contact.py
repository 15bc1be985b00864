"""Messages of a case's closure-report contact page."""

MESSAGES = {
    "contact.title": {"zh": "销号评估报告联系人", "en": "The closure report's contact"},
    "contact.back": {"zh": "返回案件 {reference}", "en": "Back to case {reference}"},
    "contact.link": {"zh": "设置联系人", "en": "Set the contact"},
    "contact.below": {
        "zh": "不填的项沿用整改任务或系统设置：联系人 {person}，联系电话 {phone}，"
              "电子邮箱 {email}。",
        "en": "A field left empty keeps the task's or the settings': {person}, {phone}, "
              "{email}."},
    "contact.confirm": {"zh": "保存后，本案件的销号评估报告按此署联系人。",
                        "en": "Once saved, the case's closure report names this contact."},
    "contact.save": {"zh": "保存联系人", "en": "Save the contact"},
    "contact.saved": {"zh": "已保存本案件的报告联系人。", "en": "The case's contact is saved."},
    "contact.error.long": {"zh": "联系人不超过 100 个字。",
                           "en": "A contact person is at most 100 characters."},
}
