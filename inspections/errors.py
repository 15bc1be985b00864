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
