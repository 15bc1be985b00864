"""The `label` template filter (registered at import): the codes records carry in the page's
language, worded by web/i18n/labels.py (whose functions are re-exported here)."""

from __future__ import annotations

from jinja2 import pass_context
from jinja2.runtime import Context

from web.i18n.labels import KINDS, action_label, label
from web.pages.render import TEMPLATES

__all__ = ["KINDS", "action_label", "label", "label_filter"]


@pass_context
def label_filter(context: Context, code: str | None, kind: str) -> str:
    """`{{ h.action | label('action') }}` in the page's language."""
    return label(kind, code, context.get("lang", "zh"))


TEMPLATES.env.filters["label"] = label_filter
