"""Alembic migrations of the inspections tables (branch "inspections", after "imagery")."""

from pathlib import Path

VERSIONS = Path(__file__).parent / "versions"
