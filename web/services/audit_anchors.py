"""Writing the audit chain's head to the anchor file (at `lookback init`, at each daily tick,
with each report), and noting it in a report's document properties."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy.engine import Engine

from inspections import audit, audit_anchor, audit_key
from inspections.audit_anchor import Anchor
from inspections.clock import SystemClock
from web.i18n import t
from web.settings import Settings

if TYPE_CHECKING:  # a type only: `lookback tick` anchors without loading python-docx
    from docx.document import Document as DocumentType


def anchor_head(engine: Engine, settings: Settings, writer: str) -> Anchor:
    """Append the chain's head, as committed now, to the anchor file; the anchor written.

    Its time is the real time even when LOOKBACK_NOW freezes the application's clock: an
    anchor says when its line was written, as the security log's limits count real time."""
    with engine.connect() as conn:
        head = audit.head(conn)
        key = audit_key.key_of(conn)
    return audit_anchor.append(settings.audit_anchor_path, head, at=SystemClock().now(),
                               writer=writer, key=key)


def anchor_fields(anchor: Anchor) -> dict[str, Any]:
    """The anchor as JSON output shows it."""
    return {"entries": anchor.head.entries, "plain": anchor.head.plain,
            "head": anchor.head.hash, "writer": anchor.writer, "at": anchor.at.isoformat()}


def stamp_report(doc: DocumentType, anchor: Anchor) -> None:
    """Note the anchored head in the report's document properties, not on its pages (they
    keep the GB/T 9704 layout): a filed copy can be matched with its anchor line."""
    doc.core_properties.comments = t("audit.report_stamp", "zh", entries=anchor.head.entries,
                                     head=anchor.head.hash)
