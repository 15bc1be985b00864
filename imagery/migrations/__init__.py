"""Alembic migrations of the imagery tables (branch "imagery", after "geo")."""

from pathlib import Path

VERSIONS = Path(__file__).parent / "versions"
