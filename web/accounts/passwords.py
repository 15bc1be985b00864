"""Password hashing with Argon2id: pwdlib's recommended cost unless the settings lower it
(LOOKBACK_ARGON2_MEMORY_KIB, LOOKBACK_ARGON2_TIME_COST; read once per process)."""

from __future__ import annotations

from functools import cache

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

MIN_LENGTH = 8


@cache
def _hasher() -> PasswordHash:
    from web.settings import Settings  # the settings of the process's environment

    settings = Settings()
    return PasswordHash((Argon2Hasher(time_cost=settings.argon2_time_cost,
                                      memory_cost=settings.argon2_memory_kib),))


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
