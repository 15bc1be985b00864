"""A refused case step as a page shows it: the field it concerns and a catalog message (the
domain's errors are English sentences for the API)."""

from __future__ import annotations

import re

from imagery.errors import ImageryError, RejectedFile
from inspections.errors import (
    IllegalTransition,
    InvalidInput,
    MissingEvidence,
    NotAllowed,
    NotFound,
)
from web.i18n import t

# (error class, pattern in its message, the form field, the catalog key), first match wins.
RULES: tuple[tuple[type[Exception], str, str, str], ...] = (
    (MissingEvidence, r"needs .* photos", "photos", "loop.error.photos"),
    (MissingEvidence, r"needs a note", "note", "loop.error.note"),
    (MissingEvidence, r"needs assessment documents", "documents", "loop.error.documents"),
    (InvalidInput, r"conclusion must not be empty", "conclusion", "loop.error.conclusion"),
    (InvalidInput, r"conclusion is longer", "conclusion", "loop.error.conclusion_long"),
    (InvalidInput, r"documents: more than", "documents", "loop.error.too_many_documents"),
    (MissingEvidence, r"without acceptance photos", "form", "loop.error.no_acceptance"),
    (IllegalTransition, r"before the notice period", "form", "loop.error.notice_running"),
    (IllegalTransition, r"with objection", "form", "loop.error.objections_open"),
    (IllegalTransition, r"measure \d+ is already done", "position", "loop.error.measure_done"),
    (IllegalTransition, r"objection \d+ was already decided", "form", "loop.error.decided"),
    (IllegalTransition, r"closed case takes no person", "form", "loop.error.state"),
    (IllegalTransition, r"", "form", "loop.error.state"),
    (NotFound, r"no measure", "position", "loop.error.no_measure"),
    (NotFound, r"no objection", "form", "loop.error.decided"),
    (NotAllowed, r"", "form", "loop.error.not_allowed"),
    (Exception, r"person must not be empty", "person", "loop.error.required"),
    (Exception, r"longer than 100", "person", "loop.error.too_long"),
    (Exception, r"deadline .* is not after today", "deadline", "loop.error.deadline_past"),
    (Exception, r"reference is taken", "reference", "loop.error.reference_taken"),
)


def page_error(exc: Exception, lang: str) -> tuple[str, str]:
    """The form field a refused step concerns ("form" for the whole form) and the message."""
    if isinstance(exc, RejectedFile):
        return "photos", t("loop.error.photo", lang, name=exc.name)
    if isinstance(exc, ImageryError):
        return "photos", t("loop.error.photo", lang, name="")
    for cls, pattern, field, key in RULES:
        if isinstance(exc, cls) and re.search(pattern, str(exc)):
            return field, t(key, lang)
    return "form", t("loop.error.other", lang)
