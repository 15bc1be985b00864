"""Drone flights and resumable uploads: create a flight, read its summary, and ask what
became of a file received over tus."""

from __future__ import annotations

from typing import Annotated, Any

import anyio.to_thread
from fastapi import APIRouter
from fastapi import Path as FastPath
from pydantic import BaseModel, Field

from web.api.params import IdPath, RecordId
from web.deps import ClockDep, CurrentUser, EngineDep, SettingsDep
from web.errors import ERROR_RESPONSES
from web.services import flights as flight_service
from web.services.received import received_status

router = APIRouter(prefix="/api", tags=["flights"], responses=ERROR_RESPONSES)


class NewFlight(BaseModel):
    """A flight to hand over: its name and the look-back round or the case it is for."""

    name: str = Field(min_length=1, max_length=200)
    round_id: RecordId | None = None
    case_id: RecordId | None = None
    metadata_only: bool = Field(False, description="Index the photos from their metadata "
                                "alone: thumbnails are made when first shown.")


@router.post("/flights", status_code=201)
def create_flight(body: NewFlight, engine: EngineDep, clock: ClockDep,
                  user: CurrentUser) -> dict[str, Any]:
    """Record a flight; its photos are then uploaded over tus with `flight` in their
    metadata."""
    flight_id = flight_service.create(engine, clock, user, name=body.name,
                                      round_id=body.round_id, case_id=body.case_id,
                                      metadata_only=body.metadata_only)
    return flight_service.summary(engine, user, flight_id)


@router.get("/flights/{flight_id}")
def flight_summary(flight_id: IdPath, engine: EngineDep, user: CurrentUser) -> dict[str, Any]:
    """The flight and what its files became: counts, refusals with reasons, sites."""
    return flight_service.summary(engine, user, flight_id)


@router.post("/flights/{flight_id}/complete")
def complete_flight(flight_id: IdPath, engine: EngineDep, settings: SettingsDep,
                    user: CurrentUser) -> dict[str, Any]:
    """Say the flight's upload is complete (its uploader, once no file is still processed:
    409 else): change detection is queued for each site it covers beside an earlier image
    (`changes_jobs`: their ids). Saying it again queues nothing new."""
    return flight_service.complete(engine, settings, user, flight_id)


@router.get("/uploads/{uid}")
async def upload_status(uid: Annotated[str, FastPath(max_length=64)], engine: EngineDep,
                        user: CurrentUser) -> dict[str, Any]:
    """What became of a file received over tus: processing, stored, duplicate or
    rejected (with the upload page's details)."""
    def read() -> dict[str, Any]:
        with engine.connect() as conn:
            return received_status(conn, user, uid)
    return await anyio.to_thread.run_sync(read)
