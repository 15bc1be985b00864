"""Organisation records (组织领导: 会议、批示、带队督查) in the browser: their RecordKind,
served by the record pages (list with a kind filter, form, template, import, export)."""

from __future__ import annotations

from inspections.organisation import list_organisation, may_read, may_record
from inspections.schema import ORGANISATION_KINDS
from web.pages.record_kind import Coded, Ids, ListColumn, RecordKind
from web.pages.record_routes import record_routes
from web.services import organisation_sheet as sheet

ORGANISATION = RecordKind(
    path="/organisation", msg="org", columns=sheet.COLUMNS,
    export_columns=sheet.EXPORT_COLUMNS,
    list_columns=(ListColumn("held_on", "org.held_on", "day"),
                  ListColumn("kind", "org.kind", "chip", "org.kind."),
                  ListColumn("subject", "org.subject", "summary"),
                  ListColumn("leader", "org.leader"),
                  ListColumn("case_links", "org.cases", "cases")),
    coded=Coded("kind", ORGANISATION_KINDS, "org.kind.", "org.kind"),
    ids=Ids(count="org-count", new="new-org", table="org-records", form="org-form"),
    form_template="organisation_form.html", listed=list_organisation, rows=sheet.export_rows,
    check=sheet.check, record=sheet.record_all, may_read=may_read, may_record=may_record,
    noun="organisation records", date_field="held_on")

routes = record_routes(ORGANISATION)
router = routes.router
