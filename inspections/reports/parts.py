"""The written paragraphs a progress report may carry, by key, with the heading each goes
under: what the report page asks for and the report places (每月报 / 年度报告)."""

from __future__ import annotations

PARTS = {
    "intro": "导语（报告开头）",
    "organisation": "一、（一）加强组织领导",
    "responsibility": "一、（二）压实整改责任",
    "follow_up": "一、（三）强化跟踪问效",
    "supervision": "一、（四）加大监管力度",
    "closed_loop": "一、（五）实行闭环管理",
    "publicity": "一、（六）坚持信息公开",
    "feedback": "二、（一）反馈问题整改落实情况",
    "petitions": "二、（二）交办信访件落实情况",
    "problems": "三、（一）存在问题",
    "plan": "三、（二）下一步工作计划",
}
