"""What the ticket pages' forms need: dates read and written as the district writes them, a
field's error in the user's language, and domain errors turned into catalog messages."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from imagery.errors import FileTooLarge, ImageryError, RejectedFile
from inspections.errors import IllegalTransition, NotAllowed
from web.i18n import t


@dataclass
class FormState:
    """A form as it was sent: what was typed, and each field's error (empty when fine)."""

    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """No field has an error."""
        return not self.errors


def day_text(day: date | None, lang: str) -> str:
    """A date as the bureau writes it: 2022年6月30日 (2022-06-30 in English)."""
    if day is None:
        return ""
    return t("tk.day", lang, year=day.year, month=day.month, day=day.day)


def days_text(deadline: date, today: date, lang: str) -> str:
    """Days left before the deadline, or days overdue."""
    left = (deadline - today).days
    if left > 0:
        return t("tk.days_left", lang, days=left)
    if left == 0:
        return t("tk.due_today", lang)
    return t("tk.days_over", lang, days=-left)


def need_text(form: FormState, name: str, error_key: str, lang: str) -> str:
    """The field's text stripped; an error on the field when it is empty."""
    value = form.values.get(name, "").strip()
    if not value:
        form.errors[name] = t(error_key, lang)
    return value


def need_deadline(form: FormState, name: str, today: date, lang: str) -> date | None:
    """The field's date (from a date picker: YYYY-MM-DD), today or later; else an error."""
    value = form.values.get(name, "").strip()
    if not value:
        form.errors[name] = t("tk.error.deadline_missing", lang)
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        form.errors[name] = t("tk.error.deadline_bad", lang, value=value)
        return None
    if day < today:
        form.errors[name] = t("tk.error.deadline_past", lang, today=day_text(today, lang))
        return None
    return day


def photo_error(exc: ImageryError, lang: str) -> str:
    """Why a photo sent with the form was refused, in the user's language."""
    name = exc.name if isinstance(exc, RejectedFile) else ""
    reason = t("tk.error.photo_size" if isinstance(exc, FileTooLarge)
               else "tk.error.photo_kind", lang)
    return t("tk.error.photo", lang, name=name, reason=reason)


def step_error(exc: Exception, lang: str) -> str:
    """A refused step (the domain's English sentence) as a catalog message."""
    if isinstance(exc, NotAllowed):
        return t("tk.error.not_allowed", lang)
    if isinstance(exc, IllegalTransition):
        return t("tk.error.changed", lang)
    return t("tk.error.failed", lang)
