"""The secret that keys the audit chain (HMAC-SHA256), kept in a file outside the database.

How the key reaches the code that writes entries: the application layer, which opens the
database, also loads the key and `attach`es it to the engine; every connection that engine
hands out then carries it in its `info` dictionary, and `audit.record` takes it from there.
Why there and not elsewhere:

- every audited change is written on a connection the application opened, by some twenty
  domain services (cases, workflow, look-backs, tickets, complaints, ...) that each take a
  connection and an actor. The key belongs to the database handle, like its URL, so none of
  those signatures, nor their callers in the pages, the API, the CLI and the demo, carry it;
- an actor is a person in a role; a secret of the installation is not a person's attribute;
- it is per engine, never process-wide: two engines on two databases with two keys in one
  process stay apart, and a connection opened without a key cannot write an entry (`record`
  refuses) rather than silently writing an unkeyed one.

Checking uses the connection's key too, unless given another one explicitly
(`audit.verify(conn, key)`): the command line checks with the key file as it is now.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from inspections.errors import AuditKeyError

KEY_BYTES = 32
_INFO = "lookback_audit_key"
_FINGERPRINT = b"lookback audit key fingerprint"


@dataclass(frozen=True)
class AuditKey:
    """A 32-byte secret: `mac` keys an entry, `fingerprint` names the key without showing it."""

    secret: bytes = field(repr=False)

    def __post_init__(self) -> None:
        if len(self.secret) != KEY_BYTES:
            raise AuditKeyError(f"an audit key has {KEY_BYTES} bytes, not {len(self.secret)}",
                                "malformed")

    @classmethod
    def generate(cls) -> AuditKey:
        """A new random key."""
        return cls(secrets.token_bytes(KEY_BYTES))

    def mac(self, message: bytes) -> str:
        """The hex HMAC-SHA256 of a message under this key."""
        return hmac.new(self.secret, message, hashlib.sha256).hexdigest()

    @property
    def fingerprint(self) -> str:
        """A short public name of the key (anchors record it, so a wrong key is named)."""
        return self.mac(_FINGERPRINT)[:16]


def load(path: Path) -> AuditKey:
    """The key in a key file (64 hex digits), which only its owner may read or write."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise AuditKeyError(f"audit key file {path}: does not exist "
                            "(`lookback init` creates it)", "missing", path) from None
    if mode & 0o077:
        raise AuditKeyError(f"audit key file {path}: others than its owner may read or write "
                            f"it (mode {mode & 0o777:04o}); run chmod 600 {path}",
                            "mode", path, mode & 0o777)
    text = path.read_bytes().decode("ascii", errors="replace").strip()
    try:
        secret = bytes.fromhex(text)
    except ValueError:
        secret = b""
    if len(secret) != KEY_BYTES:
        raise AuditKeyError(f"audit key file {path}: not an audit key "
                            f"(expected {2 * KEY_BYTES} hex digits)", "malformed", path)
    return AuditKey(secret)


def create(path: Path) -> AuditKey:
    """Write a new random key to `path` with mode 0600, whole or not at all; FileExistsError
    when a key file is already there (a key is never overwritten)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    key = AuditKey.generate()
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".audit-key-")  # mode 0600
    try:
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(key.secret.hex() + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.link(tmp, path)  # atomic, and fails if another process made one first
    finally:
        os.unlink(tmp)
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)
    return key


def load_or_create(path: Path) -> tuple[AuditKey, bool]:
    """The key in `path`, made first when there is none; and whether it was made now."""
    if not path.exists():
        try:
            return create(path), True
        except FileExistsError:
            pass  # another process made it first: use theirs
    return load(path), False


def attach(engine: Engine, key: AuditKey) -> None:
    """Let every connection `engine` hands out carry `key` for the entries written on it."""

    @sa.event.listens_for(engine, "checkout")
    def _carry_key(_dbapi_conn, record, _proxy) -> None:  # noqa: ANN001
        record.info[_INFO] = key


def key_of(conn: sa.Connection) -> AuditKey:
    """The key the connection carries; AuditKeyError when its engine was given none."""
    key = conn.info.get(_INFO)
    if key is None:
        raise AuditKeyError("this database connection carries no audit key: open the "
                            "database through the application (web.database.engine_for), "
                            "which attaches the key", "not_attached")
    return key
