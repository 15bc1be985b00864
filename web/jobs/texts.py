"""Jobs in words: a job's error and progress step in the reader's language."""

from __future__ import annotations

from typing import Any

from web.i18n import t
from web.i18n.catalog import MESSAGES

REASON_PREFIX = "upload.reason."


def step_text(label: str | None, lang: str) -> str:
    """A progress label: a catalog key (jobs.step.*) in words, other text as it is."""
    if label and label in MESSAGES:
        return t(label, lang)
    return label or ""


def error_text(code: str | None, values: dict[str, Any] | None, lang: str) -> str:
    """What went wrong, naming the input and the problem ("" when nothing did)."""
    if not code:
        return ""
    values = dict(values or {})
    if code == "rejected_file":
        key = REASON_PREFIX + str(values.get("reason_code"))
        values["reason"] = t(key, lang) if key in MESSAGES else values.get("reason", "")
    key = f"jobs.error.{code}"
    if key not in MESSAGES:
        key, values = "jobs.error.rejected", {"title": values.get("title", ""), "problem": code}
    try:
        return t(key, lang, **values)
    except KeyError:  # a value missing from an old record: say what there is
        return t("jobs.error.rejected", lang, title=values.get("title", ""), problem=code)
