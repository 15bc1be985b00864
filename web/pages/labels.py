"""Labels for the codes records carry (audit actions, case/round/ticket states, sources,
flags), in the reader's language; the `label` template filter (registered at import)."""

from __future__ import annotations

from jinja2 import pass_context
from jinja2.runtime import Context

from web.i18n import t
from web.i18n.catalog import MESSAGES
from web.pages.render import TEMPLATES

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


@pass_context
def label_filter(context: Context, code: str | None, kind: str) -> str:
    """`{{ h.action | label('action') }}` in the page's language."""
    return label(kind, code, context.get("lang", "zh"))


TEMPLATES.env.filters["label"] = label_filter
