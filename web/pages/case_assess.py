"""The closure assessment (销号评估) from a case's page: the conclusion and the documents,
then the workflow's assess step; errors beside the field, what was typed kept; and the
documents served through the case's access check."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from inspections import workflow
from inspections.assessment import BadDocument, check_conclusion
from web.api.params import IdPath
from web.deps import ClockDep, CurrentUser, EngineDep, LangDep, SettingsDep
from web.errors import DOMAIN_ERRORS, status_of
from web.i18n import t
from web.pages.case_errors import page_error
from web.services.assessment_docs import (
    document_response,
    from_form,
    store_documents,
    visible_document,
)
from web.services.records import case_for
from web.store import file_store

router = APIRouter(include_in_schema=False)


def document_error(exc: BadDocument, lang: str, max_bytes: int) -> tuple[str, str]:
    """The documents field and the reason a document was refused, in the user's language."""
    return "documents", t(f"loop.error.document.{exc.reason}", lang, name=exc.name,
                          mb=max_bytes // (1024 * 1024))


@router.post("/cases/{reference}/assessment", response_class=HTMLResponse)
def assess(reference: str, request: Request, engine: EngineDep, clock: ClockDep,
           user: CurrentUser, lang: LangDep, settings: SettingsDep,
           conclusion: Annotated[str, Form()] = "",
           documents: Annotated[list[UploadFile] | None, File()] = None) -> Response:
    """Record the assessment group's conclusion with its documents; back to the case."""
    from web.pages.cases import case_page_response

    form = {"conclusion": conclusion}
    try:
        with engine.connect() as conn:  # who may, and when, before any file is stored
            case = case_for(conn, user, reference)
            workflow.check_allowed(conn, case, "assess", user.actor)
            workflow.check_state(case, "assess")
            check_conclusion(case.reference, conclusion)
        stored = store_documents(from_form(documents), store=file_store(settings),
                                 max_bytes=settings.max_upload_bytes)
        with engine.begin() as conn:
            workflow.assess(conn, case_id=case_for(conn, user, reference).id,
                            actor=user.actor, clock=clock, conclusion=conclusion,
                            documents=stored)
    except BadDocument as exc:
        return case_page_response(request, engine, clock, user, lang, reference, status=422,
                                  error=document_error(exc, lang, settings.max_upload_bytes),
                                  step="assess", form=form)
    except DOMAIN_ERRORS as exc:  # shown beside the field, nothing recorded
        return case_page_response(request, engine, clock, user, lang, reference,
                                  status=status_of(exc)[0], error=page_error(exc, lang),
                                  step="assess", form=form)
    return RedirectResponse(f"/cases/{quote(reference)}?done=assess", status_code=303)


@router.get("/cases/{reference}/documents/{document_id}")
def assessment_document(reference: str, document_id: IdPath, engine: EngineDep,
                        user: CurrentUser, settings: SettingsDep) -> Response:
    """One assessment document, for those who may see the case."""
    with engine.connect() as conn:
        doc = visible_document(conn, user, reference, document_id)
    return document_response(file_store(settings), doc)
