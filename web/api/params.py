"""Shared parameter types: record ids are positive 32-bit integers, as the database keeps
them (a larger number is a 422, never a database error)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path
from pydantic import Field

MAX_ID = 2**31 - 1

IdPath = Annotated[int, Path(ge=1, le=MAX_ID)]
RecordId = Annotated[int, Field(ge=1, le=MAX_ID)]
