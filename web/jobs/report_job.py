"""Report generation as a job: the progress or closure report written to the job's folder,
downloaded from the tasks page by whoever may see the job."""

from __future__ import annotations

import re
from typing import Any

from inspections.contact import Contact
from web.accounts.users import get_user
from web.clock import clock_for
from web.jobs.context import JobRun
from web.services.report_docs import (
    check_reader,
    closure_document,
    progress_document,
    progress_name,
    stamped_bytes,
)

SAFE = re.compile(r"[^A-Za-z0-9._-]+")  # a case reference as part of a file name


def make_report(run: JobRun, *, report: str, year: int | None = None,
                month: int | None = None, reference: str | None = None,
                task_id: int | None = None, contact: dict[str, str | None] | None = None,
                ) -> dict[str, Any]:
    """Build the report the params name ("progress" with year and month, or "closure" with
    a case reference or a task's id, and a contact over the settings'), as the user who
    asked may see it; the file's name and size."""
    with run.engine.connect() as conn:
        user = get_user(conn, run.user_id)
    check_reader(user)
    clock = clock_for(run.settings, run.engine)
    run.progress(0, 3, "jobs.step.gather", force=True)
    given = Contact(**(contact or {}))
    if report == "closure" and task_id is not None:
        doc = closure_document(run.engine, run.settings, clock, user, task_id=int(task_id),
                               contact=given)
        name, what = f"closure-task-{int(task_id)}.docx", f"closure task {task_id}"
    elif report == "closure":
        doc = closure_document(run.engine, run.settings, clock, user, str(reference),
                               contact=given)
        name, what = f"closure-{SAFE.sub('_', str(reference))}.docx", f"closure {reference}"
    else:
        doc = progress_document(run.engine, clock, year=int(year or 0), month=month)
        name, what = progress_name(int(year or 0), month), f"progress {year}-{month or ''}"
    run.progress(1, 3, "jobs.step.write", force=True)
    data = stamped_bytes(doc, run.engine, run.settings, f"report {what} (job, {user.name})")
    path = run.result_path(name)
    path.write_bytes(data)
    run.progress(2, 3, "jobs.step.write", force=True)
    return {"file": name, "bytes": len(data)}
