"""Reports as .docx downloads for leaders: the progress report and a closure report."""

from __future__ import annotations

import io
from typing import Annotated

from docx.document import Document as DocumentType
from fastapi import APIRouter, Query
from fastapi.responses import Response
from sqlalchemy.engine import Engine

from inspections.errors import NotAllowed
from inspections.reports.closure_report import closure_report
from inspections.reports.progress_report import progress_report
from web.accounts.users import User
from web.deps import ClockDep, CurrentUser, EngineDep, SettingsDep
from web.errors import ERROR_RESPONSES
from web.services.audit_anchors import anchor_head, stamp_report
from web.services.records import case_for
from web.settings import Settings
from web.store import file_store

router = APIRouter(prefix="/api/reports", tags=["reports"], responses=ERROR_RESPONSES)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
READERS = ("leader", "admin")


def _check(user: User) -> None:
    if user.role not in READERS:
        raise NotAllowed(f"reports: role {user.role!r} may not download them; only "
                         f"{' and '.join(READERS)}")


def _docx(doc: DocumentType, name: str, engine: Engine, settings: Settings,
          writer: str) -> Response:
    stamp_report(doc, anchor_head(engine, settings, writer))
    out = io.BytesIO()
    doc.save(out)
    return Response(out.getvalue(), media_type=DOCX, headers={
        "Content-Disposition": f'attachment; filename="{name}"',
        "X-Content-Type-Options": "nosniff"})


@router.get("/progress", response_class=Response,
            responses={200: {"content": {DOCX: {}}}})
def progress(engine: EngineDep, clock: ClockDep, user: CurrentUser, settings: SettingsDep,
             year: Annotated[int, Query(ge=2000, le=2100)],
             month: Annotated[int | None, Query(ge=1, le=12)] = None) -> Response:
    """The progress report of a year or one month."""
    _check(user)
    with engine.connect() as conn:
        doc = progress_report(conn, year=year, month=month, now=clock.now(), tz=clock.tz)
    suffix = f"{year}-{month:02d}" if month else f"{year}"
    return _docx(doc, f"progress-{suffix}.docx", engine, settings,
                 f"report progress {suffix} (web, {user.name})")


@router.get("/closure/{reference}", response_class=Response,
            responses={200: {"content": {DOCX: {}}}})
def closure(reference: str, engine: EngineDep, clock: ClockDep, user: CurrentUser,
            settings: SettingsDep) -> Response:
    """A case's closure assessment report."""
    _check(user)
    with engine.connect() as conn:
        case_for(conn, user, reference)
        doc = closure_report(conn, file_store(settings), reference=reference,
                             tz=clock.tz)
    return _docx(doc, "closure-report.docx", engine, settings,
                 f"report closure {reference} (web, {user.name})")
