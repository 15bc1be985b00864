"""The frame's and lists' messages: navigation, pages of a list."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "nav.main": {"zh": "主导航", "en": "Main navigation"},
    "nav.more": {"zh": "更多", "en": "More"},
    # A phone's bottom tab holds one line at 360 px (six to a row): the longer names shortened.
    "nav.upload.tab": {"zh": "上传", "en": "Upload"},
    "nav.review.tab": {"zh": "复核", "en": "Review"},
    "nav.dashboard.tab": {"zh": "驾驶舱", "en": "Leaders"},
    "nav.cases": {"zh": "案件", "en": "Cases"},
    "nav.tickets": {"zh": "督办单", "en": "Tickets"},
    "list.pages": {"zh": "分页", "en": "Pages"},
    "list.previous": {"zh": "上一页", "en": "Previous"},
    "list.next": {"zh": "下一页", "en": "Next"},
    "list.page_of": {"zh": "第 {number} / {pages} 页", "en": "Page {number} of {pages}"},
}
