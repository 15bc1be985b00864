"""Reports as .docx downloads for leaders: the progress report and a closure report."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from inspections.contact import Contact
from web.api.params import IdPath
from web.deps import ClockDep, CurrentUser, EngineDep, SettingsDep
from web.errors import ERROR_RESPONSES
from web.services.report_docs import (
    check_reader,
    closure_document,
    progress_document,
    progress_name,
    stamped_bytes,
)

router = APIRouter(prefix="/api/reports", tags=["reports"], responses=ERROR_RESPONSES)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _docx(data: bytes, name: str) -> Response:
    return Response(data, media_type=DOCX, headers={
        "Content-Disposition": f'attachment; filename="{name}"',
        "X-Content-Type-Options": "nosniff"})


@router.get("/progress", response_class=Response,
            responses={200: {"content": {DOCX: {}}}})
def progress(engine: EngineDep, clock: ClockDep, user: CurrentUser, settings: SettingsDep,
             year: Annotated[int, Query(ge=2000, le=2100)],
             month: Annotated[int | None, Query(ge=1, le=12)] = None) -> Response:
    """The progress report of a year or one month."""
    check_reader(user)
    doc = progress_document(engine, clock, year=year, month=month)
    suffix = f"{year}-{month:02d}" if month else f"{year}"
    return _docx(stamped_bytes(doc, engine, settings,
                               f"report progress {suffix} (web, {user.name})"),
                 progress_name(year, month))


ContactPerson = Annotated[str | None, Query(max_length=100,
                                           description="联系人, over the task's, the case's "
                                                       "and the settings'")]
ContactPhone = Annotated[str | None, Query(max_length=50, description="联系电话")]
ContactEmail = Annotated[str | None, Query(max_length=200, description="电子邮箱")]


@router.get("/closure/{reference}", response_class=Response,
            responses={200: {"content": {DOCX: {}}}})
def closure(reference: str, engine: EngineDep, clock: ClockDep, user: CurrentUser,
            settings: SettingsDep, contact_person: ContactPerson = None,
            contact_phone: ContactPhone = None,
            contact_email: ContactEmail = None) -> Response:
    """A case's closure assessment report (a task of one)."""
    check_reader(user)
    doc = closure_document(engine, settings, clock, user, reference,
                           contact=Contact(contact_person, contact_phone, contact_email))
    return _docx(stamped_bytes(doc, engine, settings,
                               f"report closure {reference} (web, {user.name})"),
                 "closure-report.docx")


@router.get("/rectification-tasks/{task_id}/closure", response_class=Response,
            responses={200: {"content": {DOCX: {}}}})
def task_closure(task_id: IdPath, engine: EngineDep, clock: ClockDep, user: CurrentUser,
                 settings: SettingsDep, contact_person: ContactPerson = None,
                 contact_phone: ContactPhone = None,
                 contact_email: ContactEmail = None) -> Response:
    """A rectification task's closure assessment report, all its sites in one."""
    check_reader(user)
    doc = closure_document(engine, settings, clock, user, task_id=task_id,
                           contact=Contact(contact_person, contact_phone, contact_email))
    return _docx(stamped_bytes(doc, engine, settings,
                               f"report closure task {task_id} (web, {user.name})"),
                 f"closure-task-{task_id}.docx")
