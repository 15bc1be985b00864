"""The closure assessment (销号评估) in the API: the step with its documents (multipart), the
documents themselves, and which roles accept and assess per case source."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, File, Form, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, Field

from inspections import progress, step_roles, workflow
from inspections.assessment import check_conclusion, current
from web.api.cases import CaseView
from web.api.params import IdPath
from web.deps import ClockDep, CurrentUser, EngineDep, SettingsDep
from web.errors import ERROR_RESPONSES
from web.services.assessment_docs import (
    Incoming,
    document_response,
    store_documents,
    visible_document,
)
from web.services.records import case_for
from web.store import file_store

router = APIRouter(prefix="/api/cases", tags=["cases"], responses=ERROR_RESPONSES)
roles_router = APIRouter(prefix="/api/step-roles", tags=["cases"], responses=ERROR_RESPONSES)


class DocumentView(BaseModel):
    """A document of an assessment (download it at /api/cases/REF/documents/ID)."""

    id: int
    name: str
    media_type: str
    size_bytes: int


class AssessmentView(BaseModel):
    """An assessment: the conclusion, who gave it and when, its documents."""

    conclusion: str
    assessed_at: datetime
    assessed_by: str
    documents: list[DocumentView]


class AssessedCase(CaseView):
    """A case with the assessment in force (null: not assessed since its last acceptance)."""

    assessment: AssessmentView | None


class StepRoles(BaseModel):
    """Who takes a step for a case source; `default` when no setting overrides it."""

    source: str
    step: str
    roles: list[str]
    default: bool


class NewRoles(BaseModel):
    """The roles to set; null goes back to the default."""

    roles: list[str] | None = Field(None, description="e.g. [\"acceptor\", \"inspector\"]")


def _assessed(engine: EngineDep, clock: ClockDep, user: CurrentUser,
              reference: str) -> AssessedCase:
    with engine.connect() as conn:
        case = case_for(conn, user, reference)
        found = current(conn, case.id, case.state)
    view = None if found is None else AssessmentView(
        conclusion=found.conclusion, assessed_at=found.assessed_at,
        assessed_by=found.assessed_by,
        documents=[DocumentView(id=d.id or 0, name=d.name, media_type=d.media_type,
                                size_bytes=d.size_bytes) for d in found.documents])
    return AssessedCase(case=case, progress=progress.progress(case, clock.now(), tz=clock.tz),
                        assessment=view)


@router.post("/{reference}/assess", response_model=AssessedCase)
def assess(reference: str, engine: EngineDep, clock: ClockDep, user: CurrentUser,
           settings: SettingsDep, conclusion: Annotated[str, Form(max_length=4000)],
           documents: Annotated[list[UploadFile], File(description="PDF, DOCX or scans")]
           ) -> AssessedCase:
    """accepted -> assessed: the assessment group's conclusion with its documents (PDF, DOCX,
    PNG, JPEG, TIFF; each within LOOKBACK_MAX_UPLOAD_BYTES; a refused one names why)."""
    with engine.connect() as conn:  # who may, and when, before any file is stored
        case = case_for(conn, user, reference)
        workflow.check_allowed(conn, case, "assess", user.actor)
        workflow.check_state(case, "assess")
        check_conclusion(case.reference, conclusion)
    sent = [Incoming(d.filename or "document", d.file) for d in documents]
    stored = store_documents(sent, store=file_store(settings),
                             max_bytes=settings.max_upload_bytes)
    with engine.begin() as conn:
        workflow.assess(conn, case_id=case.id, actor=user.actor, clock=clock,
                        conclusion=conclusion, documents=stored)
    return _assessed(engine, clock, user, reference)


@router.get("/{reference}/assessment", response_model=AssessedCase)
def assessment(reference: str, engine: EngineDep, clock: ClockDep,
               user: CurrentUser) -> AssessedCase:
    """A case with the assessment in force."""
    return _assessed(engine, clock, user, reference)


@router.get("/{reference}/documents/{document_id}", response_class=Response,
            responses={200: {"content": {"application/octet-stream": {}}}})
def document(reference: str, document_id: IdPath, engine: EngineDep, user: CurrentUser,
             settings: SettingsDep) -> Response:
    """One assessment document, for those who may see the case."""
    with engine.connect() as conn:
        doc = visible_document(conn, user, reference, document_id)
    return document_response(file_store(settings), doc)


@roles_router.get("", response_model=list[StepRoles])
def list_step_roles(engine: EngineDep, user: CurrentUser) -> list[StepRoles]:
    """Who accepts and who assesses, per case source."""
    with engine.connect() as conn:
        return [StepRoles.model_validate(r) for r in step_roles.table(conn)]


@roles_router.put("/{source}/{step}", response_model=list[StepRoles])
def set_step_roles(source: str, step: str, body: NewRoles, engine: EngineDep,
                   clock: ClockDep, user: CurrentUser) -> list[StepRoles]:
    """Set who takes a step (accept, assess) for a source (an admin); null: the default."""
    with engine.begin() as conn:
        step_roles.set_roles(conn, actor=user.actor, clock=clock, source=source, step=step,
                             roles=body.roles)
        return [StepRoles.model_validate(r) for r in step_roles.table(conn)]
