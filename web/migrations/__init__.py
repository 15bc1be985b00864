"""Alembic migrations of the application's own tables (branch "web", independent of the others)."""

from pathlib import Path

VERSIONS = Path(__file__).parent / "versions"
