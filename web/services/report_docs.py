"""The reports as documents, for the API's downloads and the report jobs alike: the
progress report of a year or month (with the paragraphs saved for it on the report page), a
case's closure report, stamped with the audit head."""

from __future__ import annotations

import io

from docx.document import Document as DocumentType
from sqlalchemy.engine import Engine

from inspections.clock import Clock
from inspections.contact import Contact, checked
from inspections.errors import NotAllowed
from inspections.report_texts import ReportPeriod, saved_texts
from inspections.reports.closure_report import closure_report
from inspections.reports.progress_report import progress_report
from web.accounts.users import User
from web.services.audit_anchors import anchor_head, stamp_report
from web.services.records import case_for
from web.settings import Settings
from web.store import file_store

READERS = ("leader", "admin")


def check_reader(user: User) -> None:
    """NotAllowed unless the user's role may have reports."""
    if user.role not in READERS:
        raise NotAllowed(f"reports: role {user.role!r} may not download them; only "
                         f"{' and '.join(READERS)}")


def progress_name(year: int, month: int | None) -> str:
    """The progress report's file name."""
    return f"progress-{year}-{month:02d}.docx" if month else f"progress-{year}.docx"


def progress_document(engine: Engine, clock: Clock, *, year: int,
                      month: int | None) -> DocumentType:
    """The progress report of a year or one month, the records as they stood at its end,
    with the paragraphs saved for that period (not a draft from an earlier one)."""
    with engine.connect() as conn:
        texts = saved_texts(conn, ReportPeriod(year, month))
        return progress_report(conn, year=year, month=month, tz=clock.tz, now=clock.now(),
                               texts=texts)


def report_contact(settings: Settings) -> Contact:
    """The closure report's contact as the installation sets it (the lowest level)."""
    return Contact(settings.report_contact_person, settings.report_contact_phone,
                   settings.report_contact_email)


def closure_document(engine: Engine, settings: Settings, clock: Clock, user: User,
                     reference: str | None = None, *, task_id: int | None = None,
                     contact: Contact | None = None) -> DocumentType:
    """A case's closure report (NotFound unless the user may see the case) or a task's;
    `contact`, the caller's, over the task's, the case's and the settings'."""
    given = checked(contact or Contact(), "contact")
    with engine.connect() as conn:
        if reference is not None:
            case_for(conn, user, reference)
        return closure_report(conn, file_store(settings), reference=reference,
                              task_id=task_id, tz=clock.tz, contact=given,
                              defaults=report_contact(settings), issuer=settings.report_issuer,
                              today=clock.today())


def stamped_bytes(doc: DocumentType, engine: Engine, settings: Settings, writer: str) -> bytes:
    """The document's bytes, stamped with the audit chain's head (anchored now)."""
    stamp_report(doc, anchor_head(engine, settings, writer))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
