"""The tasks page (后台任务, /tasks): the user's jobs (an admin's: everyone's) with their state,
progress, readable error, a retry for failed ones and the result file to download; the
panel's JSON; and the report buttons, which start report jobs."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool

from inspections.errors import InvalidInput
from web.api.params import MAX_ID
from web.deps import CurrentUser, EngineDep, LangDep, SettingsDep
from web.jobs import retry as retry_job
from web.jobs import submit
from web.jobs.errors import NotRetryable
from web.jobs.views import active_count, result_file, visible_job, visible_jobs
from web.pages.render import render
from web.services.report_docs import check_reader

router = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api/jobs", tags=["jobs"])


@router.get("/tasks", response_class=HTMLResponse)
def tasks_page(request: Request, engine: EngineDep, user: CurrentUser,
               lang: LangDep) -> HTMLResponse:
    """The jobs the user may see, newest first."""
    return render(request, "tasks.html", lang, user=user,
                  jobs=visible_jobs(engine, user, lang))


@router.post("/tasks/{job_id}/retry")
def retry(job_id: int, engine: EngineDep, settings: SettingsDep,
          user: CurrentUser) -> RedirectResponse:
    """Queue a failed job again."""
    row = visible_job(engine, user, job_id)
    if not retry_job(engine, settings, job_id):
        raise NotRetryable(job_id, row["state"])
    return RedirectResponse("/tasks", status_code=303)


@router.get("/tasks/{job_id}/result")
def download(job_id: int, engine: EngineDep, settings: SettingsDep,
             user: CurrentUser) -> FileResponse:
    """A finished job's result file."""
    path = result_file(settings, engine, user, job_id)
    return FileResponse(path, filename=path.name,
                        headers={"X-Content-Type-Options": "nosniff"})


def _report_params(report: str, year: int | None, month: int | None,
                   reference: str | None, task_id: int | None = None) -> tuple[dict, str]:
    if report == "closure" and task_id is not None:
        return ({"report": "closure", "task_id": task_id},
                f"整改任务销号评估报告 {task_id}")
    if report == "closure" and reference:
        return {"report": "closure", "reference": reference}, f"销号评估报告 {reference}"
    if report == "progress" and year and 2000 <= year <= 2100 and (
            month is None or 1 <= month <= 12):
        when = f"{year}年{month}月" if month else f"{year}年"
        return {"report": "progress", "year": year, "month": month}, f"{when}整改进展报告"
    raise InvalidInput(f"report {report!r}: give progress with a year (and month), or "
                       "closure with a case reference or a task")


@router.post("/tasks/reports")
async def start_report(engine: EngineDep, settings: SettingsDep, user: CurrentUser,
                       report: Annotated[str, Form()],
                       year: Annotated[int | None, Form()] = None,
                       month: Annotated[int | None, Form()] = None,
                       reference: Annotated[str | None, Form()] = None,
                       task_id: Annotated[int | None, Form(ge=1, le=MAX_ID)] = None,
                       ) -> RedirectResponse:
    """Start a report job (leaders, admins); then the tasks page shows it."""
    check_reader(user)
    params, title = _report_params(report, year, month, reference, task_id)
    await run_in_threadpool(lambda: submit(engine, settings, kind="report", title=title,
                                           params=params, user_id=user.id))
    return RedirectResponse("/tasks", status_code=303)


@api.get("/active")
def active(engine: EngineDep, user: CurrentUser) -> dict[str, int]:
    """How many of the user's jobs are not finished (the frame's panel polls this)."""
    return {"count": active_count(engine, user)}


@api.get("")
def list_jobs(engine: EngineDep, user: CurrentUser, lang: LangDep) -> list[dict]:
    """The jobs the user may see, newest first."""
    return [job.as_json() for job in visible_jobs(engine, user, lang)]
