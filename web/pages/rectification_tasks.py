"""The rectification task pages (整改任务, /rectification-tasks; /tasks is the background
jobs'): the list, the new-task form from case references, a task's page with its cases and
the steps taken on them all as one (整体验收, 整体销号评估, 整体公示, 整体销号), each through
inspections.rectification_tasks in one transaction: all cases or none."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.engine import Engine

from inspections import rectification_tasks as tasks
from inspections.assessment import BadDocument, check_conclusion
from inspections.cases import find_case
from inspections.clock import Clock
from inspections.contact import Contact
from inspections.errors import InvalidInput, NotFound
from web.accounts.users import User
from web.api.params import IdPath
from web.deps import ClockDep, CurrentUser, EngineDep, LangDep, SettingsDep
from web.errors import DOMAIN_ERRORS, status_of
from web.i18n import t
from web.pages.case_assess import document_error
from web.pages.case_steps import MAX_NOTICE_DAYS, FormProblem, _whole
from web.pages.form_photos import store_form_photos
from web.pages.render import render
from web.pages.rtask_errors import task_error
from web.pages.rtask_view import list_rows, page_context
from web.services.assessment_docs import from_form, store_documents
from web.services.uploads import UploadOptions
from web.store import file_store

router = APIRouter(include_in_schema=False)
SEPARATORS = re.compile(r"[\s,，、;；]+")
BASE = "/rectification-tasks"


def references(text: str) -> list[str]:
    """The case references a field names (one a line, or separated by commas, 、 or spaces),
    each once."""
    return list(dict.fromkeys(r for r in SEPARATORS.split(text.strip()) if r))


def case_ids(conn: sa.Connection, text: str, lang: str) -> list[int]:
    """The ids of the cases named; FormProblem on the "cases" field naming the first
    reference that is no case."""
    ids = []
    for reference in references(text):
        try:
            ids.append(find_case(conn, reference).id)
        except NotFound:
            raise FormProblem("cases", t("rtask.error.cases", lang,
                                         reference=reference)) from None
    if not ids:
        raise FormProblem("cases", t("loop.error.required", lang))
    return ids


# --- the list and the new-task form --------------------------------------------------------

@router.get(BASE, response_class=HTMLResponse)
def task_list(request: Request, engine: EngineDep, user: CurrentUser,
              lang: LangDep) -> Response:
    """Every task with its cases, sites and state."""
    tasks.check_viewer(user.actor)
    with engine.connect() as conn:
        rows = list_rows(conn)
    return render(request, "rectification_tasks.html", lang, user=user, rows=rows,
                  may_edit=tasks.may_edit(user.actor))


def _form_page(request: Request, user: User, lang: str, form: dict[str, str],
               errors: dict[str, str], status: int = 200) -> Response:
    return render(request, "rectification_task_new.html", lang, status_code=status,
                  user=user, form=form, errors=errors)


FORM_FIELDS = ("title", "inspection", "serial", "cases", "contact_person", "contact_phone",
               "contact_email")


@router.get(f"{BASE}/new", response_class=HTMLResponse)
def new_task_form(request: Request, user: CurrentUser, lang: LangDep) -> Response:
    """The empty form (leaders and admins)."""
    tasks.check_editor(user.actor)
    return _form_page(request, user, lang, dict.fromkeys(FORM_FIELDS, ""), {})


def _field_of(exc: Exception, lang: str) -> tuple[str, str]:
    text = str(exc)
    for ending, key in ((" is already part of another task", "rtask.error.taken"),
                        (" is not part of it", "rtask.error.not_member")):
        if text.endswith(ending):
            reference = text.split(": case ", 1)[-1][:-len(ending)]
            return "cases", t(key, lang, reference=reference)
    for name in ("phone", "email"):
        if f"contact {name}" in text:
            return f"contact_{name}", t(f"rtask.error.contact_{name}", lang)
    if "title must not be empty" in text:
        return "title", t("loop.error.required", lang)
    return task_error(exc, lang)


@router.post(BASE, response_class=HTMLResponse)
def new_task(request: Request, engine: EngineDep, clock: ClockDep, user: CurrentUser,
             lang: LangDep, title: Annotated[str, Form()] = "",
             inspection: Annotated[str, Form()] = "", serial: Annotated[str, Form()] = "",
             cases: Annotated[str, Form()] = "", contact_person: Annotated[str, Form()] = "",
             contact_phone: Annotated[str, Form()] = "",
             contact_email: Annotated[str, Form()] = "") -> Response:
    """Make the task with its cases and show it; or the form again with the error under its
    field and what was typed."""
    tasks.check_editor(user.actor)
    form = {"title": title, "inspection": inspection, "serial": serial, "cases": cases,
            "contact_person": contact_person, "contact_phone": contact_phone,
            "contact_email": contact_email}
    if not title.strip():
        return _form_page(request, user, lang, form,
                          {"title": t("loop.error.required", lang)}, status=422)
    try:
        with engine.begin() as conn:
            task_id = tasks.create_task(
                conn, actor=user.actor, clock=clock, title=title, inspection=inspection,
                serial=serial, contact=Contact(contact_person, contact_phone, contact_email),
                case_ids=case_ids(conn, cases, lang))
    except FormProblem as problem:
        return _form_page(request, user, lang, form, {problem.field: problem.message},
                          status=422)
    except DOMAIN_ERRORS as exc:
        field, message = _field_of(exc, lang)
        return _form_page(request, user, lang, form, {field: message},
                          status=status_of(exc)[0])
    return RedirectResponse(f"{BASE}/{task_id}", status_code=303)


# --- a task's page and its steps -----------------------------------------------------------

def task_page_response(request: Request, engine: Engine, clock: Clock, user: User,
                       lang: str, task_id: int, *, status: int = 200,
                       error: tuple[str, str] | None = None, step: str | None = None,
                       form: dict[str, Any] | None = None) -> Response:
    """The task's page; after a refused step, that step's form open with its error."""
    tasks.check_viewer(user.actor)
    with engine.connect() as conn:
        context = page_context(conn, tasks.get_task(conn, task_id), user, clock, lang)
    field, message = error or (None, None)
    return render(request, "rectification_task.html", lang, status_code=status, user=user,
                  open_step=step, form=form or {}, error_field=field, error=message,
                  done=request.query_params.get("done"), **context)


@router.get(f"{BASE}/{{task_id}}", response_class=HTMLResponse)
def task_page(task_id: IdPath, request: Request, engine: EngineDep, clock: ClockDep,
              user: CurrentUser, lang: LangDep) -> Response:
    """One task: its cases and sites, their states, the steps the user may take on all."""
    return task_page_response(request, engine, clock, user, lang, task_id)


def _take(engine: Engine, settings: Any, clock: Clock, user: User, lang: str, task_id: int,
          step: str, form: dict[str, str], photos: list[UploadFile] | None,
          documents: list[UploadFile] | None) -> None:
    """Check the form, store what it sent, then take the step on every case at once."""
    actor = user.actor
    if step not in tasks.STEPS:
        raise InvalidInput(f"task {task_id}: step {step!r} is unknown")
    with engine.connect() as conn:  # who may, and when, before any file is stored
        tasks.check_step(conn, task_id, step, actor)
    if step == "accept":
        ids = store_form_photos(photos, engine=engine, clock=clock, user=user,
                                store=file_store(settings), options=UploadOptions.of(settings))
        if not ids:
            raise FormProblem("photos", t("loop.error.photos", lang))
        with engine.begin() as conn:
            tasks.accept_task(conn, task_id=task_id, actor=actor, clock=clock, photo_ids=ids,
                              note=form["note"] or None)
    elif step == "assess":
        check_conclusion(f"task {task_id}", form["conclusion"])
        stored = store_documents(from_form(documents), store=file_store(settings),
                                 max_bytes=settings.max_upload_bytes)
        with engine.begin() as conn:
            tasks.assess_task(conn, task_id=task_id, actor=actor, clock=clock,
                              conclusion=form["conclusion"], documents=stored)
    elif step == "publicise":
        days = _whole(form["days"], "days", lang, 1, MAX_NOTICE_DAYS)
        start = clock.today()
        with engine.begin() as conn:
            tasks.publicise_task(conn, task_id=task_id, actor=actor, clock=clock,
                                 notice_start=start,
                                 notice_end=start + timedelta(days=days - 1))
    else:
        with engine.begin() as conn:
            tasks.close_task(conn, task_id=task_id, actor=actor, clock=clock,
                             note=form["note"] or None)


@router.post(f"{BASE}/{{task_id}}/steps/{{step}}", response_class=HTMLResponse)
def take_step(task_id: IdPath, step: str, request: Request, engine: EngineDep, clock: ClockDep,
              user: CurrentUser, lang: LangDep, settings: SettingsDep,
              note: Annotated[str, Form()] = "", conclusion: Annotated[str, Form()] = "",
              days: Annotated[str, Form()] = "",
              photos: Annotated[list[UploadFile] | None, File()] = None,
              documents: Annotated[list[UploadFile] | None, File()] = None) -> Response:
    """Take one step on every case of the task; back to its page, or the page again with
    the refusal (naming the case that blocks) and what was typed."""
    form = {"note": note, "conclusion": conclusion, "days": days}
    with engine.connect() as conn:
        tasks.check_viewer(user.actor)
        tasks.get_task(conn, task_id)  # not found before any file is stored
    try:
        _take(engine, settings, clock, user, lang, task_id, step, form, photos, documents)
    except FormProblem as problem:
        return task_page_response(request, engine, clock, user, lang, task_id, status=422,
                                  error=(problem.field, problem.message), step=step,
                                  form=form)
    except BadDocument as exc:
        return task_page_response(request, engine, clock, user, lang, task_id, status=422,
                                  error=document_error(exc, lang, settings.max_upload_bytes),
                                  step=step, form=form)
    except DOMAIN_ERRORS as exc:  # beside the field or above the form; nothing recorded
        return task_page_response(request, engine, clock, user, lang, task_id,
                                  status=status_of(exc)[0], error=task_error(exc, lang),
                                  step=step, form=form)
    return RedirectResponse(f"{BASE}/{task_id}?done={step}", status_code=303)


@router.post(f"{BASE}/{{task_id}}/cases", response_class=HTMLResponse)
def add_cases(task_id: IdPath, request: Request, engine: EngineDep, clock: ClockDep,
              user: CurrentUser, lang: LangDep,
              cases: Annotated[str, Form()] = "") -> Response:
    """Put more cases in the task (leaders and admins)."""
    form = {"cases": cases}
    try:
        with engine.begin() as conn:
            tasks.check_viewer(user.actor)
            tasks.add_cases(conn, task_id=task_id, case_ids=case_ids(conn, cases, lang),
                            actor=user.actor, clock=clock)
    except FormProblem as problem:
        return task_page_response(request, engine, clock, user, lang, task_id, status=422,
                                  error=(problem.field, problem.message), step="add",
                                  form=form)
    except DOMAIN_ERRORS as exc:
        return task_page_response(request, engine, clock, user, lang, task_id,
                                  status=status_of(exc)[0], error=_field_of(exc, lang),
                                  step="add", form=form)
    return RedirectResponse(f"{BASE}/{task_id}?done=add", status_code=303)


@router.post(f"{BASE}/{{task_id}}/cases/remove", response_class=HTMLResponse)
def remove_case(task_id: IdPath, request: Request, engine: EngineDep, clock: ClockDep,
                user: CurrentUser, lang: LangDep,
                reference: Annotated[str, Form()] = "") -> Response:
    """Take a case out of the task (leaders and admins); it keeps its state and evidence."""
    try:
        with engine.begin() as conn:
            tasks.check_viewer(user.actor)
            tasks.remove_cases(conn, task_id=task_id, case_ids=case_ids(conn, reference, lang),
                               actor=user.actor, clock=clock)
    except FormProblem as problem:
        return task_page_response(request, engine, clock, user, lang, task_id, status=422,
                                  error=("form", problem.message), step="remove")
    except DOMAIN_ERRORS as exc:
        return task_page_response(request, engine, clock, user, lang, task_id,
                                  status=status_of(exc)[0],
                                  error=("form", _field_of(exc, lang)[1]), step="remove")
    return RedirectResponse(f"{BASE}/{task_id}?done=remove", status_code=303)
