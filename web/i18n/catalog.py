"""The messages, by key: {"zh": ..., "en": ...}, joined from the modules of
web/i18n/messages (one per area, so each area's strings live together). Domain terms as the
glossary gives them; a key defined twice is an error at import."""

from __future__ import annotations

import importlib
import pkgutil

from web.i18n import messages as parts


def _join() -> dict[str, dict[str, str]]:
    joined: dict[str, dict[str, str]] = {}
    for info in sorted(pkgutil.iter_modules(parts.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{parts.__name__}.{info.name}")
        for key, entry in module.MESSAGES.items():
            if key in joined:
                raise ValueError(f"message {key!r}: defined twice (again in {info.name})")
            joined[key] = entry
    return joined


MESSAGES: dict[str, dict[str, str]] = _join()
