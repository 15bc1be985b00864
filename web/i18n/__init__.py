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


def messages_for(lang: str, prefixes: tuple[str, ...]) -> dict[str, str]:
    """The messages a page's script needs (keys starting with any prefix), in `lang`, with
    their {placeholders} left for the script to fill."""
    return {key: entry.get(lang, entry[DEFAULT]) for key, entry in MESSAGES.items()
            if key.startswith(prefixes)}
