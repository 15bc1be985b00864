"""What a closure report is about: a rectification task with its cases, or one case as a task
of one; its title, the inspection and serial number (督察序号) under it, and the contact that
holds for it (settings < task < case < the caller's argument, field by field)."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from inspections.cases import Case, find_case
from inspections.contact import Contact, case_contact, merged
from inspections.errors import InvalidInput, NotFound
from inspections.rectification_tasks import get_task, task_cases


@dataclass(frozen=True)
class Subject:
    """The task (or the case) a report is about."""

    title: str
    inspection: str | None
    serial: str | None
    cases: tuple[Case, ...]
    contact: Contact  # the task's and the case's levels merged (not the settings')

    def heading(self) -> str:
        """The report's title: 关于{任务}整改任务销号评估报告."""
        return f"关于{self.title}整改任务销号评估报告"

    def subheading(self) -> str | None:
        """（2018年“回头看”督察序号12）, as much of it as is known; None without either."""
        serial = f"督察序号{self.serial}" if self.serial else ""
        inner = f"{self.inspection or ''}{serial}"
        return f"（{inner}）" if inner else None


def of_task(conn: sa.Connection, task_id: int) -> Subject:
    """A task's subject; NotFound without the task, InvalidInput when it has no cases."""
    task = get_task(conn, task_id)
    found = task_cases(conn, task)
    if not found:
        raise InvalidInput(f"task {task_id}: has no cases to report on")
    return Subject(task.title, task.inspection, task.serial, tuple(found), task.contact)


def of_case(conn: sa.Connection, reference: str) -> Subject:
    """A case as a task of one: its title and inspection, its task's serial number, and its
    own contact over its task's."""
    case = find_case(conn, reference)
    serial, above = None, Contact()
    inspection = case.inspection
    if case.task_id is not None:
        try:
            task = get_task(conn, case.task_id)
        except NotFound:  # removed meanwhile: the case alone
            task = None
        if task is not None:
            serial, above = task.serial, task.contact
            inspection = inspection or task.inspection
    return Subject(case.title, inspection, serial, (case,),
                   merged(above, case_contact(conn, case.id)))
