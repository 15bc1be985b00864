"""One message catalog for every user-facing string: Simplified Chinese by default, English."""

from __future__ import annotations

from web.i18n.catalog import MESSAGES

LANGUAGES = ("zh", "en")
DEFAULT = "zh"


def language(requested: str | None) -> str:
    """A supported language code from a cookie or query value (else the default)."""
    return requested if requested in LANGUAGES else DEFAULT


def t(key: str, lang: str = DEFAULT, **values: object) -> str:
    """The message `key` in `lang`, with {placeholders} filled in."""
    entry = MESSAGES[key]
    return entry.get(lang, entry[DEFAULT]).format(**values)
