"""Password hashes: Argon2id at pwdlib's recommended cost by default, at the cost the settings
name otherwise (the suite runs at a small one), and a hash made at one cost verifies under
another (a hash keeps its own parameters)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from pydantic import ValidationError

from web.accounts.passwords import hash_password, verify_password
from web.settings import Settings

HASH = "from web.accounts.passwords import hash_password; print(hash_password('s3cret-pass'))"


def _hash_in_process(env: dict[str, str]) -> str:
    """A hash made by a fresh process with these settings (the hasher is read once)."""
    return subprocess.run([sys.executable, "-c", HASH], env=env, check=True,
                          capture_output=True, text=True).stdout.strip()


def _default_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("LOOKBACK_ARGON2_")}


def test_by_default_hashes_cost_pwdlibs_recommended_and_verify_at_any_cost() -> None:
    made = _hash_in_process(_default_env())
    assert made.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert verify_password("s3cret-pass", made)  # here, at the suite's small cost
    assert not verify_password("s3cret-pas", made)


def test_the_suite_hashes_at_the_cost_its_settings_name() -> None:
    made = hash_password("s3cret-pass")
    assert made.startswith("$argon2id$v=19$m=1024,t=1,p=4$")
    assert verify_password("s3cret-pass", made)


def test_a_cost_too_small_is_refused_by_name() -> None:
    with pytest.raises(ValidationError, match="argon2_memory_kib"):
        Settings(argon2_memory_kib=4)
