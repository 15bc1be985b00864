"""The audit key file: made whole with mode 0600, never overwritten, refused when others may
read it or it holds no key; carried by an engine's connections."""

from __future__ import annotations

import os
import stat
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import sqlalchemy as sa

from inspections import audit_key
from inspections.audit_key import AuditKey
from inspections.errors import AuditKeyError


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_key_file_is_owner_only_and_holds_64_hex_digits(tmp_path: Path) -> None:
    path = tmp_path / "var" / "audit.key"
    key = audit_key.create(path)
    assert _mode(path) == 0o600
    text = path.read_text()
    assert text == key.secret.hex() + "\n" and len(text.strip()) == 64
    assert audit_key.load(path) == key
    assert [p.name for p in path.parent.iterdir()] == ["audit.key"]  # no temporary left


def test_a_key_file_is_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "audit.key"
    first = audit_key.create(path)
    with pytest.raises(FileExistsError):
        audit_key.create(path)
    assert audit_key.load(path) == first
    assert audit_key.load_or_create(path) == (first, False)
    assert [p.name for p in tmp_path.iterdir()] == ["audit.key"]


def test_load_or_create_makes_one_key_for_racing_processes(tmp_path: Path) -> None:
    path = tmp_path / "audit.key"
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _: audit_key.load_or_create(path), range(16)))
    assert len({key for key, _ in results}) == 1
    assert sum(created for _, created in results) == 1


def test_a_missing_key_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(AuditKeyError, match=r"audit\.key: does not exist") as caught:
        audit_key.load(tmp_path / "audit.key")
    assert (caught.value.problem, caught.value.path) == ("missing", tmp_path / "audit.key")


def test_a_key_file_others_may_read_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "audit.key"
    audit_key.create(path)
    os.chmod(path, 0o644)
    with pytest.raises(AuditKeyError, match=r"mode 0644\); run chmod 600") as caught:
        audit_key.load(path)
    assert (caught.value.problem, caught.value.mode) == ("mode", 0o644)


@pytest.mark.parametrize("content", ["", "not a key\n", "ab" * 31 + "\n", "ab" * 33])
def test_a_file_without_a_key_is_refused(tmp_path: Path, content: str) -> None:
    path = tmp_path / "audit.key"
    path.write_text(content)
    path.chmod(0o600)
    with pytest.raises(AuditKeyError, match="not an audit key") as caught:
        audit_key.load(path)
    assert caught.value.problem == "malformed"


def test_a_key_is_32_bytes_and_keeps_its_secret_out_of_repr() -> None:
    with pytest.raises(AuditKeyError, match="32 bytes, not 5"):
        AuditKey(b"short")
    key = AuditKey(b"\x01" * 32)
    assert "01" not in repr(key) and "secret" not in repr(key)
    assert key.fingerprint == AuditKey(b"\x01" * 32).fingerprint
    assert key.fingerprint != AuditKey(b"\x02" * 32).fingerprint
    assert len(key.fingerprint) == 16


def test_an_engine_carries_its_own_key(tmp_path: Path) -> None:
    first = sa.create_engine(f"sqlite:///{tmp_path / 'a.db'}")
    second = sa.create_engine(f"sqlite:///{tmp_path / 'b.db'}")
    audit_key.attach(first, AuditKey(b"\x01" * 32))
    audit_key.attach(second, AuditKey(b"\x02" * 32))
    with first.connect() as a, second.connect() as b:
        assert audit_key.key_of(a) == AuditKey(b"\x01" * 32)
        assert audit_key.key_of(b) == AuditKey(b"\x02" * 32)
    with first.connect() as again:  # a pooled connection handed out again keeps it
        assert audit_key.key_of(again) == AuditKey(b"\x01" * 32)
    bare = sa.create_engine(f"sqlite:///{tmp_path / 'c.db'}")
    with bare.connect() as conn, pytest.raises(AuditKeyError) as caught:
        audit_key.key_of(conn)
    assert caught.value.problem == "not_attached"
    for engine in (first, second, bare):
        engine.dispose()
