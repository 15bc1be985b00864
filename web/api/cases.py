"""Cases (整改案件): list, read, open, and each step of the closed loop as its own POST."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from inspections import audit, progress, workflow
from inspections.cases import Case, create_case
from inspections.progress import Progress
from web.api.params import IdPath, RecordId
from web.deps import ClockDep, CurrentUser, EngineDep
from web.errors import ERROR_RESPONSES
from web.services.records import case_for, cases_for, check_photos
from web.services.sites import site_ids

router = APIRouter(prefix="/api/cases", tags=["cases"], responses=ERROR_RESPONSES)


class CaseView(BaseModel):
    """A case with its on-schedule progress now."""

    case: Case
    progress: Progress


class HistoryEntry(BaseModel):
    """One audited change of a case."""

    at: str
    actor: str
    role: str
    action: str
    note: str | None
    data: dict[str, Any]


class CaseDetail(CaseView):
    """A case, its progress and its history."""

    history: list[HistoryEntry]


class NewCase(BaseModel):
    """A case to open."""

    source: str = Field(description="inspection_feedback, petition, patrol or lookback")
    reference: str
    title: str
    description: str = ""
    responsible_unit: str
    deadline: date
    target: str
    measures: list[str] = []
    site_codes: list[str] = []
    lon: float | None = None
    lat: float | None = None
    batch: int | None = None
    inspection: str | None = None
    leader: str | None = None
    key_case: bool = False
    lookback_agency: str | None = None


class Note(BaseModel):
    """A note for a step."""

    note: str | None = None


class WithPhotos(Note):
    """A step with its evidence photos."""

    photo_ids: list[RecordId] = []


class Notice(BaseModel):
    """The public notice period."""

    notice_start: date
    notice_end: date


class Objection(BaseModel):
    """An objection raised during the notice period."""

    text: str


class Decision(BaseModel):
    """A decision on an objection."""

    upheld: bool
    note: str


def _view(case: Case, clock: ClockDep) -> CaseView:
    return CaseView(case=case, progress=progress.progress(case, clock.now(), tz=clock.tz))


@router.get("", response_model=list[CaseView])
def list_cases(engine: EngineDep, clock: ClockDep, user: CurrentUser,
               state: str | None = None, source: str | None = None, unit: str | None = None,
               year: Annotated[int | None, Query(ge=2000, le=2100)] = None) -> list[CaseView]:
    """The cases the user may see, with their progress."""
    with engine.connect() as conn:
        found = cases_for(conn, user, state=state, source=source, unit=unit, year=year,
                          tz=clock.tz)
    return [_view(c, clock) for c in found]


@router.get("/{reference}", response_model=CaseDetail)
def get_case(reference: str, engine: EngineDep, clock: ClockDep,
             user: CurrentUser) -> CaseDetail:
    """One case with its measures, sites, progress and history."""
    with engine.connect() as conn:
        case = case_for(conn, user, reference)
        history = [HistoryEntry(at=r["at"].isoformat(), actor=r["actor"], role=r["role"],
                                action=r["action"], note=r["note"], data=r["data"] or {})
                   for r in audit.case_timeline(conn, case.id)]
    return CaseDetail(case=case, progress=progress.progress(case, clock.now(), tz=clock.tz),
                      history=history)


@router.post("", response_model=CaseView, status_code=201)
def open_case(body: NewCase, engine: EngineDep, clock: ClockDep, user: CurrentUser) -> CaseView:
    """Open a case (leaders, admins and inspectors; grid officers open patrol cases by
    uploading a photo with "problem found")."""
    with engine.begin() as conn:
        values = body.model_dump(exclude={"site_codes"})
        create_case(conn, actor=user.actor, clock=clock,
                    site_ids=site_ids(conn, body.site_codes), **values)
        case = case_for(conn, user, body.reference)
    return _view(case, clock)


def _step(engine: EngineDep, clock: ClockDep, user: CurrentUser, reference: str,
          action: Any, **kwargs: Any) -> CaseView:
    with engine.begin() as conn:
        case = case_for(conn, user, reference)
        if "photo_ids" in kwargs:
            check_photos(conn, user, kwargs["photo_ids"])
        action(conn, case_id=case.id, actor=user.actor, clock=clock, **kwargs)
        case = case_for(conn, user, reference)
    return _view(case, clock)


@router.post("/{reference}/start", response_model=CaseView)
def start(reference: str, body: Note, engine: EngineDep, clock: ClockDep,
          user: CurrentUser) -> CaseView:
    """open -> rectifying (the responsible unit, a leader or an admin)."""
    return _step(engine, clock, user, reference, workflow.start_rectification, note=body.note)


@router.post("/{reference}/measures/{position}/complete", response_model=CaseView)
def complete_measure(reference: str, position: IdPath, body: WithPhotos, engine: EngineDep,
                     clock: ClockDep, user: CurrentUser) -> CaseView:
    """Tick off one measure, with its evidence photos (the responsible unit)."""
    return _step(engine, clock, user, reference, workflow.complete_measure, position=position,
                 photo_ids=body.photo_ids, note=body.note)


@router.post("/{reference}/claim", response_model=CaseView)
def claim(reference: str, body: WithPhotos, engine: EngineDep, clock: ClockDep,
          user: CurrentUser) -> CaseView:
    """rectifying -> rectified, with photos of the fix (the responsible unit)."""
    return _step(engine, clock, user, reference, workflow.claim_rectified,
                 photo_ids=body.photo_ids, note=body.note)


@router.post("/{reference}/accept", response_model=CaseView)
def accept(reference: str, body: WithPhotos, engine: EngineDep, clock: ClockDep,
           user: CurrentUser) -> CaseView:
    """rectified -> accepted, with on-site photos (the acceptance group, or the roles set
    for the case's source at /api/step-roles)."""
    return _step(engine, clock, user, reference, workflow.accept, photo_ids=body.photo_ids,
                 note=body.note)


@router.post("/{reference}/return", response_model=CaseView)
def return_for_rework(reference: str, body: Note, engine: EngineDep, clock: ClockDep,
                      user: CurrentUser) -> CaseView:
    """rectified -> rectifying, saying what is missing (whoever may accept)."""
    return _step(engine, clock, user, reference, workflow.return_for_rework,
                 note=body.note or "")


@router.post("/{reference}/publicise", response_model=CaseView)
def publicise(reference: str, body: Notice, engine: EngineDep, clock: ClockDep,
              user: CurrentUser) -> CaseView:
    """assessed -> publicised for a notice period (a leader or an admin)."""
    return _step(engine, clock, user, reference, workflow.publicise,
                 notice_start=body.notice_start, notice_end=body.notice_end)


@router.post("/{reference}/objections", response_model=CaseView)
def record_objection(reference: str, body: Objection, engine: EngineDep, clock: ClockDep,
                     user: CurrentUser) -> CaseView:
    """Record an objection raised during the notice period."""
    return _step(engine, clock, user, reference, workflow.record_objection, text=body.text)


@router.post("/{reference}/objections/{objection_id}/decide", response_model=CaseView)
def decide_objection(reference: str, objection_id: IdPath, body: Decision, engine: EngineDep,
                     clock: ClockDep, user: CurrentUser) -> CaseView:
    """Uphold an objection (back to rectifying) or dismiss it (a leader or an admin)."""
    return _step(engine, clock, user, reference, workflow.decide_objection,
                 objection_id=objection_id, upheld=body.upheld, note=body.note)


@router.post("/{reference}/close", response_model=CaseView)
def close(reference: str, body: Note, engine: EngineDep, clock: ClockDep,
          user: CurrentUser) -> CaseView:
    """publicised -> closed after the notice period; schedules the look-back rounds."""
    return _step(engine, clock, user, reference, workflow.close, note=body.note)
