"""How an audit entry is hashed: over the previous entry's hash and a canonical JSON of its
fields, with SHA-256 (scheme "sha256", entries from before the installation had a key) or
HMAC-SHA256 under the audit key (scheme "hmac-sha256", every entry since)."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from inspections.audit_key import AuditKey

GENESIS = "0" * 64  # what the first entry follows
PLAIN = "sha256"
KEYED = "hmac-sha256"


def _canonical_time(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def _message(prev_hash: str, *, at: datetime, actor: str, role: str, action: str,
             entity: str, entity_id: int, note: str | None, data: dict[str, Any]) -> bytes:
    """The previous hash followed by a canonical JSON of the entry: what is hashed or keyed."""
    body = json.dumps(
        {"at": _canonical_time(at), "actor": actor, "role": role, "action": action,
         "entity": entity, "entity_id": entity_id, "note": note, "data": data},
        sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return (prev_hash + body).encode("utf-8")


def entry_hash(prev_hash: str, **fields: Any) -> str:
    """SHA-256 over the previous hash and the entry (the plain scheme, before the key)."""
    return hashlib.sha256(_message(prev_hash, **fields)).hexdigest()


def entry_mac(key: AuditKey, prev_hash: str, **fields: Any) -> str:
    """HMAC-SHA256 under the key over the previous hash and the entry (the keyed scheme)."""
    return key.mac(_message(prev_hash, **fields))
