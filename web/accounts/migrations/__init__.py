"""Alembic migrations of the accounts tables (branch "accounts", after "inspections")."""

from pathlib import Path

VERSIONS = Path(__file__).parent / "versions"
