"""Errors of the jobs layer."""

from __future__ import annotations

from inspections.errors import IllegalTransition, InvalidInput, NotFound


class UnknownJobKind(InvalidInput):
    """A job of a kind this process does not know."""

    def __init__(self, name: str) -> None:
        super().__init__(f"job kind {name!r}: not known to this installation")
        self.name = name


class JobNotFound(NotFound):
    """No such job, or not one the user may see."""

    def __init__(self, job_id: int) -> None:
        super().__init__(f"job {job_id}: not found")


class NotRetryable(IllegalTransition):
    """A retry of a job that has not failed."""

    def __init__(self, job_id: int, state: str) -> None:
        super().__init__(f"job {job_id}: is {state}; only a failed job can be tried again")
