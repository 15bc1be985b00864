"""The industries the source report names, keyed in English, recognised in Chinese too."""

from __future__ import annotations

INDUSTRIES = {
    "pharma_chemical": ("医化", "医药化工", "化工", "制药"),
    "dyeing": ("印染",),
    "eyewear": ("眼镜",),
    "textile": ("纺织",),
    "ship_repair": ("船舶修造", "船舶", "修造船"),
    "sand_gravel": ("砂石", "砂石料"),
}
_LOOKUP = {alias: key for key, aliases in INDUSTRIES.items() for alias in (key, *aliases)}


def normalise_industry(value: str | None) -> str | None:
    """The English key of a known industry (医化 -> pharma_chemical); other values unchanged."""
    if value is None:
        return None
    text = value.strip()
    return _LOOKUP.get(text, _LOOKUP.get(text.lower().replace(" ", "_"), text)) or None
