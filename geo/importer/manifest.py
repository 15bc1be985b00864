"""Import a folder of layer files described by a manifest.json (the demo data's format)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from geo import layers
from geo.errors import LayerImportError
from geo.importer import ImportOptions

_TARGETS = {"grid": layers.GRID_CELLS, "sites": layers.SITES}
_OPTION_KEYS = {"code_field", "name_field", "town_field", "industry_field", "crs", "encoding",
                "x_field", "y_field"}


@dataclass(frozen=True)
class ManifestEntry:
    """One file of a manifest and how to import it."""

    path: Path
    layer: layers.Layer
    kind: str | None
    options: ImportOptions


def read_manifest(path: Path) -> list[ManifestEntry]:
    """The entries of a manifest.json, files resolved beside it."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        return [_entry(path.parent, raw) for raw in doc["layers"]]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise LayerImportError(str(path), [f"is not a readable manifest: {exc!r}"]) from exc


def _entry(folder: Path, raw: dict[str, Any]) -> ManifestEntry:
    options = {k: v for k, v in raw.items() if k in _OPTION_KEYS}
    if raw.get("layer_name"):
        options["layer"] = raw["layer_name"]
    return ManifestEntry(folder / raw["file"], _TARGETS[raw["layer"]], raw.get("kind"),
                         ImportOptions(**options))


def entries_in_order(entries: list[ManifestEntry]) -> Iterator[ManifestEntry]:
    """Grid cells first, so sites can be checked against them later."""
    yield from sorted(entries, key=lambda e: e.layer is not layers.GRID_CELLS)


