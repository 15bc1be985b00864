"""Errors raised by the inspections package; one base class, specific subclasses."""


class InspectionError(Exception):
    """Base class of every error the inspections package raises on purpose."""


class NotFound(InspectionError):
    """No record with that id or number."""


class IllegalTransition(InspectionError):
    """The action does not apply to the record in its current state."""


class NotAllowed(InspectionError):
    """The actor's role (or unit, or agency) may not take this action on this record."""


class InvalidInput(InspectionError):
    """An argument is missing or malformed; the message names it."""


class MissingEvidence(InspectionError):
    """The step needs evidence (photos, a note) that was not given."""


class TaskBlocked(InspectionError):
    """A step of a rectification task (整改任务) was refused for one of its cases, so no case
    moved: `reference` names that case, `step` the task's step, `cause` the case's error."""

    def __init__(self, task_id: int, reference: str, step: str, cause: InspectionError) -> None:
        super().__init__(f"task {task_id}: case {reference} blocks {step}: {cause}")
        self.task_id, self.reference, self.step, self.cause = task_id, reference, step, cause


class AuditError(InspectionError):
    """The audit chain cannot be written or checked as configured (its key, its anchors)."""


class AuditKeyError(AuditError):
    """The audit key is missing, too widely readable or malformed; `problem` says which
    (missing, mode, malformed, not_attached), for messages in other languages."""

    def __init__(self, message: str, problem: str, path: object = None,
                 mode: int | None = None) -> None:
        super().__init__(message)
        self.problem = problem
        self.path = path
        self.mode = mode


class AnchorFileError(AuditError):
    """A line of the audit anchor file cannot be read; the message names the line."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


class AnchorWriteError(AuditError):
    """The anchor file cannot be appended to; the message names the file and the reason."""

    def __init__(self, message: str, path: object, reason: str) -> None:
        super().__init__(message)
        self.path = path
        self.reason = reason


class ReportTextError(InvalidInput):
    """A report paragraph that cannot be kept; `part` names it (a key of the report's parts),
    `problem` says what is wrong (unknown_part, not_text, control_chars, too_long), for
    messages in other languages."""

    def __init__(self, message: str, part: str, problem: str, limit: int | None = None,
                 length: int | None = None) -> None:
        super().__init__(message)
        self.part = part
        self.problem = problem
        self.limit = limit
        self.length = length
