"""Password hashing with Argon2 (pwdlib's recommended settings)."""

from __future__ import annotations

from functools import cache

from pwdlib import PasswordHash

MIN_LENGTH = 8


@cache
def _hasher() -> PasswordHash:
    return PasswordHash.recommended()


def hash_password(password: str) -> str:
    """An Argon2 hash of the password."""
    return _hasher().hash(password)


def verify_password(password: str, hashed: str) -> bool:
    """Whether the password matches the hash."""
    return _hasher().verify(password, hashed)


def dummy_verify() -> None:
    """Spend the time a real check takes, so an unknown name is not told apart by timing."""
    _hasher().verify("not the password", _dummy_hash())


@cache
def _dummy_hash() -> str:
    return _hasher().hash("a password nobody has")
