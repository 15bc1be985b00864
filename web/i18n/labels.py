"""Labels for the codes records carry (audit actions, case/round/ticket states, sources,
flags), in the reader's language (the pages use them through the `label` template filter
of web/pages/labels.py; the command line directly, without loading the pages)."""

from __future__ import annotations

from web.i18n import t
from web.i18n.catalog import MESSAGES

KINDS = ("action", "state", "round", "ticket", "source", "flag", "siteflag", "role")


def label(kind: str, code: str | None, lang: str) -> str:
    """The reader's word for a code of a kind ("action", "state", ...); an unknown action
    reads as "other action" (never the raw code), other unknown codes as themselves."""
    if kind not in KINDS:
        raise ValueError(f"label kind {kind!r} is unknown; use one of {', '.join(KINDS)}")
    key = f"{kind}.{code}"
    if key in MESSAGES:
        return t(key, lang)
    return t("action.unknown", lang) if kind == "action" else str(code or "")


def action_label(code: str, lang: str) -> str:
    """An audit action (case.create, measure.complete...) as people say it (立案, 完成措施)."""
    return label("action", code, lang)
