"""A refused step of a rectification task as a page says it: which case blocks, why, and that
no case was changed ("案件 LF-07 不能验收：该案件当前为“整改中”，须为“已整改待验收”。…")."""

from __future__ import annotations

import re

from inspections.errors import IllegalTransition, InvalidInput, TaskBlocked
from web.i18n import t
from web.pages.case_errors import page_error

STATE = re.compile(r"a case that is '(\w+)'; it must be '(\w+)'")


def reason(cause: Exception, lang: str) -> str:
    """Why one case refused the step, in the reader's language."""
    found = STATE.search(str(cause)) if isinstance(cause, IllegalTransition) else None
    if found:
        return t("rtask.reason.state", lang, state=t(f"state.{found[1]}", lang),
                 wanted=t(f"state.{found[2]}", lang))
    return page_error(cause, lang)[1]


def blocked_message(exc: TaskBlocked, lang: str) -> str:
    """The whole refusal, naming the case."""
    return t("rtask.blocked", lang, reference=exc.reference,
             step=t(f"rtask.action.{exc.step}", lang), reason=reason(exc.cause, lang))


def task_error(exc: Exception, lang: str) -> tuple[str, str]:
    """The form field a refused task step concerns ("form": the whole) and the message."""
    if isinstance(exc, TaskBlocked):
        return "form", blocked_message(exc, lang)
    if isinstance(exc, InvalidInput) and "has no cases" in str(exc):
        return "form", t("rtask.error.empty", lang)
    return page_error(exc, lang)
